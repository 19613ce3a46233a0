package calendar

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Spec is the YAML/JSON form of a calendar as written in the policy file.
type Spec struct {
	Kind     string              `yaml:"kind" json:"kind"`           // "24x7" (default when empty) or "business"
	TimeZone string              `yaml:"time_zone" json:"time_zone"` // IANA name, required for business
	Hours    map[string][]string `yaml:"hours" json:"hours"`         // keys mon..sun; values "09:00-12:00" spans, end may be "24:00"
	Holidays []string            `yaml:"holidays" json:"holidays"`   // "YYYY-MM-DD": no working time that local day
	Workdays []string            `yaml:"workdays" json:"workdays"`   // "YYYY-MM-DD": extra working days (e.g. make-up working Saturdays in China) using Monday's hours
}

// Calendar kinds.
const (
	Kind24x7     = "24x7"
	KindBusiness = "business"
)

// weekdays are the keys of Spec.Hours, in the order they are checked.
var weekdays = []struct {
	key string
	day time.Weekday
}{
	{"mon", time.Monday}, {"tue", time.Tuesday}, {"wed", time.Wednesday},
	{"thu", time.Thursday}, {"fri", time.Friday}, {"sat", time.Saturday},
	{"sun", time.Sunday},
}

// New validates spec and builds its calendar. The error names the field at
// fault, in the policy file's terms (`hours.mon[1]: ...`); the first problem
// found is reported, checking kind, time_zone, hours, holidays and workdays
// in that order.
//
// A 24×7 calendar takes no hours, holidays or workdays (they would be
// silently ignored otherwise); its time_zone, if given, must still be valid.
// A workday replaces the hours of its weekday with Monday's hours, so Monday
// must have hours; a date cannot be both a holiday and a workday.
func New(spec Spec) (*Calendar, error) {
	var c Calendar
	switch spec.Kind {
	case "", Kind24x7:
	case KindBusiness:
		c.business = true
	default:
		return nil, fmt.Errorf("kind: unknown kind %q (want %s or %s)", spec.Kind, Kind24x7, KindBusiness)
	}

	loc, err := loadZone(spec.TimeZone, c.business)
	if err != nil {
		return nil, err
	}

	if !c.business {
		switch {
		case len(spec.Hours) > 0:
			return nil, errors.New("hours: a 24x7 calendar has no hours (set kind: business)")
		case len(spec.Holidays) > 0:
			return nil, errors.New("holidays: a 24x7 calendar has no holidays (set kind: business)")
		case len(spec.Workdays) > 0:
			return nil, errors.New("workdays: a 24x7 calendar has no workdays (set kind: business)")
		}
		return &c, nil
	}
	c.loc = loc

	if err := c.parseHours(spec.Hours); err != nil {
		return nil, err
	}
	if c.holidays, err = parseDates("holidays", spec.Holidays); err != nil {
		return nil, err
	}
	if c.workdays, err = parseDates("workdays", spec.Workdays); err != nil {
		return nil, err
	}
	for i, s := range spec.Workdays {
		d, _ := parseDate(s)
		if c.holidays[d] {
			return nil, fmt.Errorf("workdays[%d]: %q is also a holiday", i, s)
		}
		if len(c.week[time.Monday]) == 0 {
			return nil, fmt.Errorf("workdays[%d]: %q would use Monday's hours, but hours.mon is empty", i, s)
		}
	}
	return &c, nil
}

func loadZone(name string, required bool) (*time.Location, error) {
	switch name {
	case "":
		if required {
			return nil, errors.New("time_zone: required for a business calendar")
		}
		return nil, nil
	case "Local":
		// LoadLocation accepts it, but it means the host's zone, which a
		// policy must not depend on.
		return nil, fmt.Errorf("time_zone: %q is not an IANA time zone name", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time_zone: unknown time zone %q", name)
	}
	return loc, nil
}

func (c *Calendar) parseHours(hours map[string][]string) error {
	known := map[string]bool{}
	for _, w := range weekdays {
		known[w.key] = true
	}
	for _, k := range slices.Sorted(maps.Keys(hours)) {
		if !known[k] {
			return fmt.Errorf("hours: unknown weekday %q (want mon, tue, wed, thu, fri, sat or sun)", k)
		}
	}
	n := 0
	for _, w := range weekdays {
		spans, err := parseSpans("hours."+w.key, hours[w.key])
		if err != nil {
			return err
		}
		c.week[w.day] = spans
		n += len(spans)
	}
	if n == 0 {
		return errors.New("hours: a business calendar needs at least one working span")
	}
	return nil
}

// parseSpans parses one weekday's spans, rejects overlaps, and returns them
// sorted with touching spans merged.
func parseSpans(field string, list []string) ([]span, error) {
	type parsed struct {
		span
		i int
	}
	ps := make([]parsed, 0, len(list))
	for i, s := range list {
		sp, err := parseSpan(s)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", field, i, err)
		}
		ps = append(ps, parsed{sp, i})
	}
	slices.SortStableFunc(ps, func(a, b parsed) int { return int(a.start - b.start) })
	var out []span
	for j, p := range ps {
		if j > 0 && p.start < ps[j-1].end {
			// Name the later entry of the file, quoting the other.
			a, b := ps[j-1], p
			if a.i > b.i {
				a, b = b, a
			}
			return nil, fmt.Errorf("%s[%d]: %q overlaps %q", field, b.i, list[b.i], list[a.i])
		}
		if n := len(out); n > 0 && out[n-1].end == p.start {
			out[n-1].end = p.end
			continue
		}
		out = append(out, p.span)
	}
	return out, nil
}

// parseSpan reads "HH:MM-HH:MM"; the end may be "24:00".
func parseSpan(s string) (span, error) {
	if len(s) != len("09:00-18:00") || s[5] != '-' {
		return span{}, fmt.Errorf("%q is not HH:MM-HH:MM", s)
	}
	start, err := parseClock(s[:5], false)
	if err == nil {
		var end time.Duration
		if end, err = parseClock(s[6:], true); err == nil {
			if end <= start {
				return span{}, fmt.Errorf("%q does not end after it starts", s)
			}
			return span{start, end}, nil
		}
	}
	if errors.Is(err, errSyntax) {
		return span{}, fmt.Errorf("%q is not HH:MM-HH:MM", s)
	}
	return span{}, fmt.Errorf("%q: %w", s, err)
}

var errSyntax = errors.New("not HH:MM")

// parseClock reads "HH:MM" as an offset from midnight; "24:00" only as an
// end.
func parseClock(s string, end bool) (time.Duration, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, errSyntax
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, errSyntax
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	switch {
	case h == 24 && m == 0 && !end:
		return 0, errors.New("24:00 can only end a span")
	case h > 24 || m > 59 || (h == 24 && m != 0):
		return 0, fmt.Errorf("%s is not a time of day", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

func parseDates(field string, list []string) (map[date]bool, error) {
	if len(list) == 0 {
		return nil, nil
	}
	out := make(map[date]bool, len(list))
	for i, s := range list {
		d, err := parseDate(s)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", field, i, err)
		}
		out[d] = true
	}
	return out, nil
}

func parseDate(s string) (date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return 0, fmt.Errorf("%q is not YYYY-MM-DD", s)
	}
	return dateOf(t), nil
}

package calendar_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/calendar"
)

func TestNewRejects(t *testing.T) {
	office := func(hours map[string][]string) calendar.Spec {
		return calendar.Spec{Kind: "business", TimeZone: "Europe/Berlin", Hours: hours}
	}
	mon := func(spans ...string) map[string][]string { return map[string][]string{"mon": spans} }
	tests := []struct {
		name string
		spec calendar.Spec
		want string
	}{
		{"unknown kind", calendar.Spec{Kind: "office"},
			`kind: unknown kind "office" (want 24x7 or business)`},
		{"kind is case-sensitive", calendar.Spec{Kind: "Business"},
			`kind: unknown kind "Business" (want 24x7 or business)`},
		{"business without a time zone", calendar.Spec{Kind: "business", Hours: mon("09:00-17:00")},
			`time_zone: required for a business calendar`},
		{"unknown time zone", calendar.Spec{Kind: "business", TimeZone: "Mars/Base", Hours: mon("09:00-17:00")},
			`time_zone: unknown time zone "Mars/Base"`},
		{"the host's Local zone is not a policy zone", calendar.Spec{Kind: "business", TimeZone: "Local", Hours: mon("09:00-17:00")},
			`time_zone: "Local" is not an IANA time zone name`},
		{"24x7 with an unknown time zone", calendar.Spec{TimeZone: "Mars/Base"},
			`time_zone: unknown time zone "Mars/Base"`},
		{"24x7 with hours", calendar.Spec{Kind: "24x7", Hours: mon("09:00-17:00")},
			`hours: a 24x7 calendar has no hours (set kind: business)`},
		{"24x7 with holidays", calendar.Spec{Holidays: []string{"2026-12-25"}},
			`holidays: a 24x7 calendar has no holidays (set kind: business)`},
		{"24x7 with workdays", calendar.Spec{Workdays: []string{"2026-10-10"}},
			`workdays: a 24x7 calendar has no workdays (set kind: business)`},
		{"business without hours", office(nil),
			`hours: a business calendar needs at least one working span`},
		{"business with only empty days", office(map[string][]string{"mon": {}, "sat": nil}),
			`hours: a business calendar needs at least one working span`},
		{"unknown weekday key", office(map[string][]string{"mon": {"09:00-17:00"}, "monday": {"09:00-17:00"}}),
			`hours: unknown weekday "monday" (want mon, tue, wed, thu, fri, sat or sun)`},
		{"weekday keys are lower case", office(map[string][]string{"Mon": {"09:00-17:00"}}),
			`hours: unknown weekday "Mon" (want mon, tue, wed, thu, fri, sat or sun)`},
		{"span without minutes", office(mon("08:00-09:00", "9-18")),
			`hours.mon[1]: "9-18" is not HH:MM-HH:MM`},
		{"span with a single-digit hour", office(mon("9:00-18:00")),
			`hours.mon[0]: "9:00-18:00" is not HH:MM-HH:MM`},
		{"span with surrounding spaces", office(mon(" 09:00-18:00")),
			`hours.mon[0]: " 09:00-18:00" is not HH:MM-HH:MM`},
		{"span with the wrong separator", office(mon("09:00_18:00")),
			`hours.mon[0]: "09:00_18:00" is not HH:MM-HH:MM`},
		{"span with a letter", office(mon("09:0O-18:00")),
			`hours.mon[0]: "09:0O-18:00" is not HH:MM-HH:MM`},
		{"span with a dot for a colon", office(mon("09.00-18:00")),
			`hours.mon[0]: "09.00-18:00" is not HH:MM-HH:MM`},
		{"hour out of range", office(map[string][]string{"tue": {"25:00-26:00"}}),
			`hours.tue[0]: "25:00-26:00": 25:00 is not a time of day`},
		{"minute out of range", office(map[string][]string{"wed": {"09:60-10:00"}}),
			`hours.wed[0]: "09:60-10:00": 09:60 is not a time of day`},
		{"end past midnight", office(map[string][]string{"thu": {"22:00-24:30"}}),
			`hours.thu[0]: "22:00-24:30": 24:30 is not a time of day`},
		{"24:00 as a start", office(map[string][]string{"fri": {"24:00-24:00"}}),
			`hours.fri[0]: "24:00-24:00": 24:00 can only end a span`},
		{"reversed span", office(map[string][]string{"sat": {"18:00-09:00"}}),
			`hours.sat[0]: "18:00-09:00" does not end after it starts`},
		{"empty span", office(map[string][]string{"sun": {"09:00-09:00"}}),
			`hours.sun[0]: "09:00-09:00" does not end after it starts`},
		{"overlapping spans", office(map[string][]string{"wed": {"09:00-12:00", "11:00-13:00"}}),
			`hours.wed[1]: "11:00-13:00" overlaps "09:00-12:00"`},
		{"overlapping spans out of order", office(map[string][]string{"wed": {"11:00-13:00", "14:00-15:00", "09:00-12:00"}}),
			`hours.wed[2]: "09:00-12:00" overlaps "11:00-13:00"`},
		{"duplicated span", office(mon("09:00-12:00", "09:00-12:00")),
			`hours.mon[1]: "09:00-12:00" overlaps "09:00-12:00"`},
		{"holiday with month 13", calendar.Spec{Kind: "business", TimeZone: "UTC", Hours: mon("09:00-17:00"),
			Holidays: []string{"2026-01-01", "2026-05-01", "2026-13-01"}},
			`holidays[2]: "2026-13-01" is not YYYY-MM-DD`},
		{"holiday on February 30", calendar.Spec{Kind: "business", TimeZone: "UTC", Hours: mon("09:00-17:00"),
			Holidays: []string{"2026-02-30"}},
			`holidays[0]: "2026-02-30" is not YYYY-MM-DD`},
		{"holiday without leading zeros", calendar.Spec{Kind: "business", TimeZone: "UTC", Hours: mon("09:00-17:00"),
			Holidays: []string{"2026-1-1"}},
			`holidays[0]: "2026-1-1" is not YYYY-MM-DD`},
		{"holiday with a time", calendar.Spec{Kind: "business", TimeZone: "UTC", Hours: mon("09:00-17:00"),
			Holidays: []string{"2026-12-25T00:00:00Z"}},
			`holidays[0]: "2026-12-25T00:00:00Z" is not YYYY-MM-DD`},
		{"workday in another format", calendar.Spec{Kind: "business", TimeZone: "UTC", Hours: mon("09:00-17:00"),
			Workdays: []string{"10/10/2026"}},
			`workdays[0]: "10/10/2026" is not YYYY-MM-DD`},
		{"workday that is also a holiday", calendar.Spec{Kind: "business", TimeZone: "UTC", Hours: mon("09:00-17:00"),
			Holidays: []string{"2026-10-10"}, Workdays: []string{"2026-09-27", "2026-10-10"}},
			`workdays[1]: "2026-10-10" is also a holiday`},
		{"workday without Monday hours to copy", calendar.Spec{Kind: "business", TimeZone: "UTC",
			Hours: map[string][]string{"tue": {"09:00-17:00"}}, Workdays: []string{"2026-10-10"}},
			`workdays[0]: "2026-10-10" would use Monday's hours, but hours.mon is empty`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := calendar.New(tc.spec)
			if err == nil {
				t.Fatalf("New(%+v) = %v, want error %q", tc.spec, c, tc.want)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewAccepts(t *testing.T) {
	utc := func(hours map[string][]string) calendar.Spec {
		return calendar.Spec{Kind: "business", TimeZone: "UTC", Hours: hours}
	}
	monday := func(c *calendar.Calendar) time.Duration {
		return c.Working(time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 13, 0, 0, 0, 0, time.UTC))
	}
	tests := []struct {
		name       string
		spec       calendar.Spec
		wantMonday time.Duration
	}{
		{"empty spec is 24x7", calendar.Spec{}, 24 * time.Hour},
		{"explicit 24x7 with a time zone", calendar.Spec{Kind: "24x7", TimeZone: "Asia/Tokyo"}, 24 * time.Hour},
		{"whole day", utc(map[string][]string{"mon": {"00:00-24:00"}}), 24 * time.Hour},
		{"touching spans join", utc(map[string][]string{"mon": {"12:00-13:00", "09:00-12:00"}}), 4 * time.Hour},
		{"spans out of order", utc(map[string][]string{"mon": {"14:00-15:00", "09:00-10:00"}}), 2 * time.Hour},
		{"minute spans", utc(map[string][]string{"mon": {"23:59-24:00", "00:00-00:01"}}), 2 * time.Minute},
		{"a week with only Sunday hours", utc(map[string][]string{"sun": {"10:00-11:00"}}), 0},
		{"repeated holiday is harmless", calendar.Spec{Kind: "business", TimeZone: "UTC",
			Hours: map[string][]string{"mon": {"09:00-17:00"}}, Holidays: []string{"2026-10-12", "2026-10-12"}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := monday(mustNew(t, tc.spec))
			if diff := cmp.Diff(tc.wantMonday, got); diff != "" {
				t.Errorf("Monday's working time mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The policy file is YAML; the calendars in testdata are what teams write.
func TestSpecFromPolicyYAML(t *testing.T) {
	data, err := os.ReadFile("testdata/calendars.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var specs map[string]calendar.Spec
	if err := yaml.Unmarshal(data, &specs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		zone     string
		wantWeek time.Duration // Monday 2026-10-05 to Monday 2026-10-12, local
	}{
		{"default", "UTC", 7 * 24 * time.Hour},
		{"around_the_clock", "UTC", 7 * 24 * time.Hour},
		{"berlin_office", "Europe/Berlin", 4*8*time.Hour + 6*time.Hour},
		{"shanghai_support", "Asia/Shanghai", 2*9*time.Hour + 9*time.Hour},
		{"new_york_late_shift", "America/New_York", 6*time.Hour + 8*time.Hour},
	}
	if diff := cmp.Diff(len(tests), len(specs)); diff != "" {
		t.Errorf("calendars in testdata mismatch (-want +got):\n%s", diff)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec, ok := specs[tc.name]
			if !ok {
				t.Fatalf("no calendar %q in testdata", tc.name)
			}
			c := mustNew(t, spec)
			loc := zone(t, tc.zone)
			got := c.Working(time.Date(2026, 10, 5, 0, 0, 0, 0, loc), time.Date(2026, 10, 12, 0, 0, 0, 0, loc))
			if diff := cmp.Diff(tc.wantWeek, got); diff != "" {
				t.Errorf("working week mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSpecFieldNames(t *testing.T) {
	want := calendar.Spec{
		Kind: "business", TimeZone: "Asia/Shanghai",
		Hours:    map[string][]string{"mon": {"09:00-18:00"}},
		Holidays: []string{"2026-10-01"}, Workdays: []string{"2026-10-10"},
	}
	const doc = `{"kind": "business", "time_zone": "Asia/Shanghai", "hours": {"mon": ["09:00-18:00"]},
		"holidays": ["2026-10-01"], "workdays": ["2026-10-10"]}`
	for _, tc := range []struct {
		name      string
		unmarshal func([]byte, any) error
	}{
		{"json", json.Unmarshal},
		{"yaml", yaml.Unmarshal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got calendar.Spec
			if err := tc.unmarshal([]byte(doc), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Spec mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzNew feeds New the strings a policy author could write. New must never
// panic, and whatever it accepts must keep Working and Advance consistent.
func FuzzNew(f *testing.F) {
	f.Add("business", "Europe/Berlin", "mon", "09:00-18:00", "13:00-14:00", "2026-12-25", "2026-10-10")
	f.Add("business", "America/Santiago", "sun", "00:00-24:00", "", "2026-09-06", "")
	f.Add("24x7", "", "", "", "", "", "")
	f.Add("business", "Mars/Base", "monday", "9-18", "24:00-24:00", "2026-13-01", "x")
	f.Fuzz(func(t *testing.T, kind, tz, key, span1, span2, holiday, workday string) {
		spec := calendar.Spec{Kind: kind, TimeZone: tz}
		if key != "" {
			spec.Hours = map[string][]string{key: {span1, span2}}
		}
		if holiday != "" {
			spec.Holidays = []string{holiday}
		}
		if workday != "" {
			spec.Workdays = []string{workday}
		}
		c, err := calendar.New(spec)
		if err != nil {
			if c != nil {
				t.Fatalf("New returned a calendar with error %v", err)
			}
			return
		}
		from := time.Date(2026, 10, 9, 17, 0, 0, 0, time.UTC)
		end := c.Advance(from, 90*time.Minute)
		if got := c.Working(from, end); got != 90*time.Minute {
			t.Fatalf("Working(from, Advance(from, 90m)) = %v", got)
		}
	})
}

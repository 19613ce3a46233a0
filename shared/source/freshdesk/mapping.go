package freshdesk

import (
	"regexp"
	"strings"
	"time"

	"scorecard/shared/core/event"
)

// statuses maps Freshdesk's status names and default ids (lower case,
// spaces collapsed) to the model. The model's own names are accepted too.
var statuses = map[string]event.Status{
	"open":                   event.StatusOpen,
	"2":                      event.StatusOpen,
	"pending":                event.StatusPending,
	"3":                      event.StatusPending,
	"resolved":               event.StatusResolved,
	"4":                      event.StatusResolved,
	"closed":                 event.StatusClosed,
	"5":                      event.StatusClosed,
	"waiting on customer":    event.StatusPending,
	"6":                      event.StatusPending,
	"waiting on third party": event.StatusOnHold,
	"7":                      event.StatusOnHold,
	"new":                    event.StatusNew,
	"on hold":                event.StatusOnHold,
	"on_hold":                event.StatusOnHold,
	"on-hold":                event.StatusOnHold,
}

// status maps a status name or id: the policy's statuses for this source
// first (custom statuses), then Freshdesk's own. Any other value is a
// custom status nobody mapped: it is read as open (the SLA clock runs, the
// ticket is not done) and the log says so.
func (p *parser) status(field, s string) event.Status {
	if st, ok := p.set.Status(s); ok {
		return st
	}
	if st, ok := statuses[strings.ToLower(strings.Join(strings.Fields(s), " "))]; ok {
		return st
	}
	p.warn(field, "%q is a status the policy does not map (sources.freshdesk.statuses): read as open", event.Clip(s))
	return event.StatusOpen
}

// priorities maps Freshdesk's priority names and ids.
var priorities = map[string]event.Priority{
	"low":    event.Low,
	"1":      event.Low,
	"medium": event.Normal,
	"normal": event.Normal,
	"2":      event.Normal,
	"high":   event.High,
	"3":      event.High,
	"urgent": event.Urgent,
	"4":      event.Urgent,
}

// priority maps a priority name or id; Freshdesk has only these four, so
// anything else is refused.
func (p *parser) priority(s string) (event.Priority, error) {
	pr, ok := priorities[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return "", p.invalid("priority", "%q is not a Freshdesk priority (Low, Medium, High, Urgent, or 1–4)", event.Clip(s))
	}
	return pr, nil
}

// zoned are the renderings of a time that carry a numeric zone offset (UTC
// and GMT are rewritten to +0000 first, a two-digit offset such as "+00"
// or "+05" gets its minutes). Zone abbreviations are not read: Go would
// take an unknown one for UTC, silently shifting the time.
var zoned = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999 -0700", // Rails' Time#to_s, as Liquid renders it
	"2006-01-02 15:04:05.999999999 -07:00",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02 15:04:05.999999999-0700",
	"Mon, 2 Jan 2006 15:04:05 -0700", // RFC 1123 with a numeric zone
	"Mon, 02 Jan 2006 15:04:05 -0700",
}

// local are renderings without a zone: they are in the helpdesk's own time
// zone (sources.freshdesk.time_zone, default the policy's).
var local = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"January 2 2006 at 3:04 PM", // the placeholders' text rendering
	"January 2, 2006 at 3:04 PM",
	"Jan 2 2006 at 3:04 PM",
	"Mon, January 2, 2006 at 3:04 PM",
	"Mon, 2 Jan 2006 at 3:04 PM",
}

var shortOffset = regexp.MustCompile(`([+-]\d\d)$`)

// time is the event's time: the first time member the body has, read in
// the helpdesk's zone when it has none; a body without one (most rule
// bodies) happened when it was received. A time that cannot be read is
// replaced by the time received, with a warning: the event is worth more
// than its exact second.
func (p *parser) time(f fields) (time.Time, error) {
	field, s := "", ""
	for _, c := range []struct{ name, v string }{
		{"triggered_at", f.TriggeredAt}, {"ticket_updated_at", f.TicketUpdatedAt}, {"updated_at", f.UpdatedAt},
		{"ticket_modified_on", f.ModifiedOn},
	} {
		if strings.TrimSpace(c.v) != "" {
			field, s = c.name, strings.TrimSpace(c.v)
			break
		}
	}
	if strings.EqualFold(strings.TrimSpace(f.Event), "created") || strings.Contains(strings.ToLower(f.TriggeredEvent), "created") {
		for _, c := range []struct{ name, v string }{{"ticket_created_at", f.CreatedAt}, {"ticket_created_on", f.CreatedOn}} {
			if strings.TrimSpace(c.v) != "" && field == "" {
				field, s = c.name, strings.TrimSpace(c.v)
			}
		}
	}
	if s == "" {
		return p.received()
	}
	if t, ok := p.readTime(s); ok {
		return event.CheckTime(p.prefix+field, t)
	}
	p.warn(field, "%q is not a time this parser reads: the time received is used", event.Clip(s))
	return p.received()
}

func (p *parser) received() (time.Time, error) {
	if p.d.Received.IsZero() {
		return time.Time{}, p.invalid("triggered_at", "is required (no time received either)")
	}
	return p.d.Received.UTC(), nil
}

// readTime reads one rendering of a time, in UTC.
func (p *parser) readTime(s string) (time.Time, bool) {
	v := s
	for _, z := range []string{" UTC", " GMT"} {
		if base, ok := strings.CutSuffix(v, z); ok {
			v = base + " +0000"
		}
	}
	v = shortOffset.ReplaceAllString(v, "${1}00")
	for _, layout := range zoned {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	for _, layout := range local {
		if t, err := time.ParseInLocation(layout, s, p.loc); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

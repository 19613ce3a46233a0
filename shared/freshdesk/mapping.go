package freshdesk

import (
	"strings"
	"time"

	"scorecard/shared/event"
)

// statuses maps Freshdesk's status names and default ids (lower case,
// spaces collapsed) to the model. The model's own names are accepted too,
// for custom statuses an admin maps by hand in the rule's body.
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

func (p *parser) status(s string) (event.Status, error) {
	st, ok := statuses[strings.ToLower(strings.Join(strings.Fields(s), " "))]
	if !ok {
		return "", p.invalid("status", "%q is not a Freshdesk status (Open, Pending, Resolved, Closed, Waiting on Customer, Waiting on Third Party, or 2–7)", event.Clip(s))
	}
	return st, nil
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

func (p *parser) priority(s string) (event.Priority, error) {
	pr, ok := priorities[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return "", p.invalid("priority", "%q is not a Freshdesk priority (Low, Medium, High, Urgent, or 1–4)", event.Clip(s))
	}
	return pr, nil
}

// timeLayouts are the renderings of a Freshdesk time placeholder that are
// accepted; each carries a numeric zone offset (UTC and GMT are rewritten to
// +0000 first). Zone abbreviations are refused: Go would read an unknown one
// as UTC, silently shifting the time.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999 -0700", // Rails' Time#to_s, as Liquid renders it
	"2006-01-02 15:04:05.999999999 -07:00",
	"2006-01-02T15:04:05.999999999-0700",
	"Mon, 2 Jan 2006 15:04:05 -0700", // RFC 1123 with a numeric zone
	"Mon, 02 Jan 2006 15:04:05 -0700",
}

// parseFreshdeskTime reads triggered_at into UTC.
func parseFreshdeskTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, event.Invalid(field, "is required")
	}
	v := s
	for _, z := range []string{" UTC", " GMT"} {
		if base, ok := strings.CutSuffix(v, z); ok {
			v = base + " +0000"
		}
	}
	for _, layout := range timeLayouts {
		t, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		return event.CheckTime(field, t)
	}
	return time.Time{}, event.Invalid(field, "%q is not a time with a zone offset (e.g. 2026-10-05T09:00:00+08:00 or 2026-10-05 09:00:00 +0800)", event.Clip(s))
}

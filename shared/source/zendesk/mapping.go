package zendesk

import (
	"strings"

	"scorecard/shared/core/event"
)

// statuses maps Zendesk's status names (lower-cased) to the model. The
// lifecycle states map to "": accepted, nothing recorded.
var statuses = map[string]event.Status{
	"new":      event.StatusNew,
	"open":     event.StatusOpen,
	"pending":  event.StatusPending,
	"hold":     event.StatusOnHold,
	"on-hold":  event.StatusOnHold,
	"on_hold":  event.StatusOnHold,
	"on hold":  event.StatusOnHold,
	"solved":   event.StatusResolved,
	"closed":   event.StatusClosed,
	"deleted":  "",
	"archived": "",
	"scrubbed": "",
}

// parseStatus reads a Zendesk status in any letter case; ok is false for an
// unknown one, and the status is "" for a lifecycle state.
func parseStatus(s string) (event.Status, bool) {
	st, ok := statuses[strings.ToLower(strings.TrimSpace(s))]
	return st, ok
}

func badStatus(field, value string) error {
	return event.Invalid(field, "%q is not a Zendesk status (new, open, pending, hold, solved, closed)", event.Clip(value))
}

// parsePriority reads URGENT, HIGH, NORMAL or LOW in any letter case; empty
// stays empty.
func parsePriority(field, s string) (event.Priority, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	p, ok := event.ParsePriority(s)
	if !ok {
		return "", event.Invalid(field, "%q is not a Zendesk priority (urgent, high, normal, low)", event.Clip(s))
	}
	return p, nil
}

// parseTicketType reads PROBLEM, INCIDENT, QUESTION or TASK in any letter
// case into the model's lower-case ticket type; empty stays empty.
func parseTicketType(field, s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "", "problem", "incident", "question", "task":
		return t, nil
	}
	return "", event.Invalid(field, "%q is not a Zendesk ticket type (problem, incident, question, task)", event.Clip(s))
}

package event_test

import (
	"strings"
	"testing"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
)

func TestIDsOfTheWrongKindNameTheField(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"an object as ticket id", `{"event_id":"e1","ticket_id":{},"type":"created","occurred_at":"2026-10-05T01:00:00Z"}`, "ticket_id: wrong type (object)"},
		{"a fraction as event id", `{"event_id":1.5,"ticket_id":"T","type":"created","occurred_at":"2026-10-05T01:00:00Z"}`, "event_id: wrong type (number that is not an integer)"},
		{"a bool as actor id in a batch", `{"events":[{"event_id":"e1","ticket_id":"T","type":"created","occurred_at":"2026-10-05T01:00:00Z","actor":{"id":true,"kind":"agent"}}]}`, "events[0].actor.id: wrong type (bool)"},
		{"a number where an event object belongs", `{"events":[1]}`, "events[0]: must be an event object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs, err := event.ParseGeneric([]byte(tc.body))
			if evs != nil || errcode.Code(err) != errcode.Invalid || !strings.Contains(errcode.Message(err), tc.want) {
				t.Errorf("got %v, %q; want invalid naming %q", evs, errcode.Message(err), tc.want)
			}
		})
	}
}

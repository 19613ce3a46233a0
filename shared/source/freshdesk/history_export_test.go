package freshdesk

import (
	"fmt"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
)

// HistoryEvents exposes the history import's parsing to the external tests:
// the events of a List All Tickets answer and, by ticket id, each ticket's
// List All Conversations answer (a ticket without one has none).
func HistoryEvents(set policy.Source, list []byte, convs map[int64][]byte) (tickets int, _ []event.Event, _ error) {
	ts, err := parseTicketList(list)
	if err != nil {
		return 0, nil, err
	}
	x := &Exporter{set: set}
	var out []event.Event
	for i, t := range ts {
		var cs []apiConversation
		if b, ok := convs[t.id]; ok {
			if cs, err = parseConversations(b); err != nil {
				return 0, nil, err
			}
		}
		evs, err := x.ticketEvents(t, cs, fmt.Sprintf("tickets[%d].", i))
		if err != nil {
			return 0, nil, err
		}
		out = append(out, evs...)
	}
	return len(ts), out, nil
}

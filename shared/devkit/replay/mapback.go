package replay

import (
	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

// Inverse turns Options.Agents around: source → the agent's id in that
// system → the agent id in the encoded events. Agents without an id in a
// system (sent as they are) are left out.
func Inverse(agents map[string]map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for src, m := range agents {
		out[src] = map[string]string{}
		for k, v := range m {
			if v != "" {
				out[src][v] = k
			}
		}
	}
	return out
}

// Back maps an event read back from a request (or from the store) to the
// ticket and agent ids of the events that were encoded; inverse is
// Inverse(Options.Agents).
func Back(e event.Event, inverse map[string]map[string]string) event.Event {
	e.TicketID = TicketID(e.Source, e.TicketID)
	if m := inverse[e.Source]; m != nil {
		if e.Actor.Kind == event.Agent && m[e.Actor.ID] != "" {
			e.Actor.ID = m[e.Actor.ID]
		}
		if m[e.AssigneeID] != "" {
			e.AssigneeID = m[e.AssigneeID]
		}
	}
	return e
}

// SourceBlind is the part of a ticket's state that must not depend on the
// source it came through: all but the source's name, its count of events
// (a change of both tags and type is two Zendesk or Jira events) and what
// the source cannot carry of the requester (Zendesk only the id, Jira Cloud
// no address, Freshdesk no name). Replay's promise is that it is the same for every source.
func SourceBlind(s ticket.State, source string) ticket.State {
	s.Source, s.Events = "", 0
	if s.Customer != nil {
		c := *s.Customer
		switch source {
		case zendesk.Source:
			c = event.CustomerInfo{ID: c.ID}
		case jira.Source:
			if c.Email = ""; c.ID == "" {
				c = event.CustomerInfo{} // a reporter with neither id nor address is nobody
			}
		case freshdesk.Source:
			c.Name = ""
		}
		s.Customer = &c
		if c == (event.CustomerInfo{}) {
			s.Customer = nil
		}
	}
	return s
}

package replay

import (
	"encoding/json"
	"strings"

	"scorecard/shared/core/event"
)

// fdBody is the body of the README's Freshdesk automation-rule template,
// rendered as Freshdesk would render its placeholders.
type fdBody struct {
	Webhook fdFields `json:"freshdesk_webhook"`
}

type fdFields struct {
	Event       string       `json:"event"`
	TicketID    any          `json:"ticket_id"`
	TriggeredAt string       `json:"triggered_at"`
	Status      string       `json:"status"`
	Priority    string       `json:"priority"`
	TicketType  string       `json:"ticket_type"`
	Tags        *string      `json:"tags,omitempty"`
	AgentID     string       `json:"agent_id"`
	Actor       string       `json:"actor,omitempty"`
	Requester   *fdRequester `json:"requester,omitempty"`
}

// fdRequester leaves the name out, as the template does: Freshdesk does not
// escape quotes in names.
type fdRequester struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// freshdeskStatus names the model's statuses as Freshdesk does. Freshdesk
// has no "new": the adapter reads the model's own name as a custom status.
var freshdeskStatus = map[event.Status]string{
	event.StatusNew: "New", event.StatusOpen: "Open", event.StatusPending: "Pending",
	event.StatusOnHold: "Waiting on Third Party", event.StatusResolved: "Resolved", event.StatusClosed: "Closed",
}

var freshdeskPriority = map[event.Priority]string{
	event.Urgent: "Urgent", event.High: "High", event.Normal: "Medium", event.Low: "Low",
}

// freshdeskTime renders {{ticket.modified_on}}: whole seconds, numeric zone.
const freshdeskTime = "2006-01-02 15:04:05 -0700"

func freshdeskPayload(c *encoding) ([]byte, error) {
	e := &c.e
	s := &c.after
	f := fdFields{
		TicketID:    idValue(c.ticket),
		TriggeredAt: e.OccurredAt.UTC().Format(freshdeskTime),
		Status:      freshdeskStatus[s.status],
		Priority:    freshdeskPriority[s.priority],
		TicketType:  titleASCII(s.ticketType),
		AgentID:     c.agentID(s.assignee),
	}
	// {{ticket.tags}} renders the current tags; without the ticket's
	// history only an event that names them knows them.
	if s.hasTags && (c.history || e.HasTags) {
		tags := strings.Join(s.tags, ", ")
		f.Tags = &tags
	}
	if cu := c.customer(); cu != nil {
		f.Requester = &fdRequester{ID: cu.ID, Email: cu.Email}
	}
	switch e.Type {
	case event.Created:
		f.Event = "created"
	case event.Assigned:
		f.Event = "assigned"
	case event.StatusChanged:
		f.Event = "status_changed"
	case event.PriorityChanged:
		f.Event = "priority_changed"
	case event.TagsChanged:
		f.Event = "tags_changed"
	default: // replied, note
		f.Event = "replied"
		switch e.Actor.Kind {
		case event.Agent:
			if e.Type == event.Note {
				f.Event = "note"
			}
			// {{ticket.agent.id}} is the assignee; Replay makes sure the
			// author is the assignee (ReasonAuthor), Encode assumes it.
			if !c.history {
				f.AgentID = c.actorID()
			}
		case event.Customer:
			f.Actor = "customer"
		default:
			f.Actor = "system"
		}
	}
	return json.Marshal(fdBody{Webhook: f})
}

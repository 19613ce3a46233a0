package replay

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/source/zendesk"
)

// zendeskAccount is the account id every derived Zendesk payload names.
const zendeskAccount = 22129848

// zdEnvelope is a Zendesk event-subscription body.
type zdEnvelope struct {
	Type      string   `json:"type"`
	AccountID int64    `json:"account_id"`
	ID        string   `json:"id"`
	Time      string   `json:"time"`
	Version   string   `json:"zendesk_event_version"`
	Subject   string   `json:"subject"`
	Detail    zdDetail `json:"detail"`
	Event     any      `json:"event"`
}

// zdDetail is the ticket after the change, ids as strings as Zendesk sends
// them.
type zdDetail struct {
	ID          string    `json:"id"`
	Status      string    `json:"status"`
	Priority    *string   `json:"priority"`
	Type        *string   `json:"type"`
	Tags        *[]string `json:"tags"`
	AssigneeID  *string   `json:"assignee_id"`
	RequesterID *string   `json:"requester_id,omitempty"`
	UpdatedAt   string    `json:"updated_at"`
}

type zdChange struct {
	Current  any `json:"current"`
	Previous any `json:"previous,omitempty"`
}

type zdTagsChange struct {
	Added   []string `json:"tags_added"`
	Removed []string `json:"tags_removed"`
}

type zdComment struct {
	Comment zdCommentBody `json:"comment"`
}

type zdCommentBody struct {
	ID       int64    `json:"id"`
	IsPublic bool     `json:"is_public"`
	Author   zdAuthor `json:"author"`
}

type zdAuthor struct {
	ID      any    `json:"id"`
	IsStaff bool   `json:"is_staff"`
	Name    string `json:"name,omitempty"`
}

// zendeskStatus names the model's statuses as Zendesk does.
var zendeskStatus = map[event.Status]string{
	event.StatusNew: "NEW", event.StatusOpen: "OPEN", event.StatusPending: "PENDING",
	event.StatusOnHold: "HOLD", event.StatusResolved: "SOLVED", event.StatusClosed: "CLOSED",
}

// zendeskBodies renders one event as one Zendesk body, or two when a tag
// change and a type change happen together (Zendesk reports them apart).
func zendeskBodies(c *encoding) ([][]byte, error) {
	e := &c.e
	kinds := []string{}
	switch e.Type {
	case event.Created:
		kinds = append(kinds, "ticket.created")
	case event.Assigned:
		kinds = append(kinds, "ticket.agent_assignment_changed")
	case event.StatusChanged:
		kinds = append(kinds, "ticket.status_changed")
	case event.PriorityChanged:
		kinds = append(kinds, "ticket.priority_changed")
	case event.TagsChanged:
		tags, typ := tagsChange(e, c.beforeSnap())
		if tags {
			kinds = append(kinds, "ticket.tags_changed")
		}
		if typ {
			kinds = append(kinds, "ticket.type_changed")
		}
	default: // replied, note
		kinds = append(kinds, "ticket.comment_added")
	}
	out := make([][]byte, 0, len(kinds))
	for i, kind := range kinds {
		part := ""
		if i > 0 {
			part = kind // the second of a split event needs an id of its own
		}
		b, err := json.Marshal(zendeskEnvelope(c, kind, part))
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func zendeskEnvelope(c *encoding, kind, part string) zdEnvelope {
	e := &c.e
	at := e.OccurredAt.UTC().Format(time.RFC3339Nano)
	env := zdEnvelope{
		Type:      "zen:event-type:" + kind,
		AccountID: zendeskAccount,
		ID:        uuidFor(zendesk.Source, c.ticket, e.ID, part),
		Time:      at,
		Version:   "2022-11-06",
		Subject:   "zen:ticket:" + c.ticket,
		Detail:    zendeskDetail(c, at),
		Event:     struct{}{},
	}
	b := c.beforeSnap()
	switch kind {
	case "ticket.agent_assignment_changed":
		ch := zdChange{Current: nullable(c.agentID(e.AssigneeID))}
		if b != nil && b.assignee != "" {
			ch.Previous = c.agentID(b.assignee)
		}
		env.Event = ch
	case "ticket.status_changed":
		ch := zdChange{Current: zendeskStatus[e.Status]}
		if b != nil && b.status != "" {
			ch.Previous = zendeskStatus[b.status]
		}
		env.Event = ch
	case "ticket.priority_changed":
		ch := zdChange{Current: strings.ToUpper(string(e.Priority))}
		if b != nil && b.priority != "" {
			ch.Previous = strings.ToUpper(string(b.priority))
		}
		env.Event = ch
	case "ticket.type_changed":
		ch := zdChange{Current: strings.ToUpper(e.TicketType)}
		if b != nil && b.ticketType != "" {
			ch.Previous = strings.ToUpper(b.ticketType)
		}
		env.Event = ch
	case "ticket.tags_changed":
		var before []string
		if b != nil {
			before = b.tags
		}
		env.Event = zdTagsChange{Added: minus(e.Tags, before), Removed: minus(before, e.Tags)}
	case "ticket.comment_added":
		env.Event = zdComment{Comment: zendeskComment(c)}
	}
	return env
}

func zendeskDetail(c *encoding, at string) zdDetail {
	s := &c.after
	d := zdDetail{ID: c.ticket, Status: zendeskStatus[s.status], UpdatedAt: at}
	if s.priority != "" {
		p := strings.ToUpper(string(s.priority))
		d.Priority = &p
	}
	if s.ticketType != "" {
		t := strings.ToUpper(s.ticketType)
		d.Type = &t
	}
	if s.hasTags {
		tags := append([]string{}, s.tags...)
		d.Tags = &tags
	}
	if s.assignee != "" {
		a := c.agentID(s.assignee)
		d.AssigneeID = &a
	}
	if cu := c.customer(); cu != nil && cu.ID != "" {
		d.RequesterID = &cu.ID
	}
	return d
}

// zendeskSystemUser is the author id of Zendesk's own comments.
const zendeskSystemUser = -1

func zendeskComment(c *encoding) zdCommentBody {
	e := &c.e
	// Zendesk has one kind of comment: a private one is an internal note,
	// so a note is a private comment.
	cm := zdCommentBody{ID: numberFor(zendesk.Source, "comment", c.ticket, e.ID), IsPublic: e.Type == event.Replied && e.Public}
	switch e.Actor.Kind {
	case event.Agent:
		cm.Author = zdAuthor{ID: idValue(c.actorID()), IsStaff: true}
	case event.System:
		cm.Author = zdAuthor{ID: zendeskSystemUser, Name: "Zendesk"}
	default:
		cm.Author = zdAuthor{ID: idValue(c.actorID())}
	}
	return cm
}

// idValue writes a numeric id as a JSON number, as Zendesk's examples do,
// and anything else as a string.
func idValue(id string) any {
	if _, ok := canonicalInt(id); ok {
		return json.Number(id)
	}
	return id
}

// nullable is an id, or JSON null when it is empty (unassigned).
func nullable(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// minus is the tags of a that are not in b.
func minus(a, b []string) []string {
	out := []string{}
	for _, t := range a {
		if !slices.Contains(b, t) {
			out = append(out, t)
		}
	}
	return out
}

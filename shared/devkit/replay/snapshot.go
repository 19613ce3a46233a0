package replay

import (
	"slices"

	"scorecard/shared/core/event"
)

// snapshot is what a ticketing system knows about a ticket at one moment:
// the fields its payloads repeat on every event (Zendesk's detail, Jira's
// issue, the Freshdesk template's placeholders). It folds events the way
// ticket.Reduce does, so a field rendered from it reads back unchanged.
type snapshot struct {
	status     event.Status
	priority   event.Priority
	ticketType string
	tags       []string
	hasTags    bool
	assignee   string
	customer   *event.CustomerInfo
}

// snapshotOf is all Encode knows without the ticket's other events: the
// event's own fields.
func snapshotOf(e *event.Event) snapshot {
	var s snapshot
	s.apply(e)
	return s
}

func (s *snapshot) apply(e *event.Event) {
	if e.Customer != nil && s.customer == nil {
		c := *e.Customer
		s.customer = &c
	}
	switch e.Type {
	case event.Created:
		s.setFields(e)
		if e.AssigneeID != "" {
			s.assignee = e.AssigneeID
		}
		if e.Status != "" {
			s.status = e.Status
		} else if s.status == "" {
			s.status = event.StatusNew
		}
	case event.Assigned:
		s.assignee = e.AssigneeID
	case event.StatusChanged:
		if e.Status != "" {
			s.status = e.Status
		}
	case event.PriorityChanged, event.TagsChanged:
		s.setFields(e)
	}
}

func (s *snapshot) setFields(e *event.Event) {
	if e.Priority != "" {
		s.priority = e.Priority
	}
	if e.HasTags {
		s.tags, s.hasTags = slices.Clone(e.Tags), true
	}
	if e.TicketType != "" {
		s.ticketType = e.TicketType
	}
}

// tagsChange says which parts of a tags_changed event change something:
// vendors report a tag change and a type change only when they happen.
// With no history (Encode) both parts given count as changes. At least one
// part is kept, so that the event is not lost.
func tagsChange(e *event.Event, before *snapshot) (tags, typ bool) {
	tags, typ = e.HasTags, e.TicketType != ""
	if before == nil || !tags || !typ {
		return tags, typ
	}
	tagsSame := before.hasTags && slices.Equal(before.tags, e.Tags)
	typeSame := before.ticketType == e.TicketType
	switch {
	case typeSame:
		return true, false
	case tagsSame:
		return false, true
	}
	return true, true
}

// encoding is how one event is turned into a source's payload: the event,
// the ticket before and after it, and the ticket's ids there.
type encoding struct {
	e             event.Event
	before, after snapshot
	history       bool   // before is known (Replay), not just the event (Encode)
	ticket        string // the source's ticket id
	agent         func(string) string
}

// agentID is an agent's id in the target source.
func (c *encoding) agentID(id string) string {
	if c.agent == nil || id == "" {
		return id
	}
	return c.agent(id)
}

// actorID is the actor's id in the target source (agents are translated).
func (c *encoding) actorID() string {
	if c.e.Actor.Kind == event.Agent {
		return c.agentID(c.e.Actor.ID)
	}
	return c.e.Actor.ID
}

// customer is the requester the payload names: the event's own, else the
// ticket's.
func (c *encoding) customer() *event.CustomerInfo {
	if c.e.Customer != nil {
		return c.e.Customer
	}
	return c.after.customer
}

// beforeSnap is the ticket before the event when it is known.
func (c *encoding) beforeSnap() *snapshot {
	if !c.history {
		return nil
	}
	return &c.before
}

package freshdesk

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"scorecard/shared/event"
)

// Source is the source name of Freshdesk events.
const Source = "freshdesk"

// BodyTemplate is the automation rule's webhook body (see the package doc):
// set "event" per rule, and add "actor" or "public" where the doc says so.
const BodyTemplate = `{"freshdesk_webhook": {
  "event": "status_changed",
  "ticket_id": {{ticket.id}},
  "triggered_at": "{{ticket.modified_on}}",
  "status": "{{ticket.status}}",
  "priority": "{{ticket.priority}}",
  "ticket_type": "{{ticket.ticket_type}}",
  "tags": "{{ticket.tags}}",
  "agent_id": "{{ticket.agent.id}}",
  "requester": {"id": "{{ticket.requester.id}}", "email": "{{ticket.requester.email}}"}
}}`

// wrapper is the object Freshdesk's simple webhook mode (and BodyTemplate)
// puts the fields in; a body without it is read as the fields themselves.
const wrapper = "freshdesk_webhook"

// fields is one rule's webhook body.
type fields struct {
	Event       string     `json:"event"`
	TicketID    event.ID   `json:"ticket_id"`
	TriggeredAt string     `json:"triggered_at"`
	Status      event.ID   `json:"status"`
	Priority    event.ID   `json:"priority"`
	TicketType  string     `json:"ticket_type"`
	Tags        tagList    `json:"tags"`
	AgentID     optionalID `json:"agent_id"`
	Actor       string     `json:"actor"`
	Public      *bool      `json:"public"`
	Requester   *struct {
		ID    event.ID `json:"id"`
		Email string   `json:"email"`
		Name  string   `json:"name"`
	} `json:"requester"`
}

// optionalID is an id that may be absent, null or empty; set tells absent
// apart from the rest ("agent_id": "" unassigns, no agent_id is a mistake).
type optionalID struct {
	id  string
	set bool
}

func (o *optionalID) UnmarshalJSON(b []byte) error {
	var id event.ID
	if err := id.UnmarshalJSON(b); err != nil {
		return err
	}
	o.id, o.set = string(id), true
	return nil
}

// tagList is {{ticket.tags}} as rendered ("a, b"), or a JSON array; set is
// false when it was absent or null.
type tagList struct {
	tags []string
	set  bool
}

func (l *tagList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '[':
		if err := json.Unmarshal(b, &l.tags); err != nil {
			return err
		}
	default:
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		l.tags = strings.Split(s, ",")
	}
	l.set = true
	return nil
}

// eventTypes are the values of "event", one per automation rule.
var eventTypes = map[string]event.Type{
	"created":          event.Created,
	"status_changed":   event.StatusChanged,
	"priority_changed": event.PriorityChanged,
	"assigned":         event.Assigned,
	"replied":          event.Replied,
	"note":             event.Note,
	"tags_changed":     event.TagsChanged,
}

// actorKinds are the values of "actor" (replied and note; default agent).
var actorKinds = map[string]event.ActorKind{
	"agent":     event.Agent,
	"customer":  event.Customer,
	"requester": event.Customer,
	"contact":   event.Customer,
	"system":    event.System,
}

// Parse normalises one automation-rule body into one event. Anything
// malformed is an errcode.Invalid naming the field (after
// "freshdesk_webhook." when the body is wrapped).
func Parse(_ http.Header, body []byte) ([]event.Event, error) {
	var outer map[string]json.RawMessage
	if err := event.DecodeObject(body, &outer); err != nil {
		return nil, err
	}
	var f fields
	prefix := ""
	if inner, ok := outer[wrapper]; ok && !bytes.Equal(bytes.TrimSpace(inner), []byte("null")) {
		prefix = wrapper + "."
		if t := bytes.TrimSpace(inner); len(t) == 0 || t[0] != '{' {
			return nil, event.Invalid(wrapper, "must be an object")
		}
		if err := json.Unmarshal(inner, &f); err != nil {
			return nil, event.JSONProblem(prefix, err)
		}
	} else if err := json.Unmarshal(body, &f); err != nil {
		return nil, event.JSONProblem("", err)
	}
	e, err := (&parser{prefix: prefix}).event(f)
	if err != nil {
		return nil, err
	}
	return []event.Event{e}, nil
}

// parser names fields with the body's prefix in error messages.
type parser struct{ prefix string }

func (p *parser) invalid(field, format string, args ...any) error {
	return event.Invalid(p.prefix+field, format, args...)
}

func (p *parser) event(f fields) (event.Event, error) {
	e := event.Event{Source: Source}
	name := strings.ToLower(strings.TrimSpace(f.Event))
	typ, ok := eventTypes[name]
	switch {
	case name == "":
		return e, p.invalid("event", "is required: one of created, status_changed, priority_changed, assigned, replied, note, tags_changed")
	case !ok:
		return e, p.invalid("event", "%q is not one of created, status_changed, priority_changed, assigned, replied, note, tags_changed", event.Clip(f.Event))
	}
	e.Type = typ
	var err error
	if e.TicketID, err = event.RequiredID(p.prefix+"ticket_id", string(f.TicketID)); err != nil {
		return e, err
	}
	if e.OccurredAt, err = parseFreshdeskTime(p.prefix+"triggered_at", f.TriggeredAt); err != nil {
		return e, err
	}
	if e.Customer, err = p.requester(f); err != nil {
		return e, err
	}
	key := name // the "triggered event" part of the dedupe key
	switch typ {
	case event.Created:
		err = p.created(&e, f)
	case event.StatusChanged:
		if strings.TrimSpace(string(f.Status)) == "" {
			return e, p.invalid("status", "is required for status_changed")
		}
		e.Status, err = p.status(string(f.Status))
	case event.PriorityChanged:
		if strings.TrimSpace(string(f.Priority)) == "" {
			return e, p.invalid("priority", "is required for priority_changed")
		}
		e.Priority, err = p.priority(string(f.Priority))
	case event.Assigned:
		if !f.AgentID.set {
			return e, p.invalid("agent_id", "is required for assigned (empty unassigns)")
		}
		e.AssigneeID, err = event.OptionalID(p.prefix+"agent_id", f.AgentID.id)
	case event.TagsChanged:
		e.TicketType = strings.ToLower(strings.TrimSpace(f.TicketType))
		if !f.Tags.set && e.TicketType == "" {
			return e, p.invalid("tags", "or ticket_type is required for tags_changed")
		}
		e.HasTags, e.Tags = f.Tags.set, event.NormalizeTags(f.Tags.tags)
	default: // replied, note
		key, err = p.conversation(&e, f)
	}
	if err != nil {
		return e, err
	}
	id := e.TicketID + ":" + key + ":" + e.OccurredAt.Format(time.RFC3339Nano)
	if e.ID, err = event.RequiredID(p.prefix+"ticket_id", id); err != nil {
		return e, err
	}
	return e, nil
}

func (p *parser) created(e *event.Event, f fields) error {
	var err error
	if strings.TrimSpace(string(f.Status)) != "" {
		if e.Status, err = p.status(string(f.Status)); err != nil {
			return err
		}
	}
	if strings.TrimSpace(string(f.Priority)) != "" {
		if e.Priority, err = p.priority(string(f.Priority)); err != nil {
			return err
		}
	}
	e.TicketType = strings.ToLower(strings.TrimSpace(f.TicketType))
	e.HasTags, e.Tags = f.Tags.set, event.NormalizeTags(f.Tags.tags)
	e.AssigneeID, err = event.OptionalID(p.prefix+"agent_id", f.AgentID.id)
	return err
}

// conversation fills a reply or a note and returns the dedupe key's event
// part, which names the actor so that a customer's and an agent's reply in
// the same second stay apart.
func (p *parser) conversation(e *event.Event, f fields) (string, error) {
	actor := strings.ToLower(strings.TrimSpace(f.Actor))
	kind := event.Agent
	if actor != "" {
		k, ok := actorKinds[actor]
		if !ok {
			return "", p.invalid("actor", "%q is not agent, customer or system", event.Clip(f.Actor))
		}
		kind = k
	}
	agentID, err := event.OptionalID(p.prefix+"agent_id", f.AgentID.id)
	if err != nil {
		return "", err
	}
	switch kind {
	case event.Agent:
		if agentID == "" {
			return "", p.invalid("agent_id", "is required for an agent's %s", e.Type)
		}
		e.Actor = event.Actor{ID: agentID, Kind: event.Agent}
	case event.Customer:
		if e.Customer != nil {
			e.Actor.ID = e.Customer.ID
		}
		e.Actor.Kind = event.Customer
	default:
		e.Actor.Kind = event.System
	}
	if e.Type == event.Note {
		if kind != event.Agent {
			return "", p.invalid("actor", "a note is written by an agent")
		}
		if f.Public != nil && *f.Public {
			e.Type, e.Public = event.Replied, true // a public note answers the customer
			return "note-public", nil
		}
		return "note", nil
	}
	e.Public = true
	return "replied-" + string(kind), nil
}

// requester is the ticket's requester as the customer, when it is known.
func (p *parser) requester(f fields) (*event.CustomerInfo, error) {
	r := f.Requester
	if r == nil {
		return nil, nil
	}
	id, err := event.OptionalID(p.prefix+"requester.id", string(r.ID))
	if err != nil {
		return nil, err
	}
	c := event.CustomerInfo{ID: id, Name: strings.TrimSpace(r.Name)}
	if email := strings.TrimSpace(r.Email); plausibleEmail(email) {
		c.Email = email
	}
	if c.ID == "" && c.Email == "" {
		return nil, nil
	}
	return &c, nil
}

func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>") && len(s) <= 320
}

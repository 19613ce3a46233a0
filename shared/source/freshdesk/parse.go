package freshdesk

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
)

// Source is the source name of Freshdesk events.
const Source = "freshdesk"

// BodyTemplate is the body of every automation rule's webhook (see the
// package doc): the same in each rule; the customer-reply rule adds
// "actor": "customer".
const BodyTemplate = `{"freshdesk_webhook": {
  "triggered_event": "{{triggered_event}}",
  "ticket_id": {{ticket.id}},
  "ticket_status": "{{ticket.status}}",
  "ticket_priority": "{{ticket.priority}}",
  "ticket_type": "{{ticket.ticket_type}}",
  "ticket_tags": "{{ticket.tags}}",
  "agent_id": "{{ticket.agent.id}}",
  "requester_id": "{{ticket.requester.id}}",
  "requester_email": "{{ticket.requester.email}}"
}}`

// EventTemplate is the earlier template, one "event" per rule and the
// rule's time; bodies written from it are read as before.
const EventTemplate = `{"freshdesk_webhook": {
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

// fields is one rule's webhook body: the members of BodyTemplate, and the
// names Freshdesk's simple mode gives the placeholders an admin ticks
// (ticket_status, ticket_agent_email, requester_email, triggered_event …).
type fields struct {
	Event          string   `json:"event"`
	TriggeredEvent string   `json:"triggered_event"`
	TicketID       event.ID `json:"ticket_id"`

	TriggeredAt     string `json:"triggered_at"`
	TicketUpdatedAt string `json:"ticket_updated_at"`
	UpdatedAt       string `json:"updated_at"`
	ModifiedOn      string `json:"ticket_modified_on"`
	CreatedAt       string `json:"ticket_created_at"`
	CreatedOn       string `json:"ticket_created_on"`

	Status         event.ID `json:"status"`
	TicketStatus   event.ID `json:"ticket_status"`
	Priority       event.ID `json:"priority"`
	TicketPriority event.ID `json:"ticket_priority"`
	TicketType     string   `json:"ticket_type"`
	TicketTType    string   `json:"ticket_ticket_type"`
	Tags           tagList  `json:"tags"`
	TicketTags     tagList  `json:"ticket_tags"`

	AgentID       optionalID `json:"agent_id"`
	TicketAgentID optionalID `json:"ticket_agent_id"`
	AgentEmail    optionalID `json:"ticket_agent_email"`

	Actor     string `json:"actor"`
	Public    *bool  `json:"public"`
	Requester *struct {
		ID    event.ID `json:"id"`
		Email string   `json:"email"`
		Name  string   `json:"name"`
	} `json:"requester"`
	RequesterID         event.ID `json:"requester_id"`
	TicketRequesterID   event.ID `json:"ticket_requester_id"`
	TicketContactID     event.ID `json:"ticket_contact_id"`
	RequesterEmail      string   `json:"requester_email"`
	TicketRequesterMail string   `json:"ticket_requester_email"`
	TicketContactEmail  string   `json:"ticket_contact_email"`
	RequesterName       string   `json:"requester_name"`
	TicketRequesterName string   `json:"ticket_requester_name"`
	TicketContactName   string   `json:"ticket_contact_name"`
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

// Parser returns the parser of Freshdesk rule bodies under a source's
// settings: its custom statuses, and the helpdesk's time zone for times
// rendered without one.
func Parser(s policy.Source) func(event.Delivery) ([]event.Event, error) {
	loc := s.Location()
	if loc == nil {
		loc = time.UTC
	}
	return func(d event.Delivery) ([]event.Event, error) {
		return (&parser{d: d, set: s, loc: loc}).parse()
	}
}

// Parse reads a body under the default settings (UTC, no custom statuses).
func Parse(d event.Delivery) ([]event.Event, error) { return Parser(policy.Source{})(d) }

// parser reads one body; it names fields with the body's prefix in
// messages.
type parser struct {
	d      event.Delivery
	set    policy.Source
	loc    *time.Location
	prefix string
}

func (p *parser) invalid(field, format string, args ...any) error {
	return event.Invalid(p.prefix+field, format, args...)
}

func (p *parser) warn(field, format string, args ...any) {
	p.d.Warnf(p.prefix+field, format, args...)
}

func (p *parser) parse() ([]event.Event, error) {
	body := p.d.Body
	if !json.Valid(bytes.TrimSpace(body)) {
		// Rule bodies are typed by hand: a comma before a closing brace
		// is the common slip, and Freshdesk sends it as typed.
		if fixed := dropTrailingCommas(body); json.Valid(fixed) {
			p.warn("body", "a trailing comma was ignored: fix the rule's body")
			body = fixed
		}
	}
	var outer map[string]json.RawMessage
	if err := event.DecodeObject(body, &outer); err != nil {
		return nil, err
	}
	var f fields
	if inner, ok := outer[wrapper]; ok && !bytes.Equal(bytes.TrimSpace(inner), []byte("null")) {
		p.prefix = wrapper + "."
		if t := bytes.TrimSpace(inner); len(t) == 0 || t[0] != '{' {
			return nil, event.Invalid(wrapper, "must be an object")
		}
		if err := json.Unmarshal(inner, &f); err != nil {
			return nil, event.JSONProblem(p.prefix, err)
		}
	} else if err := json.Unmarshal(body, &f); err != nil {
		return nil, event.JSONProblem("", err)
	}
	return p.events(f)
}

// events turns the body into the events it reports: the rule's "event",
// else its {{triggered_event}}, else (a rule body naming neither) the
// ticket's state as the body shows it.
func (p *parser) events(f fields) ([]event.Event, error) {
	base := event.Event{Source: Source}
	var err error
	if base.TicketID, err = event.RequiredID(p.prefix+"ticket_id", string(f.TicketID)); err != nil {
		return nil, err
	}
	if base.OccurredAt, err = p.time(f); err != nil {
		return nil, err
	}
	if base.Customer, err = p.requester(f); err != nil {
		return nil, err
	}
	name := strings.ToLower(strings.TrimSpace(f.Event))
	switch {
	case name != "":
		typ, ok := eventTypes[name]
		if !ok {
			return nil, p.invalid("event", "%q is not one of created, status_changed, priority_changed, assigned, replied, note, tags_changed", event.Clip(f.Event))
		}
		e := base
		e.Type = typ
		key, err := p.named(&e, f, name)
		if err != nil {
			return nil, err
		}
		return p.finish([]keyed{{e, key}})
	case strings.TrimSpace(f.TriggeredEvent) != "":
		return p.triggered(base, f)
	}
	p.warn("event", "neither event nor triggered_event: read as the ticket's state when received")
	return p.observed(base, f, "observed")
}

// keyed is an event and the "triggered event" part of its dedupe key.
type keyed struct {
	e   event.Event
	key string
}

// finish gives each event its id, DESIGN's dedupe key: ticket id +
// triggered event + timestamp. A creation is keyed without its time: a
// ticket is created once, so a rule retried later is still a duplicate.
func (p *parser) finish(evs []keyed) ([]event.Event, error) {
	out := make([]event.Event, 0, len(evs))
	for _, k := range evs {
		id := k.e.TicketID + ":" + k.key
		if k.e.Type != event.Created {
			id += ":" + k.e.OccurredAt.Format(time.RFC3339Nano)
		}
		var err error
		if k.e.ID, err = event.RequiredID(p.prefix+"ticket_id", id); err != nil {
			return nil, err
		}
		out = append(out, k.e)
	}
	return out, nil
}

// named fills an event of BodyTemplate's "event" and returns its key.
func (p *parser) named(e *event.Event, f fields, name string) (string, error) {
	var err error
	switch e.Type {
	case event.Created:
		err = p.created(e, f)
	case event.StatusChanged:
		raw := firstOf(string(f.Status), string(f.TicketStatus))
		if raw == "" {
			return "", p.invalid("status", "is required for status_changed")
		}
		e.Status = p.status("status", raw)
	case event.PriorityChanged:
		raw := firstOf(string(f.Priority), string(f.TicketPriority))
		if raw == "" {
			return "", p.invalid("priority", "is required for priority_changed")
		}
		e.Priority, err = p.priority(raw)
	case event.Assigned:
		agent, ok := p.agentOf(f)
		if !ok {
			return "", p.invalid("agent_id", "is required for assigned (empty unassigns)")
		}
		e.AssigneeID, err = event.OptionalID(p.prefix+"agent_id", agent)
	case event.TagsChanged:
		e.TicketType = ticketType(f)
		tags := tagsOf(f)
		if !tags.set && e.TicketType == "" {
			return "", p.invalid("tags", "or ticket_type is required for tags_changed")
		}
		e.HasTags, e.Tags = tags.set, event.NormalizeTags(tags.tags)
	default: // replied, note
		return p.conversation(e, f)
	}
	return name, err
}

func (p *parser) created(e *event.Event, f fields) error {
	var err error
	if raw := firstOf(string(f.Status), string(f.TicketStatus)); raw != "" {
		e.Status = p.status("status", raw)
	}
	if raw := firstOf(string(f.Priority), string(f.TicketPriority)); raw != "" {
		if e.Priority, err = p.priority(raw); err != nil {
			return err
		}
	}
	e.TicketType = ticketType(f)
	tags := tagsOf(f)
	e.HasTags, e.Tags = tags.set, event.NormalizeTags(tags.tags)
	agent, _ := p.agentOf(f)
	e.AssigneeID, err = event.OptionalID(p.prefix+"agent_id", agent)
	return err
}

// triggeredRE reads {{triggered_event}} as Freshdesk renders it:
// {ticket_action:created}, {status:{from:4,to:6}}, {note_type:private} …
var triggeredRE = regexp.MustCompile(`^\{\s*"?([a-z_]+)"?\s*:\s*(?:\{\s*"?from"?\s*:\s*"?([^,"}]*)"?\s*,\s*"?to"?\s*:\s*"?([^,"}]*)"?\s*\}|"?([^,"}]*)"?)\s*\}$`)

// triggered turns a {{triggered_event}} rendering into events; one it
// does not know is read as the ticket's state, with a warning.
func (p *parser) triggered(base event.Event, f fields) ([]event.Event, error) {
	raw := strings.TrimSpace(f.TriggeredEvent)
	m := triggeredRE.FindStringSubmatch(strings.ToLower(raw))
	if m == nil {
		p.warn("triggered_event", "%q is not a rendering this parser knows: read as the ticket's state", event.Clip(raw))
		return p.observed(base, f, "observed")
	}
	what, to, value := m[1], strings.TrimSpace(m[3]), strings.TrimSpace(m[4])
	key := what + "-" + strings.Trim(firstOf(to, value), " ")
	e := base
	switch what {
	case "ticket_action":
		if value == "created" {
			e.Type = event.Created
			if err := p.created(&e, f); err != nil {
				return nil, err
			}
			return p.finish([]keyed{{e, "created"}})
		}
	case "status":
		e.Type = event.StatusChanged
		if name := string(f.TicketStatus); strings.TrimSpace(name) != "" {
			e.Status = p.status("ticket_status", name) // the name of the new status
		} else if to != "" {
			e.Status = p.status("triggered_event", to)
		} else {
			break
		}
		return p.finish([]keyed{{e, "status-" + m[2] + "-" + to}})
	case "priority":
		e.Type = event.PriorityChanged
		var err error
		if e.Priority, err = p.priority(firstOf(to, string(f.TicketPriority), string(f.Priority))); err != nil {
			return nil, err
		}
		return p.finish([]keyed{{e, "priority-" + m[2] + "-" + to}})
	case "responder_id", "agent_id", "agent":
		e.Type = event.Assigned
		agent := to
		if a, ok := p.agentOf(f); ok {
			agent = a
		}
		if agent == "null" || agent == "nil" {
			agent = ""
		}
		var err error
		if e.AssigneeID, err = event.OptionalID(p.prefix+"triggered_event", agent); err != nil {
			return nil, err
		}
		return p.finish([]keyed{{e, "assigned-" + to}})
	case "ticket_type":
		e.Type = event.TagsChanged
		if e.TicketType = ticketType(f); e.TicketType == "" {
			e.TicketType = strings.ToLower(to)
		}
		if e.TicketType == "" {
			break
		}
		return p.finish([]keyed{{e, "type-" + to}})
	case "note_type":
		e.Type = event.Note
		pub := value == "public"
		f.Public = &pub
		return p.conversationEvent(e, f)
	case "reply_sent", "reply", "replied":
		e.Type = event.Replied
		return p.conversationEvent(e, f)
	}
	p.warn("triggered_event", "%q is not an event this parser reads: read as the ticket's state", event.Clip(raw))
	return p.observed(base, f, key)
}

// conversationEvent finishes a reply or note; one whose author the body
// does not name is left out, with a warning.
func (p *parser) conversationEvent(e event.Event, f fields) ([]event.Event, error) {
	key, err := p.conversation(&e, f)
	if err != nil {
		if _, ok := p.agentOf(f); !ok {
			p.warn("agent_id", "a %s without {{ticket.agent.id}} or {{ticket.agent.email}}: nobody to credit, left out", e.Type)
			return nil, nil
		}
		return nil, err
	}
	return p.finish([]keyed{{e, key}})
}

// observed reads what a body shows of the ticket — status, priority,
// type and tags, assignee — as changes at the body's time. The reducer
// ignores a status, priority or assignee that did not change, so the same
// state seen twice changes nothing.
func (p *parser) observed(base event.Event, f fields, key string) ([]event.Event, error) {
	var evs []keyed
	if raw := firstOf(string(f.Status), string(f.TicketStatus)); raw != "" {
		e := base
		e.Type, e.Status = event.StatusChanged, p.status("ticket_status", raw)
		evs = append(evs, keyed{e, key + "-status"})
	}
	if raw := firstOf(string(f.Priority), string(f.TicketPriority)); raw != "" {
		e := base
		var err error
		e.Type = event.PriorityChanged
		if e.Priority, err = p.priority(raw); err != nil {
			return nil, err
		}
		evs = append(evs, keyed{e, key + "-priority"})
	}
	if typ, tags := ticketType(f), tagsOf(f); typ != "" || tags.set {
		e := base
		e.Type, e.TicketType, e.HasTags, e.Tags = event.TagsChanged, typ, tags.set, event.NormalizeTags(tags.tags)
		evs = append(evs, keyed{e, key + "-tags"})
	}
	if agent, ok := p.agentOf(f); ok && agent != "" {
		e := base
		var err error
		e.Type = event.Assigned
		if e.AssigneeID, err = event.OptionalID(p.prefix+"agent_id", agent); err != nil {
			return nil, err
		}
		evs = append(evs, keyed{e, key + "-agent"})
	}
	return p.finish(evs)
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
	agent, _ := p.agentOf(f)
	agentID, err := event.OptionalID(p.prefix+"agent_id", agent)
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

// agentOf is the agent the body names: {{ticket.agent.id}} as agent_id or
// ticket_agent_id, else {{ticket.agent.email}} (lower case; the directory's
// freshdesk_id must then be the agent's e-mail). ok is false when the body
// names no agent member at all.
func (p *parser) agentOf(f fields) (string, bool) {
	for _, o := range []optionalID{f.AgentID, f.TicketAgentID} {
		if o.set && strings.TrimSpace(o.id) != "" {
			return strings.TrimSpace(o.id), true
		}
	}
	if f.AgentEmail.set && strings.TrimSpace(f.AgentEmail.id) != "" {
		return strings.ToLower(strings.TrimSpace(f.AgentEmail.id)), true
	}
	if f.AgentID.set || f.TicketAgentID.set || f.AgentEmail.set {
		return "", true
	}
	return "", false
}

// requester is the ticket's requester as the customer, when it is known.
func (p *parser) requester(f fields) (*event.CustomerInfo, error) {
	var id, email, name string
	if r := f.Requester; r != nil {
		id, email, name = string(r.ID), r.Email, r.Name
	}
	id = firstOf(id, string(f.RequesterID), string(f.TicketRequesterID), string(f.TicketContactID))
	email = firstOf(email, f.RequesterEmail, f.TicketRequesterMail, f.TicketContactEmail)
	name = firstOf(name, f.RequesterName, f.TicketRequesterName, f.TicketContactName)
	cid, err := event.OptionalID(p.prefix+"requester.id", id)
	if err != nil {
		return nil, err
	}
	c := event.CustomerInfo{ID: cid, Name: strings.TrimSpace(name)}
	if email = strings.TrimSpace(email); event.PlausibleEmail(email) {
		c.Email = email
	}
	if c.ID == "" && c.Email == "" {
		return nil, nil
	}
	return &c, nil
}

func ticketType(f fields) string {
	return strings.ToLower(strings.TrimSpace(firstOf(f.TicketType, f.TicketTType)))
}

func tagsOf(f fields) tagList {
	if f.Tags.set {
		return f.Tags
	}
	return f.TicketTags
}

// firstOf is the first value that is not blank.
func firstOf(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// dropTrailingCommas removes commas that stand right before a closing
// brace or bracket, outside strings.
func dropTrailingCommas(b []byte) []byte {
	out := make([]byte, 0, len(b))
	inString, escaped := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			out = append(out, c)
			continue
		}
		if c == '"' {
			inString = true
		}
		if c == ',' {
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\n') {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

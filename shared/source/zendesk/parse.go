package zendesk

import (
	"bytes"
	"encoding/json"
	"strings"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
)

// Source is the source name of Zendesk events.
const Source = "zendesk"

// typePrefix starts every Zendesk event-subscription type.
const typePrefix = "zen:event-type:"

// payload is the envelope shared by all Zendesk event-subscription bodies.
type payload struct {
	Type    string          `json:"type"`
	ID      event.ID        `json:"id"`
	Time    string          `json:"time"`
	Subject string          `json:"subject"`
	Detail  *detail         `json:"detail"`
	Event   json.RawMessage `json:"event"`
}

// detail is the ticket as it is after the change.
type detail struct {
	ID          event.ID  `json:"id"`
	Status      string    `json:"status"`
	Priority    string    `json:"priority"`
	Type        string    `json:"type"`
	Tags        *[]string `json:"tags"`
	AssigneeID  event.ID  `json:"assignee_id"`
	RequesterID event.ID  `json:"requester_id"`
}

// change is the event object of field-change events.
type change struct {
	Current json.RawMessage `json:"current"`
}

// commentChange is the event object of ticket.comment_added.
type commentChange struct {
	Comment *struct {
		ID       event.ID `json:"id"`
		IsPublic *bool    `json:"is_public"`
		Public   *bool    `json:"public"`
		Author   *struct {
			ID      event.ID `json:"id"`
			IsStaff *bool    `json:"is_staff"`
			Role    string   `json:"role"`
		} `json:"author"`
	} `json:"comment"`
}

// systemUserID is the author id Zendesk gives its own automatic comments.
const systemUserID = "-1"

// Parser returns the parser of Zendesk bodies under a source's settings
// (Zendesk needs none today: its statuses come with their category).
func Parser(policy.Source) func(event.Delivery) ([]event.Event, error) { return Parse }

// Parse normalises one Zendesk body: an event-subscription event, or the
// satisfaction trigger's body (SatisfactionTemplate). Event types this
// package does not use return no events and no error (see the package doc);
// anything malformed is an errcode.Invalid naming the field.
func Parse(d event.Delivery) ([]event.Event, error) {
	body := d.Body
	// Read the type first: bodies of events this package ignores (user,
	// organization, …) have other detail shapes.
	var probe struct {
		Type         string          `json:"type"`
		Satisfaction json.RawMessage `json:"satisfaction"`
	}
	if err := event.DecodeObject(body, &probe); err != nil {
		return nil, err
	}
	if probe.Satisfaction != nil && probe.Type == "" {
		return satisfaction(d, probe.Satisfaction)
	}
	typ := strings.ToLower(strings.TrimSpace(probe.Type))
	if typ == "" {
		return nil, event.Invalid("type", "is required: send a Zendesk event-subscription webhook (zen:event-type:…)")
	}
	kind, ok := strings.CutPrefix(typ, typePrefix)
	if !ok {
		return nil, event.Invalid("type", "%q is not a Zendesk event type (zen:event-type:…)", event.Clip(probe.Type))
	}
	handle, ok := handlers[kind]
	if !ok {
		return nil, nil
	}
	var p payload
	if err := event.DecodeObject(body, &p); err != nil {
		return nil, err
	}
	e, err := envelope(p)
	if err != nil {
		return nil, err
	}
	keep, err := handle(&e, p)
	if err != nil || !keep {
		return nil, err
	}
	return []event.Event{e}, nil
}

// handlers fill in one event type; they report false for a change the model
// does not record (see "Ignored" in the package doc).
var handlers = map[string]func(e *event.Event, p payload) (bool, error){
	"ticket.created":                  created,
	"ticket.status_changed":           statusChanged,
	"ticket.priority_changed":         priorityChanged,
	"ticket.tags_changed":             tagsChanged,
	"ticket.type_changed":             typeChanged,
	"ticket.agent_assignment_changed": assigned,
	"ticket.comment_added":            commentAdded,
	"messaging_ticket.message_added":  messageAdded,
}

// envelope reads what every ticket event carries: ids, time, requester.
func envelope(p payload) (event.Event, error) {
	e := event.Event{Source: Source}
	var err error
	if e.ID, err = event.RequiredID("id", string(p.ID)); err != nil {
		return e, err
	}
	if e.OccurredAt, err = event.ParseTime("time", p.Time); err != nil {
		return e, err
	}
	if e.TicketID, err = ticketID(p); err != nil {
		return e, err
	}
	if p.Detail != nil {
		requester, err := event.OptionalID("detail.requester_id", string(p.Detail.RequesterID))
		if err != nil {
			return e, err
		}
		if requester != "" {
			e.Customer = &event.CustomerInfo{ID: requester}
		}
	}
	return e, nil
}

// ticketID takes the ticket id from detail.id or the subject
// "zen:ticket:<id>", which must agree when both are sent.
func ticketID(p payload) (string, error) {
	var fromDetail, fromSubject string
	var err error
	if p.Detail != nil {
		if fromDetail, err = event.OptionalID("detail.id", string(p.Detail.ID)); err != nil {
			return "", err
		}
	}
	if s := strings.TrimSpace(p.Subject); s != "" {
		id, ok := strings.CutPrefix(s, "zen:ticket:")
		if !ok {
			return "", event.Invalid("subject", "%q is not zen:ticket:<id>", event.Clip(s))
		}
		if fromSubject, err = event.RequiredID("subject", id); err != nil {
			return "", err
		}
	}
	switch {
	case fromDetail == "" && fromSubject == "":
		return "", event.Invalid("detail.id", "is required (or subject zen:ticket:<id>)")
	case fromDetail != "" && fromSubject != "" && fromDetail != fromSubject:
		return "", event.Invalid("subject", "ticket %s does not match detail.id %s", event.Clip(fromSubject), event.Clip(fromDetail))
	case fromDetail != "":
		return fromDetail, nil
	}
	return fromSubject, nil
}

func created(e *event.Event, p payload) (bool, error) {
	e.Type = event.Created
	d := p.Detail
	if d == nil {
		return true, nil
	}
	var err error
	if d.Status != "" {
		s, ok := parseStatus(d.Status)
		if !ok || s == "" {
			return false, badStatus("detail.status", d.Status)
		}
		e.Status = s
	}
	if e.Priority, err = parsePriority("detail.priority", d.Priority); err != nil {
		return false, err
	}
	if e.TicketType, err = parseTicketType("detail.type", d.Type); err != nil {
		return false, err
	}
	if d.Tags != nil {
		e.HasTags, e.Tags = true, event.NormalizeTags(*d.Tags)
	}
	if e.AssigneeID, err = event.OptionalID("detail.assignee_id", string(d.AssigneeID)); err != nil {
		return false, err
	}
	return true, nil
}

func statusChanged(e *event.Event, p payload) (bool, error) {
	e.Type = event.StatusChanged
	field, value, err := newValue(p, "status")
	if err != nil {
		return false, err
	}
	if value == "" {
		return false, event.Invalid(field, "is required for ticket.status_changed")
	}
	s, ok := parseStatus(value)
	if !ok {
		return false, badStatus(field, value)
	}
	e.Status = s
	return s != "", nil
}

func priorityChanged(e *event.Event, p payload) (bool, error) {
	e.Type = event.PriorityChanged
	field, value, err := newValue(p, "priority")
	if err != nil {
		return false, err
	}
	if e.Priority, err = parsePriority(field, value); err != nil {
		return false, err
	}
	return e.Priority != "", nil
}

func typeChanged(e *event.Event, p payload) (bool, error) {
	e.Type = event.TagsChanged
	field, value, err := newValue(p, "type")
	if err != nil {
		return false, err
	}
	if e.TicketType, err = parseTicketType(field, value); err != nil {
		return false, err
	}
	return e.TicketType != "", nil
}

func tagsChanged(e *event.Event, p payload) (bool, error) {
	e.Type = event.TagsChanged
	if p.Detail != nil && p.Detail.Tags != nil {
		e.HasTags, e.Tags = true, event.NormalizeTags(*p.Detail.Tags)
		return true, nil
	}
	var c change
	if err := decodeEvent(p.Event, &c); err != nil {
		return false, err
	}
	if len(c.Current) == 0 || bytes.Equal(c.Current, []byte("null")) {
		return false, event.Invalid("detail.tags", "is required for ticket.tags_changed (the full tag set)")
	}
	var tags []string
	if err := json.Unmarshal(c.Current, &tags); err != nil {
		return false, event.Invalid("event.current", "must be the array of tags")
	}
	e.HasTags, e.Tags = true, event.NormalizeTags(tags)
	return true, nil
}

func assigned(e *event.Event, p payload) (bool, error) {
	e.Type = event.Assigned
	field, value, err := newValue(p, "assignee_id")
	if err != nil {
		return false, err
	}
	e.AssigneeID, err = event.OptionalID(field, value)
	return err == nil, err
}

func commentAdded(e *event.Event, p payload) (bool, error) {
	var c commentChange
	if err := decodeEvent(p.Event, &c); err != nil {
		return false, err
	}
	if c.Comment == nil {
		return false, event.Invalid("event.comment", "is required for ticket.comment_added")
	}
	public := c.Comment.IsPublic
	if public == nil {
		public = c.Comment.Public
	}
	if public == nil {
		return false, event.Invalid("event.comment.is_public", "is required")
	}
	a := c.Comment.Author
	if a == nil {
		return false, event.Invalid("event.comment.author", "is required")
	}
	author, err := event.OptionalID("event.comment.author.id", string(a.ID))
	if err != nil {
		return false, err
	}
	requester := ""
	if e.Customer != nil {
		requester = e.Customer.ID
	}
	var kind event.ActorKind
	switch role := strings.ToLower(strings.TrimSpace(a.Role)); {
	case author == systemUserID:
		kind = event.System
	case a.IsStaff != nil && *a.IsStaff:
		kind = event.Agent
	case a.IsStaff != nil:
		kind = event.Customer
	case role == "agent" || role == "admin":
		kind = event.Agent
	case role == "end-user" || role == "end_user" || role == "enduser":
		kind = event.Customer
	case role != "":
		return false, event.Invalid("event.comment.author.role", "%q is not end-user, agent or admin", event.Clip(a.Role))
	case author != "" && author == requester:
		kind = event.Customer
	case author != "":
		kind = event.Person // the directory decides: a mapped engineer is an agent
	default:
		return false, event.Invalid("event.comment.author", "needs an id, or is_staff or role to tell an agent from a customer")
	}
	if kind == event.Agent && author == "" {
		return false, event.Invalid("event.comment.author.id", "is required for an agent's comment")
	}
	e.Actor = event.Actor{ID: author, Kind: kind}
	switch {
	case (kind == event.Agent || kind == event.Person) && !*public:
		// Only agents write private comments, but a customer's
		// messaging transcript is one too: it is known by its author.
		e.Type, e.Actor.Kind = event.Note, event.Agent
	default:
		e.Type, e.Public = event.Replied, *public
	}
	return true, nil
}

// messageChange is the event object of messaging_ticket.message_added.
type messageChange struct {
	Actor *struct {
		ID   event.ID `json:"id"`
		Type string   `json:"type"`
	} `json:"actor"`
	Message *struct {
		ID event.ID `json:"id"`
	} `json:"message"`
}

// messageAdded reads a messaging (chat, social messaging) message: an
// agent's is a public reply — a response —, an end user's a customer
// reply, and a trigger's, the answer bot's or the system's (actor ids
// "zd:…") never count.
func messageAdded(e *event.Event, p payload) (bool, error) {
	var c messageChange
	if err := decodeEvent(p.Event, &c); err != nil {
		return false, err
	}
	if c.Actor == nil {
		return false, event.Invalid("event.actor", "is required for messaging_ticket.message_added")
	}
	id, err := event.OptionalID("event.actor.id", string(c.Actor.ID))
	if err != nil {
		return false, err
	}
	e.Type, e.Public = event.Replied, true
	switch typ := strings.ToLower(strings.TrimSpace(c.Actor.Type)); {
	case strings.HasPrefix(id, "zd:") || typ == "system" || typ == "trigger" || typ == "bot":
		e.Actor = event.Actor{ID: id, Kind: event.System}
	case typ == "agent":
		if id == "" {
			return false, event.Invalid("event.actor.id", "is required for an agent's message")
		}
		e.Actor = event.Actor{ID: id, Kind: event.Agent}
	case typ == "end_user" || typ == "end-user" || typ == "customer":
		e.Actor = event.Actor{ID: id, Kind: event.Customer}
	case id != "":
		e.Actor = event.Actor{ID: id, Kind: event.Person}
	default:
		return false, event.Invalid("event.actor.type", "%q is not agent, end_user, trigger or system", event.Clip(c.Actor.Type))
	}
	return true, nil
}

// newValue returns a field change's new value: event.current when the
// event object has it (null meaning empty), else the detail field. It
// returns the name of the field it used for error messages.
func newValue(p payload, detailField string) (field, value string, err error) {
	var c change
	if err := decodeEvent(p.Event, &c); err != nil {
		return "", "", err
	}
	if c.Current != nil {
		var v event.ID
		if err := json.Unmarshal(c.Current, &v); err != nil {
			return "", "", event.Invalid("event.current", "must be a string, an integer or null")
		}
		return "event.current", string(v), nil
	}
	if p.Detail == nil {
		return "event.current", "", nil
	}
	field = "detail." + detailField
	switch detailField {
	case "status":
		return field, p.Detail.Status, nil
	case "priority":
		return field, p.Detail.Priority, nil
	case "type":
		return field, p.Detail.Type, nil
	}
	return field, string(p.Detail.AssigneeID), nil
}

// decodeEvent reads the event object; it may be absent.
func decodeEvent(raw json.RawMessage, v any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	if raw[0] != '{' {
		return event.Invalid("event", "must be an object")
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return event.JSONProblem("event.", err)
	}
	return nil
}

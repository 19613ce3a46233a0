package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"scorecard/shared/core/errcode"
)

// SourceGeneric is the source name of the generic format.
const SourceGeneric = "generic"

// MaxBatch is the largest number of events one generic request may carry.
const MaxBatch = 500

// MaxIDLength bounds every id so that it fits comfortably in a storage key.
const MaxIDLength = 256

// earliest and latest bound plausible event times: anything outside is a
// client bug (a zero time, milliseconds read as seconds) and is rejected.
var (
	earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	latest   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ID is an identifier that a sender may write as a JSON string or number.
type ID string

// UnmarshalJSON accepts "abc", 123 and 1.0e3-free integers; anything else
// (objects, arrays, booleans, fractions) is an error.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(strings.TrimSpace(s))
		return nil
	}
	if string(b) == "null" {
		*id = ""
		return nil
	}
	if _, err := strconv.ParseInt(string(b), 10, 64); err != nil {
		// The decoder adds the field's path to a type error.
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[ID]()}
	}
	*id = ID(b)
	return nil
}

// jsonKind names the kind of a JSON value for an error message.
func jsonKind(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	}
	return "number that is not an integer"
}

// GenericEvent is the generic webhook format of DESIGN §3, as sent on the wire.
type GenericEvent struct {
	EventID    ID               `json:"event_id"`
	TicketID   ID               `json:"ticket_id"`
	Type       string           `json:"type"`
	OccurredAt string           `json:"occurred_at"`
	Actor      *GenericActor    `json:"actor,omitempty"`
	AssigneeID *ID              `json:"assignee_id,omitempty"`
	Public     *bool            `json:"public,omitempty"`
	Status     string           `json:"status,omitempty"`
	Priority   string           `json:"priority,omitempty"`
	Tags       *[]string        `json:"tags,omitempty"`
	TicketType string           `json:"ticket_type,omitempty"`
	Customer   *GenericCustomer `json:"customer,omitempty"`
	Rating     *int             `json:"rating,omitempty"`
	Solved     *bool            `json:"solved,omitempty"`
	Comment    string           `json:"comment,omitempty"`
	Imported   bool             `json:"imported,omitempty"`
}

// GenericActor is the actor of a generic event.
type GenericActor struct {
	ID   ID     `json:"id"`
	Kind string `json:"kind"`
}

// GenericCustomer is the requester of a generic event.
type GenericCustomer struct {
	ID    ID     `json:"id"`
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
}

// ParseGeneric reads a generic webhook body: one event object, or
// {"events": [...]} with at most MaxBatch events. Every problem is an
// *errcode.Error whose message names the field, e.g.
// `events[3].occurred_at: "yesterday" is not an RFC 3339 time`. Either all
// events are returned or none.
func ParseGeneric(body []byte) ([]Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, errcode.Errorf(errcode.Invalid, "body is empty")
	}
	if trimmed[0] != '{' {
		return nil, errcode.Errorf(errcode.Invalid, "body must be a JSON object")
	}
	var probe struct {
		Events json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(trimmed, &probe); err != nil {
		return nil, errcode.Errorf(errcode.Invalid, "malformed JSON: %s", jsonProblem(err))
	}
	if probe.Events == nil {
		e, err := parseOne(trimmed, "")
		if err != nil {
			return nil, err
		}
		return []Event{e}, nil
	}
	var batch []json.RawMessage
	if err := json.Unmarshal(probe.Events, &batch); err != nil {
		return nil, errcode.Errorf(errcode.Invalid, "events: must be an array of event objects")
	}
	if len(batch) == 0 {
		return nil, errcode.Errorf(errcode.Invalid, "events: is empty")
	}
	if len(batch) > MaxBatch {
		return nil, errcode.Errorf(errcode.TooLarge, "events: %d events in one request; at most %d", len(batch), MaxBatch)
	}
	out := make([]Event, 0, len(batch))
	for i, raw := range batch {
		e, err := parseOne(raw, fmt.Sprintf("events[%d].", i))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// ParseGenericEvent reads exactly one generic event object (not a batch).
func ParseGenericEvent(body []byte) (Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return Event{}, errcode.Errorf(errcode.Invalid, "must be a JSON object")
	}
	var probe struct {
		Events json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(trimmed, &probe); err != nil {
		return Event{}, errcode.Errorf(errcode.Invalid, "malformed JSON: %s", jsonProblem(err))
	}
	if probe.Events != nil {
		return Event{}, errcode.Errorf(errcode.Invalid, "one event object expected, not a batch")
	}
	return parseOne(trimmed, "")
}

// parseOne decodes and validates one event object; prefix locates it in a
// batch for error messages.
func parseOne(raw []byte, prefix string) (Event, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return Event{}, errcode.Errorf(errcode.Invalid, "%s: must be an event object", strings.TrimSuffix(prefix, "."))
	}
	var g GenericEvent
	if err := json.Unmarshal(raw, &g); err != nil {
		return Event{}, errcode.Errorf(errcode.Invalid, "%s%s", prefix, jsonProblem(err))
	}
	return g.Normalize(prefix)
}

// jsonProblem turns a decoding error into a message that names the field
// without echoing internals.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("%s: wrong type (%s)", te.Field, te.Value)
		}
		return fmt.Sprintf("wrong type (%s)", te.Value)
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	return "invalid value"
}

// Normalize validates a wire event and turns it into the model. prefix is
// put before every field name in error messages.
func (g GenericEvent) Normalize(prefix string) (Event, error) {
	bad := func(field, format string, args ...any) (Event, error) {
		return Event{}, errcode.Errorf(errcode.Invalid, "%s%s: %s", prefix, field, fmt.Sprintf(format, args...))
	}
	e := Event{Source: SourceGeneric, Imported: g.Imported}
	var err error
	if e.ID, err = checkID(string(g.EventID)); err != nil {
		return bad("event_id", "%v", err)
	}
	if e.TicketID, err = checkID(string(g.TicketID)); err != nil {
		return bad("ticket_id", "%v", err)
	}
	t, ok := ParseType(g.Type)
	if !ok {
		if g.Type == "" {
			return bad("type", "is required")
		}
		return bad("type", "%q is not one of %s", Clip(g.Type), typeNames())
	}
	e.Type = t
	if g.OccurredAt == "" {
		return bad("occurred_at", "is required")
	}
	at, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(g.OccurredAt))
	if err != nil {
		return bad("occurred_at", "%q is not an RFC 3339 time with a zone", Clip(g.OccurredAt))
	}
	if at.Before(earliest) || !at.Before(latest) {
		return bad("occurred_at", "%s is outside 2000–2099", at.UTC().Format(time.RFC3339))
	}
	e.OccurredAt = at.UTC()

	if g.Actor != nil {
		kind, ok := ParseActorKind(g.Actor.Kind)
		if !ok {
			return bad("actor.kind", "%q is not one of agent, customer, system, person", Clip(g.Actor.Kind))
		}
		if e.Actor.ID, err = checkOptionalID(string(g.Actor.ID)); err != nil {
			return bad("actor.id", "%v", err)
		}
		e.Actor.Kind = kind
	}
	if g.Customer != nil {
		c := CustomerInfo{Email: strings.TrimSpace(g.Customer.Email), Name: strings.TrimSpace(g.Customer.Name)}
		if c.ID, err = checkOptionalID(string(g.Customer.ID)); err != nil {
			return bad("customer.id", "%v", err)
		}
		if c.ID == "" && c.Email == "" {
			return bad("customer", "needs an id or an email")
		}
		if c.Email != "" && !PlausibleEmail(c.Email) {
			return bad("customer.email", "is not an e-mail address")
		}
		e.Customer = &c
	}
	if g.AssigneeID != nil {
		if e.AssigneeID, err = checkOptionalID(string(*g.AssigneeID)); err != nil {
			return bad("assignee_id", "%v", err)
		}
	}
	if g.Status != "" {
		s, ok := ParseStatus(g.Status)
		if !ok {
			return bad("status", "%q is not one of new, open, pending, on_hold, resolved, closed", Clip(g.Status))
		}
		e.Status = s
	}
	if g.Priority != "" {
		p, ok := ParsePriority(g.Priority)
		if !ok {
			return bad("priority", "%q is not one of urgent, high, normal, low", Clip(g.Priority))
		}
		e.Priority = p
	}
	if g.Tags != nil {
		e.HasTags = true
		e.Tags = NormalizeTags(*g.Tags)
	}
	e.TicketType = strings.ToLower(strings.TrimSpace(g.TicketType))

	switch e.Type {
	case Assigned:
		if g.AssigneeID == nil {
			return bad("assignee_id", "is required for type assigned (empty string unassigns)")
		}
	case Replied:
		if g.Public == nil {
			return bad("public", "is required for type replied")
		}
		e.Public = *g.Public
		if e.Actor.Kind == "" {
			return bad("actor", "is required for type replied")
		}
		if (e.Actor.Kind == Agent || e.Actor.Kind == Person) && e.Actor.ID == "" {
			return bad("actor.id", "is required for a reply by an agent or a person")
		}
	case Note:
		if e.Actor.Kind == "" || e.Actor.ID == "" {
			return bad("actor", "with id and kind is required for type note")
		}
	case StatusChanged:
		if e.Status == "" {
			return bad("status", "is required for type status_changed")
		}
	case PriorityChanged:
		if e.Priority == "" {
			return bad("priority", "is required for type priority_changed")
		}
	case TagsChanged:
		if !e.HasTags && e.TicketType == "" {
			return bad("tags", "or ticket_type is required for type tags_changed")
		}
	case SurveyAnswered:
		if g.Rating == nil {
			return bad("rating", "is required for type survey_answered")
		}
		if *g.Rating < 1 || *g.Rating > 5 {
			return bad("rating", "%d is not between 1 and 5", *g.Rating)
		}
		e.Rating = *g.Rating
		e.Solved = g.Solved
		e.Comment = strings.TrimSpace(g.Comment)
	}
	return e, nil
}

// ToGeneric is the inverse of Normalize: the wire form of an event.
func ToGeneric(e Event) GenericEvent {
	g := GenericEvent{
		EventID:    ID(e.ID),
		TicketID:   ID(e.TicketID),
		Type:       string(e.Type),
		OccurredAt: e.OccurredAt.UTC().Format(time.RFC3339Nano),
		Status:     string(e.Status),
		Priority:   string(e.Priority),
		TicketType: e.TicketType,
		Comment:    e.Comment,
		Solved:     e.Solved,
		Imported:   e.Imported,
	}
	if e.Actor != (Actor{}) {
		g.Actor = &GenericActor{ID: ID(e.Actor.ID), Kind: string(e.Actor.Kind)}
	}
	if e.Type == Assigned || e.AssigneeID != "" {
		a := ID(e.AssigneeID)
		g.AssigneeID = &a
	}
	if e.Type == Replied {
		p := e.Public
		g.Public = &p
	}
	if e.HasTags {
		tags := append([]string{}, e.Tags...)
		g.Tags = &tags
	}
	if e.Customer != nil {
		g.Customer = &GenericCustomer{ID: ID(e.Customer.ID), Email: e.Customer.Email, Name: e.Customer.Name}
	}
	if e.Type == SurveyAnswered {
		r := e.Rating
		g.Rating = &r
	}
	return g
}

// ParseType reads an event type in any letter case.
func ParseType(s string) (Type, bool) {
	t := Type(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range Types {
		if k == t {
			return t, true
		}
	}
	return "", false
}

// ParseStatus reads a status in any letter case; "on-hold" and "on hold"
// are read as on_hold.
func ParseStatus(s string) (Status, bool) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.NewReplacer("-", "_", " ", "_").Replace(v)
	for _, k := range Statuses {
		if string(k) == v {
			return k, true
		}
	}
	return "", false
}

// ParsePriority reads a priority in any letter case.
func ParsePriority(s string) (Priority, bool) {
	v := Priority(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range Priorities {
		if k == v {
			return k, true
		}
	}
	return "", false
}

// ParseActorKind reads an actor kind in any letter case.
func ParseActorKind(s string) (ActorKind, bool) {
	switch k := ActorKind(strings.ToLower(strings.TrimSpace(s))); k {
	case Agent, Customer, System, Person:
		return k, true
	}
	return "", false
}

func checkID(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("is required")
	}
	return checkOptionalID(s)
}

func checkOptionalID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > MaxIDLength {
		return "", fmt.Errorf("longer than %d bytes", MaxIDLength)
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return "", fmt.Errorf("contains a control or invalid character")
		}
	}
	return s, nil
}

// PlausibleEmail reports whether s can be an e-mail address; every
// source reads requesters' addresses with it.
func PlausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>") && len(s) <= 320
}

func typeNames() string {
	names := make([]string, len(Types))
	for i, t := range Types {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

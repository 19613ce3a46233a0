package jira

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/event"
)

// Source is the source name of Jira Service Management events.
const Source = "jira"

// IdentifierHeader identifies one webhook delivery; Jira keeps it across
// retries of that delivery.
const IdentifierHeader = "X-Atlassian-Webhook-Identifier"

// payload is the part of a Jira webhook body this package reads.
type payload struct {
	Timestamp    *millis    `json:"timestamp"`
	WebhookEvent string     `json:"webhookEvent"`
	User         *user      `json:"user"`
	Issue        *issue     `json:"issue"`
	Changelog    *changelog `json:"changelog"`
	Comment      *comment   `json:"comment"`
}

type user struct {
	AccountID    string `json:"accountId"`
	AccountType  string `json:"accountType"`
	EmailAddress string `json:"emailAddress"`
	DisplayName  string `json:"displayName"`
	Key          string `json:"key"`  // Jira Data Center
	Name         string `json:"name"` // Jira Data Center
}

// id is the user's stable id: the Cloud accountId, else the Data Center key
// or name.
func (u *user) id() string {
	switch {
	case u.AccountID != "":
		return u.AccountID
	case u.Key != "":
		return u.Key
	}
	return u.Name
}

type issue struct {
	ID     event.ID `json:"id"`
	Key    string   `json:"key"`
	Fields *fields  `json:"fields"`
}

type fields struct {
	Status    *status   `json:"status"`
	Priority  *named    `json:"priority"`
	Labels    *[]string `json:"labels"`
	Assignee  *user     `json:"assignee"`
	Reporter  *user     `json:"reporter"`
	IssueType *named    `json:"issuetype"`
}

type named struct {
	ID   event.ID `json:"id"`
	Name string   `json:"name"`
}

type status struct {
	ID             event.ID `json:"id"`
	Name           string   `json:"name"`
	StatusCategory *struct {
		Key string `json:"key"`
	} `json:"statusCategory"`
}

type changelog struct {
	ID    event.ID `json:"id"`
	Items []item   `json:"items"`
}

type item struct {
	Field      string   `json:"field"`
	FieldID    string   `json:"fieldId"`
	From       event.ID `json:"from"`
	FromString string   `json:"fromString"`
	To         event.ID `json:"to"`
	ToString   string   `json:"toString"`
}

type comment struct {
	ID        event.ID `json:"id"`
	Author    *user    `json:"author"`
	JsdPublic *bool    `json:"jsdPublic"`
}

// millis is an epoch-milliseconds timestamp, sent as a number (or, by
// some proxies, a string of digits).
type millis struct{ ms int64 }

func (m *millis) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if unq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(unq)
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// The decoder adds the field's path to a type error.
		return &json.UnmarshalTypeError{Value: "value that is not epoch milliseconds", Type: reflect.TypeFor[millis]()}
	}
	m.ms = ms
	return nil
}

// Parse normalises one Jira webhook body. The delivery id comes from the
// X-Atlassian-Webhook-Identifier header. Webhook events and changelog fields
// this package does not use yield no events and no error (see the package
// doc); anything malformed is an errcode.Invalid naming the field.
func Parse(headers http.Header, body []byte) ([]event.Event, error) {
	// Read the event name first: bodies of events this package ignores may
	// be shaped differently.
	var probe struct {
		WebhookEvent string `json:"webhookEvent"`
	}
	if err := event.DecodeObject(body, &probe); err != nil {
		return nil, err
	}
	kind := strings.ToLower(strings.TrimSpace(probe.WebhookEvent))
	if kind == "" {
		return nil, event.Invalid("webhookEvent", "is required")
	}
	switch kind {
	case "jira:issue_created", "jira:issue_updated", "comment_created":
	default:
		return nil, nil
	}
	var p payload
	if err := event.DecodeObject(body, &p); err != nil {
		return nil, err
	}
	if p.Timestamp == nil {
		return nil, event.Invalid("timestamp", "is required")
	}
	at, err := event.CheckTime("timestamp", time.UnixMilli(p.Timestamp.ms))
	if err != nil {
		return nil, event.Invalid("timestamp", "%d is outside 2000–2099 in epoch milliseconds", p.Timestamp.ms)
	}
	if p.Issue == nil {
		return nil, event.Invalid("issue", "is required")
	}
	key, err := event.RequiredID("issue.key", p.Issue.Key)
	if err != nil {
		return nil, err
	}
	delivery, err := event.OptionalID(IdentifierHeader+" header", headers.Get(IdentifierHeader))
	if err != nil {
		return nil, err
	}
	base := event.Event{Source: Source, TicketID: key, OccurredAt: at}
	if base.Customer, err = reporter(p.Issue.Fields); err != nil {
		return nil, err
	}
	if p.User != nil {
		base.Actor = actorOf(p.User)
	}
	var evs []event.Event
	switch kind {
	case "jira:issue_created":
		evs, err = created(base, p, delivery)
	case "jira:issue_updated":
		evs, err = updated(base, p, delivery)
	default:
		evs, err = commented(base, p, delivery)
	}
	if err != nil || len(evs) == 0 {
		return nil, err
	}
	for i := range evs {
		if evs[i].ID, err = event.RequiredID("event id ("+IdentifierHeader+" header + payload id)", evs[i].ID); err != nil {
			return nil, err
		}
	}
	return evs, nil
}

// reporter is the issue's reporter as the customer, when it is known.
func reporter(f *fields) (*event.CustomerInfo, error) {
	if f == nil || f.Reporter == nil {
		return nil, nil
	}
	id, err := event.OptionalID("issue.fields.reporter.accountId", f.Reporter.id())
	if err != nil {
		return nil, err
	}
	c := event.CustomerInfo{ID: id, Name: strings.TrimSpace(f.Reporter.DisplayName)}
	if email := strings.TrimSpace(f.Reporter.EmailAddress); plausibleEmail(email) {
		c.Email = email
	}
	if c.ID == "" && c.Email == "" {
		return nil, nil
	}
	return &c, nil
}

// actorOf reads who acted; the kind is known only from a Cloud accountType.
// An actor without a kind is left out: the model needs both.
func actorOf(u *user) event.Actor {
	kind, ok := accountKinds[strings.ToLower(strings.TrimSpace(u.AccountType))]
	id, err := event.OptionalID("user", u.id())
	if !ok || err != nil || (kind == event.Agent && id == "") {
		return event.Actor{}
	}
	return event.Actor{ID: id, Kind: kind}
}

// accountKinds maps Jira Cloud's accountType.
var accountKinds = map[string]event.ActorKind{
	"atlassian": event.Agent,    // a licensed user: agents, admins
	"customer":  event.Customer, // a JSM portal customer
	"app":       event.System,   // automation, integrations
}

func created(e event.Event, p payload, delivery string) ([]event.Event, error) {
	e.Type = event.Created
	switch {
	case delivery != "":
		e.ID = delivery + ":created"
	default:
		id, err := event.RequiredID("issue.id", string(p.Issue.ID))
		if err != nil {
			return nil, err
		}
		e.ID = "issue-" + id + ":created"
	}
	f := p.Issue.Fields
	if f == nil {
		return []event.Event{e}, nil
	}
	var err error
	if f.Status != nil && f.Status.Name != "" {
		if e.Status, err = mapStatus("issue.fields.status.name", f.Status.Name, category(f.Status)); err != nil {
			return nil, err
		}
	}
	if f.Priority != nil {
		if e.Priority, err = mapPriority("issue.fields.priority.name", f.Priority.Name); err != nil {
			return nil, err
		}
	}
	if f.Labels != nil {
		e.HasTags, e.Tags = true, event.NormalizeTags(*f.Labels)
	}
	if f.IssueType != nil {
		e.TicketType = strings.ToLower(strings.TrimSpace(f.IssueType.Name))
	}
	if f.Assignee != nil {
		if e.AssigneeID, err = event.OptionalID("issue.fields.assignee.accountId", f.Assignee.id()); err != nil {
			return nil, err
		}
	}
	return []event.Event{e}, nil
}

// updated turns each changelog item this package uses into one event.
func updated(base event.Event, p payload, delivery string) ([]event.Event, error) {
	if p.Changelog == nil || len(p.Changelog.Items) == 0 {
		return nil, nil // a comment or an edit without a changelog
	}
	cl, err := event.RequiredID("changelog.id", string(p.Changelog.ID))
	if err != nil {
		return nil, err
	}
	prefix := "changelog-" + cl
	if delivery != "" {
		prefix = delivery + ":" + cl
	}
	var evs []event.Event
	for i, it := range p.Changelog.Items {
		e := base
		e.ID = prefix
		if len(p.Changelog.Items) > 1 {
			e.ID += ":" + strconv.Itoa(i)
		}
		at := fmt.Sprintf("changelog.items[%d]", i)
		keep, err := applyItem(&e, it, at, p.Issue.Fields)
		if err != nil {
			return nil, err
		}
		if keep {
			evs = append(evs, e)
		}
	}
	return evs, nil
}

// applyItem fills e from one changelog item; false for a field the model
// does not record.
func applyItem(e *event.Event, it item, at string, f *fields) (bool, error) {
	field := strings.ToLower(strings.TrimSpace(it.FieldID))
	if field == "" {
		field = strings.ToLower(strings.TrimSpace(it.Field))
	}
	to := strings.TrimSpace(it.ToString)
	var err error
	switch field {
	case "status":
		e.Type = event.StatusChanged
		if to == "" {
			return false, event.Invalid(at+".toString", "is required for a status change")
		}
		cat := ""
		// The issue's status is the one after this change when it names the
		// same status; only then does its category describe it.
		if f != nil && f.Status != nil &&
			((it.To != "" && string(f.Status.ID) == string(it.To)) || strings.EqualFold(strings.TrimSpace(f.Status.Name), to)) {
			cat = category(f.Status)
		}
		e.Status, err = mapStatus(at+".toString", to, cat)
		return err == nil, err
	case "assignee":
		e.Type = event.Assigned
		e.AssigneeID, err = event.OptionalID(at+".to", string(it.To))
		return err == nil, err
	case "priority":
		e.Type = event.PriorityChanged
		if to == "" {
			return false, nil // priority removed: the last one stays
		}
		e.Priority, err = mapPriority(at+".toString", to)
		return err == nil, err
	case "labels":
		e.Type = event.TagsChanged
		e.HasTags, e.Tags = true, event.NormalizeTags(strings.Fields(to))
		return true, nil
	case "issuetype":
		e.Type = event.TagsChanged
		e.TicketType = strings.ToLower(to)
		return to != "", nil
	}
	return false, nil
}

// commented turns comment_created into a reply or an internal note.
func commented(e event.Event, p payload, delivery string) ([]event.Event, error) {
	c := p.Comment
	if c == nil {
		return nil, event.Invalid("comment", "is required for comment_created")
	}
	id, err := event.RequiredID("comment.id", string(c.ID))
	if err != nil {
		return nil, err
	}
	e.ID = "comment-" + id
	if delivery != "" {
		e.ID = delivery + ":comment-" + id
	}
	if c.Author == nil {
		return nil, event.Invalid("comment.author", "is required")
	}
	author, err := event.OptionalID("comment.author.accountId", c.Author.id())
	if err != nil {
		return nil, err
	}
	accountType := strings.ToLower(strings.TrimSpace(c.Author.AccountType))
	kind, ok := accountKinds[accountType]
	switch {
	case ok:
	case accountType != "":
		return nil, event.Invalid("comment.author.accountType", "%q is not atlassian, customer or app", event.Clip(c.Author.AccountType))
	case author != "" && e.Customer != nil && author == e.Customer.ID:
		kind = event.Customer
	default:
		return nil, event.Invalid("comment.author.accountType", "is required to tell an agent from a customer")
	}
	if kind == event.Agent && author == "" {
		return nil, event.Invalid("comment.author.accountId", "is required for an agent's comment")
	}
	public := c.JsdPublic == nil || *c.JsdPublic // absent outside JSM: visible to all
	e.Actor = event.Actor{ID: author, Kind: kind}
	if kind == event.Agent && !public {
		e.Type = event.Note
	} else {
		e.Type, e.Public = event.Replied, public
	}
	return []event.Event{e}, nil
}

func category(s *status) string {
	if s.StatusCategory == nil {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(s.StatusCategory.Key))
}

func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>") && len(s) <= 320
}

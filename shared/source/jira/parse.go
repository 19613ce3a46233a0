package jira

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
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
	Field          string   `json:"field"`
	FieldID        string   `json:"fieldId"`
	From           event.ID `json:"from"`
	FromString     string   `json:"fromString"`
	To             event.ID `json:"to"`
	ToString       string   `json:"toString"`
	TmpToAccountID event.ID `json:"tmpToAccountId"` // older Cloud: the accountId beside a username in to
}

type comment struct {
	ID        event.ID `json:"id"`
	Self      string   `json:"self"`
	Author    *user    `json:"author"`
	JsdPublic *bool    `json:"jsdPublic"`
	Created   string   `json:"created"`
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

// Parser returns the parser of Jira bodies under a source's settings
// (custom statuses and priorities).
func Parser(set policy.Source) func(event.Delivery) ([]event.Event, error) {
	return func(d event.Delivery) ([]event.Event, error) { return (&parser{d: d, set: set}).parse() }
}

// Parse reads a body under the default settings.
func Parse(d event.Delivery) ([]event.Event, error) { return Parser(policy.Source{})(d) }

type parser struct {
	d   event.Delivery
	set policy.Source
}

// commentIssueRE finds the issue id in a comment's self URL: Jira Server
// and Data Center send comment_created without the issue.
var commentIssueRE = regexp.MustCompile(`/issue/(\d+)/comment/`)

// parse normalises one Jira webhook body. Webhook events and changelog
// fields this package does not use yield no events and no error (see the
// package doc); anything malformed is an errcode.Invalid naming the field.
func (p *parser) parse() ([]event.Event, error) {
	body := p.d.Body
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
	var pl payload
	if err := event.DecodeObject(body, &pl); err != nil {
		return nil, err
	}
	if pl.Timestamp == nil {
		return nil, event.Invalid("timestamp", "is required")
	}
	at, err := event.CheckTime("timestamp", time.UnixMilli(pl.Timestamp.ms))
	if err != nil {
		return nil, event.Invalid("timestamp", "%d is outside 2000–2099 in epoch milliseconds", pl.Timestamp.ms)
	}
	ticket, err := ticketID(pl, kind)
	if err != nil {
		return nil, err
	}
	base := event.Event{Source: Source, TicketID: ticket, OccurredAt: at}
	if pl.Issue != nil {
		if base.Customer, err = reporter(pl.Issue.Fields); err != nil {
			return nil, err
		}
	}
	if pl.User != nil {
		base.Actor = actorOf(pl.User)
	}
	var evs []event.Event
	switch kind {
	case "jira:issue_created":
		evs, err = p.created(base, pl)
	case "jira:issue_updated":
		// Data Center reports a comment as an update (issue_commented);
		// a transition with a comment carries both.
		if evs, err = p.updated(base, pl); err == nil && pl.Comment != nil {
			var c []event.Event
			c, err = commented(base, pl)
			evs = append(evs, c...)
		}
	default:
		evs, err = commented(base, pl)
	}
	if err != nil || len(evs) == 0 {
		return nil, err
	}
	for i := range evs {
		if evs[i].ID, err = event.RequiredID("event id (payload id)", evs[i].ID); err != nil {
			return nil, err
		}
	}
	return evs, nil
}

// ticketID is the issue id, which stays when an issue moves to another
// project (its key changes). comment_created from Jira Server and Data
// Center has no issue: its id is in the comment's self URL.
func ticketID(pl payload, kind string) (string, error) {
	if pl.Issue != nil && strings.TrimSpace(string(pl.Issue.ID)) != "" {
		return event.RequiredID("issue.id", string(pl.Issue.ID))
	}
	if kind == "comment_created" && pl.Comment != nil {
		if m := commentIssueRE.FindStringSubmatch(pl.Comment.Self); m != nil {
			return event.RequiredID("comment.self", m[1])
		}
		if pl.Issue == nil {
			return "", event.Invalid("issue", "is required (or comment.self naming the issue)")
		}
	}
	if pl.Issue == nil {
		return "", event.Invalid("issue", "is required")
	}
	return "", event.Invalid("issue.id", "is required")
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
	if strings.EqualFold(strings.TrimSpace(f.Reporter.AccountType), "app") {
		return nil, nil // raised by an automation: nobody to survey
	}
	c := event.CustomerInfo{ID: id, Name: strings.TrimSpace(f.Reporter.DisplayName)}
	if email := strings.TrimSpace(f.Reporter.EmailAddress); event.PlausibleEmail(email) {
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

func (p *parser) created(e event.Event, pl payload) ([]event.Event, error) {
	e.Type = event.Created
	e.ID = "issue-" + e.TicketID + ":created"
	f := pl.Issue.Fields
	if f == nil {
		return []event.Event{e}, nil
	}
	var err error
	if f.Status != nil && f.Status.Name != "" {
		if e.Status, err = p.mapStatus("issue.fields.status.name", f.Status.Name, category(f.Status)); err != nil {
			return nil, err
		}
	}
	if f.Priority != nil {
		if e.Priority, err = p.mapPriority("issue.fields.priority.name", f.Priority.Name); err != nil {
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
func (p *parser) updated(base event.Event, pl payload) ([]event.Event, error) {
	if pl.Changelog == nil || len(pl.Changelog.Items) == 0 {
		return nil, nil // a comment or an edit without a changelog
	}
	cl, err := event.RequiredID("changelog.id", string(pl.Changelog.ID))
	if err != nil {
		return nil, err
	}
	prefix := "changelog-" + cl
	var f *fields
	if pl.Issue != nil {
		f = pl.Issue.Fields
	}
	var evs []event.Event
	for i, it := range pl.Changelog.Items {
		e := base
		e.ID = prefix
		if len(pl.Changelog.Items) > 1 {
			e.ID += ":" + strconv.Itoa(i)
		}
		at := fmt.Sprintf("changelog.items[%d]", i)
		keep, err := p.applyItem(&e, it, at, f)
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
func (p *parser) applyItem(e *event.Event, it item, at string, f *fields) (bool, error) {
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
		e.Status, err = p.mapStatus(at+".toString", to, cat)
		return err == nil, err
	case "assignee":
		e.Type = event.Assigned
		e.AssigneeID, err = event.OptionalID(at+".to", assigneeID(it, f))
		return err == nil, err
	case "priority":
		e.Type = event.PriorityChanged
		if to == "" {
			return false, nil // priority removed: the last one stays
		}
		e.Priority, err = p.mapPriority(at+".toString", to)
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

// assigneeID is the new assignee of a changelog item in the id the rest of
// the payload uses: older Cloud changelogs name a username in "to" (with
// the accountId in tmpToAccountId, or only in issue.fields.assignee), Data
// Center a username where the fields carry the user key too.
func assigneeID(it item, f *fields) string {
	to := strings.TrimSpace(string(it.To))
	if to == "" {
		return ""
	}
	if id := strings.TrimSpace(string(it.TmpToAccountID)); id != "" {
		return id
	}
	if f != nil && f.Assignee != nil {
		if a := f.Assignee; to == a.AccountID || to == a.Key || to == a.Name {
			return a.id()
		}
	}
	return to
}

// commentTimeLayout is how Jira writes a comment's created time.
const commentTimeLayout = "2006-01-02T15:04:05.999-0700"

// commented turns a comment (comment_created, or the one an issue update
// carries) into a reply or an internal note. Its id is the comment's own,
// so the two webhooks Jira Data Center sends for one comment store it once;
// its time is the comment's created time when Jira sends it.
func commented(e event.Event, pl payload) ([]event.Event, error) {
	c := pl.Comment
	if c == nil {
		return nil, event.Invalid("comment", "is required for comment_created")
	}
	id, err := event.RequiredID("comment.id", string(c.ID))
	if err != nil {
		return nil, err
	}
	e.ID = "comment-" + id
	if t, err := time.Parse(commentTimeLayout, strings.TrimSpace(c.Created)); err == nil {
		if t, err := event.CheckTime("comment.created", t); err == nil {
			e.OccurredAt = t
		}
	}
	if c.Author == nil {
		return nil, event.Invalid("comment.author", "is required")
	}
	author, err := event.OptionalID("comment.author.accountId", c.Author.id())
	if err != nil {
		return nil, err
	}
	accountType := strings.ToLower(strings.TrimSpace(c.Author.AccountType))
	kind, known := accountKinds[accountType]
	switch {
	case author != "" && e.Customer != nil && (author == e.Customer.ID || sameUser(c.Author, pl)):
		kind = event.Customer // the reporter, whatever their account
	case known:
	case author != "":
		// Data Center and older Cloud say nothing of the author: the
		// directory decides (a mapped engineer is an agent).
		kind = event.Person
	default:
		return nil, event.Invalid("comment.author.accountId", "is required")
	}
	if kind == event.Agent && author == "" {
		return nil, event.Invalid("comment.author.accountId", "is required for an agent's comment")
	}
	public := c.JsdPublic == nil || *c.JsdPublic // absent outside JSM: visible to all
	e.Actor = event.Actor{ID: author, Kind: kind}
	switch {
	case !public && (kind == event.Agent || kind == event.Person):
		e.Type, e.Actor.Kind = event.Note, event.Agent // only agents write internal comments
	default:
		e.Type, e.Public = event.Replied, public
	}
	return []event.Event{e}, nil
}

// sameUser reports whether the comment's author is the issue's reporter
// under any of the ids Jira gives a user.
func sameUser(a *user, pl payload) bool {
	if pl.Issue == nil || pl.Issue.Fields == nil || pl.Issue.Fields.Reporter == nil {
		return false
	}
	r := pl.Issue.Fields.Reporter
	return (a.AccountID != "" && a.AccountID == r.AccountID) || (a.Key != "" && a.Key == r.Key) || (a.Name != "" && a.Name == r.Name)
}

func category(s *status) string {
	if s.StatusCategory == nil {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(s.StatusCategory.Key))
}

package replay

import (
	"encoding/json"
	"strconv"
	"strings"

	"scorecard/shared/core/event"
	"scorecard/shared/source/jira"
)

// jiraBody is a Jira Cloud webhook body (the parts a real one has that the
// adapter reads, plus a few it does not, for realism).
type jiraBody struct {
	Timestamp          int64          `json:"timestamp"`
	WebhookEvent       string         `json:"webhookEvent"`
	IssueEventTypeName string         `json:"issue_event_type_name,omitempty"`
	User               *jiraUser      `json:"user,omitempty"`
	Issue              jiraIssue      `json:"issue"`
	Changelog          *jiraChangelog `json:"changelog,omitempty"`
	Comment            *jiraComment   `json:"comment,omitempty"`
}

type jiraUser struct {
	AccountID    string `json:"accountId,omitempty"`
	EmailAddress string `json:"emailAddress,omitempty"`
	DisplayName  string `json:"displayName,omitempty"`
	AccountType  string `json:"accountType"`
}

type jiraIssue struct {
	ID     string     `json:"id"`
	Key    string     `json:"key"`
	Fields jiraFields `json:"fields"`
}

type jiraFields struct {
	IssueType *jiraNamed  `json:"issuetype,omitempty"`
	Priority  *jiraNamed  `json:"priority,omitempty"`
	Labels    *[]string   `json:"labels,omitempty"`
	Status    *jiraStatus `json:"status,omitempty"`
	Assignee  *jiraUser   `json:"assignee"`
	Reporter  *jiraUser   `json:"reporter,omitempty"`
}

type jiraNamed struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type jiraStatus struct {
	ID             string          `json:"id"`
	Name           string          `json:"name"`
	StatusCategory jiraCategoryRef `json:"statusCategory"`
}

type jiraCategoryRef struct {
	Key string `json:"key"`
}

type jiraChangelog struct {
	ID    string     `json:"id"`
	Items []jiraItem `json:"items"`
}

type jiraItem struct {
	Field      string  `json:"field"`
	FieldType  string  `json:"fieldtype"`
	FieldID    string  `json:"fieldId"`
	From       *string `json:"from"`
	FromString *string `json:"fromString"`
	To         *string `json:"to"`
	ToString   *string `json:"toString"`
}

type jiraComment struct {
	ID        string   `json:"id"`
	Author    jiraUser `json:"author"`
	JsdPublic bool     `json:"jsdPublic"`
	Created   string   `json:"created"`
}

// jiraStatuses names the model's statuses as a Jira Service Management
// project does by default; new has no Jira status (see ReasonStatusNew).
var jiraStatuses = map[event.Status]jiraStatus{
	event.StatusOpen:     {ID: "3", Name: "In Progress", StatusCategory: jiraCategoryRef{"indeterminate"}},
	event.StatusPending:  {ID: "10002", Name: "Waiting for customer", StatusCategory: jiraCategoryRef{"indeterminate"}},
	event.StatusOnHold:   {ID: "10003", Name: "Escalated", StatusCategory: jiraCategoryRef{"indeterminate"}},
	event.StatusResolved: {ID: "5", Name: "Resolved", StatusCategory: jiraCategoryRef{"done"}},
	event.StatusClosed:   {ID: "6", Name: "Closed", StatusCategory: jiraCategoryRef{"done"}},
}

// jiraPriorities names the model's priorities in Jira's default scheme.
var jiraPriorities = map[event.Priority]jiraNamed{
	event.Urgent: {ID: "1", Name: "Highest"}, event.High: {ID: "2", Name: "High"},
	event.Normal: {ID: "3", Name: "Medium"}, event.Low: {ID: "4", Name: "Low"},
}

// accountTypes maps actor kinds to Jira Cloud account types.
var accountTypes = map[event.ActorKind]string{event.Agent: "atlassian", event.Customer: "customer", event.System: "app"}

// jiraPayload renders one event as one Jira body; a change of both tags and
// type is one changelog with two items, as Jira sends it.
func jiraPayload(c *encoding) ([]byte, error) {
	e := &c.e
	b := jiraBody{Timestamp: e.OccurredAt.UnixMilli(), Issue: jiraIssueOf(c)}
	if e.Actor.Kind != "" {
		b.User = &jiraUser{AccountID: c.actorID(), AccountType: accountTypes[e.Actor.Kind]}
	}
	switch e.Type {
	case event.Created:
		b.WebhookEvent, b.IssueEventTypeName = "jira:issue_created", "issue_created"
	case event.Replied, event.Note:
		b.WebhookEvent, b.User = "comment_created", nil
		b.Comment = &jiraComment{
			ID:     strconv.FormatInt(numberFor(jira.Source, "comment", c.ticket, e.ID), 10),
			Author: jiraUser{AccountID: c.actorID(), AccountType: accountTypes[e.Actor.Kind]},
			// An internal comment is JSM's note; the model's note is one.
			JsdPublic: e.Type == event.Replied && e.Public,
			Created:   e.OccurredAt.UTC().Format("2006-01-02T15:04:05.000-0700"),
		}
	default:
		b.WebhookEvent, b.IssueEventTypeName = "jira:issue_updated", "issue_generic"
		b.Changelog = &jiraChangelog{
			ID:    strconv.FormatInt(numberFor(jira.Source, "changelog", c.ticket, e.ID), 10),
			Items: jiraItems(c),
		}
		if e.Type == event.Assigned {
			b.IssueEventTypeName = "issue_assigned"
		}
	}
	return json.Marshal(b)
}

func jiraIssueOf(c *encoding) jiraIssue {
	s := &c.after
	var f jiraFields
	if st, ok := jiraStatuses[s.status]; ok {
		f.Status = &st
	}
	if p, ok := jiraPriorities[s.priority]; ok {
		f.Priority = &p
	}
	if s.hasTags {
		labels := append([]string{}, s.tags...)
		f.Labels = &labels
	}
	if s.ticketType != "" {
		f.IssueType = &jiraNamed{ID: jiraTypeID(s.ticketType), Name: titleASCII(s.ticketType)}
	}
	if s.assignee != "" {
		f.Assignee = &jiraUser{AccountID: c.agentID(s.assignee), AccountType: "atlassian"}
	}
	if cu := c.customer(); cu != nil {
		// Jira Cloud names the reporter by accountId: no address.
		f.Reporter = &jiraUser{AccountID: cu.ID, DisplayName: cu.Name, AccountType: "customer"}
	}
	key := c.ticket
	if _, ok := canonicalInt(c.ticket); ok {
		key = jiraProject + c.ticket
	}
	return jiraIssue{ID: c.ticket, Key: key, Fields: f}
}

// jiraItems is the changelog of a field change. Without the ticket's
// history (Encode) the "from" side is left empty.
func jiraItems(c *encoding) []jiraItem {
	e := &c.e
	b := c.beforeSnap()
	switch e.Type {
	case event.StatusChanged:
		to := jiraStatuses[e.Status]
		it := jiraItem{Field: "status", FieldType: "jira", FieldID: "status", To: &to.ID, ToString: &to.Name}
		if b != nil {
			if from, ok := jiraStatuses[b.status]; ok {
				it.From, it.FromString = &from.ID, &from.Name
			}
		}
		return []jiraItem{it}
	case event.Assigned:
		it := jiraItem{Field: "assignee", FieldType: "jira", FieldID: "assignee"}
		if to := c.agentID(e.AssigneeID); to != "" {
			it.To, it.ToString = &to, &to
		}
		if b != nil && b.assignee != "" {
			from := c.agentID(b.assignee)
			it.From, it.FromString = &from, &from
		}
		return []jiraItem{it}
	case event.PriorityChanged:
		to := jiraPriorities[e.Priority]
		it := jiraItem{Field: "priority", FieldType: "jira", FieldID: "priority", To: &to.ID, ToString: &to.Name}
		if b != nil {
			if from, ok := jiraPriorities[b.priority]; ok {
				it.From, it.FromString = &from.ID, &from.Name
			}
		}
		return []jiraItem{it}
	}
	// tags_changed: labels and issue type, each only if it changed.
	var items []jiraItem
	tags, typ := tagsChange(e, b)
	if tags {
		to := strings.Join(e.Tags, " ")
		it := jiraItem{Field: "labels", FieldType: "jira", FieldID: "labels", ToString: &to}
		if b != nil {
			from := strings.Join(b.tags, " ")
			it.FromString = &from
		}
		items = append(items, it)
	}
	if typ {
		id, name := jiraTypeID(e.TicketType), titleASCII(e.TicketType)
		it := jiraItem{Field: "issuetype", FieldType: "jira", FieldID: "issuetype", To: &id, ToString: &name}
		if b != nil && b.ticketType != "" {
			fromID, fromName := jiraTypeID(b.ticketType), titleASCII(b.ticketType)
			it.From, it.FromString = &fromID, &fromName
		}
		items = append(items, it)
	}
	return items
}

// jiraTypeID is a stable issue type id for a type name.
func jiraTypeID(t string) string {
	return strconv.FormatInt(10_000+numberFor(jira.Source, "issuetype", t)%1000, 10)
}

// titleASCII capitalises the first ASCII letter of each word; the adapters
// lower-case names again, and only ASCII is sure to survive the round trip.
func titleASCII(s string) string {
	b := []byte(s)
	for i := range b {
		if (i == 0 || b[i-1] == ' ') && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

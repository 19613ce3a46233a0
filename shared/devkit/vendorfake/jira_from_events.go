package vendorfake

// JiraFromEvents: the demo generator's normalised events as the Jira
// Service Management (Cloud) history the fake serves, as Jira would have
// recorded the same tickets.
//
//	model                          Jira
//	ticket T-202607-00042          issue id 20260700042, key SUP-20260700042
//	                               (the digits of the ticket id, in order)
//	agent ag-1015                  accountType atlassian, the account id
//	                               agents maps it to (a derived 712020:… id
//	                               when it maps it to none, as for the new
//	                               hire, who has no Jira account yet)
//	customer c-00384               accountType customer, qm:<derived>, with
//	                               the customer's email and name; the
//	                               ticket's customer is the reporter
//	system sys-autoreply …         accountType app, 557058:<derived>
//	no actor                       the Automation for Jira app account
//	created                        the issue: created, reporter, initial
//	                               status, priority, labels, issue type,
//	                               assignee
//	assigned                       an assignee changelog item
//	replied                        a comment, internal (jsdPublic false)
//	                               when not public
//	note                           an internal comment
//	status_changed                 a status changelog item (JiraStatusNames)
//	priority_changed               a priority item: urgent/high/normal/low →
//	                               Highest/High/Medium/Low
//	tags_changed                   a labels item (the full set) and, when the
//	                               ticket type changes, an issuetype item, in
//	                               one changelog history
//	survey_answered                nothing: Jira has no satisfaction survey
//	                               event in its changelog or comments (JSM's
//	                               CSAT is not in the REST history), so
//	                               answers are left out
//
// Jira records only changes: an event that sets the value a field already
// has (a status, assignee, priority, label set or type repeated) becomes no
// changelog item. Ticket types are issue types named with a capital
// ("incident" → "Incident"; the adapter lower-cases them back).
//
// Changelog history and comment ids are the issue id followed by a
// four-digit sequence number within the issue, so that one ticket's issue
// does not depend on the other tickets converted with it and ids sort in
// the events' canonical order (time, type rank, id).

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"scorecard/shared/core/event"
)

// JiraStatusNames is the Jira status each model status becomes. Their
// categories (JiraStatuses) map back to the same model status through the
// adapter's mapping, except new: no Jira status reads as new without a
// policy saying so (sources.jira.statuses), "Waiting for support" reads as
// open.
var JiraStatusNames = map[event.Status]string{
	event.StatusNew:      "Waiting for support",  // category new
	event.StatusOpen:     "In Progress",          // indeterminate
	event.StatusPending:  "Waiting for customer", // indeterminate
	event.StatusOnHold:   "Escalated",            // indeterminate
	event.StatusResolved: "Resolved",             // done
	event.StatusClosed:   "Closed",               // done
}

// jiraPriorityNames are Jira's default priority scheme with its ids.
var jiraPriorityNames = map[event.Priority]struct{ Name, ID string }{
	event.Urgent: {"Highest", "1"},
	event.High:   {"High", "2"},
	event.Normal: {"Medium", "3"},
	event.Low:    {"Low", "4"},
}

// jiraAutomation is Automation for Jira's app account, the author of what
// no one in particular did.
var jiraAutomation = JiraUser{AccountID: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", AccountType: "app", DisplayName: "Automation for Jira"}

func init() {
	// JSM's Escalated status (the IT service management workflow's), which
	// the fake's table lacks.
	if _, ok := JiraStatuses["Escalated"]; !ok {
		JiraStatuses["Escalated"] = struct{ ID, Category string }{"10010", "indeterminate"}
	}
}

// JiraIssueRef is the issue id and key a model ticket id becomes: its
// digits in order (T-202607-00042 → 20260700042, SUP-20260700042); a
// ticket id without digits, or with more than 14, gets a number from its
// hash.
func JiraIssueRef(ticketID string) (id, key string) {
	var b strings.Builder
	for _, r := range ticketID {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	id = strings.TrimLeft(b.String(), "0")
	// At most 14 digits: history and comment ids append four or five more
	// and must stay within an int64.
	if id == "" || len(id) > 14 {
		h := fnv.New64a()
		h.Write([]byte(ticketID))
		id = strconv.FormatUint(h.Sum64()%9e13+1e13, 10)
	}
	return id, "SUP-" + id
}

// JiraAccountID is the Atlassian account id a model actor becomes: an
// agent's from agents (derived when agents has none), a customer's or a
// system's derived from its id; "" for an actor without an id.
func JiraAccountID(agents map[string]string, a event.Actor) string {
	if a.ID == "" {
		return ""
	}
	switch a.Kind {
	case event.Customer:
		return "qm:" + jiraUUID("customer", a.ID)
	case event.System:
		return "557058:" + jiraUUID("app", a.ID)
	}
	if id := agents[a.ID]; id != "" {
		return id
	}
	return "712020:" + jiraUUID("agent", a.ID)
}

// jiraUUID is a version-4-shaped UUID derived from kind and id.
func jiraUUID(kind, id string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + id))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// JiraFromEvents turns model events (any number of tickets, any order)
// into the JSM issues Jira would hold for them, ordered by issue id. The
// same events give the same issues.
func JiraFromEvents(evs []event.Event, agents map[string]string) []JiraIssue {
	byTicket := map[string][]event.Event{}
	for _, e := range evs {
		byTicket[e.TicketID] = append(byTicket[e.TicketID], e)
	}
	out := make([]JiraIssue, 0, len(byTicket))
	for tid, tevs := range byTicket {
		out = append(out, jiraIssueOf(tid, tevs, agents))
	}
	slices.SortFunc(out, func(a, b JiraIssue) int {
		x, _ := strconv.ParseUint(a.ID, 10, 64)
		y, _ := strconv.ParseUint(b.ID, 10, 64)
		return cmp.Or(cmp.Compare(x, y), strings.Compare(a.ID, b.ID))
	})
	return out
}

// jiraConv converts one ticket.
type jiraConv struct {
	agents   map[string]string
	customer *event.CustomerInfo
	reporter JiraUser
	seq      int
	is       JiraIssue
}

func jiraIssueOf(tid string, evs []event.Event, agents map[string]string) JiraIssue {
	evs = slices.Clone(evs)
	slices.SortStableFunc(evs, func(a, b event.Event) int {
		return cmp.Or(a.OccurredAt.Compare(b.OccurredAt), cmp.Compare(a.Type.Rank(), b.Type.Rank()), strings.Compare(a.ID, b.ID))
	})
	c := &jiraConv{agents: agents}
	id, key := JiraIssueRef(tid)
	c.is = JiraIssue{ID: id, Key: key, Project: "SUP", ServiceDesk: true, Created: evs[0].OccurredAt,
		Status: JiraStatusNames[event.StatusNew]}

	// The customer: the created event's, else the first one named.
	created := slices.IndexFunc(evs, func(e event.Event) bool { return e.Type == event.Created })
	if created >= 0 && evs[created].Customer != nil {
		c.customer = evs[created].Customer
	} else if i := slices.IndexFunc(evs, func(e event.Event) bool { return e.Customer != nil }); i >= 0 {
		c.customer = evs[i].Customer
	}
	if c.customer != nil {
		name := cmp.Or(c.customer.Name, c.customer.Email, c.customer.ID)
		c.reporter = JiraUser{AccountID: JiraAccountID(nil, event.Actor{ID: c.customer.ID, Kind: event.Customer}),
			AccountType: "customer", DisplayName: name, Email: c.customer.Email}
	} else if created >= 0 {
		c.reporter = c.user(evs[created].Actor)
	} else {
		c.reporter = jiraAutomation
	}
	c.is.Reporter = c.reporter

	// The issue as created.
	if created >= 0 {
		e := evs[created]
		c.is.Created = e.OccurredAt
		if e.Status != "" {
			c.is.Status = jiraStatusName(e.Status)
		}
		c.is.Priority = jiraPriorityNames[e.Priority].Name
		if e.HasTags || len(e.Tags) > 0 {
			c.is.Labels = event.NormalizeTags(e.Tags)
		}
		c.is.IssueType = jiraIssueType(e.TicketType)
		if e.AssigneeID != "" {
			u := c.user(event.Actor{ID: e.AssigneeID, Kind: event.Agent})
			c.is.Assignee = &u
		}
	}
	if c.is.Labels == nil {
		c.is.Labels = []string{}
	}

	// What happened since, as Jira records it.
	status, priority, assignee := c.is.Status, c.is.Priority, c.is.Assignee
	labels, issueType := c.is.Labels, c.is.IssueType
	for i, e := range evs {
		if i == created {
			continue
		}
		author := c.user(e.Actor)
		switch e.Type {
		case event.Assigned:
			var to *JiraUser
			if e.AssigneeID != "" {
				u := c.user(event.Actor{ID: e.AssigneeID, Kind: event.Agent})
				to = &u
			}
			if jiraSameUser(assignee, to) {
				continue
			}
			c.change(e.OccurredAt, author, JiraItem{Field: "assignee", FieldID: "assignee", FromUser: assignee, ToUser: to})
			assignee = to
		case event.Replied, event.Note:
			c.seq++
			c.is.Comments = append(c.is.Comments, JiraComment{ID: c.nextID(), At: e.OccurredAt, Author: author,
				Internal: e.Type == event.Note || !e.Public})
		case event.StatusChanged:
			to := jiraStatusName(e.Status)
			if e.Status == "" || to == status {
				continue
			}
			c.change(e.OccurredAt, author, JiraItem{Field: "status", FieldID: "status", FromStatus: status, ToStatusName: to})
			status = to
		case event.PriorityChanged:
			to, ok := jiraPriorityNames[e.Priority]
			if !ok || to.Name == priority {
				continue
			}
			from := jiraPriorityID(priority)
			c.change(e.OccurredAt, author, JiraItem{Field: "priority", FieldID: "priority", From: from, FromString: priority, To: to.ID, ToString: to.Name})
			priority = to.Name
		case event.TagsChanged:
			var items []JiraItem
			if newLabels := event.NormalizeTags(e.Tags); e.HasTags && !slices.Equal(newLabels, labels) {
				if newLabels == nil {
					newLabels = []string{}
				}
				items = append(items, JiraItem{Field: "labels", FieldID: "labels", FromString: strings.Join(labels, " "), ToString: strings.Join(newLabels, " ")})
				labels = newLabels
			}
			if to := jiraIssueType(e.TicketType); e.TicketType != "" && to != issueType {
				items = append(items, JiraItem{Field: "issuetype", FieldID: "issuetype", FromString: issueType, ToString: to})
				issueType = to
			}
			if len(items) > 0 {
				c.change(e.OccurredAt, author, items...)
			}
		case event.Created:
			// A second created event of the same ticket: Jira has one.
		case event.SurveyAnswered:
			// Jira has no record of it.
		}
	}
	return c.is
}

func (c *jiraConv) nextID() string {
	return c.is.ID + fmt.Sprintf("%04d", c.seq)
}

func (c *jiraConv) change(at time.Time, author JiraUser, items ...JiraItem) {
	c.seq++
	c.is.History = append(c.is.History, JiraChange{ID: c.nextID(), At: at, Author: author, Items: items})
}

// user is the Jira user an actor is.
func (c *jiraConv) user(a event.Actor) JiraUser {
	if a.ID == "" {
		return jiraAutomation
	}
	if c.customer != nil && a.ID == c.customer.ID && (a.Kind == event.Customer || a.Kind == "") {
		return c.reporter
	}
	id := JiraAccountID(c.agents, a)
	switch a.Kind {
	case event.Customer:
		return JiraUser{AccountID: id, AccountType: "customer", DisplayName: a.ID}
	case event.System:
		return JiraUser{AccountID: id, AccountType: "app", DisplayName: a.ID}
	}
	// Agents, and people the model did not classify: Jira Cloud knows
	// every account's type, and only licensed users work tickets.
	return JiraUser{AccountID: id, AccountType: "atlassian", DisplayName: a.ID}
}

func jiraSameUser(a, b *JiraUser) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.AccountID == b.AccountID
}

func jiraStatusName(s event.Status) string {
	if n, ok := JiraStatusNames[s]; ok {
		return n
	}
	return JiraStatusNames[event.StatusOpen]
}

func jiraPriorityID(name string) string {
	for _, p := range jiraPriorityNames {
		if p.Name == name {
			return p.ID
		}
	}
	return ""
}

// jiraIssueType names a ticket type as an issue type: its first letter in
// upper case.
func jiraIssueType(t string) string {
	if t == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(t)
	return string(unicode.ToUpper(r)) + t[n:]
}

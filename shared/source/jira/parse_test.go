package jira_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/source/jira"
)

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// delivery is the identifier header of one webhook delivery.
const delivery = "8a7e6c4e-3f1b-4b9a-9d52-0c2f3e4d5a6b"

func withDelivery(id string) http.Header {
	h := http.Header{}
	if id != "" {
		h.Set(jira.IdentifierHeader, id)
	}
	return h
}

var (
	ann   = &event.CustomerInfo{ID: "qm:a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", Email: "ann@example.com", Name: "Ann Customer"}
	mia   = event.Actor{ID: "5b10ac8d82e05b22cc7d4ef5", Kind: event.Agent}
	lee   = event.Actor{ID: "6012f9a3c7d1e2006b4f5a11", Kind: event.Agent}
	annAc = event.Actor{ID: "qm:a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", Kind: event.Customer}
)

func TestParseSamples(t *testing.T) {
	at := utc("2026-10-05T02:00:00Z") // issue_updated_multi.json
	multi := func(i string, typ event.Type, edit func(*event.Event)) event.Event {
		e := event.Event{Source: "jira", ID: "changelog-10333:" + i, TicketID: "10042", Type: typ, OccurredAt: at, Actor: mia, Customer: ann}
		edit(&e)
		return e
	}
	tests := []struct {
		name     string
		file     string
		delivery string
		want     []event.Event
	}{
		{
			name: "a created issue carries status, priority, labels, type, assignee, reporter", file: "issue_created.json", delivery: delivery,
			want: []event.Event{{
				Source: "jira", ID: "issue-10042:created", TicketID: "10042", Type: event.Created,
				OccurredAt: utc("2026-10-05T01:02:03.456Z"), Actor: annAc,
				AssigneeID: "5b10ac8d82e05b22cc7d4ef5", Status: event.StatusOpen, Priority: event.High,
				Tags: []string{"complaint", "printer"}, HasTags: true, TicketType: "incident", Customer: ann,
			}},
		},
		{
			name: "waiting for customer is pending", file: "issue_updated_status.json", delivery: delivery,
			want: []event.Event{{
				Source: "jira", ID: "changelog-10321", TicketID: "10042", Type: event.StatusChanged,
				OccurredAt: utc("2026-10-05T01:30:00Z"), Actor: mia, Status: event.StatusPending, Customer: ann,
			}},
		},
		{
			name: "resolved in category done is resolved; the resolution item is ignored but keeps its index", file: "issue_updated_resolved.json", delivery: delivery,
			want: []event.Event{{
				Source: "jira", ID: "changelog-10350:1", TicketID: "10042", Type: event.StatusChanged,
				OccurredAt: utc("2026-10-05T03:13:20Z"), Actor: mia, Status: event.StatusResolved, Customer: ann,
			}},
		},
		{
			name: "one changelog changing several fields gives one event per handled item", file: "issue_updated_multi.json", delivery: delivery,
			want: []event.Event{
				multi("0", event.Assigned, func(e *event.Event) { e.AssigneeID = "6012f9a3c7d1e2006b4f5a11" }),
				multi("1", event.PriorityChanged, func(e *event.Event) { e.Priority = event.Urgent }),
				multi("2", event.TagsChanged, func(e *event.Event) { e.Tags, e.HasTags = []string{"complaint", "printer", "vip"}, true }),
				multi("3", event.TagsChanged, func(e *event.Event) { e.TicketType = "service request" }),
				multi("4", event.StatusChanged, func(e *event.Event) { e.Status = event.StatusOnHold }),
			},
		},
		{
			name: "an assignee set to null unassigns", file: "issue_updated_unassigned.json", delivery: delivery,
			want: []event.Event{{
				Source: "jira", ID: "changelog-10340", TicketID: "10042", Type: event.Assigned,
				OccurredAt: utc("2026-10-05T02:06:40Z"), Actor: mia,
			}},
		},
		{
			name: "a summary edit is ignored", file: "issue_updated_summary.json", delivery: delivery,
		},
		{
			name: "the comment an issue update carries is recorded under the comment's own id, as comment_created records it", file: "issue_updated_commented.json", delivery: delivery,
			want: []event.Event{{
				Source: "jira", ID: "comment-10500", TicketID: "10042", Type: event.Replied,
				OccurredAt: utc("2026-10-05T04:30:00Z"), Actor: mia, Public: true,
			}},
		},
		{
			name: "a public comment by a licensed user is a public agent reply", file: "comment_created_agent_public.json", delivery: delivery,
			want: []event.Event{{
				Source: "jira", ID: "comment-10400", TicketID: "10042", Type: event.Replied,
				OccurredAt: utc("2026-10-05T01:20:00Z"), Actor: mia, Public: true,
			}},
		},
		{
			name: "an internal comment by an agent is a note", file: "comment_created_internal.json", delivery: delivery,
			want: []event.Event{{
				Source: "jira", ID: "comment-10399", TicketID: "10042", Type: event.Note,
				OccurredAt: utc("2026-10-05T01:16:40Z"), Actor: lee,
			}},
		},
		{
			name: "a portal customer's comment is a customer reply", file: "comment_created_customer.json", delivery: delivery,
			want: []event.Event{{
				Source: "jira", ID: "comment-10401", TicketID: "10042", Type: event.Replied,
				OccurredAt: utc("2026-10-05T01:33:20Z"), Actor: annAc, Public: true, Customer: ann,
			}},
		},
		{
			name: "a comment without jsdPublic is public; string timestamp, numeric id, upper-case accountType", file: "comment_created_software.json", delivery: delivery,
			want: []event.Event{{
				Source: "jira", ID: "comment-10402", TicketID: "10042", Type: event.Replied,
				OccurredAt: utc("2026-10-05T01:35:00Z"), Actor: mia, Public: true,
			}},
		},
		{
			name: "a deleted issue is ignored", file: "issue_deleted.json", delivery: delivery,
		},
		{
			name: "without the identifier header a created issue falls back on the issue id", file: "issue_created.json",
			want: []event.Event{{
				Source: "jira", ID: "issue-10042:created", TicketID: "10042", Type: event.Created,
				OccurredAt: utc("2026-10-05T01:02:03.456Z"), Actor: annAc,
				AssigneeID: "5b10ac8d82e05b22cc7d4ef5", Status: event.StatusOpen, Priority: event.High,
				Tags: []string{"complaint", "printer"}, HasTags: true, TicketType: "incident", Customer: ann,
			}},
		},
		{
			name: "without the identifier header a change falls back on the changelog id", file: "issue_updated_status.json",
			want: []event.Event{{
				Source: "jira", ID: "changelog-10321", TicketID: "10042", Type: event.StatusChanged,
				OccurredAt: utc("2026-10-05T01:30:00Z"), Actor: mia, Status: event.StatusPending, Customer: ann,
			}},
		},
		{
			name: "without the identifier header a comment falls back on the comment id", file: "comment_created_internal.json",
			want: []event.Event{{
				Source: "jira", ID: "comment-10399", TicketID: "10042", Type: event.Note,
				OccurredAt: utc("2026-10-05T01:16:40Z"), Actor: lee,
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := jira.Parse(event.Delivery{Header: withDelivery(tc.delivery), Body: readSample(t, tc.file)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// updateBody is a jira:issue_updated body with one changelog item and the
// issue's current status.
func updateBody(item, currentStatus string) string {
	f := `{}`
	if currentStatus != "" {
		f = `{"status": ` + currentStatus + `}`
	}
	return `{"timestamp": 1791162000000, "webhookEvent": "jira:issue_updated", "issue": {"id": "1", "key": "SUP-1", "fields": ` + f + `}, "changelog": {"id": "9", "items": [` + item + `]}}`
}

func statusItem(to string) string {
	return `{"field": "status", "fieldId": "status", "to": "77", "toString": "` + to + `"}`
}

func TestStatusMapping(t *testing.T) {
	tests := []struct {
		name     string
		to       string
		category string // of the issue's current status, "" for none
		want     event.Status
	}{
		{"open", "Open", "", event.StatusOpen},
		{"to do in any case", "TO DO", "", event.StatusOpen},
		{"waiting for support", "Waiting for support", "new", event.StatusOpen},
		{"in progress is open", "In Progress", "indeterminate", event.StatusOpen},
		{"extra spaces are collapsed", "  Waiting   for  customer ", "", event.StatusPending},
		{"pending", "pending", "", event.StatusPending},
		{"escalated is on hold", "Escalated", "", event.StatusOnHold},
		{"done is resolved", "Done", "", event.StatusResolved},
		{"closed", "Closed", "done", event.StatusClosed},
		{"canceled is closed", "Canceled", "", event.StatusClosed},
		{"a custom status in category done is resolved", "Shipped to customer", "done", event.StatusResolved},
		{"a custom status in category indeterminate is open", "With engineering", "indeterminate", event.StatusOpen},
		{"a done name in a not-done category trusts the category", "Done", "indeterminate", event.StatusOpen},
		{"a pending name in category done trusts the category", "Waiting for customer", "done", event.StatusResolved},
		{"category key in any case", "Shipped", "DONE", event.StatusResolved},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			current := ""
			if tc.category != "" {
				current = `{"id": "77", "name": "whatever", "statusCategory": {"key": "` + tc.category + `"}}`
			}
			got, err := jira.Parse(event.Delivery{Body: []byte(updateBody(statusItem(tc.to), current))})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(got) != 1 || got[0].Status != tc.want {
				t.Fatalf("got %+v, want one status_changed to %s", got, tc.want)
			}
		})
	}
	t.Run("the category of a later status is not used", func(t *testing.T) {
		current := `{"id": "5", "name": "Closed", "statusCategory": {"key": "done"}}`
		got, err := jira.Parse(event.Delivery{Body: []byte(updateBody(statusItem("Waiting for customer"), current))})
		if err != nil || len(got) != 1 || got[0].Status != event.StatusPending {
			t.Fatalf("got %+v, %v; want pending from the name", got, err)
		}
	})
	t.Run("the current status matches by name when the item has no id", func(t *testing.T) {
		current := `{"name": "shipped", "statusCategory": {"key": "done"}}`
		got, err := jira.Parse(event.Delivery{Body: []byte(updateBody(`{"field": "status", "toString": "Shipped"}`, current))})
		if err != nil || len(got) != 1 || got[0].Status != event.StatusResolved {
			t.Fatalf("got %+v, %v; want resolved from the category", got, err)
		}
	})
}

func TestPriorityMapping(t *testing.T) {
	tests := map[string]event.Priority{
		"Highest": event.Urgent, "Blocker": event.Urgent, "critical": event.Urgent,
		"High": event.High, "MAJOR": event.High,
		"Medium": event.Normal, "normal": event.Normal,
		"Low": event.Low, "Lowest": event.Low, "Minor": event.Low, "trivial": event.Low,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := jira.Parse(event.Delivery{Body: []byte(updateBody(`{"field": "priority", "toString": "`+name+`"}`, ""))})
			if err != nil || len(got) != 1 || got[0].Priority != want {
				t.Fatalf("got %+v, %v; want priority %s", got, err, want)
			}
		})
	}
}

func TestParseVariations(t *testing.T) {
	at := utc("2026-10-05T01:00:00Z")
	tests := []struct {
		name string
		body string
		want []event.Event
	}{
		{"a removed priority is ignored", updateBody(`{"field": "priority", "toString": null}`, ""), nil},
		{"a cleared issue type is ignored", updateBody(`{"field": "issuetype", "toString": ""}`, ""), nil},
		{"all labels removed clears the tags", updateBody(`{"field": "labels", "fromString": "a", "toString": ""}`, ""),
			[]event.Event{{Source: "jira", ID: "changelog-9", TicketID: "1", Type: event.TagsChanged, OccurredAt: at, HasTags: true}}},
		{"the field name is used when fieldId is absent", updateBody(`{"field": "Labels", "toString": "B a"}`, ""),
			[]event.Event{{Source: "jira", ID: "changelog-9", TicketID: "1", Type: event.TagsChanged, OccurredAt: at, Tags: []string{"a", "b"}, HasTags: true}}},
		{"an issue_updated without changelog gives nothing", `{"timestamp": 1791162000000, "webhookEvent": "jira:issue_updated", "issue": {"id": "1", "key": "SUP-1"}}`, nil},
		{"a created issue without fields", `{"timestamp": 1791162000000, "webhookEvent": "jira:issue_created", "issue": {"id": 1, "key": "SUP-1"}}`,
			[]event.Event{{Source: "jira", ID: "issue-1:created", TicketID: "1", Type: event.Created, OccurredAt: at}}},
		{"a created issue with null priority and a Data Center assignee",
			`{"timestamp": 1791162000000, "webhookEvent": "jira:issue_created", "user": {"name": "jdoe", "key": "JIRAUSER10100"}, "issue": {"id": 1, "key": "SUP-1", "fields": {"priority": null, "assignee": {"name": "jdoe", "key": "JIRAUSER10100"}, "reporter": {"name": "cust"}}}}`,
			[]event.Event{{Source: "jira", ID: "issue-1:created", TicketID: "1", Type: event.Created, OccurredAt: at, AssigneeID: "JIRAUSER10100", Customer: &event.CustomerInfo{ID: "cust"}}}},
		{"a reporter without id or plausible email is left out",
			`{"timestamp": 1791162000000, "webhookEvent": "jira:issue_created", "issue": {"id": 1, "key": "SUP-1", "fields": {"reporter": {"emailAddress": "not an email", "displayName": "X"}}}}`,
			[]event.Event{{Source: "jira", ID: "issue-1:created", TicketID: "1", Type: event.Created, OccurredAt: at}}},
		{"an app comment is a system reply",
			`{"timestamp": 1791162000000, "webhookEvent": "comment_created", "issue": {"id": "1", "key": "SUP-1"}, "comment": {"id": 5, "author": {"accountId": "bot", "accountType": "app"}, "jsdPublic": false}}`,
			[]event.Event{{Source: "jira", ID: "comment-5", TicketID: "1", Type: event.Replied, OccurredAt: at, Actor: event.Actor{ID: "bot", Kind: event.System}}}},
		{"a Data Center comment by the reporter is the customer's",
			`{"timestamp": 1791162000000, "webhookEvent": "comment_created", "issue": {"id": "1", "key": "SUP-1", "fields": {"reporter": {"key": "cust"}}}, "comment": {"id": 5, "author": {"key": "cust"}}}`,
			[]event.Event{{Source: "jira", ID: "comment-5", TicketID: "1", Type: event.Replied, OccurredAt: at, Public: true, Actor: event.Actor{ID: "cust", Kind: event.Customer}, Customer: &event.CustomerInfo{ID: "cust"}}}},
		{"an actor of unknown kind is left out", `{"timestamp": 1791162000000, "webhookEvent": "jira:issue_updated", "user": {"accountId": "x"}, "issue": {"id": "1", "key": "SUP-1"}, "changelog": {"id": 9, "items": [{"field": "assignee", "to": "a"}]}}`,
			[]event.Event{{Source: "jira", ID: "changelog-9", TicketID: "1", Type: event.Assigned, OccurredAt: at, AssigneeID: "a"}}},
		{"other webhook events are ignored whatever they contain", `{"webhookEvent": "worklog_created", "timestamp": "soon"}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := jira.Parse(event.Delivery{Body: []byte(tc.body)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	long := strings.Repeat("x", event.MaxIDLength+1)
	issue := `"timestamp": 1791162000000, "issue": {"id": "1", "key": "SUP-1"}`
	comment := func(c string) string {
		return `{"webhookEvent": "comment_created", ` + issue + `, "comment": ` + c + `}`
	}
	tests := []struct {
		name    string
		headers http.Header
		body    string
		field   string // the message must start with it
	}{
		{"an empty body", nil, ``, "body is empty"},
		{"not an object", nil, `"jira:issue_created"`, "body must be a JSON object"},
		{"broken JSON", nil, `{"webhookEvent": "jira:issue_created",`, "malformed JSON"},
		{"no webhookEvent", nil, `{"timestamp": 1}`, "webhookEvent: is required"},
		{"no timestamp", nil, `{"webhookEvent": "jira:issue_created"}`, "timestamp: is required"},
		{"a timestamp that is not a number", nil, `{"webhookEvent": "jira:issue_created", "timestamp": "yesterday"}`, "timestamp: wrong type"},
		{"a fractional timestamp", nil, `{"webhookEvent": "jira:issue_created", "timestamp": 1791162000000.5}`, "timestamp: wrong type"},
		{"a timestamp in seconds", nil, `{"webhookEvent": "jira:issue_created", "timestamp": 1791162000}`, "timestamp: 1791162000 is outside 2000–2099"},
		{"no issue", nil, `{"webhookEvent": "jira:issue_created", "timestamp": 1791162000000}`, "issue: is required"},
		{"no issue id", nil, `{"webhookEvent": "jira:issue_created", "timestamp": 1791162000000, "issue": {"key": "SUP-1"}}`, "issue.id: is required"},
		{"an issue id of the wrong type", nil, `{"webhookEvent": "jira:issue_created", "timestamp": 1791162000000, "issue": {"id": [12]}}`, "issue.id: wrong type"},
		{"an overlong issue id", nil, `{"webhookEvent": "jira:issue_created", "timestamp": 1791162000000, "issue": {"id": "` + long + `"}}`, "issue.id: longer than"},
		{"a Data Center comment whose self URL names no issue", nil, `{"webhookEvent": "comment_created", "timestamp": 1791162000000, "comment": {"id": 1, "self": "https://jira.example.com/rest/api/2/comment/1", "author": {"key": "a"}}}`, "issue: is required (or comment.self"},
		{"a bad assignee on creation", nil, `{"webhookEvent": "jira:issue_created", "timestamp": 1791162000000, "issue": {"id": 1, "key": "SUP-1", "fields": {"assignee": {"accountId": "` + long + `"}}}}`, "issue.fields.assignee.accountId: longer than"},
		{"a bad reporter", nil, `{"webhookEvent": "jira:issue_created", "timestamp": 1791162000000, "issue": {"id": 1, "key": "SUP-1", "fields": {"reporter": {"accountId": "` + long + `"}}}}`, "issue.fields.reporter.accountId: longer than"},
		{"labels that are not strings", nil, `{"webhookEvent": "jira:issue_created", "timestamp": 1791162000000, "issue": {"id": 1, "key": "SUP-1", "fields": {"labels": "a b"}}}`, "issue.fields.labels: wrong type"},
		{"a changelog without id", nil, `{"webhookEvent": "jira:issue_updated", "timestamp": 1791162000000, "issue": {"id": "1", "key": "SUP-1"}, "changelog": {"items": [{"field": "status", "toString": "Open"}]}}`, "changelog.id: is required"},
		{"items that are not a list", nil, `{"webhookEvent": "jira:issue_updated", "timestamp": 1791162000000, "issue": {"id": "1", "key": "SUP-1"}, "changelog": {"id": 1, "items": {}}}`, "changelog.items: wrong type"},
		{"a status change without new status", nil, updateBody(`{"field": "status", "toString": null}`, ""), "changelog.items[0].toString: is required"},
		{"a bad assignee id", nil, updateBody(`{"field": "assignee", "to": "`+long+`"}`, ""), "changelog.items[0].to: longer than"},
		{"an assignee id of the wrong type", nil, updateBody(`{"field": "assignee", "to": ["a"]}`, ""), "changelog.items.to: wrong type"},
		{"comment_created without comment", nil, `{"webhookEvent": "comment_created", ` + issue + `}`, "comment: is required"},
		{"a comment without id", nil, comment(`{"author": {"accountId": "a", "accountType": "atlassian"}}`), "comment.id: is required"},
		{"a comment without author", nil, comment(`{"id": 1}`), "comment.author: is required"},
		{"a comment whose author has no id", nil, comment(`{"id": 1, "author": {"displayName": "a"}}`), "comment.author.accountId: is required"},
		{"a comment with a bad author id", nil, comment(`{"id": 1, "author": {"accountId": "` + long + `", "accountType": "atlassian"}}`), "comment.author.accountId: longer than"},
		{"an agent comment without account id", nil, comment(`{"id": 1, "author": {"accountType": "atlassian"}}`), "comment.author.accountId: is required"},
		{"jsdPublic as a string", nil, comment(`{"id": 1, "author": {"accountId": "a", "accountType": "atlassian"}, "jsdPublic": "false"}`), "comment.jsdPublic: wrong type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := jira.Parse(event.Delivery{Header: tc.headers, Body: []byte(tc.body)})
			if got != nil {
				t.Errorf("got %d events with the error, want none", len(got))
			}
			if code := errcode.Code(err); code != errcode.Invalid {
				t.Fatalf("code = %q (err %v), want %q", code, err, errcode.Invalid)
			}
			if msg := errcode.Message(err); !strings.HasPrefix(msg, tc.field) {
				t.Errorf("message = %q, want it to start with %q", msg, tc.field)
			}
		})
	}
}

// A value a Jira site may legitimately send is read, never refused: the
// policy maps custom statuses and priorities, and what nobody mapped is
// read by default with a warning naming the field.
func TestValuesReadByDefault(t *testing.T) {
	set, err := policy.Parse([]byte("base: default\nversion: t\nsources:\n  jira:\n    statuses: {Limbo: pending}\n    priorities: {Обычный: normal, P0: urgent}\n"))
	if err != nil {
		t.Fatal(err)
	}
	parse := jira.Parser(set.SourceFor("jira"))
	tests := []struct {
		name     string
		body     string
		want     func(e event.Event) bool
		warnings int
	}{
		{"a custom status the policy maps", updateBody(statusItem("LIMBO"), ""), func(e event.Event) bool { return e.Status == event.StatusPending }, 0},
		{"a custom status nobody mapped, without category, is open", updateBody(statusItem("Shipped"), ""), func(e event.Event) bool { return e.Status == event.StatusOpen }, 1},
		{"a custom priority the policy maps", updateBody(`{"field": "priority", "toString": "p0"}`, ""), func(e event.Event) bool { return e.Priority == event.Urgent }, 0},
		{"a localised priority the policy maps", updateBody(`{"field": "priority", "toString": "Обычный"}`, ""), func(e event.Event) bool { return e.Priority == event.Normal }, 0},
		{"a priority nobody mapped is normal", updateBody(`{"field": "priority", "toString": "Sev 2"}`, ""), func(e event.Event) bool { return e.Priority == event.Normal }, 1},
		{"an account type Jira may add is a person for the directory to judge",
			`{"webhookEvent": "comment_created", "timestamp": 1791162000000, "issue": {"id": "1"}, "comment": {"id": 1, "author": {"accountId": "a", "accountType": "unknown"}}}`,
			func(e event.Event) bool { return e.Actor == event.Actor{ID: "a", Kind: event.Person} && e.Public }, 0},
		{"an internal comment by an author of unknown kind is an agent's note",
			`{"webhookEvent": "comment_created", "timestamp": 1791162000000, "issue": {"id": "1"}, "comment": {"id": 1, "jsdPublic": false, "author": {"key": "JIRAUSER1"}}}`,
			func(e event.Event) bool {
				return e.Type == event.Note && e.Actor == event.Actor{ID: "JIRAUSER1", Kind: event.Agent}
			}, 0},
		{"the reporter's comment is the customer's even with a licensed account",
			`{"webhookEvent": "comment_created", "timestamp": 1791162000000, "issue": {"id": "1", "fields": {"reporter": {"accountId": "c", "accountType": "atlassian"}}}, "comment": {"id": 1, "author": {"accountId": "c", "accountType": "atlassian"}}}`,
			func(e event.Event) bool { return e.Actor == event.Actor{ID: "c", Kind: event.Customer} }, 0},
		{"a changelog's username is the assignee's accountId, as the fields name them",
			updateBody(`{"field": "assignee", "fieldId": "assignee", "to": "mia", "toString": "Mia"}`, "") + ``,
			func(e event.Event) bool { return e.AssigneeID == "mia" }, 0},
		{"tmpToAccountId names the accountId beside a username",
			updateBody(`{"field": "assignee", "fieldId": "assignee", "to": "mia", "tmpToAccountId": "5b10"}`, ""),
			func(e event.Event) bool { return e.AssigneeID == "5b10" }, 0},
		{"an issue reported by an automation has no customer",
			`{"webhookEvent": "jira:issue_created", "timestamp": 1791162000000, "issue": {"id": "1", "fields": {"reporter": {"accountId": "bot", "accountType": "app"}}}}`,
			func(e event.Event) bool { return e.Customer == nil }, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var warned []string
			got, err := parse(event.Delivery{Body: []byte(tc.body), Warn: func(field, problem string) { warned = append(warned, field+": "+problem) }})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(got) != 1 || !tc.want(got[0]) {
				t.Errorf("got %+v", got)
			}
			if len(warned) != tc.warnings {
				t.Errorf("warnings %q, want %d", warned, tc.warnings)
			}
		})
	}
	t.Run("an assignee named by username takes the accountId the fields give", func(t *testing.T) {
		body := `{"timestamp": 1791162000000, "webhookEvent": "jira:issue_updated", "issue": {"id": "1", "fields": {"assignee": {"accountId": "5c5f", "name": "admin", "key": "admin"}}}, "changelog": {"id": "9", "items": [{"field": "assignee", "fieldId": "assignee", "to": "admin"}]}}`
		got, err := parse(event.Delivery{Body: []byte(body)})
		if err != nil || len(got) != 1 || got[0].AssigneeID != "5c5f" {
			t.Fatalf("got %+v, %v; want assignee 5c5f", got, err)
		}
	})
}

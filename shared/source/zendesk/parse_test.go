package zendesk_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/source/zendesk"
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

var requester = &event.CustomerInfo{ID: "8447388090001"}

func TestParseSamples(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []event.Event
	}{
		{
			name: "a created ticket carries status, priority, type, tags, assignee and requester",
			file: "ticket_created.json",
			want: []event.Event{{
				Source: "zendesk", ID: "6c9c1a4e-4a1b-4f0b-9d5e-1f2a3b4c5d01", TicketID: "5158",
				Type: event.Created, OccurredAt: utc("2026-10-05T01:02:03.123456789Z"),
				AssigneeID: "8447388090494", Status: event.StatusOpen, Priority: event.High,
				Tags: []string{"complaint", "printer", "vip"}, HasTags: true, TicketType: "incident",
				Customer: requester,
			}},
		},
		{
			name: "numeric ids, lower-case status and null fields are read",
			file: "ticket_created_numeric_ids.json",
			want: []event.Event{{
				Source: "zendesk", ID: "01HNXXXX-CTEXAMPLE", TicketID: "35436",
				Type: event.Created, OccurredAt: utc("2026-10-05T01:10:00Z"),
				Status: event.StatusNew, HasTags: true,
				Customer: &event.CustomerInfo{ID: "20978392"},
			}},
		},
		{
			name: "solved is resolved",
			file: "ticket_status_changed.json",
			want: []event.Event{{
				Source: "zendesk", ID: "a8b9c1d2-3e4f-5a6b-7c8d-9e0f1a2b3c4d", TicketID: "5158",
				Type: event.StatusChanged, OccurredAt: utc("2026-10-05T03:45:20.987654321Z"),
				Status: event.StatusResolved, Customer: requester,
			}},
		},
		{
			name: "hold is on_hold",
			file: "ticket_status_changed_hold.json",
			want: []event.Event{{
				Source: "zendesk", ID: "0f4d2c1b-7e6a-4d3b-8c2a-91e0d4b5a6c7", TicketID: "5158",
				Type: event.StatusChanged, OccurredAt: utc("2026-10-05T02:00:00Z"),
				Status: event.StatusOnHold, Customer: requester,
			}},
		},
		{
			name: "a priority change takes the new priority",
			file: "ticket_priority_changed.json",
			want: []event.Event{{
				Source: "zendesk", ID: "b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e", TicketID: "5158",
				Type: event.PriorityChanged, OccurredAt: utc("2026-10-05T01:30:00.5Z"),
				Priority: event.Urgent, Customer: requester,
			}},
		},
		{
			name: "a tags change carries the full normalised set from detail",
			file: "ticket_tags_changed.json",
			want: []event.Event{{
				Source: "zendesk", ID: "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", TicketID: "5158",
				Type: event.TagsChanged, OccurredAt: utc("2026-10-05T01:40:00Z"),
				Tags: []string{"complaint", "printer", "refund", "vip"}, HasTags: true, Customer: requester,
			}},
		},
		{
			name: "a type change is a tags_changed with only the ticket type",
			file: "ticket_type_changed.json",
			want: []event.Event{{
				Source: "zendesk", ID: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", TicketID: "5158",
				Type: event.TagsChanged, OccurredAt: utc("2026-10-05T01:45:00Z"),
				TicketType: "problem", Customer: requester,
			}},
		},
		{
			name: "an assignment change takes the numeric current agent",
			file: "ticket_agent_assignment_changed.json",
			want: []event.Event{{
				Source: "zendesk", ID: "c6d7e8f9-0a1b-2c3d-4e5f-6a7b8c9d0e1f", TicketID: "5158",
				Type: event.Assigned, OccurredAt: utc("2026-10-05T02:15:45.789012345Z"),
				AssigneeID: "8447388090496", Customer: requester,
			}},
		},
		{
			name: "a null current agent unassigns",
			file: "ticket_agent_unassigned.json",
			want: []event.Event{{
				Source: "zendesk", ID: "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a", TicketID: "5158",
				Type: event.Assigned, OccurredAt: utc("2026-10-05T02:20:00Z"), Customer: requester,
			}},
		},
		{
			name: "a public comment by staff is a public agent reply",
			file: "ticket_comment_added_agent_public.json",
			want: []event.Event{{
				Source: "zendesk", ID: "d4f5c389-8f4a-4c2e-a1b9-8e4f39c71d52", TicketID: "5158",
				Type: event.Replied, OccurredAt: utc("2026-10-05T01:25:30.123456789Z"),
				Actor: event.Actor{ID: "8447388090494", Kind: event.Agent}, Public: true, Customer: requester,
			}},
		},
		{
			name: "a private comment by staff is an internal note",
			file: "ticket_comment_added_agent_private.json",
			want: []event.Event{{
				Source: "zendesk", ID: "f0e1d2c3-b4a5-4968-8776-655443322110", TicketID: "5158",
				Type: event.Note, OccurredAt: utc("2026-10-05T01:20:00Z"),
				Actor: event.Actor{ID: "8447388090777", Kind: event.Agent}, Customer: requester,
			}},
		},
		{
			name: "a comment by a non-staff author is a customer reply",
			file: "ticket_comment_added_customer.json",
			want: []event.Event{{
				Source: "zendesk", ID: "11223344-5566-4778-899a-abbccddeeff0", TicketID: "5158",
				Type: event.Replied, OccurredAt: utc("2026-10-05T01:35:00Z"),
				Actor: event.Actor{ID: "8447388090001", Kind: event.Customer}, Public: true, Customer: requester,
			}},
		},
		{
			name: "role admin, public and an upper-case type are understood; the time is kept in UTC",
			file: "ticket_comment_added_role.json",
			want: []event.Event{{
				Source: "zendesk", ID: "22334455-6677-4889-9aab-bccddeeff001", TicketID: "5158",
				Type: event.Replied, OccurredAt: utc("2026-10-04T23:36:00Z"),
				Actor: event.Actor{ID: "8447388090494", Kind: event.Agent}, Public: true, Customer: requester,
			}},
		},
		{
			name: "a subject change is ignored",
			file: "ticket_subject_changed.json",
		},
		{
			name: "a user event is ignored",
			file: "user_active_changed.json",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := zendesk.Parse(event.Delivery{Body: readSample(t, tc.file)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// ticketBody builds a ticket event of the given kind with extra members for
// detail and event.
func ticketBody(kind, detail, ev string) string {
	b := `{"type": "zen:event-type:ticket.` + kind + `", "id": "evt-1", "time": "2026-10-05T01:00:00Z", "subject": "zen:ticket:7"`
	if detail != "" {
		b += `, "detail": {` + detail + `}`
	}
	if ev != "" {
		b += `, "event": ` + ev
	}
	return b + "}"
}

func TestParseVariations(t *testing.T) {
	base := func(typ event.Type) event.Event {
		return event.Event{Source: "zendesk", ID: "evt-1", TicketID: "7", Type: typ, OccurredAt: utc("2026-10-05T01:00:00Z")}
	}
	with := func(typ event.Type, edit func(*event.Event)) []event.Event {
		e := base(typ)
		edit(&e)
		return []event.Event{e}
	}
	tests := []struct {
		name string
		body string
		want []event.Event
	}{
		{"status falls back on detail without event.current", ticketBody("status_changed", `"status": "Pending"`, `{}`),
			with(event.StatusChanged, func(e *event.Event) { e.Status = event.StatusPending })},
		{"status values in any case", ticketBody("status_changed", ``, `{"current": "cLoSeD"}`),
			with(event.StatusChanged, func(e *event.Event) { e.Status = event.StatusClosed })},
		{"a status change to deleted is ignored", ticketBody("status_changed", ``, `{"current": "DELETED"}`), nil},
		{"an archived ticket is ignored", ticketBody("status_changed", `"status": "archived"`, ``), nil},
		{"priority falls back on detail", ticketBody("priority_changed", `"priority": "low"`, ``),
			with(event.PriorityChanged, func(e *event.Event) { e.Priority = event.Low })},
		{"a cleared priority is ignored", ticketBody("priority_changed", `"priority": null`, `{"current": null, "previous": "LOW"}`), nil},
		{"a cleared type is ignored", ticketBody("type_changed", ``, `{"current": null}`), nil},
		{"type falls back on detail", ticketBody("type_changed", `"type": "Question"`, ``),
			with(event.TagsChanged, func(e *event.Event) { e.TicketType = "question" })},
		{"tags from event.current when detail has none", ticketBody("tags_changed", ``, `{"current": ["B", "a"]}`),
			with(event.TagsChanged, func(e *event.Event) { e.Tags, e.HasTags = []string{"a", "b"}, true })},
		{"an empty tag set clears the tags", ticketBody("tags_changed", `"tags": []`, ``),
			with(event.TagsChanged, func(e *event.Event) { e.HasTags = true })},
		{"assignee falls back on detail", ticketBody("agent_assignment_changed", `"assignee_id": 42`, ``),
			with(event.Assigned, func(e *event.Event) { e.AssigneeID = "42" })},
		{"the ticket id may come from detail alone", `{"type": "zen:event-type:ticket.created", "id": 99, "time": "2026-10-05T01:00:00Z", "detail": {"id": "7"}}`,
			with(event.Created, func(e *event.Event) { e.ID = "99" })},
		{"a created ticket without detail", ticketBody("created", ``, ``), with(event.Created, func(*event.Event) {})},
		{"a comment by the requester without is_staff or role is the customer's",
			ticketBody("comment_added", `"requester_id": "5"`, `{"comment": {"is_public": true, "author": {"id": "5"}}}`),
			with(event.Replied, func(e *event.Event) {
				e.Public, e.Actor, e.Customer = true, event.Actor{ID: "5", Kind: event.Customer}, &event.CustomerInfo{ID: "5"}
			})},
		{"role end-user is a customer", ticketBody("comment_added", ``, `{"comment": {"is_public": true, "author": {"id": "5", "role": "end-user"}}}`),
			with(event.Replied, func(e *event.Event) { e.Public, e.Actor = true, event.Actor{ID: "5", Kind: event.Customer} })},
		{"a private customer comment stays a non-public reply", ticketBody("comment_added", ``, `{"comment": {"is_public": false, "author": {"id": "5", "is_staff": false}}}`),
			with(event.Replied, func(e *event.Event) { e.Actor = event.Actor{ID: "5", Kind: event.Customer} })},
		{"author -1 is Zendesk's system user", ticketBody("comment_added", ``, `{"comment": {"is_public": true, "author": {"id": -1, "is_staff": true}}}`),
			with(event.Replied, func(e *event.Event) { e.Public, e.Actor = true, event.Actor{ID: "-1", Kind: event.System} })},
		{"a non-ticket event is ignored whatever its detail holds", `{"type": "zen:event-type:agent.state_changed", "detail": {"status": true, "tags": "x"}}`, nil},
		{"an event with surrounding whitespace", "\n  " + ticketBody("created", ``, ``) + "\n",
			with(event.Created, func(*event.Event) {})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := zendesk.Parse(event.Delivery{Body: []byte(tc.body)})
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
	tests := []struct {
		name  string
		body  string
		field string // the message must start with it
	}{
		{"an empty body", ``, "body is empty"},
		{"a JSON array", `[]`, "body must be a JSON object"},
		{"broken JSON", `{"type": `, "malformed JSON"},
		{"no type: a trigger webhook with a custom body", `{"ticket": {"id": 1}}`, "type: is required"},
		{"a type that is not Zendesk's", `{"type": "ticket.created"}`, "type:"},
		{"a type of the wrong JSON type", `{"type": 5}`, "type: wrong type"},
		{"no id", `{"type": "zen:event-type:ticket.created", "time": "2026-10-05T01:00:00Z", "subject": "zen:ticket:7"}`, "id: is required"},
		{"an object id", `{"type": "zen:event-type:ticket.created", "id": {}}`, "id: wrong type"},
		{"an overlong id", `{"type": "zen:event-type:ticket.created", "id": "` + long + `"}`, "id: longer than"},
		{"a control character in the id", `{"type": "zen:event-type:ticket.created", "id": "a\u0001b"}`, "id: contains a control"},
		{"no time", `{"type": "zen:event-type:ticket.created", "id": "e"}`, "time: is required"},
		{"a time without a zone", `{"type": "zen:event-type:ticket.created", "id": "e", "time": "2026-10-05 01:00:00"}`, "time:"},
		{"a time in 1970", `{"type": "zen:event-type:ticket.created", "id": "e", "time": "1970-01-01T00:00:00Z"}`, "time: 1970-01-01T00:00:00Z is outside"},
		{"no ticket id", `{"type": "zen:event-type:ticket.created", "id": "e", "time": "2026-10-05T01:00:00Z"}`, "detail.id: is required"},
		{"a subject that is not a ticket", `{"type": "zen:event-type:ticket.created", "id": "e", "time": "2026-10-05T01:00:00Z", "subject": "zen:user:5"}`, "subject:"},
		{"an empty ticket id in the subject", `{"type": "zen:event-type:ticket.created", "id": "e", "time": "2026-10-05T01:00:00Z", "subject": "zen:ticket: "}`, "subject: is required"},
		{"subject and detail disagree", ticketBody("created", `"id": "8"`, ``), "subject: ticket 7 does not match detail.id 8"},
		{"a bad detail.id", `{"type": "zen:event-type:ticket.created", "id": "e", "time": "2026-10-05T01:00:00Z", "detail": {"id": 1.5}}`, "detail.id: wrong type"},
		{"a bad requester id", ticketBody("created", `"requester_id": "`+long+`"`, ``), "detail.requester_id: longer than"},
		{"an unknown status on creation", ticketBody("created", `"status": "waiting"`, ``), `detail.status: "waiting" is not a Zendesk status`},
		{"a deleted status on creation", ticketBody("created", `"status": "deleted"`, ``), `detail.status:`},
		{"an unknown priority on creation", ticketBody("created", `"priority": "asap"`, ``), `detail.priority: "asap" is not a Zendesk priority`},
		{"an unknown type on creation", ticketBody("created", `"type": "complaint"`, ``), `detail.type: "complaint" is not a Zendesk ticket type`},
		{"tags that are not strings", ticketBody("created", `"tags": [1]`, ``), "detail.tags: wrong type"},
		{"a bad assignee on creation", ticketBody("created", `"assignee_id": "a\u0000"`, ``), "detail.assignee_id: contains a control"},
		{"an unknown new status", ticketBody("status_changed", ``, `{"current": "WAITING"}`), `event.current: "WAITING" is not a Zendesk status`},
		{"a missing new status", ticketBody("status_changed", ``, `{"current": null}`), "event.current: is required"},
		{"a status change without event or detail", ticketBody("status_changed", ``, ``), "event.current: is required"},
		{"a new status of the wrong type", ticketBody("status_changed", ``, `{"current": {"status": "open"}}`), "event.current: must be a string"},
		{"an event that is not an object", ticketBody("status_changed", ``, `"open"`), "event: must be an object"},
		{"an unknown new priority", ticketBody("priority_changed", ``, `{"current": "P1"}`), `event.current: "P1" is not a Zendesk priority`},
		{"an unknown new type", ticketBody("type_changed", ``, `{"current": "bug"}`), `event.current: "bug" is not a Zendesk ticket type`},
		{"a tags change without any tag set", ticketBody("tags_changed", ``, `{"tags_added": ["a"]}`), "detail.tags: is required"},
		{"a tags change with a non-array current", ticketBody("tags_changed", ``, `{"current": "a b"}`), "event.current: must be the array of tags"},
		{"an assignee of the wrong type", ticketBody("agent_assignment_changed", ``, `{"current": true}`), "event.current: must be a string"},
		{"an overlong assignee", ticketBody("agent_assignment_changed", ``, `{"current": "`+long+`"}`), "event.current: longer than"},
		{"a comment event without a comment", ticketBody("comment_added", ``, `{}`), "event.comment: is required"},
		{"a comment without is_public", ticketBody("comment_added", ``, `{"comment": {"author": {"id": 1, "is_staff": true}}}`), "event.comment.is_public: is required"},
		{"a comment with a string is_public", ticketBody("comment_added", ``, `{"comment": {"is_public": "yes"}}`), "event.comment.is_public: wrong type"},
		{"a comment without an author", ticketBody("comment_added", ``, `{"comment": {"is_public": true}}`), "event.comment.author: is required"},
		{"an author without id or role", ticketBody("comment_added", ``, `{"comment": {"is_public": true, "author": {"name": "x"}}}`), "event.comment.author: needs an id"},
		{"an unknown role", ticketBody("comment_added", ``, `{"comment": {"is_public": true, "author": {"id": 3, "role": "robot"}}}`), `event.comment.author.role: "robot"`},
		{"an agent comment without author id", ticketBody("comment_added", ``, `{"comment": {"is_public": true, "author": {"is_staff": true}}}`), "event.comment.author.id: is required"},
		{"a bad author id", ticketBody("comment_added", ``, `{"comment": {"is_public": true, "author": {"id": "`+long+`", "is_staff": true}}}`), "event.comment.author.id: longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := zendesk.Parse(event.Delivery{Body: []byte(tc.body)})
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

func TestClipKeepsMessagesShortAndValid(t *testing.T) {
	long := strings.Repeat("é", 60)
	_, err := zendesk.Parse(event.Delivery{Body: []byte(ticketBody("created", `"status": "`+long+`"`, ``))})
	msg := errcode.Message(err)
	if strings.Contains(msg, long) || !strings.Contains(msg, "…") || !utf8.ValidString(msg) {
		t.Errorf("message = %q, want a clipped value that stays valid UTF-8", msg)
	}
	if !strings.HasPrefix(msg, "detail.status:") {
		t.Errorf("message = %q, want it to name detail.status", msg)
	}
}

// Messaging replies, comments whose author's role Zendesk leaves out, and
// ratings given in Zendesk's own survey.
func TestMessagingRolesAndRatings(t *testing.T) {
	received := utc("2026-10-05T06:00:00Z")
	msg := func(actor string) string {
		return `{"type": "zen:event-type:messaging_ticket.message_added", "id": "m-1", "time": "2026-10-05T01:00:00Z", "subject": "zen:ticket:7", "detail": {"id": "7"}, "event": {"actor": ` + actor + `, "message": {"id": "x", "body": "hi"}}}`
	}
	tests := []struct {
		name string
		body string
		want []event.Event
	}{
		{"an agent's messaging reply is a public agent reply", msg(`{"id": "9001", "type": "agent", "name": "Mia"}`),
			[]event.Event{{Source: "zendesk", ID: "m-1", TicketID: "7", Type: event.Replied, OccurredAt: utc("2026-10-05T01:00:00Z"), Public: true, Actor: event.Actor{ID: "9001", Kind: event.Agent}}}},
		{"an end user's message is the customer's", msg(`{"id": "6a4f", "type": "end_user"}`),
			[]event.Event{{Source: "zendesk", ID: "m-1", TicketID: "7", Type: event.Replied, OccurredAt: utc("2026-10-05T01:00:00Z"), Public: true, Actor: event.Actor{ID: "6a4f", Kind: event.Customer}}}},
		{"the answer bot never responds", msg(`{"id": "zd:answerBot", "type": "system"}`),
			[]event.Event{{Source: "zendesk", ID: "m-1", TicketID: "7", Type: event.Replied, OccurredAt: utc("2026-10-05T01:00:00Z"), Public: true, Actor: event.Actor{ID: "zd:answerBot", Kind: event.System}}}},
		{"a trigger's message never responds", msg(`{"id": "123", "type": "trigger"}`),
			[]event.Event{{Source: "zendesk", ID: "m-1", TicketID: "7", Type: event.Replied, OccurredAt: utc("2026-10-05T01:00:00Z"), Public: true, Actor: event.Actor{ID: "123", Kind: event.System}}}},
		{"a comment whose author has no role is a person's, for the directory to judge",
			ticketBody("comment_added", `"requester_id": "5"`, `{"comment": {"id": 1, "is_public": true, "author": {"id": 3}}}`),
			[]event.Event{{Source: "zendesk", ID: "evt-1", TicketID: "7", Type: event.Replied, OccurredAt: utc("2026-10-05T01:00:00Z"), Public: true, Actor: event.Actor{ID: "3", Kind: event.Person}, Customer: &event.CustomerInfo{ID: "5"}}}},
		{"a rating of good in Zendesk's survey is a 5",
			`{"satisfaction": {"ticket_id": "7", "rating": "Good", "comment": "quick", "rated_at": "2026-10-05T02:00:00Z", "requester_id": "5"}}`,
			[]event.Event{{Source: "zendesk", ID: "csat:7:2026-10-05T02:00:00Z", TicketID: "7", Type: event.SurveyAnswered, OccurredAt: utc("2026-10-05T02:00:00Z"), Rating: 5, Comment: "quick", Actor: event.Actor{ID: "5", Kind: event.Customer}, Customer: &event.CustomerInfo{ID: "5"}}}},
		{"bad is a 1, at the time received when the trigger sends no time",
			`{"satisfaction": {"ticket_id": 7, "rating": "bad"}}`,
			[]event.Event{{Source: "zendesk", ID: "csat:7:2026-10-05T06:00:00Z", TicketID: "7", Type: event.SurveyAnswered, OccurredAt: received, Rating: 1}}},
		{"a five-point score is kept", `{"satisfaction": {"ticket_id": "7", "rating": "4", "rated_at": "2026-10-05T02:00:00Z"}}`,
			[]event.Event{{Source: "zendesk", ID: "csat:7:2026-10-05T02:00:00Z", TicketID: "7", Type: event.SurveyAnswered, OccurredAt: utc("2026-10-05T02:00:00Z"), Rating: 4}}},
		{"an offered survey without an answer is nothing", `{"satisfaction": {"ticket_id": "7", "rating": "Offered"}}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := zendesk.Parse(event.Delivery{Body: []byte(tc.body), Received: received})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("a rating that is not one is refused", func(t *testing.T) {
		_, err := zendesk.Parse(event.Delivery{Body: []byte(`{"satisfaction": {"ticket_id": "7", "rating": "great"}}`), Received: received})
		if msg := errcode.Message(err); !strings.HasPrefix(msg, `satisfaction.rating: "great"`) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestSatisfactionTemplate(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(zendesk.SatisfactionTemplate, "\n") {
		if !strings.Contains(string(doc), "//\t"+line+"\n") {
			t.Errorf("doc.go lacks the template line %q", line)
		}
	}
	body := strings.NewReplacer("{{ticket.id}}", "4711", "{{satisfaction.current_rating}}", "Good, I'm satisfied",
		"{{satisfaction.current_comment}}", "", "{{ticket.updated_at_with_timestamp}}", "2026-10-05T02:00:00Z", "{{ticket.requester.id}}", "5").Replace(zendesk.SatisfactionTemplate)
	got, err := zendesk.Parse(event.Delivery{Body: []byte(body), Received: time.Now()})
	if err != nil || len(got) != 1 || got[0].Rating != 5 || got[0].TicketID != "4711" || got[0].Type != event.SurveyAnswered {
		t.Errorf("got %+v, %v", got, err)
	}
}

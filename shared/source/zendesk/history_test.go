package zendesk_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source/vendorapi"
	"scorecard/shared/source/zendesk"
)

func readHistory(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "history", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hist(audit, child string) string { return "hist:zendesk:" + audit + ":" + child }

// docsCommentPage wraps the comment child event of Zendesk's documented
// comment_events sideload example in a page. The docs' example is a
// fragment ("..." elisions) whose html_body line is not valid JSON (its
// quotes are not escaped): the child object is cut out as published, that
// one line dropped, and the surrounding audit and page written here (see
// testdata/history/README.md).
func docsCommentPage(t testing.TB) []byte {
	t.Helper()
	frag := string(readHistory(t, "docs_comment_events_sideload_fragment.txt"))
	start := strings.Index(frag, "  {\n")
	end := strings.Index(frag, "\n  },")
	if start < 0 || end < 0 {
		t.Fatal("fragment has no child object")
	}
	var lines []string
	for _, l := range strings.Split(frag[start:end+4], "\n") {
		if !strings.Contains(l, `"html_body"`) {
			lines = append(lines, l)
		}
	}
	child := strings.Join(lines, "\n")
	return []byte(`{"ticket_events": [{"id": 91048994468, "ticket_id": 1, "created_at": "2009-06-25T10:15:18Z",
		"updater_id": 5031726587, "event_type": "Audit", "child_events": [` + child + `]}],
		"end_time": 1245924918, "end_of_stream": true, "count": 1}`)
}

func TestParseHistoryCaptures(t *testing.T) {
	tests := []struct {
		name string
		body func(testing.TB) []byte
		want vendorapi.Page
	}{
		{
			name: "a real export page (no sideload): creations, comments of requesters, type and priority changes",
			body: func(t testing.TB) []byte {
				return readHistory(t, "embulk_ticket_events_updated_by_system_records.json")
			},
			want: vendorapi.Page{
				Tickets: 3, Next: "1550645522", Through: utc("2019-02-20T06:52:02Z"), Done: false,
				Events: []event.Event{
					{Source: "zendesk", Imported: true, ID: hist("614323587394", "614323587594"), TicketID: "1", Type: event.Created,
						OccurredAt: utc("2019-02-20T06:50:45Z"), AssigneeID: "374673563333", Status: event.StatusOpen,
						Tags: []string{"sample", "support", "zendesk"}, HasTags: true, Customer: &event.CustomerInfo{ID: "374737473854"}},
					{Source: "zendesk", Imported: true, ID: hist("614323587394", "614323587494"), TicketID: "1", Type: event.Replied,
						OccurredAt: utc("2019-02-20T06:50:45Z"), Public: true, Actor: event.Actor{ID: "374737473854", Kind: event.Customer}},
					{Source: "zendesk", Imported: true, ID: hist("614323589894", "614323589934"), TicketID: "1", Type: event.TagsChanged,
						OccurredAt: utc("2019-02-20T06:50:45Z"), TicketType: "incident"},
					{Source: "zendesk", Imported: true, ID: hist("614323589894", "614323589954"), TicketID: "1", Type: event.PriorityChanged,
						OccurredAt: utc("2019-02-20T06:50:45Z"), Priority: event.Normal},
					{Source: "zendesk", Imported: true, ID: hist("613784741453", "613784741673"), TicketID: "2", Type: event.Created,
						OccurredAt: utc("2019-02-20T06:51:50Z"), AssigneeID: "374673563333", Status: event.StatusOpen,
						Customer: &event.CustomerInfo{ID: "374673563333"}},
					{Source: "zendesk", Imported: true, ID: hist("613784741453", "613784741493"), TicketID: "2", Type: event.Replied,
						OccurredAt: utc("2019-02-20T06:51:50Z"), Public: true, Actor: event.Actor{ID: "374673563333", Kind: event.Customer}},
					{Source: "zendesk", Imported: true, ID: hist("613784845093", "613784845173"), TicketID: "3", Type: event.Created,
						OccurredAt: utc("2019-02-20T06:52:02Z"), AssigneeID: "374673563333", Status: event.StatusOpen,
						Customer: &event.CustomerInfo{ID: "374673563333"}},
					{Source: "zendesk", Imported: true, ID: hist("613784845093", "613784845113"), TicketID: "3", Type: event.Replied,
						OccurredAt: utc("2019-02-20T06:52:02Z"), Public: true, Actor: event.Actor{ID: "374673563333", Kind: event.Customer}},
				},
			},
		},
		{
			name: "the docs' example answer (a metric event, no child events) gives no events and ends the stream",
			body: func(t testing.TB) []byte { return readHistory(t, "docs_incremental_ticket_event_export_response.json") },
			want: vendorapi.Page{Next: "1601357503", Through: utc("2020-09-29T05:31:43Z"), Done: true},
		},
		{
			name: "the docs' comment_events child: a public comment by an author the page does not classify",
			body: docsCommentPage,
			want: vendorapi.Page{
				Tickets: 1, Next: "1245924918", Through: utc("2009-06-25T10:15:18Z"), Done: true,
				Events: []event.Event{{Source: "zendesk", Imported: true, ID: hist("91048994468", "91048994488"), TicketID: "1",
					Type: event.Replied, OccurredAt: utc("2009-06-25T10:15:18Z"), Public: true,
					Actor: event.Actor{ID: "5031726587", Kind: event.Person}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body(t)
			got, err := zendesk.ParseHistoryPage(body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
			for _, e := range got.Events {
				checkValid(t, e)
			}
			again, _ := zendesk.ParseHistoryPage(body)
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("the same answer read twice differs:\n%s", diff)
			}
		})
	}
}

// page builds an export answer around one audit's child events.
func page(children string) []byte {
	return []byte(`{"ticket_events": [{"id": 10, "ticket_id": 7, "created_at": "2026-01-02T03:04:05Z", "updater_id": 42,
		"event_type": "Audit", "child_events": [` + children + `]}], "end_time": 1767323045, "end_of_stream": true}`)
}

func TestParseHistoryValues(t *testing.T) {
	at := utc("2026-01-02T03:04:05Z")
	ev := func(child string, typ event.Type, f func(e *event.Event)) []event.Event {
		e := event.Event{Source: "zendesk", Imported: true, ID: hist("10", child), TicketID: "7", Type: typ, OccurredAt: at}
		f(&e)
		return []event.Event{e}
	}
	tests := []struct {
		name     string
		children string
		want     []event.Event
	}{
		{"status change, any letter case", `{"id": 11, "status": "Solved", "previous_value": "open", "event_type": "Change"}`,
			ev("11", event.StatusChanged, func(e *event.Event) { e.Status = event.StatusResolved })},
		{"hold is on hold", `{"id": 11, "status": "hold", "event_type": "Change"}`,
			ev("11", event.StatusChanged, func(e *event.Event) { e.Status = event.StatusOnHold })},
		{"a lifecycle status is skipped", `{"id": 11, "status": "deleted", "event_type": "Change"}`, nil},
		{"a status Zendesk may add is skipped", `{"id": 11, "status": "escalated", "event_type": "Change"}`, nil},
		{"a priority Zendesk may add is skipped", `{"id": 11, "priority": "critical", "event_type": "Change"}`, nil},
		{"a cleared priority is skipped", `{"id": 11, "priority": null, "event_type": "Change"}`, nil},
		{"a ticket type Zendesk may add is skipped", `{"id": 11, "type": "bug", "event_type": "Change"}`, nil},
		{"tags: the full set, normalised", `{"id": 11, "tags": ["VIP", "printer", "vip"], "added_tags": ["VIP"], "removed_tags": [], "event_type": "Change", "previous_value": ["printer"]}`,
			ev("11", event.TagsChanged, func(e *event.Event) { e.Tags, e.HasTags = []string{"printer", "vip"}, true })},
		{"assignment", `{"id": 11, "assignee_id": 361001, "event_type": "Change", "previous_value": null}`,
			ev("11", event.Assigned, func(e *event.Event) { e.AssigneeID = "361001" })},
		{"unassignment", `{"id": 11, "assignee_id": null, "event_type": "Change", "previous_value": "361001"}`,
			ev("11", event.Assigned, func(e *event.Event) {})},
		{"a private comment by a person is a note by an agent", `{"id": 11, "type": "Comment", "author_id": 361001, "public": false, "event_type": "Comment"}`,
			ev("11", event.Note, func(e *event.Event) { e.Actor = event.Actor{ID: "361001", Kind: event.Agent} })},
		{"a comment of Zendesk's system user never responds", `{"id": 11, "type": "Comment", "author_id": -1, "public": true, "event_type": "Comment"}`,
			ev("11", event.Replied, func(e *event.Event) { e.Public, e.Actor = true, event.Actor{ID: "-1", Kind: event.System} })},
		{"a comment without the sideload is the updater's", `{"id": 11, "comment_present": true, "comment_public": true, "event_type": "Comment"}`,
			ev("11", event.Replied, func(e *event.Event) { e.Public, e.Actor = true, event.Actor{ID: "42", Kind: event.Person} })},
		{"no comment present is nothing", `{"id": 11, "comment_present": false, "comment_public": false, "event_type": "Comment"}`, nil},
		{"the requester's private comment (a messaging transcript) is a customer's reply",
			`{"id": 11, "type": "Comment", "author_id": 5, "public": false, "event_type": "Comment"}, {"id": 12, "requester_id": 5, "event_type": "Create"}`,
			[]event.Event{
				{Source: "zendesk", Imported: true, ID: hist("10", "12"), TicketID: "7", Type: event.Created, OccurredAt: at, Customer: &event.CustomerInfo{ID: "5"}},
				{Source: "zendesk", Imported: true, ID: hist("10", "11"), TicketID: "7", Type: event.Replied, OccurredAt: at, Actor: event.Actor{ID: "5", Kind: event.Customer}},
			}},
		{"a good rating with its comment", `{"id": 11, "satisfaction_score": "good", "event_type": "Change", "previous_value": "offered"}, {"id": 12, "satisfaction_comment": " Thanks ", "event_type": "Change", "previous_value": null}`,
			ev("11", event.SurveyAnswered, func(e *event.Event) {
				e.Rating, e.Comment, e.Actor, e.Customer = 5, "Thanks", event.Actor{ID: "42", Kind: event.Customer}, &event.CustomerInfo{ID: "42"}
			})},
		{"a bad rating", `{"id": 11, "satisfaction_score": "bad", "event_type": "Change"}`,
			ev("11", event.SurveyAnswered, func(e *event.Event) {
				e.Rating, e.Actor, e.Customer = 1, event.Actor{ID: "42", Kind: event.Customer}, &event.CustomerInfo{ID: "42"}
			})},
		{"a SatisfactionRating child", `{"id": 11, "type": "SatisfactionRating", "score": "good", "body": "Great", "assignee_id": 361001, "event_type": "SatisfactionRating"}`,
			ev("11", event.SurveyAnswered, func(e *event.Event) {
				e.Rating, e.Comment, e.Actor, e.Customer = 5, "Great", event.Actor{ID: "42", Kind: event.Customer}, &event.CustomerInfo{ID: "42"}
			})},
		{"an offered survey is no answer", `{"id": 11, "satisfaction_score": "offered", "event_type": "Change", "previous_value": "unoffered"}`, nil},
		{"other fields and child event types are skipped",
			`{"id": 11, "subject": "x", "event_type": "Change"}, {"id": 12, "event_type": "Notification", "recipients": [1]}, {"id": 13, "event_type": "VoiceComment"}, {"id": 14, "custom_ticket_fields": {}, "event_type": "Change"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := zendesk.ParseHistoryPage(page(tt.children))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			for _, e := range got.Events {
				checkValid(t, e)
			}
		})
	}
}

func TestParseHistoryMalformed(t *testing.T) {
	tests := []struct {
		name, body, field string
	}{
		{"not an object", `[]`, "body"},
		{"no ticket_events", `{"end_time": 1}`, "ticket_events"},
		{"no end_time", `{"ticket_events": []}`, "end_time"},
		{"end_time not a number", `{"ticket_events": [], "end_time": "soon"}`, "end_time"},
		{"a ticket event not an object", `{"ticket_events": [3], "end_time": 1767323045}`, "ticket_events[0]"},
		{"no ticket_id", `{"ticket_events": [{"id": 1, "created_at": "2026-01-02T03:04:05Z", "child_events": []}], "end_time": 1767323045}`, "ticket_events[0].ticket_id"},
		{"bad created_at", `{"ticket_events": [{"id": 1, "ticket_id": 2, "created_at": "yesterday", "child_events": [{"id": 3, "status": "open", "event_type": "Change"}]}], "end_time": 1767323045}`, "ticket_events[0].created_at"},
		{"child without id", string(page(`{"status": "open", "event_type": "Change"}`)), "ticket_events[0].child_events[0].id"},
		{"status not a string", string(page(`{"id": 11, "status": 3, "event_type": "Change"}`)), "ticket_events[0].child_events[0].status"},
		{"tags not a list", string(page(`{"id": 11, "tags": "a b", "event_type": "Change"}`)), "ticket_events[0].child_events[0].tags"},
		{"comment without visibility", string(page(`{"id": 11, "author_id": 5, "event_type": "Comment"}`)), "ticket_events[0].child_events[0].public"},
		{"next_page with a bad start_time", `{"ticket_events": [], "end_time": 1767323045, "next_page": "https://x.zendesk.com/api/v2/incremental/ticket_events.json?start_time=x"}`, "next_page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := zendesk.ParseHistoryPage([]byte(tt.body))
			if err == nil {
				t.Fatalf("no error; page %+v", got)
			}
			if errcode.Code(err) != errcode.Invalid || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %v (code %q), want Invalid naming %s", err, errcode.Code(err), tt.field)
			}
			if len(got.Events) != 0 {
				t.Errorf("%d events with an error", len(got.Events))
			}
		})
	}
}

// clock is the fake's and the client's time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newExport serves fake and returns an exporter of it from since, on clk.
func newExport(t testing.TB, fake *vendorfake.ZendeskHistory, clk *clock, since time.Time) *zendesk.Exporter {
	t.Helper()
	fake.User, fake.Token, fake.Now = "admin@example.com/token", "zd-token", clk.Now
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	api, err := vendorapi.New(vendorapi.Credentials{BaseURL: srv.URL, User: fake.User, Token: fake.Token})
	if err != nil {
		t.Fatal(err)
	}
	api.Now = clk.Now
	return zendesk.NewExporter(api, since)
}

// importAll reads every page, waiting (on the fake clock) and asking again
// with the same cursor whenever the API says to retry later.
func importAll(t testing.TB, x *zendesk.Exporter, clk *clock) (pages []vendorapi.Page, retries int) {
	t.Helper()
	cursor := ""
	for range 100000 {
		p, err := x.Next(context.Background(), cursor)
		var rl *vendorapi.RetryLater
		if errors.As(err, &rl) {
			retries++
			clk.Advance(max(rl.After, time.Second))
			continue
		}
		if err != nil {
			t.Fatalf("cursor %q: %v", cursor, err)
		}
		pages = append(pages, p)
		if p.Done {
			return pages, retries
		}
		cursor = p.Next
	}
	t.Fatal("the import never ended")
	return nil, 0
}

func byTicket(pages []vendorapi.Page) map[string][]event.Event {
	out := map[string][]event.Event{}
	for _, p := range pages {
		for _, e := range p.Events {
			out[e.TicketID] = append(out[e.TicketID], e)
		}
	}
	return out
}

// captureTickets are fake tickets describing the same objects as the
// webhook captures in testdata/real: ticket 5158 (Zendesk's sample
// ticket.created) and ticket 71447 (a messaging ticket: its transcript
// comment and NEW → OPEN in the same update, one second after creation).
func captureTickets() []vendorfake.ZendeskTicket {
	return []vendorfake.ZendeskTicket{
		{ID: 5158, RequesterID: 8447388090494, Audits: []vendorfake.ZendeskAudit{{
			ID: 8447400000001, At: utc("2025-01-08T10:12:07Z"), UpdaterID: 8447388090494, Via: "Web Service",
			Changes: []vendorfake.ZendeskChange{
				{Kind: "Create", Field: "subject", Value: "ticketinfo_2294a6e9ece2"},
				{Kind: "Create", Field: "requester_id", Value: 8447388090494},
				{Kind: "Create", Field: "status", Value: "open"},
				{Kind: "Create", Field: "priority", Value: "low"},
				{Kind: "Create", Field: "type", Value: "task"},
				{Kind: "Create", Field: "tags", Value: []string{"ticket-info-test-tag"}},
				{Kind: "Create", Field: "assignee_id", Value: 8447388090494},
				{Kind: "Create", Field: "group_id", Value: 8447320466430},
			},
		}}},
		{ID: 71447, RequesterID: 58789189659033, Audits: []vendorfake.ZendeskAudit{
			{ID: 58789194470001, At: utc("2026-06-09T08:36:43Z"), UpdaterID: 58789189659033, Via: "Native messaging",
				Changes: []vendorfake.ZendeskChange{
					{Kind: "Create", Field: "requester_id", Value: 58789189659033},
					{Kind: "Create", Field: "status", Value: "new"},
					{Kind: "Create", Field: "type", Value: "incident"},
					{Kind: "Create", Field: "priority", Value: nil},
					{Kind: "Create", Field: "tags", Value: []string{"bot_chat", "not_a_reopen"}},
				}},
			{ID: 58789194475001, At: utc("2026-06-09T08:36:44Z"), UpdaterID: 58789189659033, Via: "Native messaging",
				Changes: []vendorfake.ZendeskChange{
					{Kind: "Comment", ID: 58789194475545, AuthorID: 58789189659033, Public: false, Body: "Conversation with Web User 6a27d07ec70c5f1aa576a17b"},
					{Kind: "Change", Field: "status", Value: "open", Previous: "new"},
				}},
		}},
	}
}

func webhookEvents(t testing.TB, files ...string) []event.Event {
	t.Helper()
	var out []event.Event
	for _, f := range files {
		evs, err := zendesk.Parse(event.Delivery{Body: readSample(t, filepath.Join("real", f)), Received: utc("2026-10-05T00:00:00Z")})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, evs...)
	}
	return out
}

func sec(t time.Time) time.Time { return t.Truncate(time.Second) }

func TestHistoryImportMatchesWebhooks(t *testing.T) {
	clk := &clock{t: utc("2026-12-01T00:00:00Z")}
	tickets := append(captureTickets(), vendorfake.ZendeskTickets(5, utc("2025-06-01T00:00:00Z"), 7)...)
	fake := &vendorfake.ZendeskHistory{Tickets: tickets, PerPage: 4, Limit: 10, Window: time.Minute}
	pages, retries := importAll(t, newExport(t, fake, clk, utc("2025-01-01T00:00:00Z")), clk)
	t.Logf("%d pages, %d retries after 429", len(pages), retries)
	imported := byTicket(pages)
	for _, evs := range imported {
		for _, e := range evs {
			if !e.Imported || e.Source != zendesk.Source || !strings.HasPrefix(e.ID, "hist:zendesk:") {
				t.Fatalf("event %+v is not an imported zendesk event", e)
			}
			checkValid(t, e)
		}
	}

	t.Run("ticket 5158: the sample ticket.created", func(t *testing.T) {
		hook := ticket.Reduce(webhookEvents(t, "zendesk-sample_ticket_created.json"))
		imp := ticket.Reduce(imported["5158"])
		if !sec(imp.CreatedAt).Equal(sec(hook.CreatedAt)) {
			t.Errorf("created at %v, webhook %v", imp.CreatedAt, hook.CreatedAt)
		}
		type view struct {
			Status      event.Status
			Priority    event.Priority
			Tags        []string
			TicketType  string
			AssigneeID  string
			Customer    *event.CustomerInfo
			First       *ticket.Response
			Resolutions []ticket.Resolution
			Assigned    []string
		}
		v := func(s ticket.State) view {
			var who []string
			for _, a := range s.Assignments {
				who = append(who, a.AgentID+"@"+sec(a.At).Format(time.RFC3339))
			}
			return view{s.Status, s.Priority, s.Tags, s.TicketType, s.AssigneeID, s.Customer, s.FirstResponse, s.Resolutions, who}
		}
		if diff := cmp.Diff(v(hook), v(imp)); diff != "" {
			t.Errorf("state (-webhook +import):\n%s", diff)
		}
	})
	t.Run("ticket 71447: transcript comment and NEW → OPEN", func(t *testing.T) {
		hookEvents := webhookEvents(t, "kers-engine_ticket_status_changed_new_to_open_trimmed.json", "kers-engine_ticket_comment_added_messaging_transcript_private.json")
		hook := ticket.Reduce(hookEvents)
		imp := ticket.Reduce(imported["71447"])
		last := func(s ticket.State) string {
			c := s.Statuses[len(s.Statuses)-1]
			return string(c.To) + "@" + sec(c.At).Format(time.RFC3339)
		}
		if last(hook) != last(imp) || hook.Status != imp.Status {
			t.Errorf("status %s (last change %s), webhook %s (%s)", imp.Status, last(imp), hook.Status, last(hook))
		}
		if hook.FirstResponse != nil || imp.FirstResponse != nil || len(imp.Notes) != len(hook.Notes) ||
			len(imp.PersonReplies) != len(hook.PersonReplies) || len(imp.Resolutions) != len(hook.Resolutions) {
			t.Errorf("response/notes/resolutions: import %+v %+v %+v %+v, webhook %+v %+v %+v %+v",
				imp.FirstResponse, imp.Notes, imp.PersonReplies, imp.Resolutions, hook.FirstResponse, hook.Notes, hook.PersonReplies, hook.Resolutions)
		}
		if imp.Customer == nil || hook.Customer == nil || imp.Customer.ID != hook.Customer.ID {
			t.Errorf("customer %+v, webhook %+v", imp.Customer, hook.Customer)
		}
		// The comment itself maps as the webhook's does.
		pick := func(evs []event.Event) event.Event {
			for _, e := range evs {
				if e.Type == event.Replied || e.Type == event.Note {
					return event.Event{Type: e.Type, Public: e.Public, Actor: e.Actor, OccurredAt: sec(e.OccurredAt)}
				}
			}
			return event.Event{}
		}
		if diff := cmp.Diff(pick(hookEvents), pick(imported["71447"])); diff != "" {
			t.Errorf("comment (-webhook +import):\n%s", diff)
		}
	})
	t.Run("generated tickets: solved, reopened and rated states", func(t *testing.T) {
		for _, tk := range tickets[2:] {
			s := ticket.Reduce(imported[itoa(tk.ID)])
			if !s.HasCreation() || !s.Status.Done() || len(s.Resolutions) == 0 || s.AssigneeID == "" || len(s.PersonReplies) == 0 || len(s.Notes) != 1 {
				t.Errorf("ticket %d: state %+v", tk.ID, s)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestHistoryPageReadTwice(t *testing.T) {
	clk := &clock{t: utc("2026-12-01T00:00:00Z")}
	fake := &vendorfake.ZendeskHistory{Tickets: vendorfake.ZendeskTickets(20, utc("2026-01-01T00:00:00Z"), 3), PerPage: 25}
	x := newExport(t, fake, clk, utc("2026-01-01T00:00:00Z"))
	first, err := x.Next(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := x.Next(context.Background(), first.Next)
	if err != nil {
		t.Fatal(err)
	}
	again, err := x.Next(context.Background(), first.Next)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Events) == 0 {
		t.Fatal("second page is empty")
	}
	if diff := cmp.Diff(second, again); diff != "" {
		t.Errorf("the same page read twice differs (-first +second):\n%s", diff)
	}
	if second.Requests != 1 || first.Tickets == 0 || first.Done {
		t.Errorf("page %+v", first)
	}
}

func TestHistoryRateLimited(t *testing.T) {
	clk := &clock{t: utc("2026-12-01T00:00:00Z")}
	fake := &vendorfake.ZendeskHistory{Tickets: vendorfake.ZendeskTickets(3, utc("2026-01-01T00:00:00Z"), 1), Limit: 2, Window: time.Minute}
	x := newExport(t, fake, clk, utc("2026-01-01T00:00:00Z"))
	ctx := context.Background()
	for range 2 {
		if _, err := x.Next(ctx, ""); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(15 * time.Second)
	_, err := x.Next(ctx, "")
	var rl *vendorapi.RetryLater
	if !errors.As(err, &rl) || rl.Status != http.StatusTooManyRequests || rl.After != 45*time.Second {
		t.Fatalf("err %v (%+v), want RetryLater 429 after 45s", err, rl)
	}
	clk.Advance(45 * time.Second)
	if _, err := x.Next(ctx, ""); err != nil {
		t.Fatalf("after Retry-After: %v", err)
	}
	if got := fake.Requests(); got[http.StatusTooManyRequests] != 1 || got[http.StatusOK] != 3 {
		t.Errorf("requests %v", got)
	}
}

func TestHistoryFaultMidway(t *testing.T) {
	run := func(failOn int) (pages []vendorapi.Page, retries int) {
		clk := &clock{t: utc("2026-12-01T00:00:00Z")}
		fake := &vendorfake.ZendeskHistory{Tickets: vendorfake.ZendeskTickets(30, utc("2026-01-01T00:00:00Z"), 5), PerPage: 20, FailOn: failOn}
		return importAll(t, newExport(t, fake, clk, utc("2026-01-01T00:00:00Z")), clk)
	}
	clean, _ := run(0)
	faulty, retries := run(3)
	if retries != 1 {
		t.Errorf("%d retries, want 1 (the 503)", retries)
	}
	if len(clean) < 4 {
		t.Fatalf("only %d pages", len(clean))
	}
	if diff := cmp.Diff(clean, faulty); diff != "" {
		t.Errorf("pages with a 503 on the 3rd request differ (-clean +faulty):\n%s", diff)
	}
	// Within a page no id repeats; across pages an id repeats only for the
	// second a page ends on, with the same content; nothing is missing.
	seen := map[string]event.Event{}
	for i, p := range faulty {
		ids := map[string]bool{}
		for _, e := range p.Events {
			if ids[e.ID] {
				t.Errorf("page %d repeats %s", i, e.ID)
			}
			ids[e.ID] = true
			if old, ok := seen[e.ID]; ok && !cmp.Equal(old, e) {
				t.Errorf("%s differs between pages", e.ID)
			}
			seen[e.ID] = e
		}
	}
	want := 0
	for _, tk := range vendorfake.ZendeskTickets(30, utc("2026-01-01T00:00:00Z"), 5) {
		for _, a := range tk.Audits {
			for _, c := range a.Changes {
				if c.Kind == "Comment" || c.Field == "satisfaction_score" || (c.Kind == "Change" && slices.Contains([]string{"status", "assignee_id"}, c.Field)) {
					want++
				}
			}
			if slices.ContainsFunc(a.Changes, func(c vendorfake.ZendeskChange) bool { return c.Kind == "Create" }) {
				want++ // one created event per creating audit
			}
		}
	}
	if len(seen) != want {
		t.Errorf("%d distinct events, want %d", len(seen), want)
	}
}

func TestHistoryRequestsPer1000Tickets(t *testing.T) {
	clk := &clock{t: utc("2026-12-01T00:00:00Z")}
	start := clk.t
	fake := &vendorfake.ZendeskHistory{Tickets: vendorfake.ZendeskTickets(1000, utc("2026-06-01T00:00:00Z"), 42), Limit: 10, Window: time.Minute}
	pages, retries := importAll(t, newExport(t, fake, clk, utc("2026-06-01T00:00:00Z")), clk)
	requests, events := 0, 0
	for _, p := range pages {
		requests += p.Requests
		events += len(p.Events)
	}
	got := byTicket(pages)
	if len(got) != 1000 {
		t.Fatalf("%d tickets imported, want 1000", len(got))
	}
	t.Logf("1000 tickets: %d events, %d pages = %d requests per 1000 tickets (+%d answered 429), %s of rate-limited time at 10 requests/min",
		events, len(pages), requests, retries, clk.Now().Sub(start))
}

func FuzzHistoryPage(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "history", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(docsCommentPage(f))
	f.Add(page(`{"id": 11, "satisfaction_score": "good", "event_type": "Change"}, {"id": 12, "tags": ["a"], "event_type": "Create"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := zendesk.ParseHistoryPage(body)
		if err != nil {
			if errcode.Code(err) != errcode.Invalid || errcode.Message(err) == "" || len(p.Events) != 0 {
				t.Fatalf("error %v (code %q) with %d events", err, errcode.Code(err), len(p.Events))
			}
			return
		}
		again, err := zendesk.ParseHistoryPage(body)
		if err != nil || !cmp.Equal(p, again) {
			t.Fatalf("the same answer read twice differs: %v", err)
		}
		for _, e := range p.Events {
			if !e.Imported || !strings.HasPrefix(e.ID, "hist:zendesk:") {
				t.Fatalf("event %+v", e)
			}
			checkValid(t, e)
		}
	})
}

// BenchmarkHistoryImport imports 1000 generated tickets from the fake
// (no rate limit) per iteration.
func BenchmarkHistoryImport(b *testing.B) {
	tickets := vendorfake.ZendeskTickets(1000, utc("2026-06-01T00:00:00Z"), 42)
	for b.Loop() {
		clk := &clock{t: utc("2026-12-01T00:00:00Z")}
		fake := &vendorfake.ZendeskHistory{Tickets: tickets}
		pages, _ := importAll(b, newExport(b, fake, clk, utc("2026-06-01T00:00:00Z")), clk)
		if len(byTicket(pages)) != 1000 {
			b.Fatal("tickets missing")
		}
	}
}

package freshdesk_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/vendorapi"
)

func histFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "history", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func histTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// byTicket groups events by ticket id.
func byTicket(evs []event.Event) map[string][]event.Event {
	out := map[string][]event.Event{}
	for _, e := range evs {
		out[e.TicketID] = append(out[e.TicketID], e)
	}
	return out
}

// The published samples parse into the events the webhooks would give.
func TestHistoryParsesCaptures(t *testing.T) {
	ticket1 := append(append([]byte("["), histFile(t, "python_freshdesk_ticket_1_stats.json")...), ']')
	tests := []struct {
		name  string
		list  []byte
		convs map[int64][]byte
		check func(t *testing.T, s ticket.State, evs []event.Event)
	}{
		{"list without stats", histFile(t, "python_freshdesk_all_tickets.json"), nil, func(t *testing.T, s ticket.State, evs []event.Event) {
			want := ticket.State{Source: "freshdesk", ID: "1", CreatedAt: histTime("2014-12-31T02:27:09Z"),
				Customer: &event.CustomerInfo{ID: "5004272351"}, Priority: event.Low, Tags: []string{"mytag"}, TicketType: "question",
				Status: event.StatusOpen, AssigneeID: "5004272350",
				Assignments: []ticket.Assignment{{At: histTime("2014-12-31T02:27:09Z"), AgentID: "5004272350"}},
				Statuses:    []ticket.StatusChange{{At: histTime("2014-12-31T02:27:09Z"), From: "", To: event.StatusOpen}},
				Events:      1, LastEventAt: histTime("2014-12-31T02:27:09Z")}
			if d := cmp.Diff(want, s); d != "" {
				t.Errorf("state (-want +got):\n%s", d)
			}
		}},
		{"ticket with stats and requester, and its conversations", ticket1, map[int64][]byte{1: histFile(t, "python_freshdesk_conversations.json")}, func(t *testing.T, s ticket.State, evs []event.Event) {
			// The sample is open now, with resolved_at equal to
			// status_updated_at: the current status wins that second.
			if s.Status != event.StatusOpen || len(s.Resolutions) != 0 {
				t.Errorf("status %s, resolutions %v", s.Status, s.Resolutions)
			}
			if s.Customer == nil || s.Customer.ID != "43026449322" || s.Customer.Email != "dummyname@example.com" {
				t.Errorf("customer %+v", s.Customer)
			}
			if s.TicketType != "question" || s.Priority != event.Low || s.AssigneeID != "6010396333" || !cmp.Equal(s.Tags, []string{"bar", "foo"}) {
				t.Errorf("fields %q %s %q %v", s.TicketType, s.Priority, s.AssigneeID, s.Tags)
			}
			if s.FirstResponse == nil || *s.FirstResponse != (ticket.Response{At: histTime("2016-05-19T05:36:14Z"), AgentID: "1"}) {
				t.Errorf("first response %+v", s.FirstResponse)
			}
			if len(s.Notes) != 1 || s.Notes[0].AgentID != "1" {
				t.Errorf("notes %+v", s.Notes)
			}
			ids := map[string]bool{}
			for _, e := range evs {
				ids[e.ID] = true
			}
			for _, id := range []string{"hist:freshdesk:1:created", "hist:freshdesk:1:conv:1", "hist:freshdesk:1:conv:2", "hist:freshdesk:1:status:current-2:2020-07-24T15:35:21Z"} {
				if !ids[id] {
					t.Errorf("no event %s in %v", id, ids)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, evs, err := freshdesk.HistoryEvents(policy.Source{}, tc.list, tc.convs)
			if err != nil || n != 1 {
				t.Fatalf("%d tickets, %v", n, err)
			}
			for _, e := range evs {
				if e.Source != freshdesk.Source || !e.Imported || !strings.HasPrefix(e.ID, "hist:freshdesk:") {
					t.Errorf("event %+v", e)
				}
			}
			tc.check(t, ticket.Reduce(evs), evs)
		})
	}
}

// What the vendor may send is mapped; what is malformed is an error naming
// the field.
func TestHistoryValues(t *testing.T) {
	set, err := policy.Parse([]byte("base: default\nversion: t\nsources:\n  freshdesk:\n    statuses: {\"12\": resolved}\n"))
	if err != nil {
		t.Fatal(err)
	}
	item := func(fields string) []byte {
		return []byte(`[{"id": 5, "status": 2, "priority": 2, "requester_id": 8, "responder_id": null, "tags": [],` +
			` "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-02T00:00:00Z"` + fields + `}]`)
	}
	stats := func(status int, at string) string {
		return `, "status": ` + strconv.Itoa(status) + `, "stats": {"status_updated_at": "` + at + `", "resolved_at": null}`
	}
	tests := []struct {
		name   string
		list   []byte
		convs  map[int64][]byte
		status event.Status
		field  string // the field an error names; "" no error
	}{
		{"custom status nobody mapped is open", item(stats(13, "2026-01-02T00:00:00Z")), nil, event.StatusOpen, ""},
		{"custom status the policy maps", item(stats(12, "2026-01-02T00:00:00Z")), nil, event.StatusResolved, ""},
		{"waiting on customer", item(stats(6, "2026-01-02T00:00:00Z")), nil, event.StatusPending, ""},
		{"ticket id as text", []byte(strings.Replace(string(item("")), `"id": 5`, `"id": "5"`, 1)), nil, event.StatusOpen, ""},
		{"not a list", []byte(`{"id": 5}`), nil, "", "tickets"},
		{"no id", []byte(strings.Replace(string(item("")), `"id": 5`, `"id": null`, 1)), nil, "", "tickets[0].id"},
		{"id not a number", []byte(strings.Replace(string(item("")), `"id": 5`, `"id": "x"`, 1)), nil, "", "tickets[0].id"},
		{"no status", []byte(strings.Replace(string(item("")), `"status": 2`, `"status": null`, 1)), nil, "", "tickets[0].status"},
		{"priority 9", []byte(strings.Replace(string(item("")), `"priority": 2`, `"priority": 9`, 1)), nil, "", "tickets[0].priority"},
		{"bad created_at", []byte(strings.Replace(string(item("")), `2026-01-01T00:00:00Z`, `yesterday`, 1)), nil, "", "tickets[0].created_at"},
		{"tags not a list", item(`, "tags": "a"`), nil, "", "tickets[0]"},
		{"bad stats time", item(`, "stats": {"resolved_at": "soon"}`), nil, "", "tickets[0].stats.resolved_at"},
		{"conversation without incoming", item(""), map[int64][]byte{5: []byte(`[{"id": 1, "user_id": 3, "private": false, "created_at": "2026-01-01T01:00:00Z"}]`)}, "", "conversations[0].incoming"},
		{"conversation without time", item(""), map[int64][]byte{5: []byte(`[{"id": 1, "user_id": 3, "incoming": true, "private": false}]`)}, "", "conversations[0].created_at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, evs, err := freshdesk.HistoryEvents(set.SourceFor("freshdesk"), tc.list, tc.convs)
			if tc.field != "" {
				if err == nil || !strings.Contains(err.Error(), tc.field) {
					t.Fatalf("error %v, want one naming %s", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := ticket.Reduce(evs); s.Status != tc.status {
				t.Errorf("status %s, want %s", s.Status, tc.status)
			}
		})
	}
}

// clock is a settable time shared by the fake and the client.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// histAPI serves fake and returns a client for it on clk.
func histAPI(t testing.TB, fake *vendorfake.FreshdeskHistory, clk *clock) *vendorapi.Client {
	t.Helper()
	fake.APIKey = "fd-api-key"
	if clk != nil {
		fake.Now = clk.Now
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	api, err := vendorapi.New(vendorapi.Credentials{BaseURL: srv.URL, User: "fd-api-key", Token: "X"})
	if err != nil {
		t.Fatal(err)
	}
	if clk != nil {
		api.Now = clk.Now
	}
	return api
}

type importRun struct {
	pages    []vendorapi.Page
	events   []event.Event
	requests int // over every call, failed ones included (as far as counted)
	retries  int
}

// importAll reads every page, retrying a RetryLater with the same cursor
// (after moving the clock past its Retry-After).
func importAll(t testing.TB, x vendorapi.Exporter, clk *clock) importRun {
	t.Helper()
	var run importRun
	cur := ""
	for i := 0; i < 100000; i++ {
		p, err := x.Next(context.Background(), cur)
		run.requests += p.Requests
		var rl *vendorapi.RetryLater
		if errors.As(err, &rl) {
			run.retries++
			if run.retries > 10000 {
				t.Fatalf("no progress: %v", err)
			}
			if clk != nil {
				clk.Add(max(rl.After, time.Second))
			}
			continue
		}
		if err != nil {
			t.Fatalf("page %d: %v", len(run.pages), err)
		}
		run.pages = append(run.pages, p)
		run.events = append(run.events, p.Events...)
		if p.Done {
			return run
		}
		cur = p.Next
	}
	t.Fatal("the export never finished")
	return run
}

var histStart = histTime("2026-01-01T00:00:00Z")

// The import gives the same ticket states as the same tickets' webhooks,
// for the objects the captures in testdata/real describe.
func TestHistoryMatchesWebhooks(t *testing.T) {
	created := histTime("2026-03-02T09:00:00Z")
	resolved := histTime("2026-03-05T17:30:00Z")
	fake := &vendorfake.FreshdeskHistory{Tickets: []vendorfake.FreshdeskTicket{
		// zulip_ticket_created.json: ticket 11, created Pending, High,
		// Incident, requester-bob@example.com; no reply yet.
		{ID: 11, Subject: "Test ticket subject ☃", Status: 3, Priority: 3, Source: 1, Type: "Incident", RequesterID: 4711,
			RequesterName: "Requester ☃ Bob", RequesterEmail: "requester-bob@example.com", CreatedAt: created, UpdatedAt: created},
		// telemeds_ticket_resolved.json: ticket 366, a Spam Call, resolved
		// when the rule fired, no tags.
		{ID: 366, Status: 4, Priority: 1, Source: 3, Type: "Spam Call", RequesterID: 99, ResponderID: 9001,
			CreatedAt: resolved.Add(-2 * time.Hour), UpdatedAt: resolved,
			Stats:         vendorfake.FreshdeskStats{ResolvedAt: resolved, StatusUpdatedAt: resolved, FirstRespondedAt: resolved.Add(-time.Hour), AgentRespondedAt: resolved.Add(-time.Hour)},
			Conversations: []vendorfake.FreshdeskConversation{{ID: 77, UserID: 9001, Body: "Not a patient.", CreatedAt: resolved.Add(-time.Hour)}}},
	}}
	x := freshdesk.NewExporter(histAPI(t, fake, nil), policy.Source{}, histStart)
	got := byTicket(importAll(t, x, nil).events)

	hook := func(name string, at time.Time) ticket.State {
		b, err := os.ReadFile(filepath.Join("testdata", "real", name))
		if err != nil {
			t.Fatal(err)
		}
		evs, err := freshdesk.Parse(event.Delivery{Body: b, Received: at})
		if err != nil {
			t.Fatal(err)
		}
		return ticket.Reduce(evs)
	}
	type view struct {
		CreatedAt     time.Time
		Status        event.Status
		Priority      event.Priority
		TicketType    string
		Tags          []string
		AssigneeID    string
		FirstResponse *ticket.Response
		Resolutions   []ticket.Resolution
		Reopens       []time.Time
	}
	t.Run("ticket 11 created (zulip_ticket_created.json)", func(t *testing.T) {
		w, h := hook("zulip_ticket_created.json", created), ticket.Reduce(got["11"])
		want := view{w.CreatedAt, w.Status, w.Priority, w.TicketType, w.Tags, w.AssigneeID, w.FirstResponse, w.Resolutions, w.Reopens}
		have := view{h.CreatedAt, h.Status, h.Priority, h.TicketType, h.Tags, h.AssigneeID, h.FirstResponse, h.Resolutions, h.Reopens}
		if d := cmp.Diff(want, have); d != "" {
			t.Errorf("webhook (-) vs import (+):\n%s", d)
		}
		if h.Customer == nil || h.Customer.Email != "requester-bob@example.com" || w.Customer.Email != h.Customer.Email {
			t.Errorf("customer %+v vs %+v", w.Customer, h.Customer)
		}
	})
	t.Run("ticket 366 resolved (telemeds_ticket_resolved.json)", func(t *testing.T) {
		// The capture is the ticket's state at the resolution, with no
		// creation: compare the status, the resolution's time, the type
		// and the tags. The rule names the agent by e-mail, the API by id:
		// the directory maps both to one engineer, so only presence is
		// compared.
		w, h := hook("telemeds_ticket_resolved.json", resolved), ticket.Reduce(got["366"])
		if w.Status != h.Status || w.TicketType != h.TicketType || !cmp.Equal(w.Tags, h.Tags) {
			t.Errorf("webhook %s %q %v, import %s %q %v", w.Status, w.TicketType, w.Tags, h.Status, h.TicketType, h.Tags)
		}
		if len(w.Resolutions) != 1 || len(h.Resolutions) != 1 || !w.Resolutions[0].At.Equal(h.Resolutions[0].At) ||
			w.Resolutions[0].AgentID == "" || h.Resolutions[0].AgentID != "9001" || !h.Resolutions[0].Imported {
			t.Errorf("resolutions: webhook %+v, import %+v", w.Resolutions, h.Resolutions)
		}
		if h.FirstResponse == nil || h.FirstResponse.AgentID != "9001" {
			t.Errorf("first response %+v", h.FirstResponse)
		}
	})
}

// A thread longer than a page is read whole; the list's page cap is
// crossed without losing or repeating a ticket.
func TestHistoryPaging(t *testing.T) {
	t.Run("conversations over three pages", func(t *testing.T) {
		tk := vendorfake.FreshdeskTicket{ID: 1, Status: 2, Priority: 2, RequesterID: 5, CreatedAt: histStart.Add(time.Hour)}
		for i := range 250 {
			tk.Conversations = append(tk.Conversations, vendorfake.FreshdeskConversation{ID: int64(100 + i), UserID: 9, Incoming: i%2 == 1, CreatedAt: histStart.Add(time.Duration(61+i) * time.Minute)})
		}
		tk.UpdatedAt = tk.Conversations[249].CreatedAt
		fake := &vendorfake.FreshdeskHistory{Tickets: []vendorfake.FreshdeskTicket{tk}}
		run := importAll(t, freshdesk.NewExporter(histAPI(t, fake, nil), policy.Source{}, histStart), nil)
		convs := 0
		for _, e := range run.events {
			if strings.Contains(e.ID, ":conv:") {
				convs++
			}
		}
		if convs != 250 || run.requests != 4 || run.pages[0].Requests != 4 {
			t.Errorf("%d conversations in %d requests, want 250 in 4 (a list page and three of conversations)", convs, run.requests)
		}
	})
	t.Run("page cap", func(t *testing.T) {
		// 10 a page, 3 pages at most; 25 tickets share each second, so a
		// second's tickets take the list past one page and into the cap.
		var tickets []vendorfake.FreshdeskTicket
		for i := range 130 {
			at := histStart.Add(time.Duration(i/25) * time.Second)
			tickets = append(tickets, vendorfake.FreshdeskTicket{ID: int64(1000 - i), Status: 2, Priority: 1, RequesterID: 5, CreatedAt: at, UpdatedAt: at})
		}
		fake := &vendorfake.FreshdeskHistory{Tickets: tickets, PageCap: 3}
		x := freshdesk.NewExporter(histAPI(t, fake, nil), policy.Source{}, histStart)
		x.PerPage, x.PageCap = 10, 3
		run := importAll(t, x, nil)
		seen := map[string]int{}
		total := 0
		for _, p := range run.pages {
			total += p.Tickets
			for _, e := range p.Events {
				if e.Type == event.Created {
					seen[e.TicketID]++
				}
			}
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("ticket %s read %d times", id, n)
			}
		}
		if len(seen) != 130 || total != 130 {
			t.Errorf("%d tickets read (%d counted), want 130", len(seen), total)
		}
		if r := fake.Requests(); r["400"] != 0 {
			t.Errorf("a page past the cap was asked: %v", r)
		}
		for i := 1; i < len(run.pages); i++ {
			if run.pages[i].Through.Before(run.pages[i-1].Through) {
				t.Errorf("through went back: %v after %v", run.pages[i].Through, run.pages[i-1].Through)
			}
		}
	})
}

// Reading a page twice gives the same events; a 429 is a RetryLater with
// the vendor's Retry-After; a 5xx mid-way, retried with the same cursor,
// gives the same events, none twice and none missing.
func TestHistoryRetries(t *testing.T) {
	tickets := vendorfake.FreshdeskTickets(60, histStart, 7)
	t.Run("same page twice", func(t *testing.T) {
		x := freshdesk.NewExporter(histAPI(t, &vendorfake.FreshdeskHistory{Tickets: tickets}, nil), policy.Source{}, histStart)
		x.PerPage = 20
		a, err := x.Next(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		b, err := x.Next(context.Background(), a.Next)
		if err != nil {
			t.Fatal(err)
		}
		y := freshdesk.NewExporter(histAPI(t, &vendorfake.FreshdeskHistory{Tickets: tickets}, nil), policy.Source{}, histStart)
		y.PerPage = 20
		b2, err := y.Next(context.Background(), a.Next)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(b, b2); d != "" || len(b.Events) == 0 {
			t.Errorf("page read twice differs (-first +second):\n%s", d)
		}
	})
	t.Run("429", func(t *testing.T) {
		clk := &clock{t: histStart.Add(400 * 24 * time.Hour)}
		fake := &vendorfake.FreshdeskHistory{Tickets: tickets, PerMinute: 10}
		x := freshdesk.NewExporter(histAPI(t, fake, clk), policy.Source{}, histStart)
		clk.Add(20 * time.Second)
		_, err := x.Next(context.Background(), "")
		var rl *vendorapi.RetryLater
		if !errors.As(err, &rl) || rl.Status != 429 || rl.After != 60*time.Second {
			t.Fatalf("error %v, want a RetryLater after 60s", err)
		}
		// The budget refills each minute; the import finishes, reading
		// each conversation list once more at most.
		run := importAll(t, x, clk)
		if n := len(byTicket(run.events)); n != 60 || run.retries == 0 {
			t.Errorf("%d tickets after %d retries", n, run.retries)
		}
		t.Logf("10 credits a minute: %d pages, %d retries, answers %v", len(run.pages), run.retries, fake.Requests())
	})
	t.Run("5xx in the middle", func(t *testing.T) {
		newX := func(failOn int) *freshdesk.Exporter {
			x := freshdesk.NewExporter(histAPI(t, &vendorfake.FreshdeskHistory{Tickets: tickets, FailOn: failOn}, nil), policy.Source{}, histStart)
			x.PerPage = 20
			return x
		}
		clean := importAll(t, newX(0), nil)
		failed := importAll(t, newX(30), nil)
		if failed.retries != 1 {
			t.Fatalf("%d retries, want 1", failed.retries)
		}
		ids := func(evs []event.Event) map[string]int {
			m := map[string]int{}
			for _, e := range evs {
				m[e.ID]++
			}
			return m
		}
		a, b := ids(clean.events), ids(failed.events)
		for id, n := range b {
			if n != 1 {
				t.Errorf("%s %d times", id, n)
			}
		}
		if d := cmp.Diff(a, b); d != "" {
			t.Errorf("events differ (-clean +after a 503):\n%s", d)
		}
	})
}

// How many requests an import takes per 1 000 tickets of the generated
// data, and that it reads them all.
func TestHistoryRequestsPer1000(t *testing.T) {
	tickets := vendorfake.FreshdeskTickets(1000, histStart, 42)
	fake := &vendorfake.FreshdeskHistory{Tickets: tickets}
	run := importAll(t, freshdesk.NewExporter(histAPI(t, fake, nil), policy.Source{}, histStart), nil)
	n := 0
	for _, p := range run.pages {
		n += p.Tickets
	}
	states := byTicket(run.events)
	resolved, reopened, responded := 0, 0, 0
	for _, evs := range states {
		s := ticket.Reduce(evs)
		if len(s.Resolutions) > 0 {
			resolved++
		}
		if len(s.Reopens) > 0 {
			reopened++
		}
		if s.FirstResponse != nil {
			responded++
		}
	}
	if n != 1000 || len(states) != 1000 || responded != 1000 || resolved < 600 || reopened == 0 {
		t.Errorf("%d tickets (%d states): %d answered, %d resolved, %d reopened", n, len(states), responded, resolved, reopened)
	}
	answers := fake.Requests()
	t.Logf("1000 tickets: %d requests (%d pages, answers %v), %.0f requests per 1000 tickets", run.requests, len(run.pages), answers, float64(run.requests)*1000/float64(n))
	if run.requests != answers["200"] {
		t.Errorf("the pages count %d requests, the fake answered %d", run.requests, answers["200"])
	}
}

func BenchmarkHistoryImport(b *testing.B) {
	tickets := vendorfake.FreshdeskTickets(1000, histStart, 42)
	api := histAPI(b, &vendorfake.FreshdeskHistory{Tickets: tickets}, nil)
	for b.Loop() {
		importAll(b, freshdesk.NewExporter(api, policy.Source{}, histStart), nil)
	}
}

// FuzzHistoryPage: no ticket list makes the parser panic; what it accepts
// gives imported Freshdesk events with history ids, a created event per
// ticket.
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
		f.Add(append(append([]byte("["), b...), ']'))
	}
	f.Add([]byte(`[{"id": 1, "status": 99, "priority": 4, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "stats": {"reopened_at": "2026-01-03T00:00:00Z", "closed_at": "2026-01-02T00:00:00Z"}}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, evs, err := freshdesk.HistoryEvents(policy.Source{}, b, nil)
		if err != nil {
			if n != 0 || evs != nil || err.Error() == "" {
				t.Fatalf("error %v with %d tickets", err, n)
			}
			return
		}
		created := 0
		for _, e := range evs {
			if e.Source != freshdesk.Source || !e.Imported || !strings.HasPrefix(e.ID, "hist:freshdesk:") || e.TicketID == "" {
				t.Fatalf("event %+v", e)
			}
			if e.Type == event.Created {
				created++
			}
		}
		if created != n {
			t.Fatalf("%d created events for %d tickets", created, n)
		}
		for _, evs := range byTicket(evs) {
			ticket.Reduce(evs)
		}
	})
}

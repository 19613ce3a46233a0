package replay

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/event"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

func TestSourceFor(t *testing.T) {
	const n = 20000
	got := map[string]int{}
	for i := range n {
		id := fmt.Sprintf("T-202608-%05d", i+1)
		s := SourceFor(id, DefaultShares())
		if s != SourceFor(id, nil) {
			t.Fatalf("%s: nil shares are not the default ones", id)
		}
		got[s]++
	}
	for source, share := range DefaultShares() {
		if f := float64(got[source]) / n; math.Abs(f-share) > 0.015 {
			t.Errorf("%s got %.3f of the tickets, want %.2f", source, f, share)
		}
	}
	cases := []struct {
		name   string
		shares map[string]float64
		want   string
	}{
		{"one source takes everything", map[string]float64{jira.Source: 3}, jira.Source},
		{"no positive share means generic", map[string]float64{jira.Source: 0, zendesk.Source: -1}, generic.Source},
		{"infinite and NaN shares count as none", map[string]float64{jira.Source: math.Inf(1), freshdesk.Source: math.NaN(), zendesk.Source: 1}, zendesk.Source},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := SourceFor("T-202608-00001", tc.shares); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestVendorTicketIDs(t *testing.T) {
	cases := []struct {
		source, id, want string
	}{
		{zendesk.Source, "T-202608-00001", "320000001"},
		{freshdesk.Source, "T-202608-00001", "320000001"},
		{jira.Source, "T-202608-00001", "320000001"},
		{zendesk.Source, "T-200001-00000", "1000000"},
		{jira.Source, "T-209912-123456", "1200123456"},
		{generic.Source, "T-202608-00001", "T-202608-00001"},
		{zendesk.Source, "T-202608-1", "T-202608-1"},           // not the generator's padding
		{zendesk.Source, "T-202608-000001", "T-202608-000001"}, // padded too far
		{zendesk.Source, "T-202613-00001", "T-202613-00001"},   // no 13th month
		{zendesk.Source, "T-199912-00001", "T-199912-00001"},   // before 2000
		{zendesk.Source, "T-2026AB-00001", "T-2026AB-00001"},
		{jira.Source, "ACME-7", "ACME-7"},
		{zendesk.Source, "4711", "4711"},
		{jira.Source, "SUP-12", "SUP-12"},
	}
	for _, tc := range cases {
		t.Run(tc.source+"/"+tc.id, func(t *testing.T) {
			got, err := VendorTicketID(tc.source, tc.id)
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
			if back := TicketID(tc.source, got); back != tc.id {
				t.Fatalf("TicketID(%s, %s) = %q, want %q", tc.source, got, back, tc.id)
			}
		})
	}
	for _, tc := range []struct{ source, id string }{
		{zendesk.Source, "320000001"}, {freshdesk.Source, "1000000"}, {jira.Source, "320000001"}, {"servicenow", "T-1"},
	} {
		if got, err := VendorTicketID(tc.source, tc.id); err == nil {
			t.Errorf("%s/%s: got %q, want an error", tc.source, tc.id, got)
		}
	}
	for _, v := range []string{"0320000001", "1201000000", "999999", "SUP-x", "-5"} {
		if got := TicketID(zendesk.Source, v); got != v {
			t.Errorf("TicketID(zendesk, %q) = %q, want it unchanged", v, got)
		}
	}
	if got := TicketID("servicenow", "320000001"); got != "320000001" {
		t.Errorf("an unknown source maps %q", got)
	}
}

func TestReplayErrors(t *testing.T) {
	noID := createdEvent()
	noID.ID = ""
	cases := []struct {
		name string
		evs  []event.Event
		o    Options
		want string
	}{
		{"share for an unknown source", []event.Event{createdEvent()}, Options{Shares: map[string]float64{"servicenow": 1}, Secrets: devSecrets()}, "unknown source"},
		{"event without an id", []event.Event{noID}, Options{Secrets: devSecrets()}, "needs an event id"},
		{"no secret for the generic route", []event.Event{createdEvent()}, Options{Shares: onlyTo(generic.Source)}, "no secret for generic"},
		{"no secret for the chosen route", []event.Event{createdEvent()}, Options{Shares: onlyTo(jira.Source)}, "no secret for jira"},
		{"no secret for a survey answer", []event.Event{createdEvent(), later(event.Event{Type: event.SurveyAnswered, Actor: customer, Rating: 5})},
			Options{Shares: onlyTo(freshdesk.Source), Secrets: Secrets{freshdesk.Source: []byte("x")}}, "no secret for generic"},
		{"no secret for the fallback", []event.Event{createdEvent(), later(event.Event{Type: event.Replied, Actor: agent})},
			Options{Shares: onlyTo(freshdesk.Source), Secrets: Secrets{freshdesk.Source: []byte("x")}}, "no secret for generic"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Replay(tc.evs, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// kinds lists the Zendesk event types of a plan's requests.
func kinds(t *testing.T, plan Plan) []string {
	t.Helper()
	var out []string
	for _, r := range plan.Requests {
		var b struct {
			Type         string `json:"type"`
			WebhookEvent string `json:"webhookEvent"`
			Changelog    struct {
				Items []struct {
					Field string `json:"field"`
				} `json:"items"`
			} `json:"changelog"`
		}
		if err := json.Unmarshal(r.Body, &b); err != nil {
			t.Fatal(err)
		}
		k := strings.TrimPrefix(b.Type, "zen:event-type:ticket.") + b.WebhookEvent
		for _, it := range b.Changelog.Items {
			k += ":" + it.Field
		}
		out = append(out, k)
	}
	return out
}

// Knowing the ticket, Replay reports a tag change and a type change only
// when they happen, as Zendesk and Jira do: Zendesk as two events when both
// change, Jira as one changelog with the items that changed.
func TestReplaySendsWhatChanged(t *testing.T) {
	tagsOnly := later(event.Event{Type: event.TagsChanged, Actor: agent, Tags: []string{"billing", "escalated", "vip"}, HasTags: true, TicketType: "incident"})
	typeOnly := later(event.Event{Type: event.TagsChanged, Actor: agent, Tags: []string{"billing", "vip"}, HasTags: true, TicketType: "problem"})
	both := later(event.Event{Type: event.TagsChanged, Actor: agent, Tags: []string{"escalated"}, HasTags: true, TicketType: "problem"})
	none := later(event.Event{Type: event.TagsChanged, Actor: agent, Tags: []string{"billing", "vip"}, HasTags: true, TicketType: "incident"})
	cases := []struct {
		name   string
		e      event.Event
		source string
		want   []string
		events int // the adapter reads
	}{
		{"zendesk: tags changed, type the same", tagsOnly, zendesk.Source, []string{"created", "tags_changed"}, 2},
		{"zendesk: type changed, tags the same", typeOnly, zendesk.Source, []string{"created", "type_changed"}, 2},
		{"zendesk: both changed are two events", both, zendesk.Source, []string{"created", "tags_changed", "type_changed"}, 3},
		{"zendesk: nothing changed still arrives", none, zendesk.Source, []string{"created", "tags_changed"}, 2},
		{"jira: tags changed, type the same", tagsOnly, jira.Source, []string{"jira:issue_created", "jira:issue_updated:labels"}, 2},
		{"jira: type changed, tags the same", typeOnly, jira.Source, []string{"jira:issue_created", "jira:issue_updated:issuetype"}, 2},
		{"jira: both changed are one changelog", both, jira.Source, []string{"jira:issue_created", "jira:issue_updated:labels:issuetype"}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := Replay([]event.Event{createdEvent(), tc.e}, Options{Shares: onlyTo(tc.source), Secrets: devSecrets(), Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, kinds(t, plan)); d != "" {
				t.Fatalf("requests (-want +got):\n%s", d)
			}
			n := 0
			for _, r := range plan.Requests {
				n += len(receive(t, r, now))
			}
			if n != tc.events {
				t.Fatalf("the adapter read %d events, want %d", n, tc.events)
			}
		})
	}
}

// Freshdesk's template can only name the assignee as a reply's author, so a
// ticket where someone else answers or writes a note goes generic; one
// where the assignee does stays on Freshdesk.
func TestReplayFreshdeskAuthor(t *testing.T) {
	assign := later(event.Event{Type: event.Assigned, Actor: system, AssigneeID: "ag-1001"})
	reply := func(who string) event.Event {
		e := later(event.Event{Type: event.Replied, Actor: event.Actor{ID: who, Kind: event.Agent}, Public: true})
		e.ID, e.OccurredAt = "evt-202608-00042-03", e.OccurredAt.Add(time.Minute)
		return e
	}
	note := reply("ag-1009")
	note.Type, note.Public = event.Note, false
	cases := []struct {
		name string
		e    event.Event
		want string
	}{
		{"the assignee replies", reply("ag-1001"), freshdesk.Source},
		{"a colleague replies", reply("ag-1009"), generic.Source},
		{"a colleague writes a note", note, generic.Source},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := Replay([]event.Event{createdEvent(), assign, tc.e}, Options{Shares: onlyTo(freshdesk.Source), Secrets: devSecrets(), Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if got := plan.Tickets[tc.e.TicketID]; got != tc.want {
				t.Fatalf("went to %s, want %s (%v)", got, tc.want, plan.Fallbacks)
			}
			if tc.want == generic.Source && plan.Fallbacks[ReasonAuthor] != 3 {
				t.Fatalf("fallbacks %v", plan.Fallbacks)
			}
		})
	}
}

// A survey answer goes generic and names the engineer credited at the
// resolution, so that it credits them on the ticket it lands on; the
// engineer's id there is the one in the events, not the vendor's.
func TestReplaySurveyNamesTheCreditedEngineer(t *testing.T) {
	assign := later(event.Event{Type: event.Assigned, Actor: system, AssigneeID: "ag-1001"})
	resolve := later(event.Event{Type: event.StatusChanged, Actor: agent, Status: event.StatusResolved})
	resolve.ID, resolve.OccurredAt = "evt-202608-00042-03", t0.Add(2*time.Hour)
	reassign := later(event.Event{Type: event.Assigned, Actor: agent, AssigneeID: "ag-1002"})
	reassign.ID, reassign.OccurredAt = "evt-202608-00042-04", t0.Add(3*time.Hour)
	answer := later(event.Event{Type: event.SurveyAnswered, Actor: customer, Rating: 2})
	answer.ID, answer.OccurredAt = "evt-202608-00042-05", t0.Add(4*time.Hour)
	evs := []event.Event{createdEvent(), assign, resolve, reassign, answer}
	agents := map[string]map[string]string{zendesk.Source: {"ag-1001": "8447388090494"}}
	for _, source := range sources {
		t.Run(source, func(t *testing.T) {
			plan, err := Replay(evs, Options{Shares: onlyTo(source), Secrets: devSecrets(), Agents: agents, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			last := plan.Requests[len(plan.Requests)-1]
			got := receive(t, last, now)[0]
			want := "ag-1001"
			if source == generic.Source {
				want = "" // the answer is on its own ticket: unchanged
			}
			if last.Source != generic.Source || got.Type != event.SurveyAnswered || got.AssigneeID != want {
				t.Fatalf("answer went to %s naming %q, want generic naming %q", last.Source, got.AssigneeID, want)
			}
			if source != generic.Source && (last.Fallback != ReasonSurvey || plan.Fallbacks[ReasonSurvey] != 1) {
				t.Fatalf("fallback %q, %v", last.Fallback, plan.Fallbacks)
			}
		})
	}
}

// Agent ids are translated to each system's own, so that the directory's
// (source, external id) mapping applies; the rest of the ticket is as it
// was.
func TestReplayTranslatesAgents(t *testing.T) {
	assign := later(event.Event{Type: event.Assigned, Actor: system, AssigneeID: "ag-1001"})
	reply := later(event.Event{Type: event.Replied, Actor: agent, Public: true})
	reply.ID, reply.OccurredAt = "evt-202608-00042-03", t0.Add(2*time.Hour)
	agents := map[string]map[string]string{
		zendesk.Source: {"ag-1001": "8447388090494"}, jira.Source: {"ag-1001": "712020:0a1b"}, freshdesk.Source: {"ag-1001": "43000104729"},
	}
	for _, source := range []string{zendesk.Source, jira.Source, freshdesk.Source} {
		t.Run(source, func(t *testing.T) {
			plan, err := Replay([]event.Event{createdEvent(), assign, reply}, Options{Shares: onlyTo(source), Secrets: devSecrets(), Agents: agents, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			var read []event.Event
			for _, r := range plan.Requests {
				read = append(read, receive(t, r, now)...)
			}
			want := agents[source]["ag-1001"]
			if read[1].AssigneeID != want || read[2].Actor.ID != want {
				t.Fatalf("assignee %q, replier %q; want %q", read[1].AssigneeID, read[2].Actor.ID, want)
			}
		})
	}
}

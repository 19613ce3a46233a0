package jira

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/devkit/vendorfake"
	"scorecard/shared/source/vendorapi"
)

// TestHistoryRoundTripDemo: the demo generator's tickets, recorded as Jira
// Service Management Cloud would have recorded them
// (vendorfake.JiraFromEvents), served by the fake and read back by the
// history import, reduce to the same ticket state as the generated events
// on everything Jira carries. It is a property of every generated ticket,
// not of a sample: all of them must match.
//
// What the round trip loses, and why (jiraCarries applies exactly this to
// the generated events before they are reduced for comparison):
//
//   - survey_answered events: Jira has no satisfaction survey in its
//     changelog or comments (JSM's CSAT is not in the REST history), so
//     answers, and the state's Answers, are not imported;
//   - the status new: no Jira status reads as new under the adapter's
//     default mapping. A ticket starts in "Waiting for support" (category
//     new), which reads as open, so the first new → open change is not
//     seen and the ticket is open from its creation. With the policy
//     mapping "Waiting for support" to new (sources.jira.statuses) nothing
//     is lost: the second case shows it;
//   - internal replies: an agent's reply that is not public and an
//     internal note are the same thing in Jira, an internal comment
//     (jsdPublic false), which the adapter reads as a note. So an agent's
//     internal reply (ignored by the state) comes back as a note (counted
//     in Notes);
//   - people the model did not classify (actor kind person): every Jira
//     Cloud account has a type, and only licensed (atlassian) accounts work
//     tickets, so they come back as agents (the demo has none);
//   - sub-millisecond time: Jira keeps milliseconds (the demo's times are
//     whole seconds, so nothing is lost there; the comparison is in
//     milliseconds);
//   - ids: the event ids are the import's own (hist:jira:…), ticket ids are
//     issue ids and people are Atlassian accounts: the generated events are
//     compared with their ids mapped as JiraFromEvents maps them
//     (JiraIssueRef, JiraAccountID); agents without a Jira account (the new
//     hire) get a derived one;
//   - no-op events: Jira records only changes, so an event that repeats a
//     field's value (tags_changed adding a tag the ticket has) is no
//     changelog item. The state ignores repeats too, so nothing is lost;
//     only the event count differs, which is not compared, nor are
//     LastEventAt (surveys come last) and Resolution.Imported (set on
//     the import's side only).
//
// Compared: creation time, customer (id, email, name), status and the
// whole status history, assignee and every assignment, priority, labels as
// tags, ticket type (issue type), first response (time and agent),
// resolutions (time and agent credited), reopens, notes (time, author,
// assignee then).
func TestHistoryRoundTripDemo(t *testing.T) {
	cfg := demo.DefaultConfig()
	// 20 engineers: the smallest organisation demo.Generate accepts
	// (demo.MinEngineers; 12 panics in Config.Validate).
	cfg.Months, cfg.TicketsPerMonth, cfg.Engineers = 1, 150, demo.MinEngineers
	org, raw := demo.Generate(cfg)
	evs, err := demo.ModelEvents(raw)
	if err != nil {
		t.Fatal(err)
	}
	agents := org.AgentIDs()["jira"]
	issues := vendorfake.JiraFromEvents(evs, agents)
	orig := byTicket(evs)
	if n := cfg.Months * cfg.TicketsPerMonth; len(orig) != n || len(issues) != n {
		t.Fatalf("%d generated tickets, %d issues, want %d", len(orig), len(issues), n)
	}
	rev := slices.Clone(evs)
	slices.Reverse(rev)
	if again := vendorfake.JiraFromEvents(rev, agents); !reflect.DeepEqual(again, issues) {
		t.Fatal("JiraFromEvents gives other issues for the same events in another order")
	}
	since := cfg.Start.Start(cfg.TimeZone)

	withNew, err := policy.Parse([]byte("base: default\nversion: roundtrip\nsources:\n  jira:\n    statuses: {Waiting for support: new}\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		set       policy.Source
		keepsNew  bool   // the policy maps "Waiting for support" to new
		embedded  [2]int // the fake's EmbeddedChangelog, EmbeddedComments
		failOn    []int
		pageSize  int
		wantRetry bool
	}{
		{name: "default mapping", set: policy.Source{}},
		{name: "new mapped by the policy, changelogs and comments read from their endpoints, 5xx met",
			set: withNew.SourceFor(Source), keepsNew: true,
			embedded: [2]int{3, 2}, failOn: []int{3, 40, 41}, pageSize: 7, wantRetry: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := &vendorfake.JiraHistory{Issues: issues, Cloud: true, User: "bot@example.com", Token: "tok",
				EmbeddedChangelog: tc.embedded[0], EmbeddedComments: tc.embedded[1], FailOn: tc.failOn}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			c := vendorapi.Credentials{BaseURL: srv.URL, User: fake.User, Token: fake.Token, Edition: "cloud"}
			api, err := vendorapi.New(c)
			if err != nil {
				t.Fatal(err)
			}
			x := NewExporter(api, c, tc.set, since, "")
			x.PageSize = tc.pageSize
			imported, pages, retries := rtImportAll(t, x)
			if tc.wantRetry && retries == 0 {
				t.Error("no RetryLater was met")
			}
			for _, e := range imported {
				if e.Source != Source || !e.Imported || !strings.HasPrefix(e.ID, "hist:jira:") {
					t.Fatalf("event %+v: want source jira, imported, a hist: id", e)
				}
			}
			got := byTicket(imported)
			if len(got) != len(orig) {
				t.Fatalf("%d tickets imported, %d generated", len(got), len(orig))
			}
			var cover rtCoverage
			bad := 0
			for _, tid := range slices.Sorted(maps.Keys(orig)) {
				id, _ := vendorfake.JiraIssueRef(tid)
				wantSt := ticket.Reduce(jiraCarries(orig[tid], agents, tc.keepsNew))
				gotSt := ticket.Reduce(got[id])
				cover.add(orig[tid], wantSt, agents)
				if w, g := rtView(wantSt), rtView(gotSt); !reflect.DeepEqual(w, g) {
					bad++
					if bad <= 3 {
						t.Errorf("ticket %s (issue %s):\n%s", tid, id, rtDiff(w, g))
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d tickets differ after the round trip", bad, len(orig))
			}
			t.Logf("%d tickets, %d generated events, %d imported in %d pages (%d requests, %d retries); %s",
				len(orig), len(evs), len(imported), pages, fake.Requests(), retries, cover)
			if cover.zero() != "" {
				t.Errorf("the demo no longer exercises %s", cover.zero())
			}
		})
	}
}

// rtImportAll reads every page, retrying a page refused with RetryLater
// with the same cursor.
func rtImportAll(t *testing.T, x *Exporter) (evs []event.Event, pages, retries int) {
	t.Helper()
	cur := ""
	for guard := 0; guard < 10000; guard++ {
		p, err := x.Next(context.Background(), cur)
		var rl *vendorapi.RetryLater
		if errors.As(err, &rl) {
			retries++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		pages++
		evs = append(evs, p.Events...)
		if p.Done {
			return evs, pages, retries
		}
		cur = p.Next
	}
	t.Fatal("no end of pages")
	return nil, 0, 0
}

// jiraCarries is the generated events of one ticket as Jira can carry
// them (see TestHistoryRoundTripDemo): ids mapped as JiraFromEvents maps
// them, survey answers dropped, an agent's internal reply a note, a
// person an agent, and new read as open unless the policy maps it.
func jiraCarries(evs []event.Event, agents map[string]string, keepsNew bool) []event.Event {
	out := make([]event.Event, 0, len(evs))
	for _, e := range evs {
		if e.Type == event.SurveyAnswered {
			continue
		}
		e.Source = Source
		e.TicketID, _ = vendorfake.JiraIssueRef(e.TicketID)
		if e.Actor.Kind == event.Person {
			e.Actor.Kind = event.Agent
		}
		e.Actor.ID = vendorfake.JiraAccountID(agents, e.Actor)
		if e.AssigneeID != "" {
			e.AssigneeID = vendorfake.JiraAccountID(agents, event.Actor{ID: e.AssigneeID, Kind: event.Agent})
		}
		if e.Customer != nil {
			c := *e.Customer
			c.ID = vendorfake.JiraAccountID(nil, event.Actor{ID: c.ID, Kind: event.Customer})
			e.Customer = &c
		}
		if e.Status == event.StatusNew && !keepsNew {
			e.Status = event.StatusOpen
		}
		if e.Type == event.Replied && !e.Public && e.Actor.Kind == event.Agent {
			e.Type = event.Note
		}
		out = append(out, e)
	}
	return out
}

// rtState is what of a ticket.State Jira carries, times in milliseconds
// (UTC, RFC 3339) so that a difference reads plainly.
type rtState struct {
	Created                                   string
	Customer                                  event.CustomerInfo
	Status, Priority, Assignee, TicketType    string
	Tags                                      []string
	Statuses, Assignments, Resolutions, Notes []string
	FirstResponse                             string
	Reopens                                   []string
}

func rtMs(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z")
}

func rtView(s ticket.State) rtState {
	v := rtState{Created: rtMs(s.CreatedAt), Status: string(s.Status), Priority: string(s.Priority), Assignee: s.AssigneeID,
		TicketType: s.TicketType, Tags: s.Tags}
	if s.Customer != nil {
		v.Customer = *s.Customer
	}
	for _, c := range s.Statuses {
		v.Statuses = append(v.Statuses, fmt.Sprintf("%s %s→%s", rtMs(c.At), c.From, c.To))
	}
	for _, a := range s.Assignments {
		v.Assignments = append(v.Assignments, rtMs(a.At)+" "+a.AgentID)
	}
	for _, r := range s.Resolutions {
		v.Resolutions = append(v.Resolutions, rtMs(r.At)+" "+r.AgentID)
	}
	for _, n := range s.Notes {
		v.Notes = append(v.Notes, fmt.Sprintf("%s by %s (assignee %s)", rtMs(n.At), n.AgentID, n.AssigneeID))
	}
	if r := s.FirstResponse; r != nil {
		v.FirstResponse = rtMs(r.At) + " " + r.AgentID
	}
	for _, r := range s.Reopens {
		v.Reopens = append(v.Reopens, rtMs(r))
	}
	return v
}

// rtDiff names the fields that differ.
func rtDiff(want, got rtState) string {
	var b strings.Builder
	w, g := reflect.ValueOf(want), reflect.ValueOf(got)
	for i := range w.NumField() {
		if !reflect.DeepEqual(w.Field(i).Interface(), g.Field(i).Interface()) {
			fmt.Fprintf(&b, "  %s:\n    generated %v\n    imported  %v\n", w.Type().Field(i).Name, w.Field(i).Interface(), g.Field(i).Interface())
		}
	}
	return b.String()
}

// rtCoverage counts the tickets that exercise each part of the mapping.
type rtCoverage struct {
	pending, onHold, closed, reopened, reassigned, notes, internalReplies, systemReplies, priority, tags, retyped, surveyed, noJiraAccount, unresolved int
}

func (c *rtCoverage) add(evs []event.Event, st ticket.State, agents map[string]string) {
	has := func(f func(e event.Event) bool) int {
		if slices.ContainsFunc(evs, f) {
			return 1
		}
		return 0
	}
	c.pending += has(func(e event.Event) bool { return e.Type == event.StatusChanged && e.Status == event.StatusPending })
	c.onHold += has(func(e event.Event) bool { return e.Type == event.StatusChanged && e.Status == event.StatusOnHold })
	c.closed += has(func(e event.Event) bool { return e.Type == event.StatusChanged && e.Status == event.StatusClosed })
	c.internalReplies += has(func(e event.Event) bool { return e.Type == event.Replied && !e.Public })
	c.systemReplies += has(func(e event.Event) bool { return e.Type == event.Replied && e.Actor.Kind == event.System })
	c.priority += has(func(e event.Event) bool { return e.Type == event.PriorityChanged })
	c.tags += has(func(e event.Event) bool { return e.Type == event.TagsChanged })
	c.surveyed += has(func(e event.Event) bool { return e.Type == event.SurveyAnswered })
	c.noJiraAccount += has(func(e event.Event) bool { // the new hire
		return e.Actor.Kind == event.Agent && agents[e.Actor.ID] == "" || e.AssigneeID != "" && agents[e.AssigneeID] == ""
	})
	created := slices.IndexFunc(evs, func(e event.Event) bool { return e.Type == event.Created })
	c.retyped += has(func(e event.Event) bool {
		return e.Type == event.TagsChanged && created >= 0 && e.TicketType != evs[created].TicketType
	})
	if len(st.Reopens) > 0 {
		c.reopened++
	}
	if len(st.Assignments) > 1 {
		c.reassigned++
	}
	if len(st.Notes) > 0 {
		c.notes++
	}
	if !st.Status.Done() {
		c.unresolved++
	}
}

func (c rtCoverage) String() string {
	return fmt.Sprintf("tickets with: pending %d, on hold %d, closed %d, reopened %d, reassigned %d, notes %d, internal replies %d, system replies %d, priority changes %d, tag changes %d, type changes %d, surveys %d, agents without a Jira account %d, unresolved %d",
		c.pending, c.onHold, c.closed, c.reopened, c.reassigned, c.notes, c.internalReplies, c.systemReplies, c.priority, c.tags, c.retyped, c.surveyed, c.noJiraAccount, c.unresolved)
}

// zero names a part no ticket exercised.
func (c rtCoverage) zero() string {
	v := reflect.ValueOf(c)
	for i := range v.NumField() {
		if v.Field(i).Int() == 0 && v.Type().Field(i).Name != "unresolved" {
			return v.Type().Field(i).Name
		}
	}
	return ""
}

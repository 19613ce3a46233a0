package ticket_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"scorecard/shared/core/calendar"
	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
)

var t0 = time.Date(2026, 10, 5, 1, 0, 0, 0, time.UTC)

func at(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

// ev builds an event at hour h of the test day; ids are unique per call site.
func ev(id string, h float64, typ event.Type, mods ...func(*event.Event)) event.Event {
	e := event.Event{Source: "generic", ID: id, TicketID: "T-1", Type: typ, OccurredAt: at(h)}
	for _, m := range mods {
		m(&e)
	}
	return e
}

func by(kind event.ActorKind, id string) func(*event.Event) {
	return func(e *event.Event) { e.Actor = event.Actor{ID: id, Kind: kind} }
}
func to(agent string) func(*event.Event) { return func(e *event.Event) { e.AssigneeID = agent } }
func status(s event.Status) func(*event.Event) {
	return func(e *event.Event) { e.Status = s }
}
func public(p bool) func(*event.Event) { return func(e *event.Event) { e.Public = p } }
func rating(r int) func(*event.Event)  { return func(e *event.Event) { e.Rating = r } }

func TestReduce(t *testing.T) {
	tests := []struct {
		name   string
		events []event.Event
		check  func(t *testing.T, s ticket.State)
	}{
		{
			name: "first response is the first public reply by an agent",
			events: []event.Event{
				ev("1", 0, event.Created, by(event.Customer, "c")),
				ev("2", 0.1, event.Replied, by(event.System, "bot"), public(true)),
				ev("3", 0.2, event.Note, by(event.Agent, "a1")),
				ev("4", 0.3, event.Replied, by(event.Customer, "c"), public(true)),
				ev("5", 0.4, event.Replied, by(event.Agent, "a1"), public(false)),
				ev("6", 0.5, event.Replied, by(event.Agent, "a2"), public(true)),
				ev("7", 0.6, event.Replied, by(event.Agent, "a1"), public(true)),
			},
			check: func(t *testing.T, s ticket.State) {
				want := &ticket.Response{At: at(0.5), AgentID: "a2"}
				if diff := cmp.Diff(want, s.FirstResponse); diff != "" {
					t.Errorf("system replies, notes, customer replies and private replies are not responses (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "resolution is credited to the assignee at that moment",
			events: []event.Event{
				ev("1", 0, event.Created),
				ev("2", 1, event.Assigned, to("a1")),
				ev("3", 2, event.Assigned, to("a2")),
				ev("4", 3, event.StatusChanged, status(event.StatusResolved)),
				ev("5", 4, event.Assigned, to("a3")),
			},
			check: func(t *testing.T, s ticket.State) {
				r, ok := s.FinalResolution()
				if !ok || r.AgentID != "a2" || !r.At.Equal(at(3)) {
					t.Errorf("final resolution = %+v, %v; want a2 at hour 3", r, ok)
				}
				if s.AssigneeAt(at(1.5)) != "a1" || s.AssigneeAt(at(0.5)) != "" {
					t.Errorf("AssigneeAt wrong: %q %q", s.AssigneeAt(at(1.5)), s.AssigneeAt(at(0.5)))
				}
			},
		},
		{
			name: "a reopen makes the later resolution the final one",
			events: []event.Event{
				ev("1", 0, event.Created, to("a1")),
				ev("2", 1, event.StatusChanged, status(event.StatusResolved)),
				ev("3", 5, event.StatusChanged, status(event.StatusOpen)),
				ev("4", 6, event.Assigned, to("a2")),
				ev("5", 8, event.StatusChanged, status(event.StatusResolved)),
				ev("6", 9, event.StatusChanged, status(event.StatusClosed)),
			},
			check: func(t *testing.T, s ticket.State) {
				first, _ := s.FirstResolution()
				final, _ := s.FinalResolution()
				if first.AgentID != "a1" || final.AgentID != "a2" || !final.At.Equal(at(8)) {
					t.Errorf("first %+v final %+v", first, final)
				}
				if diff := cmp.Diff([]time.Time{at(5)}, s.Reopens); diff != "" {
					t.Errorf("resolved → closed is not a reopen nor a new resolution (-want +got):\n%s", diff)
				}
				if !s.ReopenedWithin(at(1), 4*time.Hour) || s.ReopenedWithin(at(1), 3*time.Hour) {
					t.Error("ReopenedWithin window edges wrong")
				}
			},
		},
		{
			name: "an open ticket has no final resolution",
			events: []event.Event{
				ev("1", 0, event.Created, to("a1")),
				ev("2", 1, event.StatusChanged, status(event.StatusResolved)),
				ev("3", 2, event.StatusChanged, status(event.StatusOpen)),
			},
			check: func(t *testing.T, s ticket.State) {
				if _, ok := s.FinalResolution(); ok {
					t.Error("reopened ticket has a final resolution")
				}
			},
		},
		{
			name: "the clock runs while new, open or on hold and stops while pending or resolved",
			events: []event.Event{
				ev("1", 0, event.Created),
				ev("2", 1, event.StatusChanged, status(event.StatusPending)),
				ev("3", 3, event.StatusChanged, status(event.StatusOnHold)),
				ev("4", 4, event.StatusChanged, status(event.StatusOpen)),
				ev("5", 5, event.StatusChanged, status(event.StatusResolved)),
				ev("6", 10, event.StatusChanged, status(event.StatusOpen)),
			},
			check: func(t *testing.T, s ticket.State) {
				want := []calendar.Interval{{Start: at(0), End: at(1)}, {Start: at(3), End: at(5)}, {Start: at(10)}}
				if diff := cmp.Diff(want, s.Working()); diff != "" {
					t.Errorf("working intervals (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:   "a ticket whose creation was never seen has no working time",
			events: []event.Event{ev("1", 1, event.StatusChanged, status(event.StatusResolved))},
			check: func(t *testing.T, s ticket.State) {
				if s.HasCreation() || s.Working() != nil {
					t.Errorf("HasCreation %v Working %v", s.HasCreation(), s.Working())
				}
				if s.Priority != event.Normal {
					t.Errorf("priority defaults to normal, got %q", s.Priority)
				}
			},
		},
		{
			name: "priority, tags and type follow the latest change",
			events: []event.Event{
				ev("1", 0, event.Created, func(e *event.Event) {
					e.Priority, e.Tags, e.HasTags, e.TicketType = event.Low, []string{"printer"}, true, "incident"
				}),
				ev("2", 1, event.PriorityChanged, func(e *event.Event) { e.Priority = event.Urgent }),
				ev("3", 2, event.TagsChanged, func(e *event.Event) { e.Tags, e.HasTags = []string{"complaint", "printer"}, true }),
				ev("4", 3, event.TagsChanged, func(e *event.Event) { e.TicketType = "complaint" }),
			},
			check: func(t *testing.T, s ticket.State) {
				if s.Priority != event.Urgent || s.TicketType != "complaint" || !s.HasTag("complaint") || s.HasTag("x") {
					t.Errorf("got priority %q type %q tags %v", s.Priority, s.TicketType, s.Tags)
				}
			},
		},
		{
			name: "internal notes record who the ticket was assigned to",
			events: []event.Event{
				ev("1", 0, event.Created, to("a1")),
				ev("2", 1, event.Note, by(event.Agent, "a2")),
				ev("3", 2, event.Note, by(event.Customer, "c")),
			},
			check: func(t *testing.T, s ticket.State) {
				want := []ticket.Note{{At: at(1), AgentID: "a2", AssigneeID: "a1"}}
				if diff := cmp.Diff(want, s.Notes); diff != "" {
					t.Errorf("notes (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "a survey answer is credited to the resolver and a later answer replaces it",
			events: []event.Event{
				ev("1", 0, event.Created, to("a1")),
				ev("2", 1, event.StatusChanged, status(event.StatusResolved)),
				ev("3", 2, event.Assigned, to("a2")),
				ev("4", 3, event.SurveyAnswered, rating(2)),
				ev("5", 4, event.SurveyAnswered, rating(5)),
			},
			check: func(t *testing.T, s ticket.State) {
				if len(s.Answers) != 1 || s.Answers[0].Rating != 5 || s.Answers[0].AgentID != "a1" || s.Answers[0].Resolution != 0 {
					t.Errorf("answers %+v", s.Answers)
				}
			},
		},
		{
			name: "a conflicting duplicate keeps the same event whatever the order",
			events: []event.Event{
				ev("1", 0, event.Created),
				ev("2", 1, event.Assigned, to("a1")),
				ev("2", 1, event.Assigned, to("a9")),
			},
			check: func(t *testing.T, s ticket.State) {
				if s.AssigneeID != "a1" || s.Events != 2 {
					t.Errorf("assignee %q events %d", s.AssigneeID, s.Events)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := ticket.Reduce(tc.events)
			tc.check(t, s)
			// Reversed input gives the same state.
			rev := make([]event.Event, len(tc.events))
			for i, e := range tc.events {
				rev[len(rev)-1-i] = e
			}
			if diff := cmp.Diff(s, ticket.Reduce(rev)); diff != "" {
				t.Errorf("reversed order changes the state (-in order +reversed):\n%s", diff)
			}
		})
	}
}

func TestStatusAt(t *testing.T) {
	s := ticket.Reduce([]event.Event{
		ev("1", 0, event.Created),
		ev("2", 2, event.StatusChanged, status(event.StatusPending)),
	})
	for _, tc := range []struct {
		h    float64
		want event.Status
	}{{-1, event.StatusNew}, {1, event.StatusNew}, {2, event.StatusPending}, {3, event.StatusPending}} {
		if got := s.StatusAt(at(tc.h)); got != tc.want {
			t.Errorf("StatusAt(%v) = %q, want %q", tc.h, got, tc.want)
		}
	}
}

// genEvents draws a plausible random life of one ticket.
func genEvents(t *rapid.T) []event.Event {
	n := rapid.IntRange(1, 25).Draw(t, "n")
	agents := []string{"a1", "a2", "a3"}
	statuses := event.Statuses
	var out []event.Event
	out = append(out, ev("created", 0, event.Created, by(event.Customer, "c")))
	for i := range n {
		h := float64(rapid.IntRange(0, 200).Draw(t, "minute")) / 10
		id := fmt.Sprintf("e%d", i)
		switch rapid.IntRange(0, 6).Draw(t, "kind") {
		case 0:
			out = append(out, ev(id, h, event.Assigned, to(rapid.SampledFrom(agents).Draw(t, "agent"))))
		case 1:
			out = append(out, ev(id, h, event.StatusChanged, status(rapid.SampledFrom(statuses).Draw(t, "status"))))
		case 2:
			out = append(out, ev(id, h, event.Replied, by(event.Agent, rapid.SampledFrom(agents).Draw(t, "agent")), public(rapid.Bool().Draw(t, "public"))))
		case 3:
			out = append(out, ev(id, h, event.Note, by(event.Agent, rapid.SampledFrom(agents).Draw(t, "agent"))))
		case 4:
			out = append(out, ev(id, h, event.PriorityChanged, func(e *event.Event) { e.Priority = rapid.SampledFrom(event.Priorities).Draw(t, "prio") }))
		case 5:
			out = append(out, ev(id, h, event.TagsChanged, func(e *event.Event) {
				e.Tags, e.HasTags = event.NormalizeTags(rapid.SliceOfN(rapid.SampledFrom([]string{"complaint", "vip", "no-survey"}), 0, 3).Draw(t, "tags")), true
			}))
		case 6:
			out = append(out, ev(id, h, event.SurveyAnswered, rating(rapid.IntRange(1, 5).Draw(t, "rating"))))
		}
	}
	return out
}

// Any permutation of a ticket's events, with duplicates, yields the same state.
func TestReduceIsOrderAndDuplicateIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t)
		want := ticket.Reduce(events)
		var noisy []event.Event
		for _, e := range events {
			for range rapid.IntRange(1, 3).Draw(t, "copies") {
				noisy = append(noisy, e)
			}
		}
		perm := rapid.Permutation(noisy).Draw(t, "perm")
		if diff := cmp.Diff(want, ticket.Reduce(perm)); diff != "" {
			t.Fatalf("shuffled and duplicated events change the state (-want +got):\n%s", diff)
		}
	})
}

// Splitting the events and reducing the union equals reducing them all: the
// store may fold events as they arrive.
func TestCanonicalIsIdempotent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t)
		once := ticket.Canonical(events)
		if diff := cmp.Diff(once, ticket.Canonical(append(once, events...))); diff != "" {
			t.Fatalf("canonical form not idempotent:\n%s", diff)
		}
	})
}

// A Reducer reduces ticket after ticket as Reduce does, and changes
// neither the events nor the slice it is given.
func TestReducerReducesAsReduce(t *testing.T) {
	var r ticket.Reducer
	rapid.Check(t, func(t *rapid.T) {
		for range rapid.IntRange(1, 3).Draw(t, "tickets") {
			events := rapid.Permutation(genEvents(t)).Draw(t, "perm")
			ptrs := make([]*event.Event, len(events))
			for i := range events {
				ptrs[i] = &events[i]
			}
			before, given := slices.Clone(events), slices.Clone(ptrs)
			if diff := cmp.Diff(ticket.Reduce(events), r.Reduce(ptrs)); diff != "" {
				t.Fatalf("Reducer and Reduce disagree (-Reduce +Reducer):\n%s", diff)
			}
			if !slices.Equal(ptrs, given) || cmp.Diff(before, events) != "" {
				t.Fatal("the Reducer changed its input")
			}
		}
	})
}

// Group gives every ticket once, by source then id, with pointers to all
// its events in their order, on any number of workers.
func TestGroup(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) event.Event {
			return event.Event{
				Source:   rapid.SampledFrom([]string{"generic", "zendesk", "jira"}).Draw(t, "source"),
				TicketID: fmt.Sprintf("T%d", rapid.IntRange(0, 30).Draw(t, "ticket")),
			}
		}), 0, 300).Draw(t, "events")
		type key struct{ source, id string }
		byKey := map[key][]*event.Event{}
		for i := range events {
			k := key{events[i].Source, events[i].TicketID}
			byKey[k] = append(byKey[k], &events[i])
		}
		keys := slices.SortedFunc(maps.Keys(byKey), func(a, b key) int {
			if c := strings.Compare(a.source, b.source); c != 0 {
				return c
			}
			return strings.Compare(a.id, b.id)
		})
		var want [][]*event.Event
		for _, k := range keys {
			want = append(want, byKey[k])
		}
		for _, workers := range []int{1, 2, 3, 8} {
			got := ticket.GroupOn(events, workers)
			if len(got) != len(want) || !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("%d workers: %d tickets, want %d, or not in order, or not their events", workers, len(got), len(want))
			}
		}
		if !slices.EqualFunc(ticket.Group(events), want, slices.Equal) {
			t.Fatal("Group: not the tickets' events in order")
		}
	})
}

func BenchmarkReduce(b *testing.B) {
	// A typical ticket: 12 events.
	events := []event.Event{
		ev("1", 0, event.Created, by(event.Customer, "c")),
		ev("2", 0.01, event.Replied, by(event.System, "bot"), public(true)),
		ev("3", 0.1, event.Assigned, to("a1")),
		ev("4", 0.5, event.Replied, by(event.Agent, "a1"), public(true)),
		ev("5", 0.6, event.StatusChanged, status(event.StatusOpen)),
		ev("6", 1, event.Note, by(event.Agent, "a2")),
		ev("7", 2, event.StatusChanged, status(event.StatusPending)),
		ev("8", 5, event.Replied, by(event.Customer, "c"), public(true)),
		ev("9", 5, event.StatusChanged, status(event.StatusOpen)),
		ev("10", 7, event.StatusChanged, status(event.StatusResolved)),
		ev("11", 9, event.SurveyAnswered, rating(5)),
		ev("12", 50, event.StatusChanged, status(event.StatusClosed)),
	}
	// Shuffled, as webhooks arrive.
	shuffled := []event.Event{events[5], events[0], events[11], events[2], events[9], events[1], events[7], events[3], events[10], events[4], events[8], events[6]}
	b.ReportAllocs()
	for b.Loop() {
		_ = ticket.Reduce(shuffled)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
}

func TestASurveyAnswerNamingItsEngineerKeepsThatCredit(t *testing.T) {
	s := ticket.Reduce([]event.Event{
		ev("1", 0, event.Created, to("a1")),
		ev("2", 1, event.StatusChanged, status(event.StatusResolved)),
		ev("3", 2, event.StatusChanged, status(event.StatusOpen)),
		ev("4", 3, event.Assigned, to("a2")),
		ev("5", 4, event.StatusChanged, status(event.StatusResolved)),
		ev("6", 5, event.SurveyAnswered, rating(5), to("a1")),
	})
	if len(s.Answers) != 1 || s.Answers[0].AgentID != "a1" {
		t.Errorf("answers %+v: the survey sent after the first resolution credits a1", s.Answers)
	}
}

// A reply by someone the source did not classify is a response only when
// the directory says they are an engineer; the requester's own never is.
func TestFirstResponseByADirectoryPerson(t *testing.T) {
	cust := func(e *event.Event) { e.Customer = &event.CustomerInfo{ID: "c-1"} }
	evs := []event.Event{
		ev("c", 0, event.Created, cust),
		ev("r1", 0.5, event.Replied, by(event.Person, "c-1"), public(true)), // the requester
		ev("r2", 1, event.Replied, by(event.Person, "partner"), public(true)),
		ev("r3", 2, event.Replied, by(event.Person, "jdoe"), public(true)),
		ev("n", 2.5, event.Replied, by(event.Person, "jdoe"), public(false)),
		ev("r4", 3, event.Replied, by(event.Agent, "ag-1"), public(true)),
		ev("r5", 4, event.Replied, by(event.Person, "late"), public(true)),
	}
	s := ticket.Reduce(evs)
	if diff := cmp.Diff([]ticket.Response{{At: at(1), AgentID: "partner"}, {At: at(2), AgentID: "jdoe"}}, s.PersonReplies); diff != "" {
		t.Fatalf("person replies (-want +got):\n%s", diff)
	}
	tests := []struct {
		name   string
		mapped []string
		want   string
		wantAt float64
	}{
		{"nobody mapped: the classified agent's reply", nil, "ag-1", 3},
		{"a mapped engineer's earlier reply is the first response", []string{"jdoe"}, "jdoe", 2},
		{"the earliest mapped person", []string{"jdoe", "partner"}, "partner", 1},
		{"a person after the agent's reply never counts", []string{"late"}, "ag-1", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := s.FirstResponseBy(func(id string) bool { return slices.Contains(tc.mapped, id) })
			if r == nil || r.AgentID != tc.want || !r.At.Equal(at(tc.wantAt)) {
				t.Errorf("first response %+v, want %s at %v", r, tc.want, at(tc.wantAt))
			}
		})
	}
}

// BenchmarkGroup groups a month's events, as received (in time order, the
// tickets interleaved), by ticket: 100 000 tickets of 12 events.
func BenchmarkGroup(b *testing.B) {
	const tickets = 100_000
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	events := make([]event.Event, 0, 12*tickets)
	for t := range tickets {
		id := fmt.Sprintf("T-202608-%07d", t)
		at := start.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
		for k := range 12 {
			events = append(events, event.Event{Source: "generic", TicketID: id, ID: fmt.Sprintf("evt-%s-%02d", id, k), OccurredAt: at})
			at = at.Add(time.Duration(r.Int64N(int64(10 * time.Hour))))
		}
	}
	slices.SortFunc(events, func(a, b event.Event) int { return a.OccurredAt.Compare(b.OccurredAt) })
	for b.Loop() {
		if g := ticket.Group(events); len(g) != tickets {
			b.Fatalf("%d tickets, want %d", len(g), tickets)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
}

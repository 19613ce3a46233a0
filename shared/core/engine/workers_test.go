package engine_test

import (
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/engine"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
)

// outcome is everything a run gives: the cards, the stats and the evidence
// in the order Evidence heard it.
type outcome struct {
	Cards    []scoring.Card
	Stats    engine.Stats
	Evidence []metric.Contribution
}

// runOn runs in on the given number of workers, the sequences made afresh.
func runOn(t testing.TB, in func() engine.Input, workers int) outcome {
	t.Helper()
	var out outcome
	input := in()
	input.Workers = workers
	input.Evidence = func(c metric.Contribution) { out.Evidence = append(out.Evidence, c) }
	cards, stats, err := engine.Run(input)
	if err != nil {
		t.Fatal(err)
	}
	out.Cards, out.Stats = cards, stats
	return out
}

// The results of a run — cards, stats, and the evidence in its order — are
// the same on one worker and on several: the workers measure the tickets,
// but the run counts them in the order it read them, whichever worker
// finishes first.
func TestWorkersChangeNothing(t *testing.T) {
	p := policy.Default()
	m := month.Month{Year: 2026, Month: time.October}
	loc := p.Location()
	// 30 of the 40 agents are in the directory: the others' credit is
	// unmapped, and notes on their tickets are collaboration.
	d := identityDirectory(30)
	excluded := metric.Exclusions{}
	for i := 0; i < 3000; i += 7 {
		a := fmt.Sprintf("a%d", i%40)
		excluded[metric.ExclusionKey(a, metric.AvgHandleHours, "generic", fmt.Sprintf("T%d", i))] = true
		excluded[metric.ExclusionKey(a, metric.FirstResponse1hRate, "generic", fmt.Sprintf("T%d", i))] = true
	}
	people := map[string]metric.People{
		"a3": {LeadAttitude: ptr(80.0), QualityReviews: []metric.ReviewedTicket{{Source: "generic", TicketID: "T3", Score: 70}}},
		"a9": {TrainingHours: ptr(4.0), TrainingSessions: 2},
	}
	tests := []struct {
		name string
		in   func() engine.Input
	}{
		{"ticket states", func() engine.Input {
			return engine.Input{Policy: p, Month: m, AsOf: m.End(loc), Directory: d, Tickets: synthetic(m, loc, 3000, 40)}
		}},
		{"events, reduced by the workers", func() engine.Input {
			return engine.Input{Policy: p, Month: m, AsOf: m.End(loc), Directory: d, Events: syntheticEvents(m, loc, 3000, 40)}
		}},
		{"states then events, with exclusions and people, as of mid-month", func() engine.Input {
			return engine.Input{
				Policy: p, Month: m, AsOf: m.Start(loc).Add(15 * 24 * time.Hour), Directory: d,
				Tickets: synthetic(m, loc, 1000, 40), Events: syntheticEvents(m.Add(-1), loc, 2000, 40),
				Exclusions: excluded, People: people,
			}
		}},
		{"fewer tickets than a worker takes at a time", func() engine.Input {
			return engine.Input{Policy: p, Month: m, AsOf: m.End(loc), Directory: d, Events: syntheticEvents(m, loc, 10, 40)}
		}},
		{"no tickets", func() engine.Input {
			return engine.Input{Policy: p, Month: m, AsOf: m.End(loc), Directory: d, People: people}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := runOn(t, tc.in, 1)
			for _, workers := range []int{2, 3, 8, 0} {
				if diff := cmp.Diff(want, runOn(t, tc.in, workers)); diff != "" {
					t.Errorf("%d workers against 1 (-1 +%d):\n%s", workers, workers, diff)
				}
			}
		})
	}
}

// TestWorkersChangeNothingOnAnyTickets: the same on random months of
// awkward tickets — creations missing or out of the month, reopens,
// answers, notes, agents not in the directory, several sources — read as
// states or as events, on any number of workers.
func TestWorkersChangeNothingOnAnyTickets(t *testing.T) {
	p := policy.Default()
	m := month.Month{Year: 2026, Month: time.October}
	d := directory.New([]directory.Engineer{
		{ID: "E1", Team: "north", External: map[string]string{"generic": "a1", "zendesk": "z1"}},
		{ID: "E2", Team: "north", External: map[string]string{"generic": "a2"}},
		{ID: "E3", Team: "south", External: map[string]string{"generic": "a3", "zendesk": "z3"}},
	})
	rapid.Check(t, func(rt *rapid.T) {
		tickets := rapid.SliceOfN(rapid.Custom(func(rt *rapid.T) []event.Event { return drawTicket(rt, p, m) }), 0, 300).Draw(rt, "tickets")
		asOf := rapid.SampledFrom([]time.Time{m.Start(p.Location()).Add(10 * 24 * time.Hour), m.End(p.Location()), m.End(p.Location()).Add(30 * 24 * time.Hour)}).Draw(rt, "as of")
		asEvents := rapid.Bool().Draw(rt, "as events")
		in := func() engine.Input {
			i := engine.Input{Policy: p, Month: m, AsOf: asOf, Directory: d}
			if asEvents {
				i.Events = eventSeq(tickets)
			} else {
				i.Tickets = stateSeq(tickets)
			}
			return i
		}
		want := runOn(t, in, 1)
		workers := rapid.IntRange(2, 9).Draw(rt, "workers")
		if diff := cmp.Diff(want, runOn(t, in, workers)); diff != "" {
			rt.Fatalf("%d workers against 1 (-1 +%d):\n%s", workers, workers, diff)
		}
	})
}

// drawTicket draws one ticket's events, times on a quarter-hour grid
// around the month's start and end.
func drawTicket(rt *rapid.T, p *policy.Policy, m month.Month) []event.Event {
	source := rapid.SampledFrom([]string{"generic", "generic", "zendesk"}).Draw(rt, "source")
	id := fmt.Sprintf("T%d", rapid.IntRange(0, 1_000_000).Draw(rt, "id"))
	edge := rapid.SampledFrom([]time.Time{m.Start(p.Location()), m.Start(p.Location()).Add(12 * 24 * time.Hour), m.End(p.Location())}).Draw(rt, "edge")
	at := func(label string) time.Time {
		return edge.Add(time.Duration(rapid.IntRange(-400, 400).Draw(rt, label)) * 15 * time.Minute).Add(time.Duration(rapid.IntRange(0, 59).Draw(rt, label+" s")) * time.Second)
	}
	agents := []string{"a1", "a2", "a3", "z1", "z3", "x9"}
	var evs []event.Event
	add := func(typ event.Type, mod func(e *event.Event)) {
		e := event.Event{Source: source, TicketID: id, ID: fmt.Sprintf("e%d", len(evs)), Type: typ, OccurredAt: at(string(typ))}
		mod(&e)
		evs = append(evs, e)
	}
	if rapid.IntRange(0, 5).Draw(rt, "created") > 0 {
		add(event.Created, func(e *event.Event) {
			e.Priority = rapid.SampledFrom(event.Priorities).Draw(rt, "priority")
			e.AssigneeID = rapid.SampledFrom(agents).Draw(rt, "assignee")
		})
	}
	for range rapid.IntRange(0, 12).Draw(rt, "events") {
		switch rapid.IntRange(0, 5).Draw(rt, "kind") {
		case 0:
			add(event.Assigned, func(e *event.Event) { e.AssigneeID = rapid.SampledFrom(agents).Draw(rt, "agent") })
		case 1:
			add(event.Replied, func(e *event.Event) {
				e.Public, e.Actor = true, event.Actor{ID: rapid.SampledFrom(agents).Draw(rt, "agent"), Kind: event.Agent}
			})
		case 2:
			add(event.Note, func(e *event.Event) {
				e.Actor = event.Actor{ID: rapid.SampledFrom(agents).Draw(rt, "agent"), Kind: event.Agent}
			})
		case 3, 4:
			add(event.StatusChanged, func(e *event.Event) { e.Status = rapid.SampledFrom(event.Statuses).Draw(rt, "status") })
		case 5:
			add(event.SurveyAnswered, func(e *event.Event) {
				e.Rating = rapid.IntRange(1, 5).Draw(rt, "rating")
				e.TicketType = rapid.SampledFrom([]string{"", "complaint"}).Draw(rt, "type")
			})
		}
	}
	return evs
}

func stateSeq(tickets [][]event.Event) iter.Seq[*ticket.State] {
	return func(yield func(*ticket.State) bool) {
		for _, evs := range tickets {
			s := ticket.Reduce(evs)
			if !yield(&s) {
				return
			}
		}
	}
}

func eventSeq(tickets [][]event.Event) iter.Seq[[]*event.Event] {
	return func(yield func([]*event.Event) bool) {
		for _, evs := range tickets {
			ptrs := make([]*event.Event, len(evs))
			for i := range evs {
				ptrs[i] = &evs[i]
			}
			if !yield(ptrs) {
				return
			}
		}
	}
}

// A panic while a worker measures a ticket reaches Run's caller, as it
// would on one goroutine.
func TestAPanicWhileMeasuringReachesTheCaller(t *testing.T) {
	p := policy.Default()
	m := month.Month{Year: 2026, Month: time.October}
	tickets := slices.Collect(synthetic(m, p.Location(), 500, 10))
	tickets[300] = nil
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "measuring a ticket") {
			t.Errorf("want the worker's panic, got %v", r)
		}
	}()
	engine.Run(engine.Input{Policy: p, Month: m, AsOf: m.End(p.Location()), Tickets: slices.Values(tickets), Workers: 4})
}

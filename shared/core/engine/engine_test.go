package engine_test

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/engine"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
)

// ticketsFor makes n tickets in month m for agent: good ones are answered in
// 10 minutes and resolved in 2 hours; bad ones take 5 hours to answer and 40
// to resolve (an SLA breach at normal priority).
func ticketsFor(m month.Month, agent string, n int, good bool) []*ticket.State {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	var out []*ticket.State
	for i := range n {
		created := m.Start(loc).Add(time.Duration(24*(i%20)+2) * time.Hour)
		reply, resolve := 10*time.Minute, 2*time.Hour
		if !good {
			reply, resolve = 5*time.Hour, 40*time.Hour
		}
		id := fmt.Sprintf("%s-%s-%d", m, agent, i)
		evs := []event.Event{
			{Source: "generic", ID: id + "-c", TicketID: id, Type: event.Created, OccurredAt: created, AssigneeID: agent},
			{Source: "generic", ID: id + "-r", TicketID: id, Type: event.Replied, OccurredAt: created.Add(reply), Public: true, Actor: event.Actor{ID: agent, Kind: event.Agent}},
			{Source: "generic", ID: id + "-s", TicketID: id, Type: event.StatusChanged, OccurredAt: created.Add(resolve), Status: event.StatusResolved},
		}
		s := ticket.Reduce(evs)
		out = append(out, &s)
	}
	return out
}

func seq(ts ...[]*ticket.State) iter.Seq[*ticket.State] {
	return func(yield func(*ticket.State) bool) {
		for _, list := range ts {
			for _, t := range list {
				if !yield(t) {
					return
				}
			}
		}
	}
}

func dir() *directory.Directory {
	return directory.New([]directory.Engineer{
		{ID: "E1", Name: "Ann", Team: "north", HireDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), BaseBonus: 1000, External: map[string]string{"generic": "a1"}},
		{ID: "E2", Name: "Bob", Team: "north", HireDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), BaseBonus: 1000, External: map[string]string{"generic": "a2"}},
		{ID: "E3", Name: "Cat", Team: "north", HireDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), BaseBonus: 1000, External: map[string]string{"generic": "a3"}},
	})
}

func kinds(c scoring.Card) []string {
	var out []string
	for _, q := range c.Consequences {
		out = append(out, string(q.Kind))
	}
	return out
}

func card(cards []scoring.Card, id string) scoring.Card {
	for _, c := range cards {
		if c.EngineerID == id {
			return c
		}
	}
	return scoring.Card{}
}

// runMonths runs consecutive months, feeding each month's records into the
// next month's history, as the monthly function does with stored results.
func runMonths(t *testing.T, start month.Month, months int, tickets func(m month.Month) iter.Seq[*ticket.State], overrides map[string]map[string]*consequence.Override) [][]scoring.Card {
	t.Helper()
	p := policy.Default()
	history := map[string][]consequence.Record{}
	var all [][]scoring.Card
	for i := range months {
		m := start.Add(i)
		cards, _, err := engine.Run(engine.Input{
			Policy: p, Month: m, AsOf: m.End(p.Location()).Add(24 * time.Hour), Directory: dir(),
			Tickets: tickets(m), History: history, Overrides: overrides[m.String()],
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cards {
			history[c.EngineerID] = append(history[c.EngineerID], c.Record())
		}
		all = append(all, cards)
	}
	return all
}

func TestConsequencesAcrossMonths(t *testing.T) {
	aug := month.Month{Year: 2026, Month: time.August}
	tests := []struct {
		name      string
		tickets   func(m month.Month) iter.Seq[*ticket.State]
		overrides map[string]map[string]*consequence.Override
		want      [][]string // E2's consequence kinds per month
	}{
		{
			name: "below standard three months running: warning in month 2, position adjustment in month 3",
			tickets: func(m month.Month) iter.Seq[*ticket.State] {
				return seq(ticketsFor(m, "a1", 10, true), ticketsFor(m, "a2", 10, false))
			},
			want: [][]string{{"bonus"}, {"warning", "training_plan", "bonus"}, {"position_adjustment", "training_plan", "bonus"}},
		},
		{
			name: "a month without data (leave) neither counts nor resets the streak",
			tickets: func(m month.Month) iter.Seq[*ticket.State] {
				if m.Month == time.September {
					return seq(ticketsFor(m, "a1", 10, true))
				}
				return seq(ticketsFor(m, "a1", 10, true), ticketsFor(m, "a2", 10, false))
			},
			want: [][]string{{"bonus"}, {"insufficient_data"}, {"warning", "training_plan", "bonus"}},
		},
		{
			name: "a manager's override to B breaks the streak",
			tickets: func(m month.Month) iter.Seq[*ticket.State] {
				return seq(ticketsFor(m, "a1", 10, true), ticketsFor(m, "a2", 10, false))
			},
			overrides: map[string]map[string]*consequence.Override{
				"2026-09": {"E2": {Grade: "B", Reason: "covered the hotline alone", By: "lead@example.com"}},
			},
			want: [][]string{{"bonus"}, {"bonus"}, {"bonus"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			all := runMonths(t, aug, 3, tc.tickets, tc.overrides)
			var got [][]string
			for _, cards := range all {
				got = append(got, kinds(card(cards, "E2")))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("E2 consequences per month (-want +got):\n%s", diff)
			}
			if c := card(all[0], "E1"); c.Grade != "A" || !*c.MeetsStandard {
				t.Errorf("E1 should be an A: %+v", c)
			}
		})
	}
}

func TestOverrideKeepsTheOriginal(t *testing.T) {
	aug := month.Month{Year: 2026, Month: time.August}
	all := runMonths(t, aug, 1, func(m month.Month) iter.Seq[*ticket.State] {
		return seq(ticketsFor(m, "a1", 10, true), ticketsFor(m, "a2", 10, false))
	}, map[string]map[string]*consequence.Override{"2026-08": {"E2": {Grade: "B", Reason: "hotline"}}})
	c := card(all[0], "E2")
	if c.Grade == "B" || c.Override == nil || c.Override.Grade != "B" {
		t.Fatalf("the computed grade stays and the override sits beside it: grade %q override %+v", c.Grade, c.Override)
	}
	if !strings.Contains(c.Consequences[0].Detail, "override") || c.Consequences[0].Multiplier != 1 {
		t.Errorf("bonus follows the override grade: %+v", c.Consequences)
	}
}

func TestEveryDirectoryEngineerGetsACard(t *testing.T) {
	p := policy.Default()
	m := month.Month{Year: 2026, Month: time.October}
	cards, stats, err := engine.Run(engine.Input{
		Policy: p, Month: m, AsOf: m.End(p.Location()), Directory: dir(),
		Tickets: seq(ticketsFor(m, "a1", 6, true), ticketsFor(m, "x9", 3, true)),
		People:  map[string]metric.People{"E3": {LeadAttitude: ptr(90.0)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 3 {
		t.Fatalf("want a card for each of 3 engineers, got %d", len(cards))
	}
	if c := card(cards, "E2"); !c.InsufficientData || c.Composite != nil || c.Grade != "" {
		t.Errorf("an engineer with no data is marked insufficient, not failed: %+v", c)
	}
	if c := card(cards, "E3"); c.Metrics[metric.LeadAttitudeScore].Value == nil {
		t.Errorf("people inputs are scored: %+v", c.Metrics[metric.LeadAttitudeScore])
	}
	if stats.Tickets != 9 || stats.Unmapped["generic:x9"] == 0 {
		t.Errorf("stats %+v", stats)
	}
}

func TestAnnualRecognitionInDecember(t *testing.T) {
	p := policy.Default()
	history := map[string][]consequence.Record{}
	for i := 1; i <= 11; i++ {
		m := month.Month{Year: 2026, Month: time.Month(i)}
		for id, comp := range map[string]float64{"E1": 95, "E2": 85, "E3": 75} {
			grade := p.Rules().GradeFor(comp)
			meets := comp >= 80
			history[id] = append(history[id], consequence.Record{Month: m, Composite: ptr(comp), Grade: grade, MeetsStandard: &meets})
		}
	}
	dec := month.Month{Year: 2026, Month: time.December}
	cards, _, err := engine.Run(engine.Input{
		Policy: p, Month: dec, AsOf: dec.End(p.Location()), Directory: dir(), History: history,
		Tickets: seq(ticketsFor(dec, "a1", 10, true), ticketsFor(dec, "a2", 10, true), ticketsFor(dec, "a3", 10, true)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ranks := map[string]int{}
	for _, c := range cards {
		for _, q := range c.Consequences {
			if q.Kind == consequence.AnnualRecognition {
				ranks[c.EngineerID] = q.Rank
			}
		}
	}
	if diff := cmp.Diff(map[string]int{"E1": 1, "E2": 2, "E3": 3}, ranks); diff != "" {
		t.Errorf("recognition ranks (-want +got):\n%s", diff)
	}
}

func TestRunWithoutPolicyFails(t *testing.T) {
	if _, _, err := engine.Run(engine.Input{}); err == nil {
		t.Error("want an error without a policy")
	}
}

func ptr[T any](v T) *T { return &v }

// synthetic streams n tickets of month m spread over engineers agents,
// building each state from its events on the fly (as the monthly run streams
// them from the store), so memory stays with the engineers.
func synthetic(m month.Month, loc *time.Location, n, engineers int) iter.Seq[*ticket.State] {
	return func(yield func(*ticket.State) bool) {
		r := rand.New(rand.NewPCG(1, 2))
		evs := make([]event.Event, 0, 8)
		for i := range n {
			evs = syntheticTicket(evs[:0], r, m, loc, i, engineers)
			s := ticket.Reduce(evs)
			if !yield(&s) {
				return
			}
		}
	}
}

// syntheticEvents is synthetic's tickets as their events, for the engine to
// reduce.
func syntheticEvents(m month.Month, loc *time.Location, n, engineers int) iter.Seq[[]*event.Event] {
	return func(yield func([]*event.Event) bool) {
		r := rand.New(rand.NewPCG(1, 2))
		for i := range n {
			evs := syntheticTicket(nil, r, m, loc, i, engineers)
			ptrs := make([]*event.Event, len(evs))
			for k := range evs {
				ptrs[k] = &evs[k]
			}
			if !yield(ptrs) {
				return
			}
		}
	}
}

// syntheticTicket appends ticket i's events to evs: created, answered by
// its agent, pending for an hour, noted by the next agent, resolved, and
// every third one rated.
func syntheticTicket(evs []event.Event, r *rand.Rand, m month.Month, loc *time.Location, i, engineers int) []event.Event {
	start := m.Start(loc)
	span := m.End(loc).Sub(start)
	agent := fmt.Sprintf("a%d", i%engineers)
	other := fmt.Sprintf("a%d", (i+1)%engineers)
	created := start.Add(time.Duration(r.Int64N(int64(span - 96*time.Hour))))
	id := fmt.Sprintf("T%d", i)
	reply := time.Duration(r.ExpFloat64() * float64(40*time.Minute))
	resolve := reply + time.Duration(r.ExpFloat64()*float64(10*time.Hour))
	evs = append(evs,
		event.Event{Source: "generic", ID: id + "c", TicketID: id, Type: event.Created, OccurredAt: created, Priority: event.Priorities[i%4], AssigneeID: agent},
		event.Event{Source: "generic", ID: id + "r", TicketID: id, Type: event.Replied, OccurredAt: created.Add(reply), Public: true, Actor: event.Actor{ID: agent, Kind: event.Agent}},
		event.Event{Source: "generic", ID: id + "p", TicketID: id, Type: event.StatusChanged, OccurredAt: created.Add(reply + time.Minute), Status: event.StatusPending},
		event.Event{Source: "generic", ID: id + "o", TicketID: id, Type: event.StatusChanged, OccurredAt: created.Add(reply + time.Hour), Status: event.StatusOpen},
		event.Event{Source: "generic", ID: id + "n", TicketID: id, Type: event.Note, OccurredAt: created.Add(reply + 2*time.Hour), Actor: event.Actor{ID: other, Kind: event.Agent}},
		event.Event{Source: "generic", ID: id + "s", TicketID: id, Type: event.StatusChanged, OccurredAt: created.Add(resolve + time.Hour), Status: event.StatusResolved},
	)
	if i%3 == 0 {
		evs = append(evs, event.Event{Source: "generic", ID: id + "a", TicketID: id, Type: event.SurveyAnswered, OccurredAt: created.Add(resolve + 5*time.Hour), Rating: 1 + r.IntN(5)})
	}
	return evs
}

func identityDirectory(engineers int) *directory.Directory {
	engs := make([]directory.Engineer, engineers)
	for i := range engs {
		a := fmt.Sprintf("a%d", i)
		engs[i] = directory.Engineer{ID: a, Name: a, Team: fmt.Sprintf("team%d", i%50), External: map[string]string{"generic": a}}
	}
	return directory.New(engs)
}

// peakHeap samples, while fn runs, the heap that the last GC found live:
// what the run holds on to, not garbage waiting for the next cycle.
func peakHeap(fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	return peak.Load()
}

// BenchmarkRunMonth scores a month for 10 000 engineers with 100 000,
// 300 000 and 1 000 000 tickets. The live heap grows with engineers and
// their evidence lists (capped at 20 ids per metric, full once engineers
// have a few dozen tickets), not with tickets.
func BenchmarkRunMonth(b *testing.B) {
	p := policy.Default()
	m := month.Month{Year: 2026, Month: time.October}
	for _, size := range []struct{ tickets, engineers int }{{100_000, 10_000}, {300_000, 10_000}, {1_000_000, 10_000}, {1_000_000, 1_000}} {
		b.Run(fmt.Sprintf("tickets=%d/engineers=%d", size.tickets, size.engineers), func(b *testing.B) {
			d := identityDirectory(size.engineers)
			var peak uint64
			for b.Loop() {
				pk := peakHeap(func() {
					cards, _, err := engine.Run(engine.Input{Policy: p, Month: m, AsOf: m.End(p.Location()), Directory: d,
						Tickets: synthetic(m, p.Location(), size.tickets, size.engineers)})
					if err != nil || len(cards) != size.engineers {
						b.Fatalf("err %v, %d cards", err, len(cards))
					}
				})
				peak = max(peak, pk)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-live-heap-MB")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*size.tickets), "ns/ticket")
		})
	}
}

// Quality reviews are a problem-resolution metric: Ann's ten good tickets
// put every ticket metric at its target (100 points); three reviewed
// tickets scoring 100, 0 (a critical category failed) and 85 give an IQS
// of 61.67, (61.67 − 50) / (85 − 50) = 33.33 points, so problem resolution
// is (4 × 100 + 33.33) / 5 = 86.67 and the composite (30 × 100 + 25 ×
// 86.67 + 20 × 100) / 75 = 95.56 instead of 100.
func TestQualityReviewsMoveTheComposite(t *testing.T) {
	p := policy.Default()
	m := month.Month{Year: 2026, Month: time.October}
	run := func(people map[string]metric.People) scoring.Card {
		cards, _, err := engine.Run(engine.Input{Policy: p, Month: m, AsOf: m.End(p.Location()), Directory: dir(), Tickets: seq(ticketsFor(m, "a1", 10, true)), People: people})
		if err != nil {
			t.Fatal(err)
		}
		return card(cards, "E1")
	}
	before := run(nil)
	after := run(map[string]metric.People{"E1": {QualityReviews: []metric.ReviewedTicket{{Source: "jira", TicketID: "1", Score: 100}, {Source: "jira", TicketID: "2", Score: 0}, {Source: "jira", TicketID: "3", Score: 85}}}})
	iqs := after.Metrics[metric.QualityReviewScore]
	if *before.Composite != 100 || iqs.Value == nil || math.Abs(*iqs.Value-61.6667) > 1e-4 || iqs.N != 3 || math.Abs(*iqs.Points-33.33) > 0.005 {
		t.Fatalf("before %v; IQS %+v", *before.Composite, iqs)
	}
	if pr := after.Dimensions[metric.ProblemResolution].Score; math.Abs(*pr-86.67) > 0.005 || math.Abs(*after.Composite-95.56) > 0.005 {
		t.Errorf("problem resolution %v, composite %v; want 86.67, 95.56", *pr, *after.Composite)
	}
}

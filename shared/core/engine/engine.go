// Package engine owns one month's scoring run as pure Go: ticket states,
// survey answers and people inputs → metrics → scores → consequences, under
// a policy, with time passed in. The offline `score-file` command and the
// monthly function both run it; where the inputs come from is theirs.
package engine

import (
	"fmt"
	"iter"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
)

// Input is everything one month's run reads.
type Input struct {
	Policy    *policy.Policy
	Month     month.Month
	AsOf      time.Time                // the run's "now": later deadlines have not passed
	Directory *directory.Directory     // directory.Identity() when there is none
	Tickets   iter.Seq[*ticket.State]  // every ticket with activity in the month, once each
	People    map[string]metric.People // engineer id → people inputs of the month
	// History holds earlier months per engineer id (the current month is
	// ignored if present); consequences need it.
	History map[string][]consequence.Record
	// Overrides are managers' overrides of this month by engineer id.
	Overrides map[string]*consequence.Override
	// Evidence, when set, hears every ticket's part in every engineer's
	// metrics as the run counts it (metric.Contribution): the evidence
	// behind the cards, in full. It is called from Run's goroutine, in the
	// order of the tickets, whatever the Workers.
	Evidence func(metric.Contribution)
	// Exclusions take tickets out of engineers' metrics (disputes
	// accepted): they count for nothing there and are not evidence.
	Exclusions metric.Exclusions
	// Events gives tickets by their events, instead of Tickets or after
	// them: each ticket's events once, as ticket.Reduce takes them (any
	// order, duplicates too; ticket.Group makes them from a month's
	// events), for the workers to reduce. Run changes neither the slices
	// nor the events, and reads none of them once it has returned.
	Events iter.Seq[[]*event.Event]
	// Workers is how many goroutines measure the tickets (0:
	// runtime.GOMAXPROCS(0)); the sequences are read on Run's goroutine. A
	// worker may read a ticket's state, or events, after the sequence has
	// yielded the next ones: do not change them once yielded. The results —
	// cards, stats, and the evidence in its order — are the same whatever
	// the number.
	Workers int
}

// Stats tells what the run saw.
type Stats struct {
	Tickets  int            // ticket states read
	Unmapped map[string]int // "source:agent id" → credits to agents not in the directory
}

// resolver adapts the directory to the metric package.
type resolver struct{ d *directory.Directory }

func (r resolver) Resolve(source, agentID string) (metric.Engineer, bool) {
	e, ok := r.d.Lookup(source, agentID)
	if !ok {
		return metric.Engineer{}, false
	}
	return metric.Engineer{ID: e.ID, Team: e.Team}, true
}

// Run scores one month. Cards come back sorted by engineer id; every
// directory engineer gets one, even with no data (marked insufficient).
func Run(in Input) ([]scoring.Card, Stats, error) {
	if in.Policy == nil {
		return nil, Stats{}, fmt.Errorf("engine: no policy")
	}
	dir := in.Directory
	if dir == nil {
		dir = directory.Identity()
	}
	months, st := measure(in, dir)
	cards, err := finish(in, dir, months)
	return cards, st, err
}

// RunProjected scores a month from inside it (in.AsOf, gone of it gone by)
// twice from one pass over the tickets: as it stands so far, and as it
// would end if the rest went like the part gone — every ticket and survey
// metric's counts (and the tickets) scaled by 1/gone, their values
// unchanged — so that a small sample is shrunk as the month's end will
// shrink it and the month's sufficiency is judged on its projected
// tickets. Both come with the consequences the month would bring.
func RunProjected(in Input, gone float64) (soFar, projected []scoring.Card, st Stats, err error) {
	if in.Policy == nil {
		return nil, nil, Stats{}, fmt.Errorf("engine: no policy")
	}
	if gone <= 0 || gone > 1 {
		return nil, nil, Stats{}, fmt.Errorf("engine: a projection needs a share of the month gone in (0, 1], not %v", gone)
	}
	dir := in.Directory
	if dir == nil {
		dir = directory.Identity()
	}
	months, st := measure(in, dir)
	if soFar, err = finish(in, dir, months); err != nil {
		return nil, nil, st, err
	}
	for _, m := range months {
		m.Tickets = int(math.Round(float64(m.Tickets) / gone))
		for id, v := range m.Values {
			d, _ := metric.Lookup(id)
			if d.Sample != metric.SampleTickets && d.Sample != metric.SampleSurveys || v.Denominator == 0 {
				continue
			}
			v.Numerator, v.Denominator = v.Numerator/gone, v.Denominator/gone
			v.N = int(math.Round(float64(v.N) / gone))
		}
	}
	projected, err = finish(in, dir, months)
	return soFar, projected, st, err
}

// measure reads every ticket and the people inputs into each engineer's
// month.
func measure(in Input, dir *directory.Directory) ([]*metric.Month, Stats) {
	acc := metric.NewAccumulator(in.Policy.MetricSettings(), in.Month, in.AsOf, resolver{dir})
	acc.Contribute = in.Evidence
	acc.Excluded = in.Exclusions
	for _, e := range dir.All() {
		acc.Ensure(metric.Engineer{ID: e.ID, Team: e.Team})
	}
	workers := in.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var st Stats
	if workers == 1 {
		st.Tickets = countInline(in, acc)
	} else {
		st.Tickets = countParallel(in, acc, workers)
	}
	for _, id := range sortedKeys(in.People) {
		e, ok := dir.Get(id)
		if !ok {
			e = directory.Engineer{ID: id}
		}
		acc.AddPeople(metric.Engineer{ID: e.ID, Team: e.Team}, in.People[id])
	}
	st.Unmapped = acc.Unmapped
	return acc.Months(), st
}

// countInline measures and counts the tickets one after another on the
// caller's goroutine, and returns how many there were.
func countInline(in Input, acc *metric.Accumulator) int {
	n := 0
	if in.Tickets != nil {
		for t := range in.Tickets {
			acc.AddTicket(t)
			n++
		}
	}
	if in.Events != nil {
		var r ticket.Reducer
		for evs := range in.Events {
			s := r.Reduce(evs)
			acc.AddTicket(&s)
			n++
		}
	}
	return n
}

// batchSize is how many tickets a worker takes at a time: enough that
// handing them over costs next to nothing, few enough that the tickets in
// flight take little memory.
const batchSize = 64

// batch is tickets handed to a worker, and their parts handed back.
type batch struct {
	states []*ticket.State
	events [][]*event.Event
	parts  []metric.Part
	done   chan struct{} // a worker has measured the batch
	panic  any           // what the worker panicked with, if it did
}

func (b *batch) len() int { return len(b.states) + len(b.events) }

// countParallel is countInline on workers goroutines. The caller's
// goroutine reads the tickets and hands them out in batches to the
// workers, which reduce them (Events) and measure each into its part
// (metric.Measurer): nearly all of the work. The caller's goroutine counts
// the parts into acc (Accumulator.Add) batch after batch in the order it
// read them, whichever worker finishes first. So every sum is added up in
// the order of the tickets, exactly as countInline adds it, and Evidence
// hears the contributions in that order, from the caller's goroutine
// only: the results do not depend on the number of workers. At most
// 2·workers+2 batches are in flight: memory follows the workers, not the
// tickets.
func countParallel(in Input, acc *metric.Accumulator, workers int) int {
	window := 2*workers + 2
	jobs := make(chan *batch, window) // never full: at most window batches are in flight
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			m := acc.Measurer()
			var r ticket.Reducer
			for b := range jobs {
				measureBatch(m, &r, b)
			}
		})
	}
	closed := false
	defer func() {
		// Also when reading the tickets panicked: the workers finish what
		// they were given, and stop.
		if !closed {
			close(jobs)
		}
		wg.Wait()
	}()

	var pending, free []*batch // pending: handed out, in reading order
	take := func() *batch {
		if n := len(free); n > 0 {
			b := free[n-1]
			free = free[:n-1]
			return b
		}
		return &batch{parts: make([]metric.Part, batchSize), done: make(chan struct{}, 1)}
	}
	count := func() {
		b := pending[0]
		pending = pending[1:]
		<-b.done
		if b.panic != nil {
			panic(b.panic)
		}
		for i := range b.len() {
			acc.Add(&b.parts[i])
		}
		clear(b.states)
		clear(b.events)
		b.states, b.events = b.states[:0], b.events[:0]
		free = append(free, b)
	}
	cur := take()
	handOut := func() {
		if len(pending) == window {
			count()
		}
		jobs <- cur
		pending = append(pending, cur)
		cur = take()
	}

	n := 0
	if in.Tickets != nil {
		for t := range in.Tickets {
			cur.states = append(cur.states, t)
			if n++; cur.len() == batchSize {
				handOut()
			}
		}
	}
	if in.Events != nil {
		for evs := range in.Events {
			cur.events = append(cur.events, evs)
			if n++; cur.len() == batchSize {
				handOut()
			}
		}
	}
	if cur.len() > 0 {
		handOut()
	}
	close(jobs)
	closed = true
	for len(pending) > 0 {
		count()
	}
	return n
}

// measureBatch measures a batch's tickets into its parts: its states
// first, then its events' tickets, the order countParallel read them in.
// A panic is handed back with the batch, for the caller's goroutine to
// panic with.
func measureBatch(m *metric.Measurer, r *ticket.Reducer, b *batch) {
	defer func() {
		if p := recover(); p != nil {
			b.panic = fmt.Sprintf("engine: measuring a ticket: %v\n\n%s", p, debug.Stack())
		}
		b.done <- struct{}{}
	}()
	for i, s := range b.states {
		m.Measure(s, &b.parts[i])
	}
	for i, evs := range b.events {
		s := r.Reduce(evs)
		m.Measure(&s, &b.parts[len(b.states)+i])
	}
}

// finish scores the months and applies the consequences.
func finish(in Input, dir *directory.Directory, months []*metric.Month) ([]scoring.Card, error) {
	cards := scoring.Score(in.Policy, in.Month, months)
	if err := applyConsequences(in, dir, cards); err != nil {
		return nil, err
	}
	return cards, nil
}

func applyConsequences(in Input, dir *directory.Directory, cards []scoring.Card) error {
	rules := in.Policy.Rules()
	histories := make(map[string][]consequence.Record, len(cards))
	for i := range cards {
		c := &cards[i]
		c.Override = in.Overrides[c.EngineerID]
		h := slices.DeleteFunc(slices.Clone(in.History[c.EngineerID]), func(r consequence.Record) bool { return r.Month == in.Month })
		histories[c.EngineerID] = append(h, c.Record())
	}
	var ranked []consequence.Ranked
	if rules.DecidesRecognition(in.Month) {
		ranked = consequence.Recognize(rules, in.Month.Year, histories)
	}
	for i := range cards {
		c := &cards[i]
		e, _ := dir.Get(c.EngineerID)
		cs, err := consequence.Apply(rules, consequence.Engineer{ID: c.EngineerID, HireDate: e.HireDate, BaseBonus: e.BaseBonus}, histories[c.EngineerID], in.Month)
		if err != nil {
			return fmt.Errorf("consequences of %s: %w", c.EngineerID, err)
		}
		if r, ok := consequence.RecognitionFor(ranked, c.EngineerID); ok {
			cs = append(cs, r)
			consequence.Sort(cs)
		}
		c.Consequences = cs
		if c.Consequences == nil {
			c.Consequences = []consequence.Consequence{}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

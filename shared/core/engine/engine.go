// Package engine owns one month's scoring run as pure Go: ticket states,
// survey answers and people inputs → metrics → scores → consequences, under
// a policy, with time passed in. The offline `score-file` command and the
// monthly function both run it; where the inputs come from is theirs.
package engine

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
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
	// behind the cards, in full.
	Evidence func(metric.Contribution)
	// Exclusions take tickets out of engineers' metrics (disputes
	// accepted): they count for nothing there and are not evidence.
	Exclusions metric.Exclusions
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
	var st Stats
	if in.Tickets != nil {
		for t := range in.Tickets {
			acc.AddTicket(t)
			st.Tickets++
		}
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

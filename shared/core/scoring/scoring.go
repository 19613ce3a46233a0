// Package scoring owns turning a month's measured metrics into points,
// dimension scores, a composite, a grade and meets-standard, under a policy
// (DESIGN §2). Small samples are never punished: below a metric's minimum
// sample its value is shrunk toward the team mean, or marked insufficient
// when there is nothing to shrink toward — never scored 0.
package scoring

import (
	"math"
	"slices"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
)

// Metric statuses.
const (
	Met          = "met"          // points 100: at or better than target
	Missed       = "missed"       // below target: evidence attached
	Insufficient = "insufficient" // below minimum sample, no team mean to shrink toward
	NoData       = "no_data"      // nothing measured this month
	Bonus        = "bonus"        // a bonus metric (no target)
)

// MetricResult is one metric of a card. Value is the raw measurement;
// ScoredValue is what the points were computed from (shrunk toward the team
// mean when the sample was small).
type MetricResult struct {
	Dimension   string   `json:"dimension"`
	Value       *float64 `json:"value"`
	ScoredValue *float64 `json:"scored_value"`
	Points      *float64 `json:"points"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	N           int      `json:"n"`
	Target      *float64 `json:"target,omitempty"`
	Floor       *float64 `json:"floor,omitempty"`
	MinSample   int      `json:"min_sample,omitempty"`
	TeamMean    *float64 `json:"team_mean,omitempty"`
	Status      string   `json:"status"`
	Offending   []string `json:"offending_ticket_ids,omitempty"`
	// OffendingSources is each offending ticket's source (its system).
	OffendingSources []string `json:"offending_ticket_sources,omitempty"`
}

// DimensionResult is a dimension's score (nil when none of its metrics had
// data) and its weight in the composite.
type DimensionResult struct {
	Score  *float64 `json:"score"`
	Weight float64  `json:"weight"`
	Bonus  float64  `json:"bonus,omitempty"`
}

// Card is one engineer's month: the scores JSON shape of DESIGN §5 plus the
// detail a report needs.
type Card struct {
	EngineerID       string                     `json:"engineer_id"`
	Team             string                     `json:"team,omitempty"`
	Month            month.Month                `json:"month"`
	Composite        *float64                   `json:"composite"`
	Grade            string                     `json:"grade"`
	MeetsStandard    *bool                      `json:"meets_standard"`
	InsufficientData bool                       `json:"insufficient_data"`
	Tickets          int                        `json:"tickets"`
	Metrics          map[metric.ID]MetricResult `json:"metrics"`
	Dimensions       map[string]DimensionResult `json:"dimensions"`
	MissedMetrics    []string                   `json:"missed_metrics"`
	Consequences     []consequence.Consequence  `json:"consequences"`
	Override         *consequence.Override      `json:"override,omitempty"`
	PolicyVersion    string                     `json:"policy_version"`
	// FromHistory: the month ended before the product was deployed, so it
	// was scored from history imported from the ticketing systems' APIs;
	// its consequences count for later months but no notice was mailed.
	FromHistory bool `json:"from_history,omitempty"`
}

// Record is the card as a month of consequence history.
func (c *Card) Record() consequence.Record {
	return consequence.Record{
		Month:         c.Month,
		Composite:     c.Composite,
		Grade:         c.Grade,
		MeetsStandard: c.MeetsStandard,
		MissedMetrics: c.MissedMetrics,
		Override:      c.Override,
	}
}

// pool sums a metric over a team, so that each engineer's team mean can be
// taken over their teammates (their own data removed).
type pool struct{ num, den float64 }

// Score scores every engineer's month. Team means are over teammates (the
// engineer's own data excluded); consequences are left to the caller, who
// knows the history.
func Score(p *policy.Policy, m month.Month, months []*metric.Month) []Card {
	pools := map[string]map[metric.ID]*pool{}
	for _, em := range months {
		tp := pools[em.Engineer.Team]
		if tp == nil {
			tp = map[metric.ID]*pool{}
			pools[em.Engineer.Team] = tp
		}
		for id, v := range em.Values {
			if !v.HasData() {
				continue
			}
			num, den := sample(v)
			if tp[id] == nil {
				tp[id] = &pool{}
			}
			tp[id].num += num
			tp[id].den += den
		}
	}
	rules := p.Rules()
	cards := make([]Card, 0, len(months))
	for _, em := range months {
		cards = append(cards, scoreOne(p, rules, m, em, pools[em.Engineer.Team]))
	}
	return cards
}

// sample returns a value as numerator and denominator for pooling.
func sample(v *metric.Value) (float64, float64) {
	if v.Denominator > 0 {
		return v.Numerator, v.Denominator
	}
	return v.Get(), 1
}

func scoreOne(p *policy.Policy, rules consequence.Rules, m month.Month, em *metric.Month, team map[metric.ID]*pool) Card {
	c := Card{
		EngineerID:    em.Engineer.ID,
		Team:          em.Engineer.Team,
		Month:         m,
		Tickets:       em.Tickets,
		Metrics:       map[metric.ID]MetricResult{},
		Dimensions:    map[string]DimensionResult{},
		MissedMetrics: []string{},
		Consequences:  []consequence.Consequence{},
		PolicyVersion: p.Version,
	}
	var compSum, compW float64
	for _, d := range p.Dimensions {
		var sum, w, bonus float64
		for _, pm := range d.Metrics {
			r, pts := scoreMetric(p, pm, em.Values[pm.ID], team[pm.ID])
			r.Dimension = d.ID
			c.Metrics[pm.ID] = r
			switch {
			case r.Status == Bonus && r.Points != nil:
				bonus += pts
			case r.Points != nil:
				sum += pm.WeightOf() * pts
				w += pm.WeightOf()
			}
			if r.Status == Missed {
				c.MissedMetrics = append(c.MissedMetrics, string(pm.ID))
			}
		}
		dr := DimensionResult{Weight: d.Weight}
		if w > 0 {
			score := math.Min(100, sum/w+bonus)
			dr.Score = ptr(round(score, 2))
			dr.Bonus = bonus
			compSum += d.Weight * score
			compW += d.Weight
		}
		c.Dimensions[d.ID] = dr
	}
	slices.Sort(c.MissedMetrics)
	if compW > 0 {
		c.Composite = ptr(round(compSum/compW, 2))
	}
	c.InsufficientData = c.Composite == nil || c.Tickets < p.MonthMinTickets
	if !c.InsufficientData {
		c.Grade = rules.GradeFor(*c.Composite)
		c.MeetsStandard = ptr(*c.Composite >= p.PassMark)
	}
	return c
}

// scoreMetric scores one metric; it also returns the unrounded points, which
// dimensions are computed from.
func scoreMetric(p *policy.Policy, pm policy.Metric, v *metric.Value, team *pool) (MetricResult, float64) {
	def, _ := metric.Lookup(pm.ID)
	r := MetricResult{Target: pm.Target, Floor: pm.Floor, Status: NoData}
	if !v.HasData() {
		if def.Bonus {
			r.Status = Bonus
		}
		return r, 0
	}
	x := v.Get()
	r.Value = ptr(round(x, 4))
	r.Numerator, r.Denominator, r.N = round(v.Numerator, 4), round(v.Denominator, 4), v.N
	if def.Bonus {
		r.Status = Bonus
		pts := math.Min(x*pm.BonusPoints, pm.MaxBonus)
		r.Points = ptr(round(pts, 2))
		return r, pts
	}
	scored := x
	if min := p.MinSampleFor(pm); v.N < min {
		r.MinSample = min
		num, den := sample(v)
		if team == nil || team.den-den <= 0 {
			r.Status = Insufficient
			return r, 0
		}
		mean := (team.num - num) / (team.den - den)
		r.TeamMean = ptr(round(mean, 4))
		n, k := float64(v.N), float64(min)
		scored = (n*x + (k-n)*mean) / k
	}
	r.ScoredValue = ptr(round(scored, 4))
	// Rounded first so that a value exactly at target, computed with
	// floating-point noise, still meets it.
	pts := round(Points(def.Lower, *pm.Target, *pm.Floor, scored), 6)
	r.Points = ptr(round(pts, 2))
	r.Status = Met
	if pts < 100 {
		r.Status = Missed
		r.Offending, r.OffendingSources = v.Offending, v.OffendingSources
	}
	return r, pts
}

// Points maps a value to 0–100: 0 at the floor, 100 at the target, linear in
// between, capped at both ends; lower-is-better metrics mirrored.
func Points(lower bool, target, floor, v float64) float64 {
	var f float64
	if lower {
		f = (floor - v) / (floor - target)
	} else {
		f = (v - floor) / (target - floor)
	}
	return 100 * math.Max(0, math.Min(1, f))
}

func round(x float64, places int) float64 {
	s := math.Pow(10, float64(places))
	return math.Round(x*s) / s
}

func ptr[T any](v T) *T { return &v }

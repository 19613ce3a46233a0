// Package checkin owns the mid-month check-in: the month so far, scored by
// the engine as of a moment inside it, projected to the month's end — what
// each metric still needs to reach its target, which metrics move the
// composite most, which open tickets are about to breach their SLA, and
// whether the month is heading for a warning or a position adjustment. It
// is pure: the cards, ticket states and history come in, time is passed in,
// nothing is stored or mailed here. A check-in never counts toward
// consequences.
//
// # The rest of the month
//
// Every projection assumes the rest of the month brings each metric more
// of what it counts at the engineer's pace so far: Rest = round(Den × (1 −
// f) / f), f the share of the month's calendar time gone by as of the
// check-in. For a share (a rate), Need is then how many of those Rest must
// succeed for the month to end at its target:
//
//	Need = ⌈target × (Den + Rest) − Num⌉
//
// and for a lower-is-better share (complaints) the most that may fail:
//
//	Need = ⌊target × (Den + Rest) − Num⌋
//
// For a mean (hours, survey points) NeedMean is the mean the Rest must
// average: (target × (Den + Rest) − Sum) / Rest. When even a perfect rest
// of the month cannot reach the target, the metric Cannot, and Best is the
// most it can reach: every rest ticket a success (a share), answered in no
// time (hours) or rated 5 (points).
package checkin

import (
	"math"
	"slices"

	"scorecard/shared/core/metric"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
)

// Outlook states.
const (
	// Secured: at its target at the month's end whatever the rest brings.
	Secured = "secured"
	// Needs: reachable; Need of the next Rest (a share) or a mean of
	// NeedMean over them.
	Needs = "needs"
	// Cannot: out of reach this month; Best is the most it can reach.
	Cannot = "cannot"
)

// Outlook is one metric of an engineer's month so far and what it needs.
type Outlook struct {
	Metric    metric.ID `json:"metric"`
	Dimension string    `json:"dimension"`
	// Value is the metric so far: Num/Den (a share or a mean).
	Value float64 `json:"value"`
	Num   float64 `json:"num"`
	Den   float64 `json:"den"`
	// Target is the policy's; Lower means lower is better.
	Target float64 `json:"target"`
	Lower  bool    `json:"lower,omitempty"`
	// Mean: the metric is a mean (hours, points), not a share.
	Mean bool `json:"mean,omitempty"`
	// Rest is how many more the metric is expected to count by the
	// month's end at the pace so far.
	Rest  int    `json:"rest"`
	State string `json:"state"`
	// Need, for a share: successes needed of the next Rest, or for a
	// lower-is-better share the most failures allowed.
	Need int `json:"need"`
	// NeedMean, for a mean: the mean the next Rest must average.
	NeedMean float64 `json:"need_mean,omitempty"`
	// Best is the most the metric can reach this month (State Cannot).
	Best float64 `json:"best,omitempty"`
	// Gain is how many composite points the metric would add if it were
	// at its target now: its share of the composite (dimension weight ×
	// weight within the dimension, among what is scored) × the points it
	// misses. It ranks the metrics that move the composite most.
	Gain float64 `json:"gain"`
}

// eps absorbs floating-point noise in target × count − successes.
const eps = 1e-9

// pointsMax is the top of a points metric (a survey rating of 5).
const pointsMax = 100

// RestOf is the count a metric adds in the rest of the month at the pace
// so far: den so far over the share gone by, for the share to come.
func RestOf(den, gone float64) int {
	if gone <= 0 || gone >= 1 || den <= 0 {
		return 0
	}
	return int(math.Round(den * (1 - gone) / gone))
}

// Project computes what a metric with num/den so far needs over rest more
// to end the month at target. mean marks a mean (hours or points) rather
// than a share; unit is the metric's ("points" caps a mean at 100).
func Project(num, den float64, rest int, target float64, lower, mean bool, unit string) Outlook {
	o := Outlook{Num: num, Den: den, Rest: rest, Target: target, Lower: lower, Mean: mean}
	if den > 0 {
		o.Value = num / den
	}
	r := float64(rest)
	total := den + r
	switch {
	case mean && rest == 0:
		if (lower && o.Value <= target+eps) || (!lower && o.Value >= target-eps) {
			o.State = Secured
		} else {
			o.State, o.Best = Cannot, o.Value
		}
	case mean && lower:
		// Hours cannot be negative: the rest can at best take none.
		need := (target*total - num) / r
		if need < -eps {
			o.State, o.Best = Cannot, num/total
		} else {
			o.State, o.NeedMean = Needs, math.Max(0, need)
		}
	case mean:
		top := math.Inf(1)
		if unit == "points" {
			top = pointsMax
		}
		need := (target*total - num) / r
		switch {
		case need <= eps:
			o.State = Secured
		case need <= top+eps:
			o.State, o.NeedMean = Needs, need
		default:
			o.State, o.Best = Cannot, (num+top*r)/total
		}
	case lower:
		allowed := int(math.Floor(target*total - num + eps))
		switch {
		case allowed < 0:
			o.State, o.Best = Cannot, num/total
		case allowed >= rest:
			o.State = Secured
		default:
			o.State, o.Need = Needs, allowed
		}
	default:
		need := int(math.Ceil(target*total - num - eps))
		switch {
		case need <= 0:
			o.State = Secured
		case need <= rest:
			o.State, o.Need = Needs, need
		default:
			o.State, o.Best = Cannot, (num+r)/total
		}
	}
	return o
}

// outlooks projects an engineer's card so far (c) as of a share gone of
// the month: the ticket and survey metrics with data so far, those that
// move the composite most at the month's end (the projected card, end)
// first, then in the policy's order.
func outlooks(p *policy.Policy, c, end scoring.Card, gone float64) []Outlook {
	gains := Gains(p, end)
	var out []Outlook
	for _, d := range p.Dimensions {
		for _, pm := range d.Metrics {
			def, _ := metric.Lookup(pm.ID)
			r, ok := c.Metrics[pm.ID]
			if !ok || def.Bonus || pm.Target == nil || r.Denominator <= 0 ||
				(def.Sample != metric.SampleTickets && def.Sample != metric.SampleSurveys) {
				continue
			}
			mean := def.Unit == "hours" || def.Unit == "points"
			o := Project(r.Numerator, r.Denominator, RestOf(r.Denominator, gone), *pm.Target, def.Lower, mean, def.Unit)
			o.Metric, o.Dimension, o.Gain = pm.ID, d.ID, gains[pm.ID]
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b Outlook) int {
		switch {
		case a.Gain > b.Gain:
			return -1
		case a.Gain < b.Gain:
			return 1
		}
		return 0
	})
	return out
}

// Gains is each scored metric's Gain: the composite points it would add at
// its target, by the weights the composite was computed with (dimensions
// with a score; within each, the metrics with points, bonuses aside).
func Gains(p *policy.Policy, c scoring.Card) map[metric.ID]float64 {
	var dimW float64
	for _, d := range p.Dimensions {
		if dr, ok := c.Dimensions[d.ID]; ok && dr.Score != nil {
			dimW += d.Weight
		}
	}
	out := map[metric.ID]float64{}
	if dimW == 0 {
		return out
	}
	for _, d := range p.Dimensions {
		if dr, ok := c.Dimensions[d.ID]; !ok || dr.Score == nil {
			continue
		}
		var w float64
		for _, pm := range d.Metrics {
			if r := c.Metrics[pm.ID]; r.Points != nil && r.Status != scoring.Bonus {
				w += pm.WeightOf()
			}
		}
		for _, pm := range d.Metrics {
			if r := c.Metrics[pm.ID]; r.Points != nil && r.Status != scoring.Bonus {
				out[pm.ID] = d.Weight / dimW * pm.WeightOf() / w * (100 - *r.Points)
			}
		}
	}
	return out
}

package consequence

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// Engineer is what Apply needs to know about the person.
type Engineer struct {
	ID        string
	HireDate  time.Time // zero: unknown, never exempt
	BaseBonus float64
}

// Kind names a consequence.
type Kind string

// Kinds of consequence, in the order Apply lists them.
const (
	InsufficientData   Kind = "insufficient_data"
	Mentoring          Kind = "mentoring" // exempt month after hire
	Warning            Kind = "warning"
	PositionAdjustment Kind = "position_adjustment"
	TrainingPlan       Kind = "training_plan"
	Bonus              Kind = "bonus"
	PromotionPriority  Kind = "promotion_priority"
	AnnualRecognition  Kind = "annual_recognition"
)

var kindOrder = map[Kind]int{
	InsufficientData:   0,
	Mentoring:          1,
	Warning:            2,
	PositionAdjustment: 3,
	TrainingPlan:       4,
	Bonus:              5,
	PromotionPriority:  6,
	AnnualRecognition:  7,
}

// Consequence is one outcome for one engineer-month.
type Consequence struct {
	Kind       Kind     `json:"kind"`
	Detail     string   `json:"detail"` // one sentence a manager can read
	Streak     int      `json:"streak,omitempty"`
	Metrics    []string `json:"metrics,omitempty"` // training plan: metrics missed during the streak, sorted unique
	Months     []string `json:"months,omitempty"`  // the streak's months, or the promotion grade's months
	Amount     float64  `json:"amount,omitempty"`  // bonus amount
	Multiplier float64  `json:"multiplier,omitempty"`
	Rank       int      `json:"rank,omitempty"` // annual recognition rank
}

// Sort orders consequences by kind (the order of the Kind constants),
// keeping the relative order of equal kinds. Callers that append an
// AnnualRecognition to Apply's result can use it; Apply's result is sorted.
func Sort(cs []Consequence) {
	slices.SortStableFunc(cs, func(a, b Consequence) int {
		return kindRank(a.Kind) - kindRank(b.Kind)
	})
}

func kindRank(k Kind) int {
	if r, ok := kindOrder[k]; ok {
		return r
	}
	return len(kindOrder)
}

// level is what the streak rule gives in one month.
type level int

const (
	none level = iota
	warned
	adjusted
)

// step is one record of the history with what the walk decided for it.
type step struct {
	rec    Record
	grade  string // effective
	meets  *bool  // effective
	exempt bool
	streak int // consecutive below-standard months up to and including this one
	level  level
}

// Apply returns the consequences for month current given the engineer's
// history (any order; records after current are ignored). The current month
// must be in the history. Errors are errcode.Invalid.
func Apply(rules Rules, eng Engineer, history []Record, current month.Month) ([]Consequence, error) {
	if err := rules.Validate(); err != nil {
		return nil, fmt.Errorf("consequences for %s: %w", eng.ID, err)
	}
	recs, err := upTo(rules, eng, history, current)
	if err != nil {
		return nil, err
	}
	steps, run := walk(rules, eng, recs)
	cur := steps[len(steps)-1]
	if cur.grade != "" && !rules.hasGrade(cur.grade) {
		return nil, errcode.Errorf(errcode.Invalid, "history of engineer %s: month %s: grade %q is not one of the grades", eng.ID, current, cur.grade)
	}

	var out []Consequence
	if cur.meets == nil {
		out = append(out, Consequence{
			Kind:   InsufficientData,
			Detail: fmt.Sprintf("insufficient data for %s (leave or too few tickets): no grade and no bonus, and the below-standard streak is neither counted nor reset", current),
		})
	}
	if cur.exempt {
		out = append(out, mentoring(rules, eng, current))
	}
	if cur.level != none {
		out = append(out, streakConsequences(cur, steps, run)...)
	}
	if cur.grade != "" {
		out = append(out, bonus(rules, eng, cur))
	}
	if c, ok := promotion(rules, steps, current); ok {
		out = append(out, c)
	}
	Sort(out)
	return out, nil
}

// upTo returns the records up to current in month order, checked: one
// record per month, overrides naming known grades, current present.
func upTo(rules Rules, eng Engineer, history []Record, current month.Month) ([]Record, error) {
	recs := make([]Record, 0, len(history))
	for _, rec := range history {
		if rec.Month.Index() <= current.Index() {
			recs = append(recs, rec)
		}
	}
	slices.SortStableFunc(recs, func(a, b Record) int { return a.Month.Index() - b.Month.Index() })
	for i, rec := range recs {
		if i > 0 && recs[i-1].Month == rec.Month {
			return nil, errcode.Errorf(errcode.Invalid, "history of engineer %s: month %s appears twice", eng.ID, rec.Month)
		}
		if o := rec.Override; o != nil && !rules.hasGrade(o.Grade) {
			return nil, errcode.Errorf(errcode.Invalid, "history of engineer %s: month %s: override grade %q is not one of the grades", eng.ID, rec.Month, o.Grade)
		}
	}
	if len(recs) == 0 || recs[len(recs)-1].Month != current {
		return nil, errcode.Errorf(errcode.Invalid, "history of engineer %s has no record for %s", eng.ID, current)
	}
	return recs, nil
}

// walk applies the streak rule to every record in order. It returns a step
// per record and the indices of the records that make the final streak.
func walk(rules Rules, eng Engineer, recs []Record) ([]step, []int) {
	steps := make([]step, len(recs))
	var run []int
	for i, rec := range recs {
		s := step{rec: rec, exempt: exempt(rules, eng, rec.Month)}
		s.grade, s.meets = rec.Effective(rules)
		switch {
		case s.exempt || s.meets == nil:
			// neither counts nor resets
		case *s.meets:
			run = run[:0]
		default:
			run = append(run, i)
			switch {
			case len(run) >= rules.AdjustmentAfter:
				s.level = adjusted
			case len(run) >= rules.WarningAfter:
				s.level = warned
			}
		}
		s.streak = len(run)
		steps[i] = s
	}
	return steps, run
}

func exempt(rules Rules, eng Engineer, m month.Month) bool {
	if eng.HireDate.IsZero() {
		return false
	}
	return m.Index() < hireMonth(eng).Index()+rules.ExemptMonths
}

func hireMonth(eng Engineer) month.Month {
	return month.Month{Year: eng.HireDate.Year(), Month: eng.HireDate.Month()}
}

func mentoring(rules Rules, eng Engineer, current month.Month) Consequence {
	hire := hireMonth(eng)
	if current.Before(hire) {
		return Consequence{
			Kind:   Mentoring,
			Detail: fmt.Sprintf("%s is before the hire month (%s): mentoring, no warning or position adjustment", current, hire),
		}
	}
	return Consequence{
		Kind: Mentoring,
		Detail: fmt.Sprintf("%s is month %d of the %d exempt months after hire (%s): mentoring, no warning or position adjustment",
			current, current.Index()-hire.Index()+1, rules.ExemptMonths, hire),
	}
}

// streakConsequences is the warning or position adjustment for the current
// step, with its training plan. run indexes the steps of the streak.
func streakConsequences(cur step, steps []step, run []int) []Consequence {
	months := make([]string, len(run))
	var metrics []string
	gaps := false
	for i, idx := range run {
		m := steps[idx].rec.Month
		months[i] = m.String()
		if i > 0 && m.Index() != steps[run[i-1]].rec.Month.Index()+1 {
			gaps = true
		}
		metrics = append(metrics, steps[idx].rec.MissedMetrics...)
	}
	slices.Sort(metrics)
	metrics = slices.Compact(metrics)

	list := strings.Join(months, ", ")
	if gaps {
		list += ", not counting months without sufficient data"
	}
	streak := fmt.Sprintf("%d consecutive months below standard (%s)", cur.streak, list)

	first := Consequence{Kind: Warning, Detail: streak, Streak: cur.streak, Months: months}
	if cur.level == adjusted {
		first.Kind = PositionAdjustment
		first.Detail = streak + ": position adjustment flagged for HR"
	}
	plan := Consequence{Kind: TrainingPlan, Streak: cur.streak, Metrics: metrics, Months: slices.Clone(months)}
	if len(metrics) == 0 {
		plan.Detail = fmt.Sprintf("training plan after %d consecutive months below standard, though no single metric was below its target", cur.streak)
	} else {
		plan.Detail = fmt.Sprintf("training plan for the metrics missed during %d consecutive months below standard: %s", cur.streak, strings.Join(metrics, ", "))
	}
	return []Consequence{first, plan}
}

func bonus(rules Rules, eng Engineer, cur step) Consequence {
	mult := rules.BonusMultipliers[cur.grade]
	amount := math.Round(mult*eng.BaseBonus*100) / 100
	detail := fmt.Sprintf("grade %s: bonus %s = %s × base bonus %s", cur.grade, num(amount), num(mult), num(eng.BaseBonus))
	if o := cur.rec.Override; o != nil {
		detail += fmt.Sprintf(" (grade %s by override: %s", o.Grade, o.Reason)
		if o.By != "" {
			detail += ", by " + o.By
		}
		plain := cur.rec
		plain.Override = nil
		if computed, _ := plain.Effective(rules); computed != "" {
			detail += "; computed grade " + computed + ")"
		} else {
			detail += "; computed: insufficient data)"
		}
	}
	return Consequence{Kind: Bonus, Detail: detail, Amount: amount, Multiplier: mult}
}

// promotion decides promotion priority over the window of calendar months
// ending with current.
func promotion(rules Rules, steps []step, current month.Month) (Consequence, bool) {
	from := current.Add(1 - rules.PromotionWindow).Index()
	var months []string
	for _, s := range steps {
		if s.rec.Month.Index() < from {
			continue
		}
		if s.level != none {
			return Consequence{}, false
		}
		if s.grade == rules.PromotionGrade {
			months = append(months, s.rec.Month.String())
		}
	}
	if len(months) < rules.PromotionCount {
		return Consequence{}, false
	}
	return Consequence{
		Kind: PromotionPriority,
		Detail: fmt.Sprintf("grade %s in %d of the last %d months (%s) with no warning: promotion priority",
			rules.PromotionGrade, len(months), rules.PromotionWindow, strings.Join(months, ", ")),
		Months: months,
	}, true
}

// num formats a number without trailing zeros: 1.5, 1000, 0.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// StreakBefore is the engineer's below-standard streak going into month m:
// the consecutive months below standard up to the month before m, months
// without sufficient data or exempt neither counting nor resetting it (as
// Apply counts them). A mid-month check-in tells a lead what m would add.
func StreakBefore(rules Rules, eng Engineer, history []Record, m month.Month) int {
	recs := make([]Record, 0, len(history))
	for _, rec := range history {
		if rec.Month.Index() < m.Index() {
			recs = append(recs, rec)
		}
	}
	slices.SortStableFunc(recs, func(a, b Record) int { return a.Month.Index() - b.Month.Index() })
	recs = slices.CompactFunc(recs, func(a, b Record) bool { return a.Month == b.Month })
	if len(recs) == 0 {
		return 0
	}
	steps, _ := walk(rules, eng, recs)
	return steps[len(steps)-1].streak
}

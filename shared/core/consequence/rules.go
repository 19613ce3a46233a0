package consequence

import (
	"math"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// Rules are the consequence part of the policy. The zero value is not valid;
// start from DefaultRules and check edits with Validate.
type Rules struct {
	PassMark             float64            `json:"pass_mark" yaml:"pass_mark"`                           // composite >= PassMark meets the standard
	Grades               []GradeBand        `json:"grades" yaml:"grades"`                                 // best first; the last band has Min 0
	WarningAfter         int                `json:"warning_after" yaml:"warning_after"`                   // consecutive months below standard for a warning and training plan
	AdjustmentAfter      int                `json:"adjustment_after" yaml:"adjustment_after"`             // consecutive months below standard for a position adjustment
	ExemptMonths         int                `json:"exempt_months" yaml:"exempt_months"`                   // the hire month and the following ones, mentoring only
	BonusMultipliers     map[string]float64 `json:"bonus_multipliers" yaml:"bonus_multipliers"`           // per grade, times the base bonus
	PromotionGrade       string             `json:"promotion_grade" yaml:"promotion_grade"`               // grade that counts towards promotion priority
	PromotionCount       int                `json:"promotion_count" yaml:"promotion_count"`               // at least this many PromotionGrade months …
	PromotionWindow      int                `json:"promotion_window" yaml:"promotion_window"`             // … among the last PromotionWindow months, current included
	RecognitionTopN      int                `json:"recognition_top_n" yaml:"recognition_top_n"`           // engineers recognised each year
	RecognitionMonth     time.Month         `json:"recognition_month" yaml:"recognition_month"`           // the run of this month decides annual recognition
	RecognitionMinMonths int                `json:"recognition_min_months" yaml:"recognition_min_months"` // months with sufficient data needed to be eligible
}

// GradeBand is one grade: composites >= Min (and below the previous band's
// Min) get Grade.
type GradeBand struct {
	Grade string  `json:"grade" yaml:"grade"`
	Min   float64 `json:"min" yaml:"min"`
}

// DefaultRules returns the numbers of the performance plan (DESIGN.md §2).
func DefaultRules() Rules {
	return Rules{
		PassMark: 80,
		Grades: []GradeBand{
			{Grade: "A", Min: 90},
			{Grade: "B", Min: 80},
			{Grade: "C", Min: 70},
			{Grade: "D", Min: 0},
		},
		WarningAfter:         2,
		AdjustmentAfter:      3,
		ExemptMonths:         2,
		BonusMultipliers:     map[string]float64{"A": 1.5, "B": 1.0, "C": 0.5, "D": 0},
		PromotionGrade:       "A",
		PromotionCount:       3,
		PromotionWindow:      6,
		RecognitionTopN:      3,
		RecognitionMonth:     time.December,
		RecognitionMinMonths: 6,
	}
}

// Validate reports the first problem with r as an errcode.Invalid error whose
// message starts with the field's policy name ("adjustment_after: ...").
//
// Besides ranges and orderings it requires pass_mark to equal the min of one
// grade: then "composite >= pass_mark" and "the grade meets the standard"
// always agree, which is what lets an override that only names a grade decide
// whether the month met the standard.
func (r Rules) Validate() error {
	invalid := func(format string, args ...any) error {
		return errcode.Errorf(errcode.Invalid, format, args...)
	}
	if !(r.PassMark > 0 && r.PassMark <= 100) { // also rejects NaN
		return invalid("pass_mark: must be above 0 and at most 100, got %v", r.PassMark)
	}
	if len(r.Grades) == 0 {
		return invalid("grades: must list at least one grade")
	}
	seen := make(map[string]bool, len(r.Grades))
	passIsBand := false
	for i, g := range r.Grades {
		switch {
		case g.Grade == "":
			return invalid("grades[%d].grade: must not be empty", i)
		case seen[g.Grade]:
			return invalid("grades[%d].grade: %q is listed twice", i, g.Grade)
		case !(g.Min >= 0 && g.Min <= 100):
			return invalid("grades[%d].min: must be between 0 and 100, got %v", i, g.Min)
		case i > 0 && g.Min >= r.Grades[i-1].Min:
			return invalid("grades[%d].min: grades must be ordered best first with descending min, but %v is not below %v", i, g.Min, r.Grades[i-1].Min)
		}
		seen[g.Grade] = true
		if g.Min == r.PassMark {
			passIsBand = true
		}
	}
	if last := r.Grades[len(r.Grades)-1]; last.Min != 0 {
		return invalid("grades[%d].min: the last grade must have min 0 so that every composite gets a grade, got %v", len(r.Grades)-1, last.Min)
	}
	if !passIsBand {
		return invalid("pass_mark: must equal the min of one grade so that grades and the standard agree, got %v", r.PassMark)
	}
	if r.WarningAfter <= 0 {
		return invalid("warning_after: must be greater than 0, got %d", r.WarningAfter)
	}
	if r.AdjustmentAfter <= r.WarningAfter {
		return invalid("adjustment_after: must be greater than warning_after (%d), got %d", r.WarningAfter, r.AdjustmentAfter)
	}
	if r.ExemptMonths < 0 {
		return invalid("exempt_months: must not be negative, got %d", r.ExemptMonths)
	}
	for _, g := range r.Grades {
		m, ok := r.BonusMultipliers[g.Grade]
		if !ok {
			return invalid("bonus_multipliers: missing a multiplier for grade %q", g.Grade)
		}
		if !(m >= 0) || math.IsInf(m, 1) {
			return invalid("bonus_multipliers.%s: must be a finite number of at least 0, got %v", g.Grade, m)
		}
	}
	if len(r.BonusMultipliers) != len(r.Grades) {
		for g := range r.BonusMultipliers {
			if !seen[g] {
				return invalid("bonus_multipliers.%s: %q is not one of the grades", g, g)
			}
		}
	}
	if !seen[r.PromotionGrade] {
		return invalid("promotion_grade: %q is not one of the grades", r.PromotionGrade)
	}
	if r.PromotionCount <= 0 {
		return invalid("promotion_count: must be greater than 0, got %d", r.PromotionCount)
	}
	if r.PromotionWindow <= 0 {
		return invalid("promotion_window: must be greater than 0, got %d", r.PromotionWindow)
	}
	if r.PromotionCount > r.PromotionWindow {
		return invalid("promotion_count: must not exceed promotion_window (%d), got %d", r.PromotionWindow, r.PromotionCount)
	}
	if r.RecognitionTopN <= 0 {
		return invalid("recognition_top_n: must be greater than 0, got %d", r.RecognitionTopN)
	}
	if r.RecognitionMonth < time.January || r.RecognitionMonth > time.December {
		return invalid("recognition_month: must be a month from 1 to 12, got %d", int(r.RecognitionMonth))
	}
	if r.RecognitionMinMonths <= 0 || r.RecognitionMinMonths > 12 {
		return invalid("recognition_min_months: must be from 1 to 12, got %d", r.RecognitionMinMonths)
	}
	return nil
}

// GradeFor returns the grade of a composite: the first band whose Min it
// reaches, else the last band (for a NaN or a negative composite).
func (r Rules) GradeFor(composite float64) string {
	for _, g := range r.Grades {
		if composite >= g.Min {
			return g.Grade
		}
	}
	if len(r.Grades) == 0 {
		return ""
	}
	return r.Grades[len(r.Grades)-1].Grade
}

// GradeMeets reports whether a composite with this grade meets the standard:
// the band's Min is at least PassMark. An unknown grade does not meet it.
func (r Rules) GradeMeets(grade string) bool {
	for _, g := range r.Grades {
		if g.Grade == grade {
			return g.Min >= r.PassMark
		}
	}
	return false
}

// DecidesRecognition reports whether the run for m is the one that decides
// annual recognition (the caller then calls Recognize for m.Year).
func (r Rules) DecidesRecognition(m month.Month) bool {
	return m.Month == r.RecognitionMonth
}

func (r Rules) hasGrade(grade string) bool {
	for _, g := range r.Grades {
		if g.Grade == grade {
			return true
		}
	}
	return false
}

// bestGrade is the grade of the first band, the one Recognize counts to
// break ties.
func (r Rules) bestGrade() string {
	if len(r.Grades) == 0 {
		return ""
	}
	return r.Grades[0].Grade
}

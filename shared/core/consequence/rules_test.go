package consequence

import (
	"math"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
)

func TestDefaultRulesAreValid(t *testing.T) {
	if err := DefaultRules().Validate(); err != nil {
		t.Fatalf("DefaultRules().Validate() = %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *Rules)
		want   string // errcode message
	}{
		{"a pass mark of 0 is refused", func(r *Rules) { r.PassMark = 0 }, "pass_mark: must be above 0 and at most 100, got 0"},
		{"a pass mark above 100 is refused", func(r *Rules) { r.PassMark = 101 }, "pass_mark: must be above 0 and at most 100, got 101"},
		{"a NaN pass mark is refused", func(r *Rules) { r.PassMark = math.NaN() }, "pass_mark: must be above 0 and at most 100, got NaN"},
		{"a pass mark between grades is refused", func(r *Rules) { r.PassMark = 85 }, "pass_mark: must equal the min of one grade so that grades and the standard agree, got 85"},
		{"no grades is refused", func(r *Rules) { r.Grades = nil }, "grades: must list at least one grade"},
		{"an empty grade name is refused", func(r *Rules) { r.Grades[1].Grade = "" }, "grades[1].grade: must not be empty"},
		{"a grade listed twice is refused", func(r *Rules) { r.Grades[2].Grade = "B" }, `grades[2].grade: "B" is listed twice`},
		{"a min above 100 is refused", func(r *Rules) { r.Grades[0].Min = 120 }, "grades[0].min: must be between 0 and 100, got 120"},
		{"grades not best first are refused", func(r *Rules) { r.Grades[0], r.Grades[1] = r.Grades[1], r.Grades[0] },
			"grades[1].min: grades must be ordered best first with descending min, but 90 is not below 80"},
		{"a last grade above 0 is refused", func(r *Rules) { r.Grades[3].Min = 10 }, "grades[3].min: the last grade must have min 0 so that every composite gets a grade, got 10"},
		{"warning_after 0 is refused", func(r *Rules) { r.WarningAfter = 0 }, "warning_after: must be greater than 0, got 0"},
		{"adjustment_after equal to warning_after is refused", func(r *Rules) { r.AdjustmentAfter = 2 }, "adjustment_after: must be greater than warning_after (2), got 2"},
		{"negative exempt months are refused", func(r *Rules) { r.ExemptMonths = -1 }, "exempt_months: must not be negative, got -1"},
		{"a grade without multiplier is refused", func(r *Rules) { delete(r.BonusMultipliers, "C") }, `bonus_multipliers: missing a multiplier for grade "C"`},
		{"a negative multiplier is refused", func(r *Rules) { r.BonusMultipliers["D"] = -0.5 }, "bonus_multipliers.D: must be a finite number of at least 0, got -0.5"},
		{"an infinite multiplier is refused", func(r *Rules) { r.BonusMultipliers["A"] = math.Inf(1) }, "bonus_multipliers.A: must be a finite number of at least 0, got +Inf"},
		{"a multiplier for an unknown grade is refused", func(r *Rules) { r.BonusMultipliers["E"] = 0 }, `bonus_multipliers.E: "E" is not one of the grades`},
		{"an unknown promotion grade is refused", func(r *Rules) { r.PromotionGrade = "A+" }, `promotion_grade: "A+" is not one of the grades`},
		{"promotion_count 0 is refused", func(r *Rules) { r.PromotionCount = 0 }, "promotion_count: must be greater than 0, got 0"},
		{"promotion_window 0 is refused", func(r *Rules) { r.PromotionWindow = 0 }, "promotion_window: must be greater than 0, got 0"},
		{"promotion_count above promotion_window is refused", func(r *Rules) { r.PromotionCount = 7 }, "promotion_count: must not exceed promotion_window (6), got 7"},
		{"recognition_top_n 0 is refused", func(r *Rules) { r.RecognitionTopN = 0 }, "recognition_top_n: must be greater than 0, got 0"},
		{"recognition_month 13 is refused", func(r *Rules) { r.RecognitionMonth = 13 }, "recognition_month: must be a month from 1 to 12, got 13"},
		{"recognition_month 0 is refused", func(r *Rules) { r.RecognitionMonth = 0 }, "recognition_month: must be a month from 1 to 12, got 0"},
		{"recognition_min_months 0 is refused", func(r *Rules) { r.RecognitionMinMonths = 0 }, "recognition_min_months: must be from 1 to 12, got 0"},
		{"recognition_min_months 13 is refused", func(r *Rules) { r.RecognitionMinMonths = 13 }, "recognition_min_months: must be from 1 to 12, got 13"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultRules()
			tc.change(&r)
			err := r.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", tc.want)
			}
			if code := errcode.Code(err); code != errcode.Invalid {
				t.Errorf("code = %q, want %q", code, errcode.Invalid)
			}
			if msg := errcode.Message(err); msg != tc.want {
				t.Errorf("message = %q\nwant      %q", msg, tc.want)
			}
		})
	}
}

func TestValidateAcceptsOtherSensiblePlans(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *Rules)
	}{
		{"no exemption", func(r *Rules) { r.ExemptMonths = 0 }},
		{"pass mark at grade C", func(r *Rules) { r.PassMark = 70 }},
		{"two grades, pass or fail", func(r *Rules) {
			r.Grades = []GradeBand{{Grade: "pass", Min: 75}, {Grade: "fail", Min: 0}}
			r.PassMark = 75
			r.BonusMultipliers = map[string]float64{"pass": 1, "fail": 0}
			r.PromotionGrade = "pass"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultRules()
			tc.change(&r)
			if err := r.Validate(); err != nil {
				t.Errorf("Validate() = %v", err)
			}
		})
	}
}

func TestGradeFor(t *testing.T) {
	rules := DefaultRules()
	tests := []struct {
		composite float64
		want      string
	}{
		{100, "A"}, {90, "A"}, {89.99, "B"}, {80, "B"}, {79.99, "C"}, {70, "C"}, {69.99, "D"}, {0, "D"}, {-1, "D"}, {math.NaN(), "D"},
	}
	for _, tc := range tests {
		if got := rules.GradeFor(tc.composite); got != tc.want {
			t.Errorf("GradeFor(%v) = %q, want %q", tc.composite, got, tc.want)
		}
	}
	if got := (Rules{}).GradeFor(50); got != "" {
		t.Errorf("GradeFor without grades = %q, want empty", got)
	}
}

func TestGradeMeets(t *testing.T) {
	rules := DefaultRules()
	for grade, want := range map[string]bool{"A": true, "B": true, "C": false, "D": false, "E": false, "": false} {
		if got := rules.GradeMeets(grade); got != want {
			t.Errorf("GradeMeets(%q) = %v, want %v", grade, got, want)
		}
	}
}

func TestGradeMeetsAgreesWithThePassMark(t *testing.T) {
	rules := DefaultRules()
	for c := 0.0; c <= 100; c += 0.25 {
		if got, want := rules.GradeMeets(rules.GradeFor(c)), c >= rules.PassMark; got != want {
			t.Errorf("composite %v: GradeMeets(GradeFor) = %v, composite >= pass mark = %v", c, got, want)
		}
	}
}

func TestDecidesRecognition(t *testing.T) {
	rules := DefaultRules()
	if !rules.DecidesRecognition(mo("2026-12")) {
		t.Errorf("December run does not decide recognition")
	}
	if rules.DecidesRecognition(mo("2026-11")) {
		t.Errorf("November run decides recognition")
	}
	rules.RecognitionMonth = time.January
	if !rules.DecidesRecognition(mo("2027-01")) {
		t.Errorf("January run does not decide recognition when the policy says January")
	}
}

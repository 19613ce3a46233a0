package consequence

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
)

var (
	engineer = Engineer{ID: "e1", BaseBonus: 1000}
	bonusA   = Consequence{Kind: Bonus, Detail: "grade A: bonus 1500 = 1.5 × base bonus 1000", Amount: 1500, Multiplier: 1.5}
	bonusB   = Consequence{Kind: Bonus, Detail: "grade B: bonus 1000 = 1 × base bonus 1000", Amount: 1000, Multiplier: 1}
	bonusC   = Consequence{Kind: Bonus, Detail: "grade C: bonus 500 = 0.5 × base bonus 1000", Amount: 500, Multiplier: 0.5}
	bonusD   = Consequence{Kind: Bonus, Detail: "grade D: bonus 0 = 0 × base bonus 1000"}
)

func hiredOn(y int, m time.Month, d int) Engineer {
	e := engineer
	e.HireDate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return e
}

func TestApply(t *testing.T) {
	tests := []struct {
		name    string
		rules   *Rules // nil: DefaultRules
		eng     Engineer
		history []Record
		current string
		want    []Consequence
	}{
		{
			name:    "a month that meets the standard gives only the bonus",
			eng:     engineer,
			history: []Record{scored("2026-10", 85)},
			current: "2026-10",
			want:    []Consequence{bonusB},
		},
		{
			name:    "1 month below standard gives no warning",
			eng:     engineer,
			history: []Record{scored("2026-09", 85), scored("2026-10", 75, "csat_score")},
			current: "2026-10",
			want:    []Consequence{bonusC},
		},
		{
			name:    "2 consecutive months below standard gives a warning and training plan",
			eng:     engineer,
			history: []Record{scored("2026-09", 75, "csat_score"), scored("2026-10", 72, "complaint_rate", "csat_score")},
			current: "2026-10",
			want: []Consequence{
				{Kind: Warning, Detail: "2 consecutive months below standard (2026-09, 2026-10)", Streak: 2, Months: []string{"2026-09", "2026-10"}},
				{Kind: TrainingPlan, Detail: "training plan for the metrics missed during 2 consecutive months below standard: complaint_rate, csat_score",
					Streak: 2, Metrics: []string{"complaint_rate", "csat_score"}, Months: []string{"2026-09", "2026-10"}},
				bonusC,
			},
		},
		{
			name: "3 gives position adjustment",
			eng:  engineer,
			history: []Record{
				scored("2026-08", 65, "resolution_sla_rate"),
				scored("2026-09", 75, "csat_score"),
				scored("2026-10", 72, "csat_score"),
			},
			current: "2026-10",
			want: []Consequence{
				{Kind: PositionAdjustment, Detail: "3 consecutive months below standard (2026-08, 2026-09, 2026-10): position adjustment flagged for HR",
					Streak: 3, Months: []string{"2026-08", "2026-09", "2026-10"}},
				{Kind: TrainingPlan, Detail: "training plan for the metrics missed during 3 consecutive months below standard: csat_score, resolution_sla_rate",
					Streak: 3, Metrics: []string{"csat_score", "resolution_sla_rate"}, Months: []string{"2026-08", "2026-09", "2026-10"}},
				bonusC,
			},
		},
		{
			name: "4 keeps position adjustment",
			eng:  engineer,
			history: []Record{
				scored("2026-07", 60, "completion_rate"),
				scored("2026-08", 65),
				scored("2026-09", 75),
				scored("2026-10", 50),
			},
			current: "2026-10",
			want: []Consequence{
				{Kind: PositionAdjustment, Detail: "4 consecutive months below standard (2026-07, 2026-08, 2026-09, 2026-10): position adjustment flagged for HR",
					Streak: 4, Months: []string{"2026-07", "2026-08", "2026-09", "2026-10"}},
				{Kind: TrainingPlan, Detail: "training plan for the metrics missed during 4 consecutive months below standard: completion_rate",
					Streak: 4, Metrics: []string{"completion_rate"}, Months: []string{"2026-07", "2026-08", "2026-09", "2026-10"}},
				bonusD,
			},
		},
		{
			name:    "an insufficient month between two failing months neither counts nor resets",
			eng:     engineer,
			history: []Record{scored("2026-08", 75, "csat_score"), insufficient("2026-09"), scored("2026-10", 75, "csat_score")},
			current: "2026-10",
			want: []Consequence{
				{Kind: Warning, Detail: "2 consecutive months below standard (2026-08, 2026-10, not counting months without sufficient data)",
					Streak: 2, Months: []string{"2026-08", "2026-10"}},
				{Kind: TrainingPlan, Detail: "training plan for the metrics missed during 2 consecutive months below standard: csat_score",
					Streak: 2, Metrics: []string{"csat_score"}, Months: []string{"2026-08", "2026-10"}},
				bonusC,
			},
		},
		{
			name:    "a gap month neither counts nor resets",
			eng:     engineer,
			history: []Record{scored("2026-08", 75, "csat_score"), scored("2026-10", 79)},
			current: "2026-10",
			want: []Consequence{
				{Kind: Warning, Detail: "2 consecutive months below standard (2026-08, 2026-10, not counting months without sufficient data)",
					Streak: 2, Months: []string{"2026-08", "2026-10"}},
				{Kind: TrainingPlan, Detail: "training plan for the metrics missed during 2 consecutive months below standard: csat_score",
					Streak: 2, Metrics: []string{"csat_score"}, Months: []string{"2026-08", "2026-10"}},
				bonusC,
			},
		},
		{
			name:    "a passing month resets",
			eng:     engineer,
			history: []Record{scored("2026-08", 75), scored("2026-09", 80), scored("2026-10", 75)},
			current: "2026-10",
			want:    []Consequence{bonusC},
		},
		{
			name:    "a passing current month gives no warning after a streak",
			eng:     engineer,
			history: []Record{scored("2026-08", 75), scored("2026-09", 75), scored("2026-10", 88)},
			current: "2026-10",
			want:    []Consequence{bonusB},
		},
		{
			name:    "an insufficient current month gives insufficient data and no bonus or warning",
			eng:     engineer,
			history: []Record{scored("2026-08", 75), scored("2026-09", 75), insufficient("2026-10")},
			current: "2026-10",
			want: []Consequence{{Kind: InsufficientData,
				Detail: "insufficient data for 2026-10 (leave or too few tickets): no grade and no bonus, and the below-standard streak is neither counted nor reset"}},
		},
		{
			name:    "a composite without a standard decision is insufficient",
			eng:     engineer,
			history: []Record{{Month: mo("2026-10"), Composite: ptr(60.0), Grade: "D"}},
			current: "2026-10",
			want: []Consequence{{Kind: InsufficientData,
				Detail: "insufficient data for 2026-10 (leave or too few tickets): no grade and no bonus, and the below-standard streak is neither counted nor reset"}},
		},
		{
			name:    "the first 2 months after hire are exempt",
			eng:     hiredOn(2026, time.August, 15),
			history: []Record{scored("2026-08", 60), scored("2026-09", 70)},
			current: "2026-09",
			want: []Consequence{
				{Kind: Mentoring, Detail: "2026-09 is month 2 of the 2 exempt months after hire (2026-08): mentoring, no warning or position adjustment"},
				bonusC,
			},
		},
		{
			name:    "the month after the exemption starts a new streak",
			eng:     hiredOn(2026, time.August, 15),
			history: []Record{scored("2026-08", 60), scored("2026-09", 70), scored("2026-10", 70)},
			current: "2026-10",
			want:    []Consequence{bonusC},
		},
		{
			name:    "months before the hire month are exempt too",
			eng:     hiredOn(2026, time.October, 1),
			history: []Record{scored("2026-09", 60)},
			current: "2026-09",
			want: []Consequence{
				{Kind: Mentoring, Detail: "2026-09 is before the hire month (2026-10): mentoring, no warning or position adjustment"},
				bonusD,
			},
		},
		{
			name:    "an exempt month with insufficient data is mentoring without bonus",
			eng:     hiredOn(2026, time.October, 20),
			history: []Record{insufficient("2026-10")},
			current: "2026-10",
			want: []Consequence{
				{Kind: InsufficientData, Detail: "insufficient data for 2026-10 (leave or too few tickets): no grade and no bonus, and the below-standard streak is neither counted nor reset"},
				{Kind: Mentoring, Detail: "2026-10 is month 1 of the 2 exempt months after hire (2026-10): mentoring, no warning or position adjustment"},
			},
		},
		{
			name:    "an override to B breaks the streak and keeps the original record",
			eng:     engineer,
			history: []Record{scored("2026-08", 75), overridden(scored("2026-09", 76), "B", "outage tickets misattributed"), scored("2026-10", 75)},
			current: "2026-10",
			want:    []Consequence{bonusC},
		},
		{
			name:    "an override is named in the bonus with who and the computed grade",
			eng:     engineer,
			history: []Record{scored("2026-08", 75), overridden(scored("2026-09", 76), "B", "outage tickets misattributed")},
			current: "2026-09",
			want: []Consequence{{Kind: Bonus, Amount: 1000, Multiplier: 1,
				Detail: "grade B: bonus 1000 = 1 × base bonus 1000 (grade B by override: outage tickets misattributed, by lead@example.com; computed grade C)"}},
		},
		{
			name:    "an override to C makes an insufficient month count",
			eng:     engineer,
			history: []Record{scored("2026-08", 75, "csat_score"), overridden(insufficient("2026-09"), "C", "worked on escalations off the queue")},
			current: "2026-09",
			want: []Consequence{
				{Kind: Warning, Detail: "2 consecutive months below standard (2026-08, 2026-09)", Streak: 2, Months: []string{"2026-08", "2026-09"}},
				{Kind: TrainingPlan, Detail: "training plan for the metrics missed during 2 consecutive months below standard: csat_score",
					Streak: 2, Metrics: []string{"csat_score"}, Months: []string{"2026-08", "2026-09"}},
				{Kind: Bonus, Amount: 500, Multiplier: 0.5,
					Detail: "grade C: bonus 500 = 0.5 × base bonus 1000 (grade C by override: worked on escalations off the queue, by lead@example.com; computed: insufficient data)"},
			},
		},
		{
			name: "a training plan without missed metrics says so",
			eng:  engineer,
			history: []Record{
				overridden(scored("2026-09", 95), "C", "customer complaint upheld"),
				overridden(scored("2026-10", 95), "C", "customer complaint upheld"),
			},
			current: "2026-10",
			want: []Consequence{
				{Kind: Warning, Detail: "2 consecutive months below standard (2026-09, 2026-10)", Streak: 2, Months: []string{"2026-09", "2026-10"}},
				{Kind: TrainingPlan, Detail: "training plan after 2 consecutive months below standard, though no single metric was below its target",
					Streak: 2, Months: []string{"2026-09", "2026-10"}},
				{Kind: Bonus, Amount: 500, Multiplier: 0.5,
					Detail: "grade C: bonus 500 = 0.5 × base bonus 1000 (grade C by override: customer complaint upheld, by lead@example.com; computed grade A)"},
			},
		},
		{
			name:    "a zero base bonus still gives a bonus of 0",
			eng:     Engineer{ID: "e1"},
			history: []Record{scored("2026-10", 91)},
			current: "2026-10",
			want:    []Consequence{{Kind: Bonus, Detail: "grade A: bonus 0 = 1.5 × base bonus 0", Multiplier: 1.5}},
		},
		{
			name:    "the bonus is rounded to cents",
			eng:     Engineer{ID: "e1", BaseBonus: 1234.57},
			history: []Record{scored("2026-10", 91)},
			current: "2026-10",
			want:    []Consequence{{Kind: Bonus, Detail: "grade A: bonus 1851.86 = 1.5 × base bonus 1234.57", Amount: 1851.86, Multiplier: 1.5}},
		},
		{
			name: "promotion needs 3 A in 6 and no warning",
			eng:  engineer,
			history: []Record{
				scored("2026-05", 92), scored("2026-06", 85), scored("2026-07", 90),
				scored("2026-08", 75), insufficient("2026-09"), scored("2026-10", 97),
			},
			current: "2026-10",
			want: []Consequence{
				bonusA,
				{Kind: PromotionPriority, Detail: "grade A in 3 of the last 6 months (2026-05, 2026-07, 2026-10) with no warning: promotion priority",
					Months: []string{"2026-05", "2026-07", "2026-10"}},
			},
		},
		{
			name: "2 A in 6 give no promotion",
			eng:  engineer,
			history: []Record{
				scored("2026-04", 95), scored("2026-05", 88), scored("2026-07", 90), scored("2026-10", 97),
			},
			current: "2026-10",
			want:    []Consequence{bonusA},
		},
		{
			name: "a warning in the window blocks promotion",
			eng:  engineer,
			history: []Record{
				scored("2026-05", 70), scored("2026-06", 70),
				scored("2026-07", 95), scored("2026-08", 95), scored("2026-09", 95), scored("2026-10", 95),
			},
			current: "2026-10",
			want:    []Consequence{bonusA},
		},
		{
			name: "a warning before the window does not block promotion",
			eng:  engineer,
			history: []Record{
				scored("2026-03", 70), scored("2026-04", 70),
				scored("2026-05", 85), scored("2026-08", 95), scored("2026-09", 95), scored("2026-10", 95),
			},
			current: "2026-10",
			want: []Consequence{
				bonusA,
				{Kind: PromotionPriority, Detail: "grade A in 3 of the last 6 months (2026-08, 2026-09, 2026-10) with no warning: promotion priority",
					Months: []string{"2026-08", "2026-09", "2026-10"}},
			},
		},
		{
			name: "an override to A counts for promotion",
			eng:  engineer,
			history: []Record{
				scored("2026-08", 95), overridden(scored("2026-09", 89), "A", "major incident lead"), scored("2026-10", 95),
			},
			current: "2026-10",
			want: []Consequence{
				bonusA,
				{Kind: PromotionPriority, Detail: "grade A in 3 of the last 6 months (2026-08, 2026-09, 2026-10) with no warning: promotion priority",
					Months: []string{"2026-08", "2026-09", "2026-10"}},
			},
		},
		{
			name: "between warning_after and adjustment_after the warning is kept",
			rules: func() *Rules {
				r := DefaultRules()
				r.AdjustmentAfter = 4
				return &r
			}(),
			eng:     engineer,
			history: []Record{scored("2026-08", 75), scored("2026-09", 75), scored("2026-10", 75)},
			current: "2026-10",
			want: []Consequence{
				{Kind: Warning, Detail: "3 consecutive months below standard (2026-08, 2026-09, 2026-10)", Streak: 3, Months: []string{"2026-08", "2026-09", "2026-10"}},
				{Kind: TrainingPlan, Detail: "training plan after 3 consecutive months below standard, though no single metric was below its target",
					Streak: 3, Months: []string{"2026-08", "2026-09", "2026-10"}},
				bonusC,
			},
		},
		{
			name:    "months after current are ignored",
			eng:     engineer,
			history: []Record{scored("2026-10", 75), scored("2026-09", 75), scored("2026-11", 75), scored("2026-11", 95)},
			current: "2026-09",
			want:    []Consequence{bonusC},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rules := DefaultRules()
			if tc.rules != nil {
				rules = *tc.rules
			}
			before := deepCopy(tc.history)
			got, err := Apply(rules, tc.eng, tc.history, mo(tc.current))
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Apply (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, tc.history); diff != "" {
				t.Errorf("Apply changed the history (-before +after):\n%s", diff)
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	invalidRules := DefaultRules()
	invalidRules.AdjustmentAfter = 2
	tests := []struct {
		name    string
		rules   Rules
		history []Record
		current string
		want    string // errcode message
	}{
		{
			name:    "invalid rules are refused",
			rules:   invalidRules,
			history: []Record{scored("2026-10", 85)},
			current: "2026-10",
			want:    "adjustment_after: must be greater than warning_after (2), got 2",
		},
		{
			name:    "the current month must be in the history",
			rules:   DefaultRules(),
			history: []Record{scored("2026-09", 85), scored("2026-11", 85)},
			current: "2026-10",
			want:    "history of engineer e1 has no record for 2026-10",
		},
		{
			name:    "an empty history has no current month",
			rules:   DefaultRules(),
			current: "2026-10",
			want:    "history of engineer e1 has no record for 2026-10",
		},
		{
			name:    "a month recorded twice is ambiguous",
			rules:   DefaultRules(),
			history: []Record{scored("2026-09", 85), scored("2026-10", 85), scored("2026-09", 70)},
			current: "2026-10",
			want:    "history of engineer e1: month 2026-09 appears twice",
		},
		{
			name:    "an override must name a grade of the rules",
			rules:   DefaultRules(),
			history: []Record{overridden(scored("2026-09", 85), "E", "typo"), scored("2026-10", 85)},
			current: "2026-10",
			want:    `history of engineer e1: month 2026-09: override grade "E" is not one of the grades`,
		},
		{
			name:    "an empty override grade is refused",
			rules:   DefaultRules(),
			history: []Record{overridden(scored("2026-10", 85), "", "forgot the grade")},
			current: "2026-10",
			want:    `history of engineer e1: month 2026-10: override grade "" is not one of the grades`,
		},
		{
			name:    "a current grade unknown to the rules has no bonus multiplier",
			rules:   DefaultRules(),
			history: []Record{{Month: mo("2026-10"), Composite: ptr(85.0), Grade: "B+", MeetsStandard: ptr(true)}},
			current: "2026-10",
			want:    `history of engineer e1: month 2026-10: grade "B+" is not one of the grades`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Apply(tc.rules, engineer, tc.history, mo(tc.current))
			if err == nil {
				t.Fatalf("Apply = %v, want error %q", got, tc.want)
			}
			if code := errcode.Code(err); code != errcode.Invalid {
				t.Errorf("code = %q, want %q (err %v)", code, errcode.Invalid, err)
			}
			if msg := errcode.Message(err); msg != tc.want {
				t.Errorf("message = %q, want %q", msg, tc.want)
			}
		})
	}
}

func TestSortOrdersByKind(t *testing.T) {
	got := []Consequence{
		{Kind: AnnualRecognition}, {Kind: PromotionPriority}, {Kind: Bonus}, {Kind: "future_kind"},
		{Kind: TrainingPlan}, {Kind: PositionAdjustment}, {Kind: Warning}, {Kind: Mentoring}, {Kind: InsufficientData},
	}
	Sort(got)
	want := []Consequence{
		{Kind: InsufficientData}, {Kind: Mentoring}, {Kind: Warning}, {Kind: PositionAdjustment},
		{Kind: TrainingPlan}, {Kind: Bonus}, {Kind: PromotionPriority}, {Kind: AnnualRecognition}, {Kind: "future_kind"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sort (-want +got):\n%s", diff)
	}
}

func TestEffective(t *testing.T) {
	rules := DefaultRules()
	tests := []struct {
		name      string
		rec       Record
		wantGrade string
		wantMeets *bool
	}{
		{"a computed month is as computed", scored("2026-10", 75), "C", ptr(false)},
		{"an insufficient month stays insufficient", insufficient("2026-10"), "", nil},
		{"an override to B meets the standard", overridden(scored("2026-10", 75), "B", "r"), "B", ptr(true)},
		{"an override to C does not meet the standard", overridden(scored("2026-10", 85), "C", "r"), "C", ptr(false)},
		{"an override makes an insufficient month sufficient", overridden(insufficient("2026-10"), "A", "r"), "A", ptr(true)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			grade, meets := tc.rec.Effective(rules)
			if grade != tc.wantGrade {
				t.Errorf("grade = %q, want %q", grade, tc.wantGrade)
			}
			if diff := cmp.Diff(tc.wantMeets, meets); diff != "" {
				t.Errorf("meets (-want +got):\n%s", diff)
			}
			if meets != nil && meets == tc.rec.MeetsStandard {
				t.Errorf("meets aliases the record's MeetsStandard")
			}
		})
	}
}

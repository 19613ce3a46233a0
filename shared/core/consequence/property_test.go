package consequence

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"scorecard/shared/core/month"
)

// drawRules varies the thresholds that shape streaks and promotion.
func drawRules(t *rapid.T) Rules {
	r := DefaultRules()
	r.WarningAfter = rapid.IntRange(1, 3).Draw(t, "warning_after")
	r.AdjustmentAfter = r.WarningAfter + rapid.IntRange(1, 3).Draw(t, "adjustment_after_extra")
	r.ExemptMonths = rapid.IntRange(0, 3).Draw(t, "exempt_months")
	r.PromotionWindow = rapid.IntRange(1, 8).Draw(t, "promotion_window")
	r.PromotionCount = rapid.IntRange(1, r.PromotionWindow).Draw(t, "promotion_count")
	r.RecognitionMinMonths = rapid.IntRange(1, 6).Draw(t, "recognition_min_months")
	return r
}

// drawRecord draws one month's record: scored, insufficient, or overridden.
func drawRecord(t *rapid.T, rules Rules, m month.Month, label string) Record {
	metrics := []string{"csat_score", "complaint_rate", "resolution_sla_rate", "training_hours"}
	rec := Record{Month: m}
	if !rapid.Bool().Draw(t, label+" insufficient") {
		c := float64(rapid.IntRange(500, 1000).Draw(t, label+" composite")) / 10
		rec.Composite = &c
		rec.Grade = rules.GradeFor(c)
		meets := c >= rules.PassMark
		rec.MeetsStandard = &meets
		for _, id := range metrics {
			if rapid.Bool().Draw(t, label+" missed "+id) {
				rec.MissedMetrics = append(rec.MissedMetrics, id)
			}
		}
	}
	if rapid.IntRange(0, 4).Draw(t, label+" override") == 0 {
		rec.Override = &Override{
			Grade:  rapid.SampledFrom([]string{"A", "B", "C", "D"}).Draw(t, label+" override grade"),
			Reason: "drawn",
			By:     "lead@example.com",
		}
	}
	return rec
}

// drawHistory draws records for some of n months from start (gaps allowed)
// and picks one of them as the current month.
func drawHistory(t *rapid.T, rules Rules, start month.Month) ([]Record, month.Month) {
	n := rapid.IntRange(1, 18).Draw(t, "months")
	var history []Record
	for i := range n {
		if i > 0 && rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("gap %d", i)) == 0 {
			continue
		}
		history = append(history, drawRecord(t, rules, start.Add(i), fmt.Sprintf("month %d", i)))
	}
	current := rapid.SampledFrom(history).Draw(t, "current").Month
	return history, current
}

func drawEngineer(t *rapid.T, start month.Month) Engineer {
	eng := Engineer{ID: "e1", BaseBonus: float64(rapid.IntRange(0, 5000).Draw(t, "base_bonus"))}
	if rapid.Bool().Draw(t, "hire date known") {
		hire := start.Add(rapid.IntRange(-3, 12).Draw(t, "hire offset"))
		eng.HireDate = time.Date(hire.Year, hire.Month, rapid.IntRange(1, 28).Draw(t, "hire day"), 0, 0, 0, 0, time.UTC)
	}
	return eng
}

func TestApplyDoesNotDependOnHistoryOrderOrLaterMonths(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		start := month.Month{Year: 2025, Month: time.November}
		rules := drawRules(t)
		eng := drawEngineer(t, start)
		history, current := drawHistory(t, rules, start)

		want, err := Apply(rules, eng, history, current)
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}

		shuffled := rapid.Permutation(history).Draw(t, "shuffled")
		got, err := Apply(rules, eng, shuffled, current)
		if err != nil {
			t.Fatalf("Apply on shuffled history: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("shuffling the history changed the result (-sorted +shuffled):\n%s", diff)
		}

		// Later months, even a month recorded twice, change nothing.
		extended := append([]Record(nil), shuffled...)
		for i := range rapid.IntRange(1, 4).Draw(t, "later records") {
			later := current.Add(rapid.IntRange(1, 3).Draw(t, fmt.Sprintf("later %d offset", i)))
			extended = append(extended, drawRecord(t, rules, later, fmt.Sprintf("later %d", i)))
		}
		extended = rapid.Permutation(extended).Draw(t, "extended shuffled")
		got, err = Apply(rules, eng, extended, current)
		if err != nil {
			t.Fatalf("Apply with later months: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("records after the current month changed the result (-without +with):\n%s", diff)
		}
	})
}

func TestApplyNeverChangesTheHistory(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		start := month.Month{Year: 2026, Month: time.January}
		rules := drawRules(rt)
		eng := drawEngineer(rt, start)
		history, current := drawHistory(rt, rules, start)
		before := deepCopy(history)
		if _, err := Apply(rules, eng, history, current); err != nil {
			rt.Fatalf("Apply: %v", err)
		}
		if diff := cmp.Diff(before, history); diff != "" {
			rt.Fatalf("Apply changed the history (-before +after):\n%s", diff)
		}
	})
}

func TestRecognizeDoesNotDependOnHistoryOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		start := month.Month{Year: 2026, Month: time.January}
		rules := drawRules(t)
		histories := map[string][]Record{}
		shuffled := map[string][]Record{}
		for i := range rapid.IntRange(0, 6).Draw(t, "engineers") {
			id := fmt.Sprintf("e%d", i)
			history, _ := drawHistory(t, rules, start)
			histories[id] = history
			shuffled[id] = rapid.Permutation(history).Draw(t, id+" shuffled")
		}
		want := Recognize(rules, 2026, histories)
		got := Recognize(rules, 2026, shuffled)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("shuffling histories changed the ranking (-sorted +shuffled):\n%s", diff)
		}
		if len(want) > rules.RecognitionTopN {
			t.Fatalf("%d ranked, want at most %d", len(want), rules.RecognitionTopN)
		}
		for i, r := range want {
			if r.Rank != i+1 || r.Months < rules.RecognitionMinMonths {
				t.Fatalf("ranked[%d] = %+v", i, r)
			}
		}
	})
}

package checkin_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"pgregory.net/rapid"

	"scorecard/shared/core/checkin"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
)

// For a share, Need is the least number of the rest that ends the month at
// its target, and Cannot means even all of them do not; for a
// lower-is-better share, Need is the most failures that keep it there.
func TestShareNeedsAreTheLeastThatReachTheTarget(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		den := rapid.IntRange(1, 300).Draw(t, "den")
		num := rapid.IntRange(0, den).Draw(t, "num")
		rest := rapid.IntRange(0, 300).Draw(t, "rest")
		target := float64(rapid.IntRange(1, 100).Draw(t, "target %")) / 100
		lower := rapid.Bool().Draw(t, "lower")
		o := checkin.Project(float64(num), float64(den), rest, target, lower, false, "rate")
		total := float64(den + rest)
		at := func(k int) float64 { return float64(num+k) / total } // the month's end with k more counted in num
		const eps = 1e-9
		switch {
		case lower && o.State == checkin.Secured:
			if at(rest) > target+eps {
				t.Fatalf("secured, yet all of the rest failing ends at %v > %v", at(rest), target)
			}
		case lower && o.State == checkin.Needs:
			if at(o.Need) > target+eps || at(o.Need+1) <= target+eps || o.Need >= rest {
				t.Fatalf("allows %d of %d: ends at %v with them, %v with one more (target %v)", o.Need, rest, at(o.Need), at(o.Need+1), target)
			}
		case lower:
			if at(0) <= target+eps || math.Abs(o.Best-at(0)) > eps {
				t.Fatalf("cannot, yet none failing ends at %v (best %v, target %v)", at(0), o.Best, target)
			}
		case o.State == checkin.Secured:
			if at(0) < target-eps {
				t.Fatalf("secured, yet none succeeding ends at %v < %v", at(0), target)
			}
		case o.State == checkin.Needs:
			if o.Need < 1 || o.Need > rest || at(o.Need) < target-eps || at(o.Need-1) >= target-eps {
				t.Fatalf("needs %d of %d: ends at %v with them, %v with one fewer (target %v)", o.Need, rest, at(o.Need), at(o.Need-1), target)
			}
		default:
			if at(rest) >= target-eps || math.Abs(o.Best-at(rest)) > eps {
				t.Fatalf("cannot, yet all of the rest ends at %v (best %v, target %v)", at(rest), o.Best, target)
			}
		}
	})
}

// The tickets about to breach do not depend on the order the tickets are
// read in, nor on a ticket read twice.
func TestAtRiskIgnoresOrderAndRepeats(t *testing.T) {
	p := policy.Default()
	dir := directory.New([]directory.Engineer{{ID: "E1", Team: "north", External: map[string]string{"generic": "a1"}}})
	asOf := time.Date(2026, 9, 16, 0, 0, 0, 0, shanghai)
	prios := []event.Priority{event.Urgent, event.High, event.Normal, event.Low}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 25).Draw(t, "tickets")
		var states []*ticket.State
		for i := range n {
			age := time.Duration(rapid.IntRange(0, 80*60).Draw(t, "age minutes")) * time.Minute
			states = append(states, open("a1", fmt.Sprint("T", i), asOf.Add(-age), prios[rapid.IntRange(0, 3).Draw(t, "priority")], rapid.Bool().Draw(t, "pending")))
		}
		w1 := checkin.NewWatch(p, dir, asOf)
		for _, s := range states {
			w1.Add(s)
		}
		order := rapid.Permutation(append(states, states[:rapid.IntRange(0, n).Draw(t, "repeats")]...)).Draw(t, "order")
		w2 := checkin.NewWatch(p, dir, asOf)
		for _, s := range order {
			w2.Add(s)
		}
		a, b := w1.For("E1"), w2.For("E1")
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("in order %v\nshuffled, with repeats %v", a, b)
		}
		for _, r := range a {
			if r.Left <= 0 || r.Left > p.CheckIns.AtRiskWithin.D() {
				t.Fatalf("%s: %v left, outside (0, %v]", r.TicketID, r.Left, p.CheckIns.AtRiskWithin.D())
			}
		}
	})
}

package quality_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/quality"
)

var rubric = quality.Rubric{Scale: 4, Categories: []quality.Category{
	{ID: "diagnosis", Weight: 25, Labels: map[string]string{"en": "Diagnosis", "zh-CN": "问题诊断"}},
	{ID: "solution", Weight: 30, Critical: true, Labels: map[string]string{"en": "Solution", "zh-CN": "解决方案"}},
	{ID: "communication", Weight: 20, Labels: map[string]string{"en": "Communication", "zh-CN": "沟通"}},
	{ID: "follow_up", Weight: 15, Labels: map[string]string{"en": "Follow-up", "zh-CN": "跟进"}},
	{ID: "process", Weight: 10, Critical: true, Labels: map[string]string{"en": "Process", "zh-CN": "流程"}},
}}

func TestReviewScore(t *testing.T) {
	tests := []struct {
		name    string
		ratings quality.Ratings
		score   float64
		failed  []string
		err     string
	}{
		{"all top marks", quality.Ratings{"diagnosis": 4, "solution": 4, "communication": 4, "follow_up": 4, "process": 4}, 100, nil, ""},
		// (25·3 + 30·4 + 20·2 + 15·4 + 10·4) / 4 / 100 = 335 / 400 = 83.75
		{"the weighted mean over the scale", quality.Ratings{"diagnosis": 3, "solution": 4, "communication": 2, "follow_up": 4, "process": 4}, 83.75, nil, ""},
		// A failed category that is not critical costs its weight only:
		// (25·4 + 30·4 + 20·4 + 0 + 10·4) / 400 = 85.
		{"a failed category", quality.Ratings{"diagnosis": 4, "solution": 4, "communication": 4, "follow_up": 0, "process": 4}, 85, []string{"follow_up"}, ""},
		{"a failed critical category fails the review", quality.Ratings{"diagnosis": 4, "solution": 0, "communication": 4, "follow_up": 4, "process": 4}, 0, []string{"solution"}, ""},
		{"a category not rated", quality.Ratings{"diagnosis": 4, "solution": 4, "communication": 4, "follow_up": 4}, 0, nil, "process: not rated"},
		{"off the scale", quality.Ratings{"diagnosis": 5, "solution": 4, "communication": 4, "follow_up": 4, "process": 4}, 0, nil, "diagnosis: 5 is not from 0 to 4"},
		{"not a category", quality.Ratings{"diagnosis": 4, "solution": 4, "communication": 4, "follow_up": 4, "process": 4, "tone": 3}, 0, nil, "tone: not a category"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			score, failed, err := rubric.Score(tc.ratings)
			if tc.err != "" {
				if errcode.Code(err) != errcode.Invalid || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || score != tc.score || !slices.Equal(failed, tc.failed) {
				t.Errorf("got %v %v %v; want %v %v", score, failed, err, tc.score, tc.failed)
			}
		})
	}
}

func TestRubricValidation(t *testing.T) {
	bad := func(edit func(*quality.Rubric)) quality.Rubric {
		r := rubric
		r.Categories = slices.Clone(rubric.Categories)
		edit(&r)
		return r
	}
	tests := []struct {
		name string
		r    quality.Rubric
		want string
	}{
		{"the rubric of the tests", rubric, ""},
		{"scale 0", bad(func(r *quality.Rubric) { r.Scale = 0 }), "quality.scale:"},
		{"no categories", bad(func(r *quality.Rubric) { r.Categories = nil }), "quality.categories:"},
		{"a category twice", bad(func(r *quality.Rubric) { r.Categories[1].ID = "diagnosis" }), `quality.categories[1].id: "diagnosis" appears twice`},
		{"a weight of 0", bad(func(r *quality.Rubric) { r.Categories[2].Weight = 0 }), "quality.categories[2].weight:"},
		{"a label missing", bad(func(r *quality.Rubric) { r.Categories[3].Labels = map[string]string{"en": "x"} }), "quality.categories[3].labels: needs en and zh-CN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.Validate("quality")
			if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}

var oct = month.Month{Year: 2026, Month: time.October}

// candidates makes n tickets for each engineer, every k-th informative.
func candidates(engs []string, n, k int) []quality.Candidate {
	var out []quality.Candidate
	for _, e := range engs {
		for i := range n {
			out = append(out, quality.Candidate{Source: "zendesk", TicketID: fmt.Sprintf("%s-%d", e, i), EngineerID: e, Reopened: k > 0 && i%k == 0})
		}
	}
	return out
}

// The sample is the seed's: over random months, the same candidates in
// any order, with repeats, give the same picks; another seed gives others. Each engineer
// gets PerEngineer tickets (or all they have), round(PerEngineer ×
// InformativeShare) of them informative when they have that many, and
// DoubleShare of all the picks go to a second reviewer.
func TestSampleIsReproducibleAndStratified(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nEng := rapid.IntRange(1, 6).Draw(t, "engineers")
		var engs []string
		for i := range nEng {
			engs = append(engs, fmt.Sprintf("E%d", i))
		}
		per := rapid.IntRange(1, 8).Draw(t, "per engineer")
		share := float64(rapid.IntRange(0, 4).Draw(t, "informative quarters")) / 4
		double := float64(rapid.IntRange(0, 4).Draw(t, "double quarters")) / 4
		cands := candidates(engs, rapid.IntRange(0, 30).Draw(t, "tickets each"), rapid.IntRange(0, 5).Draw(t, "every k-th informative"))
		rules := quality.Rules{Seed: "s1", PerEngineer: per, InformativeShare: share, DoubleShare: double}
		m := month.Month{Year: rapid.IntRange(2024, 2030).Draw(t, "year"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, "month"))}
		picks := quality.Sample(rules, m, cands)

		shuffled := rapid.Permutation(append(slices.Clone(cands), cands[:rapid.IntRange(0, len(cands)).Draw(t, "repeats")]...)).Draw(t, "order")
		if diff := cmp.Diff(picks, quality.Sample(rules, m, shuffled)); diff != "" {
			t.Fatalf("shuffled, with repeats (-first +then):\n%s", diff)
		}
		wantInf := int(math.Round(float64(per) * share))
		doubles := 0
		for _, e := range engs {
			var mine []quality.Pick
			for _, p := range picks {
				if p.EngineerID == e {
					mine = append(mine, p)
				}
			}
			have, haveInf := 0, 0
			for _, c := range cands {
				if c.EngineerID == e {
					have++
					if c.Informative() {
						haveInf++
					}
				}
			}
			if len(mine) != min(per, have) {
				t.Fatalf("%s: %d picks of %d tickets, want %d", e, len(mine), have, min(per, have))
			}
			drawnInf, inf := 0, 0
			for _, p := range mine {
				if p.Drawn == quality.DrawnInformative {
					drawnInf++
					if !p.Informative() {
						t.Fatalf("%s: %s drawn as informative without a sign", e, p.TicketID)
					}
				}
				if p.Informative() {
					inf++
				}
				if p.Double {
					doubles++
				}
			}
			if drawnInf != min(wantInf, haveInf, len(mine)) {
				t.Fatalf("%s: %d drawn for their signs, want min(%d, %d informative, %d picks)", e, drawnInf, wantInf, haveInf, len(mine))
			}
			// Informative tickets are never left out in favour of random
			// ones while the informative share is unfilled.
			if inf < min(wantInf, haveInf) {
				t.Fatalf("%s: %d informative picks", e, inf)
			}
		}
		if want := 0; double > 0 && len(picks) > 0 {
			want = max(1, int(math.Round(float64(len(picks))*double)))
			if doubles != want {
				t.Fatalf("%d double picks of %d, want %d", doubles, len(picks), want)
			}
		} else if doubles != 0 {
			t.Fatalf("%d double picks with a double share of %v", doubles, double)
		}
	})
}

func TestAnotherSeedAnotherSample(t *testing.T) {
	cands := candidates([]string{"E1"}, 40, 0)
	a := quality.Sample(quality.Rules{Seed: "a", PerEngineer: 5}, oct, cands)
	b := quality.Sample(quality.Rules{Seed: "b", PerEngineer: 5}, oct, cands)
	c := quality.Sample(quality.Rules{Seed: "a", PerEngineer: 5}, oct.Add(1), cands)
	if cmp.Equal(a, b) || cmp.Equal(a, c) {
		t.Errorf("the same five tickets for another seed or month: %v / %v / %v", a, b, c)
	}
}

// Nobody reviews their own ticket or a ticket twice; a lead reviews their
// team's tickets, a lead's own tickets go to their manager; calibration
// picks get a second reviewer of the same kind; the load is even.
func TestAssignNeverSelf(t *testing.T) {
	engs := []directory.Engineer{
		{ID: "E1", Email: "ann@x", Team: "north", ManagerEmail: "lee@x"},
		{ID: "E2", Email: "bob@x", Team: "north", ManagerEmail: "lee@x"},
		{ID: "L1", Email: "lee@x", Team: "north", ManagerEmail: "boss@x"}, // the lead, also scored
		{ID: "E3", Email: "cat@x", Team: "south", ManagerEmail: "sue@x"},
		{ID: "E4", Email: "dan@x", Team: "south", ManagerEmail: "sue@x"},
		{ID: "E5", Email: "eve@x", Team: "west", ManagerEmail: "wu@x"},
	}
	var ids []string
	for _, e := range engs {
		ids = append(ids, e.ID)
	}
	rapid.Check(t, func(t *rapid.T) {
		rules := quality.Rules{Seed: rapid.StringMatching(`[a-z]{1,6}`).Draw(t, "seed"), PerEngineer: 3, InformativeShare: 0.5, DoubleShare: float64(rapid.IntRange(0, 4).Draw(t, "double quarters")) / 4}
		picks := quality.Sample(rules, oct, candidates(ids, rapid.IntRange(1, 6).Draw(t, "tickets"), 2))
		mode := rapid.SampledFrom([]string{quality.ByLead, quality.ByPeer}).Draw(t, "mode")
		as := quality.Assign(rules, mode, oct, picks, engs)
		if len(as) != len(picks) {
			t.Fatalf("%d assignments of %d picks", len(as), len(picks))
		}
		load := map[string]int{}
		for _, a := range as {
			var own directory.Engineer
			for _, e := range engs {
				if e.ID == a.EngineerID {
					own = e
				}
			}
			want := 1
			if a.Double {
				want = 2
			}
			if len(a.Reviewers) != want || (len(a.Reviewers) == 2 && a.Reviewers[0] == a.Reviewers[1]) {
				t.Fatalf("%s: reviewers %v, double %v", a.TicketID, a.Reviewers, a.Double)
			}
			for _, r := range a.Reviewers {
				if r == own.Email {
					t.Fatalf("%s reviews their own ticket %s", r, a.TicketID)
				}
			}
			if mode == quality.ByLead && a.Reviewers[0] != own.ManagerEmail {
				t.Fatalf("%s's ticket reviewed by %s, not their lead %s", a.EngineerID, a.Reviewers[0], own.ManagerEmail)
			}
			if mode == quality.ByPeer {
				for _, r := range a.Reviewers {
					for _, e := range engs {
						if e.Email == r && e.Team == own.Team {
							t.Fatalf("%s's ticket reviewed by %s of their own team", a.EngineerID, r)
						}
					}
					load[r]++
				}
			}
		}
		// Peers share the work: no one has two more than another who
		// could have taken the same tickets (every engineer of the west
		// team may review every other team's tickets).
		if mode == quality.ByPeer && len(load) > 1 {
			lo, hi := math.MaxInt, 0
			for _, n := range load {
				lo, hi = min(lo, n), max(hi, n)
			}
			if hi > 3*lo+3 {
				t.Fatalf("uneven load %v", load)
			}
		}
	})
}

// Calibration worked by hand. Lee and Sue both review ticket 1 (80 and
// 60) and ticket 2 (90 and 50); Lee alone ticket 3 (100). The north
// team's reviews: 80, 60, 90, 50, 100 → mean 76.
//
//	Lee: mean (80+90+100)/3 = 90; pairs 2, |80−60| and |90−50| → 30, bias +30;
//	     team diff (|80−76| + |90−76| + |100−76|)/3 = (4+14+24)/3 = 14
//	Sue: mean 55; pairs 2, diff 30, bias −30; team diff (16+26)/2 = 21
//
// IQS: ticket 1 (80+60)/2 = 70, ticket 2 70, ticket 3 100.
func TestCalibrationByHand(t *testing.T) {
	rv := func(ticket, who string, score float64) quality.Review {
		return quality.Review{Month: oct, EngineerID: "E1", Team: "north", Source: "jira", TicketID: ticket, Reviewer: who, Score: score}
	}
	reviews := []quality.Review{rv("1", "lee", 80), rv("1", "sue", 60), rv("2", "lee", 90), rv("2", "sue", 50), rv("3", "lee", 100)}
	want := []quality.Alignment{
		{Reviewer: "lee", Reviews: 3, Mean: 90, Pairs: 2, DiffOther: 30, BiasOther: 30, DiffTeam: 14},
		{Reviewer: "sue", Reviews: 2, Mean: 55, Pairs: 2, DiffOther: 30, BiasOther: -30, DiffTeam: 21},
	}
	if diff := cmp.Diff(want, quality.Calibrate(reviews)); diff != "" {
		t.Errorf("alignment (-want +got):\n%s", diff)
	}
	iqs := quality.IQS(reviews)["E1"]
	if len(iqs) != 3 || iqs[0].Score != 70 || iqs[0].Reviews != 2 || iqs[1].Score != 70 || iqs[2].Score != 100 {
		t.Errorf("IQS tickets %+v", iqs)
	}
}

// The candidates are the tickets each engineer resolved in the month, with
// the signs their other metrics counted.
func TestCandidatesFromTheRunsEvidence(t *testing.T) {
	c := func(eng, ticket string, id metric.ID, num, den float64, rating int) metric.Contribution {
		return metric.Contribution{EngineerID: eng, Metric: id, Source: "zendesk", TicketID: ticket, Num: num, Den: den, Rating: rating}
	}
	ev := []metric.Contribution{
		c("E1", "1", metric.CompletionRate, 1, 1, 0),
		c("E1", "1", metric.CSATScore, 25, 1, 2), // rated 2: low
		c("E1", "2", metric.CompletionRate, 1, 1, 0),
		c("E1", "2", metric.ResolutionSLARate, 0, 1, 0),     // breached
		c("E1", "2", metric.ResolutionSuccessRate, 0, 1, 0), // reopened
		c("E1", "3", metric.CompletionRate, 0, 1, 0),        // due, not resolved: not a candidate
		c("E1", "3", metric.ResolutionSLARate, 0, 1, 0),
		c("E2", "4", metric.CompletionRate, 1, 1, 0),
		c("E2", "4", metric.ComplaintRate, 1, 1, 0),       // a complaint
		c("E2", "4", metric.CSATScore, 75, 1, 4),          // rated 4: not low
		c("E2", "5", metric.FirstResponse1hRate, 1, 1, 0), // answered, not resolved by E2
	}
	want := []quality.Candidate{
		{Source: "zendesk", TicketID: "1", EngineerID: "E1", LowRating: true},
		{Source: "zendesk", TicketID: "2", EngineerID: "E1", Reopened: true, Breached: true},
		{Source: "zendesk", TicketID: "4", EngineerID: "E2", Complaint: true},
	}
	if diff := cmp.Diff(want, quality.FromEvidence(ev, 2)); diff != "" {
		t.Errorf("candidates (-want +got):\n%s", diff)
	}
}

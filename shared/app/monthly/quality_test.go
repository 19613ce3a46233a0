package monthly_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"scorecard/shared/app/monthly"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/quality"
	"scorecard/shared/core/scoring"
)

var noMail = false

// TestQualityReviewsCountInTheRun: Ann's October, every ticket metric at
// target (composite 100), with three reviewed tickets — X reviewed twice
// for calibration, 0 (a critical category failed) and 80, so 40; Y 100;
// Z 85 — has an IQS of (40 + 100 + 85) / 3 = 75: (75 − 50) / 35 = 71.43
// points, problem resolution (4 × 100 + 71.43) / 5 = 94.29, composite
// (30 × 100 + 25 × 94.29 + 20 × 100) / 75 = 98.10. A dispute of X's review
// accepted takes X out: (100 + 85) / 2 = 92.5, at target, composite 100.
func TestQualityReviewsCountInTheRun(t *testing.T) {
	st, _, r := setup(t)
	ctx := context.Background()
	rv := func(ticket, who string, score float64) quality.Review {
		return quality.Review{Month: oct, EngineerID: "E1", Team: "north", Source: "generic", TicketID: ticket, Reviewer: who, Score: score}
	}
	st.reviews = map[month.Month][]quality.Review{oct: {rv("X", "lee@example.com", 0), rv("X", "sue@example.com", 80), rv("Y", "lee@example.com", 100), rv("Z", "lee@example.com", 85)}}
	ann := func() scoring.Card {
		for _, c := range st.results[oct] {
			if c.EngineerID == "E1" {
				return c
			}
		}
		t.Fatal("no card for Ann")
		return scoring.Card{}
	}
	if _, err := r.Run(ctx, monthly.Request{Month: oct.String(), Mail: &noMail}); err != nil {
		t.Fatal(err)
	}
	c := ann()
	iqs := c.Metrics[metric.QualityReviewScore]
	if iqs.Value == nil || *iqs.Value != 75 || iqs.N != 3 || math.Abs(*c.Composite-98.10) > 0.005 {
		t.Fatalf("IQS %v (n %d), composite %v; want 75, 3, 98.10", iqs.Value, iqs.N, *c.Composite)
	}
	st.exclusions = map[month.Month][]metric.Exclusion{oct: {{EngineerID: "E1", Metric: metric.QualityReviewScore, Source: "generic", TicketID: "X", By: "boss@example.com", Reason: "reviewed the wrong conversation"}}}
	if _, err := r.Run(ctx, monthly.Request{Month: oct.String(), Mail: &noMail, Force: true}); err != nil {
		t.Fatal(err)
	}
	c = ann()
	if iqs := c.Metrics[metric.QualityReviewScore]; *iqs.Value != 92.5 || iqs.N != 2 || *c.Composite != 100 {
		t.Errorf("after the dispute: IQS %v (n %d), composite %v; want 92.5, 2, 100", *iqs.Value, iqs.N, *c.Composite)
	}
	// The lead's report shows the reviewers' calibration of the month
	// before (a month's tickets are reviewed after its run): September's
	// reviews, the same four here. On ticket X Lee gave 0 and Sue 80 (Lee
	// 80 harsher).
	for _, x := range st.reviews[oct] {
		x.Month = sep
		st.reviews[sep] = append(st.reviews[sep], x)
	}
	files := map[string]string{}
	r.Out = func(name string, data []byte) error { files[name] = string(data); return nil }
	if _, err := r.Run(ctx, monthly.Request{Month: oct.String(), Force: true}); err != nil {
		t.Fatal(err)
	}
	html := files[oct.String()+"/team-north.html"]
	for _, want := range []string{"Quality reviewers: calibration — September 2026", "lee@example.com", "sue@example.com", "-80.0", "harsher", "softer"} {
		if !strings.Contains(html, want) {
			t.Errorf("the team report misses %q", want)
		}
	}
}

// noQualityReviews is the default policy without quality reviews.
func noQualityReviews(t *testing.T) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte("base: default\nversion: no-reviews\nquality: {enabled: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReviewsDrawnOnceAndCounted: after October's run the follow-up draws
// its sample — four of each engineer's resolved tickets, assigned to their
// lead — and mails the lead once; a second follow-up draws and mails
// nothing. A review that comes in is counted by the next follow-up, which
// scores October again.
func TestReviewsDrawnOnceAndCounted(t *testing.T) {
	st, ml, r := setup(t)
	ctx := context.Background()
	r.Key, r.BaseURL = []byte("k"), "https://scorecard.example.com"
	r.Policy = noDisputeWindow(t)
	if _, err := r.Run(ctx, monthly.Request{Month: oct.String()}); err != nil {
		t.Fatal(err)
	}
	ml.sent = nil
	fu, err := r.FollowUp(ctx)
	if err != nil || fu.ReviewsAssigned != 8 || len(fu.Rescored) != 0 {
		t.Fatalf("%s, %v; want 8 tickets assigned, nothing rescored", fu, err)
	}
	as := st.assignments[oct]
	for _, a := range as {
		if len(a.Reviewers) != 1 || a.Reviewers[0] != "lead@example.com" {
			t.Errorf("%s %s: reviewers %v", a.EngineerID, a.TicketID, a.Reviewers)
		}
	}
	if len(ml.sent) != 1 || !strings.HasPrefix(ml.sent[0], "lead@example.com | ") {
		t.Fatalf("mails %v; want one to the lead", ml.sent)
	}
	again, err := r.FollowUp(ctx)
	if err != nil || again.ReviewsAssigned != 0 || len(ml.sent) != 1 {
		t.Fatalf("again: %s, %v, %d mails", again, err, len(ml.sent))
	}
	a := as[0]
	st.reviews = map[month.Month][]quality.Review{oct: {{Month: oct, EngineerID: a.EngineerID, Team: "north", Source: a.Source, TicketID: a.TicketID, Reviewer: "lead@example.com", Score: 0, Failed: []string{"solution"}}}}
	fu, err = r.FollowUp(ctx)
	if err != nil || len(fu.Rescored) != 1 || st.runs[oct].Reviews != 1 {
		t.Fatalf("%s, %v; run counted %d reviews", fu, err, st.runs[oct].Reviews)
	}
	for _, c := range st.results[oct] {
		if c.EngineerID == a.EngineerID {
			if v := c.Metrics[metric.QualityReviewScore].Value; v == nil || *v != 0 {
				t.Errorf("%s's quality after the review: %v", a.EngineerID, v)
			}
		}
	}
}

// noDisputeWindow is the default policy with a dispute window of a day,
// so the follow-up runs (it is the disputes' and the reviews' follow-up).
func noDisputeWindow(t *testing.T) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte("base: default\nversion: short-window\ndisputes: {window_working_days: 1, settle_working_days: 1, per_engineer_month: 5}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReviewReminderOnce: a day before the reviews are due (the dispute
// window's close), the lead, with tickets left, is reminded once, of those
// left only.
func TestReviewReminderOnce(t *testing.T) {
	st, ml, r := setup(t)
	ctx := context.Background()
	r.Key, r.BaseURL = []byte("k"), "https://scorecard.example.com"
	r.Policy = noDisputeWindow(t) // one working day after the run on Sunday 1 November: due Tuesday 3rd, 00:00
	if _, err := r.Run(ctx, monthly.Request{Month: oct.String()}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.FollowUp(ctx); err != nil {
		t.Fatal(err)
	}
	a := st.assignments[oct][0]
	st.reviews = map[month.Month][]quality.Review{oct: {{Month: oct, EngineerID: a.EngineerID, Source: a.Source, TicketID: a.TicketID, Reviewer: "lead@example.com", Score: 90}}}
	ml.sent = nil
	loc := r.Policy.Location()
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 11, 1, 20, 0, 0, 0, loc), ""},                          // more than a day ahead
		{time.Date(2026, 11, 2, 9, 0, 0, 0, loc), "提醒：2026-11-02 前还有 7 张工单待质检"}, // within the day: the 7 left (the lead reads Chinese, the policy's)
		{time.Date(2026, 11, 2, 10, 0, 0, 0, loc), ""},                          // once
	} {
		r.Now = func() time.Time { return tc.at }
		ml.sent = nil
		if _, err := r.FollowUp(ctx); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(ml.sent, "\n")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: mails %q, want %q", tc.at, got, tc.want)
		}
	}
}

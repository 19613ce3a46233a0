package monthly

import (
	"context"
	"slices"
	"strings"

	"scorecard/shared/app/report"
	"scorecard/shared/app/reviewform"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/month"
	"scorecard/shared/core/quality"
)

// drawReviews draws month m's quality review sample once its run is done:
// the tickets each engineer resolved (from the run's evidence, one engineer
// at a time), sampled by the policy's seed, assigned to reviewers (never
// the engineer), stored — the first draw stands — and mailed, one mail per
// reviewer with a link per ticket, once. It returns how many tickets it
// assigned now (0 when the month was drawn before or reviews are off).
func (r *Runner) drawReviews(ctx context.Context, m month.Month, run Run) (int, error) {
	q := r.Policy.Quality
	if !q.Enabled || len(r.Key) == 0 || r.BaseURL == "" {
		return 0, nil
	}
	// A month scored from imported history is not reviewed: its tickets
	// are from before the product.
	deployed, ok, err := r.Store.DeployedAt(ctx)
	if err != nil {
		return 0, err
	}
	if ok && !m.End(r.Policy.Location()).After(deployed) {
		return 0, nil
	}
	as, err := r.Store.ReviewAssignments(ctx, m)
	if err != nil {
		return 0, err
	}
	engs, err := r.Store.Engineers(ctx)
	if err != nil {
		return 0, err
	}
	drawn := 0
	if len(as) == 0 {
		rules := q.Rules()
		var picks []quality.Pick
		for _, e := range engs {
			ev, err := r.Store.Evidence(ctx, m, e.ID, run.AsOf)
			if err != nil {
				return 0, err
			}
			picks = append(picks, quality.SampleEngineer(rules, m, quality.FromEvidence(ev, q.LowRating))...)
		}
		quality.MarkDouble(rules, m, picks)
		as = quality.Assign(rules, q.Reviewers, m, picks, engs)
		if err := r.Store.PutReviewAssignments(ctx, m, as); err != nil {
			return 0, err
		}
		drawn = len(as)
		r.Log.Info("quality reviews drawn", "month", m.String(), "tickets", len(as))
	}
	// The reviews are due when the dispute window closes (the warnings
	// go out then); after that there is nothing to mail, so later
	// follow-ups do not try the month's mail claims again.
	due := r.rules(run).WindowCloses()
	if !r.Now().Before(due) {
		return drawn, nil
	}
	// One mail per reviewer, once (a follow-up that failed midway sends
	// the rest next time).
	dir := directory.New(engs)
	byReviewer := map[string][]report.ReviewItem{}
	var order []string
	expires := r.Now().Add(reviewform.Lifetime)
	for _, a := range as {
		e, _ := dir.Get(a.EngineerID)
		for _, who := range a.Reviewers {
			link, err := reviewform.Link(r.Key, r.BaseURL, m, a, who, expires)
			if err != nil {
				return drawn, err
			}
			if _, ok := byReviewer[who]; !ok {
				order = append(order, who)
			}
			byReviewer[who] = append(byReviewer[who], report.ReviewItem{Engineer: e.Name, Source: a.Source, TicketID: a.TicketID, Link: link, Drawn: a.Drawn})
		}
	}
	// A reviewer with tickets left is reminded once, the policy's
	// reminder_before ahead.
	remind := !r.Now().Before(due.Add(-q.ReminderBefore.D()))
	var done []quality.Review
	if remind {
		if done, err = r.Store.Reviews(ctx, m); err != nil {
			return drawn, err
		}
	}
	p := r.post(ctx, false)
	for _, who := range order {
		locale := r.Policy.Locale
		for _, e := range engs {
			if strings.EqualFold(e.Email, who) && e.Locale != "" {
				locale = e.Locale
			}
		}
		items := byReviewer[who]
		loc := report.Locale(locale, r.Policy.Locale)
		p.send(m, "review#"+hash(who), []string{who}, func() (report.Mail, error) {
			return report.ReviewsRequested(m, items, loc, r.Policy, due, false)
		})
		if !remind {
			continue
		}
		var left []report.ReviewItem
		for _, it := range items {
			if !slices.ContainsFunc(done, func(x quality.Review) bool {
				return x.Reviewer == who && x.Source == it.Source && x.TicketID == it.TicketID
			}) {
				left = append(left, it)
			}
		}
		if len(left) > 0 {
			p.send(m, "review-reminder#"+hash(who), []string{who}, func() (report.Mail, error) {
				return report.ReviewsRequested(m, left, loc, r.Policy, due, true)
			})
		}
	}
	return drawn, p.err()
}

package demorun

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"scorecard/shared/app/evidencepage"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/monthly"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/scoring"
)

// DisputesPerMonth is how many of the month's engineers below the
// standard dispute a ticket; every other dispute is accepted.
const DisputesPerMonth = 4

// disputeMonth plays the days after a month's run: some engineers below
// the standard dispute a ticket that counted against them from their
// evidence page (the link their scorecard carries); the follow-up mails
// their leads, who accept every other dispute on the settle page; the
// follow-up rescores the month and answers the engineers; when the window
// has closed, the held warnings and position adjustments go out.
func (r *runner) disputeMonth(ctx context.Context, m month.Month, cards []scoring.Card, ms *MonthSummary) ([]scoring.Card, error) {
	if r.cfg.Policy.Disputes.WindowWorkingDays == 0 {
		return cards, nil
	}
	run, err := r.cfg.Store.GetRun(ctx, m)
	if err != nil {
		return nil, err
	}
	follow := &monthly.Runner{Store: r.cfg.Store, Mailer: &capture{next: r.cfg.Mailer, meter: r.meter}, Policy: r.cfg.Policy,
		Now: r.cfg.Clock.Now, Log: r.cfg.Log, Key: r.cfg.Secrets.SigningKey, BaseURL: r.cfg.Gateway}
	step := func(at time.Time) error {
		r.cfg.Clock.Set(at)
		sum, err := follow.FollowUp(ctx)
		ms.NoticesSent += sum.Notices
		ms.Withdrawn += sum.Withdrawn
		ms.Rescored += len(sum.Rescored)
		return err
	}
	day := run.Started.Add(26 * time.Hour)
	r.cfg.Clock.Set(day)
	below := slices.DeleteFunc(slices.Clone(cards), func(c scoring.Card) bool { return c.MeetsStandard == nil || *c.MeetsStandard })
	slices.SortFunc(below, func(a, b scoring.Card) int { return strings.Compare(a.EngineerID, b.EngineerID) })
	for _, c := range below {
		if ms.Disputes == DisputesPerMonth {
			break
		}
		ev, err := r.cfg.Store.Evidence(ctx, m, c.EngineerID, run.AsOf)
		if err != nil {
			return nil, err
		}
		j := slices.IndexFunc(ev, func(x metric.Contribution) bool {
			return (x.Metric == metric.ResolutionSLARate || x.Metric == metric.CompletionRate) && x.Num < x.Den
		})
		if j < 0 {
			continue
		}
		link, err := evidencepage.Link(r.cfg.Secrets.SigningKey, r.cfg.Gateway, m, c.EngineerID, m.End(r.loc).Add(evidencepage.Lifetime))
		if err != nil {
			return nil, err
		}
		tok := link[strings.LastIndex(link, "/")+1:]
		x := ev[j]
		if _, err := r.postForm(ctx, link, url.Values{"metric": {string(x.Metric)}, "source": {x.Source}, "ticket": {x.TicketID},
			"reason": {"not_mine"}, "comment": {"Reassigned to me by a trigger after the customer had gone quiet."}, "csrf": {httpapi.CSRF(r.cfg.Secrets.SigningKey, tok)}}); err != nil {
			return nil, fmt.Errorf("dispute of %s: %w", c.EngineerID, err)
		}
		ms.Disputes++
	}
	if err := step(day.Add(time.Hour)); err != nil { // the leads' mails
		return nil, err
	}
	settle := regexp.MustCompile(`href="([^"]+/d/[^"]+)"`)
	n := 0
	leadMails := follow.Mailer.(*capture).take()
	// The month's quality review sample went out with the same follow-up:
	// the leads review it.
	reviews, err := r.review(ctx, leadMails)
	if err != nil {
		return nil, err
	}
	ms.Reviews = reviews
	for _, sent := range leadMails {
		l := settle.FindStringSubmatch(sent.Mail.HTML)
		if l == nil {
			continue
		}
		n++
		decision, answer := "accept", "Agreed: the trigger reassigned it."
		if n%2 == 0 {
			decision, answer = "reject", "It was yours: you replied first."
		}
		tok := l[1][strings.LastIndex(l[1], "/")+1:]
		if _, err := r.postForm(ctx, l[1], url.Values{"decision": {decision}, "answer": {answer}, "csrf": {httpapi.CSRF(r.cfg.Secrets.SigningKey, tok)}}); err != nil {
			return nil, fmt.Errorf("settling a dispute: %w", err)
		}
		if decision == "accept" {
			ms.Accepted++
		} else {
			ms.Rejected++
		}
	}
	if err := step(day.Add(2 * time.Hour)); err != nil { // rescore, answers
		return nil, err
	}
	if err := step(run.Started.AddDate(0, 0, 12)); err != nil { // the window closed: held notices
		return nil, err
	}
	follow.Mailer.(*capture).take()
	r.progress("%s  disputes: %d opened from evidence pages, %d accepted, %d rejected; %d rescore(s); notices after the window: %d sent, %d withdrawn",
		m, ms.Disputes, ms.Accepted, ms.Rejected, ms.Rescored, ms.NoticesSent, ms.Withdrawn)
	r.progress("%s  quality reviews: %d sampled tickets reviewed by the leads from their mails (harshness %v)", m, ms.Reviews, Harshness)
	return r.cfg.Store.Results(ctx, m)
}

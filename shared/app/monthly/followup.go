package monthly

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"scorecard/shared/app/evidencepage"
	"scorecard/shared/app/report"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/scoring"
)

// The follow-up runs every few minutes (the DisputeFollowUp schedule,
// {"follow_up": true}) over the last three months that have run:
//
//  1. a month with an accepted dispute not yet applied is scored again
//     from the store with its exclusions (a new result version beside the
//     old), and so is every later month that has run, so that their
//     streaks and consequences follow;
//  2. each new dispute is mailed to its arbiter with the settle link, each
//     settled one to its engineer (accepted: with the month as it now
//     stands);
//  3. each warning or position adjustment held by the run is mailed once
//     the month's dispute window has closed and no dispute of the
//     engineer's months up to it is open (or the settling time is over);
//     a notice already mailed that a rescore took away is withdrawn.
//
// Every mail goes out once (the run's mail claims); a follow-up that fails
// midway is finished by the next.

// FollowUpMonths is how many months back the follow-up looks.
const FollowUpMonths = 3

// FollowUpSummary is what a follow-up did.
type FollowUpSummary struct {
	Months    []string `json:"months"`
	Rescored  []string `json:"rescored,omitempty"`
	Opened    int      `json:"disputes_mailed_to_leads"`
	Settled   int      `json:"disputes_mailed_to_engineers"`
	Notices   int      `json:"notices_sent"`
	Held      int      `json:"notices_held"`
	Withdrawn int      `json:"notices_withdrawn"`
	// ReviewsAssigned: sampled tickets of quality reviews drawn and mailed.
	ReviewsAssigned int `json:"reviews_assigned,omitempty"`
	Failed          int `json:"mails_failed"`
}

// String describes a follow-up for logs and the CLI.
func (s FollowUpSummary) String() string {
	return fmt.Sprintf("follow-up of %v: rescored %v; disputes mailed %d to leads, %d to engineers; notices %d sent, %d held, %d withdrawn; %d mails failed",
		s.Months, s.Rescored, s.Opened, s.Settled, s.Notices, s.Held, s.Withdrawn, s.Failed)
}

// rules are the policy's dispute rules for the month whose run is run.
func (r *Runner) rules(run Run) dispute.Rules {
	d := r.Policy.Disputes
	return dispute.Rules{Opened: run.Started, Location: r.Policy.Location(), WindowWorkingDays: d.WindowWorkingDays,
		SettleWorkingDays: d.SettleWorkingDays, PerEngineerMonth: d.PerEngineerMonth}
}

// openDisputes are the open disputes of m and the months before it that
// the follow-up looks at, by engineer.
func (r *Runner) openDisputes(ctx context.Context, m month.Month) (map[string][]dispute.Dispute, error) {
	out := map[string][]dispute.Dispute{}
	if !r.rules(Run{}).On() {
		return out, nil
	}
	for i := FollowUpMonths; i >= 0; i-- {
		ds, err := r.Store.Disputes(ctx, m.Add(-i))
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if d.Status == dispute.Open {
				out[d.EngineerID] = append(out[d.EngineerID], d)
			}
		}
	}
	return out, nil
}

type followed struct {
	m        month.Month
	run      Run
	disputes []dispute.Dispute
	reviews  int // quality reviews stored now
}

// FollowUp does the disputes' follow-up at the runner's Now.
func (r *Runner) FollowUp(ctx context.Context) (FollowUpSummary, error) {
	var sum FollowUpSummary
	now := r.Now()
	if !r.rules(Run{}).On() {
		return sum, nil
	}
	cur := month.Of(now, r.Policy.Location())
	var months []followed
	for i := FollowUpMonths; i >= 1; i-- {
		m := cur.Add(-i)
		run, err := r.Store.GetRun(ctx, m)
		switch {
		case errcode.Code(err) == errcode.NotFound:
			continue
		case err != nil:
			return sum, err
		case run.State != StateDone:
			continue // the run mails its own when it finishes
		}
		ds, err := r.Store.Disputes(ctx, m)
		if err != nil {
			return sum, err
		}
		rv, err := r.Store.Reviews(ctx, m)
		if err != nil {
			return sum, err
		}
		months = append(months, followed{m, run, ds, len(rv)})
		sum.Months = append(sum.Months, m.String())
	}

	// 0. Each month's quality review sample, drawn once and mailed to
	// its reviewers.
	for _, f := range months {
		n, err := r.drawReviews(ctx, f.m, f.run)
		if err != nil {
			return sum, err
		}
		sum.ReviewsAssigned += n
	}

	// 1. Rescore from the first month with an accepted dispute to apply,
	// or with quality reviews its stored scoring did not count.
	first := slices.IndexFunc(months, func(f followed) bool {
		return f.reviews != f.run.Reviews || slices.ContainsFunc(f.disputes, func(d dispute.Dispute) bool { return d.Status == dispute.Accepted && !d.Applied })
	})
	rescored := map[month.Month]bool{}
	changed := map[string]bool{} // engineers whose accepted disputes were applied now
	if first >= 0 {
		for _, f := range months[first:] {
			no := false
			if _, err := r.Run(ctx, Request{Month: f.m.String(), Force: true, Mail: &no}); err != nil {
				return sum, err
			}
			rescored[f.m] = true
			sum.Rescored = append(sum.Rescored, f.m.String())
		}
		for i := range months[first:] {
			f := &months[first+i]
			for j, d := range f.disputes {
				if d.Status == dispute.Accepted && !d.Applied {
					if err := r.Store.MarkDisputeApplied(ctx, d); err != nil {
						return sum, err
					}
					f.disputes[j].Applied = true
					changed[d.EngineerID] = true
				}
			}
		}
		r.Log.Info("months rescored for accepted disputes", "months", sum.Rescored, "engineers", len(changed))
	}

	engs, err := r.Store.Engineers(ctx)
	if err != nil {
		return sum, err
	}
	dir := directory.New(engs)
	p := r.post(ctx, false)
	cards := map[month.Month]map[string]scoring.Card{}
	cardsOf := func(m month.Month) (map[string]scoring.Card, error) {
		if c, ok := cards[m]; ok {
			return c, nil
		}
		cs, err := r.Store.Results(ctx, m)
		if err != nil {
			return nil, err
		}
		by := map[string]scoring.Card{}
		for _, c := range cs {
			by[c.EngineerID] = c
		}
		cards[m] = by
		return by, nil
	}

	// 2. The disputes' mails.
	for _, f := range months {
		for _, d := range f.disputes {
			e, _ := dir.Get(d.EngineerID)
			switch d.Status {
			case dispute.Open:
				before := p.sent
				p.send(f.m, "dispute#"+d.ID+"#opened", nonEmpty(d.Arbiter), func() (report.Mail, error) {
					link, err := r.settleLink(d)
					if err != nil {
						return report.Mail{}, err
					}
					return report.DisputeOpened(d, e, r.Policy.Locale, link)
				})
				sum.Opened += p.sent - before
			case dispute.Accepted, dispute.Rejected:
				by, err := cardsOf(f.m)
				if err != nil {
					return sum, err
				}
				before := p.sent
				p.send(f.m, "dispute#"+d.ID+"#settled", nonEmpty(e.Email), func() (report.Mail, error) {
					link, err := r.evidenceLink(f.m, d.EngineerID, false)
					if err != nil {
						return report.Mail{}, err
					}
					return report.DisputeSettled(d, by[d.EngineerID], e, report.Locale(e.Locale, r.Policy.Locale), link)
				})
				sum.Settled += p.sent - before
			}
		}
	}

	// 3. The held notices, and those a rescore took away.
	open := map[string]int{} // open disputes of the engineer's months so far
	for _, f := range months {
		for _, d := range f.disputes {
			if d.Status == dispute.Open {
				open[d.EngineerID]++
			}
		}
		rules := r.rules(f.run)
		if !rescored[f.m] && (now.Before(rules.WindowCloses()) || !f.run.NoticesDone.IsZero()) {
			continue // nothing falls due: still in the window, or all sent
		}
		failed := len(p.failed)
		by, err := cardsOf(f.m)
		if err != nil {
			return sum, err
		}
		for _, id := range sortedKeys(by) {
			c := by[id]
			if c.FromHistory {
				continue
			}
			e, _ := dir.Get(id)
			loc := report.Locale(e.Locale, r.Policy.Locale)
			has := map[consequence.Kind]bool{}
			for _, q := range c.Consequences {
				if !sanction(q.Kind) {
					continue
				}
				has[q.Kind] = true
				if !rules.NoticeDue(now, open[id]) {
					sum.Held++
					continue
				}
				before := p.sent
				r.notice(p, f.m, c, q, e, loc)
				sum.Notices += p.sent - before
			}
			if !changed[id] {
				continue
			}
			for _, k := range []consequence.Kind{consequence.Warning, consequence.PositionAdjustment} {
				if has[k] {
					continue
				}
				for _, who := range []string{"engineer", "manager"} {
					was, err := r.Store.MailSent(ctx, f.m, noticeKey(k, id, who))
					if err != nil {
						return sum, err
					}
					if !was {
						continue
					}
					to := nonEmpty(e.Email)
					if who == "manager" {
						to = nonEmpty(e.ManagerEmail)
					}
					before := p.sent
					p.send(f.m, "withdrawn#"+string(k)+"#"+id+"#"+who, to, func() (report.Mail, error) {
						return report.NoticeWithdrawn(c, k, e, loc)
					})
					sum.Withdrawn += p.sent - before
				}
			}
		}
		if !now.Before(rules.SettleBy()) && len(p.failed) == failed {
			run, err := r.Store.GetRun(ctx, f.m)
			if err != nil {
				return sum, err
			}
			run.NoticesDone = now
			if err := r.Store.PutRun(ctx, run); err != nil {
				return sum, err
			}
		}
	}
	sum.Failed = len(p.failed)
	if err := p.err(); err != nil {
		return sum, errors.Join(err)
	}
	return sum, nil
}

// settleLink is the signed link on which d's arbiter settles it.
func (r *Runner) settleLink(d dispute.Dispute) (string, error) {
	if len(r.Key) == 0 || r.BaseURL == "" {
		return "", errcode.Errorf(errcode.Internal, "dispute mails need the link-signing key and BASE_URL")
	}
	return evidencepage.SettleLink(r.Key, r.BaseURL, d, r.Now().Add(evidencepage.SettleLifetime))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

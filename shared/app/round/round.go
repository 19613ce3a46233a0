// Package round owns the month-end assessment round: on the policy's day
// (the last working day of the month) it creates a self-assessment for
// every engineer and one lead assessment per team lead covering all their
// engineers, mails each its link once, and sends one reminder before the
// deadline to those who have not answered. A daily schedule calls Tick;
// the CLI can start a round or send reminders by hand.
package round

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"scorecard/shared/app/assessmentform"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
)

// Store is what a round reads and writes.
type Store interface {
	Engineers(ctx context.Context) ([]directory.Engineer, error)
	PutAssessment(ctx context.Context, a assessment.Assessment) (created bool, err error)
	Assessments(ctx context.Context, m month.Month) ([]assessment.Assessment, error)
	MarkAssessment(ctx context.Context, a assessment.Assessment) error
}

// Mailer sends one mail.
type Mailer interface {
	Send(ctx context.Context, to []string, mail mail.Mail) (string, error)
}

// Round runs assessment rounds.
type Round struct {
	Store   Store
	Mailer  Mailer
	Policy  *policy.Policy
	Key     []byte // signs the links
	BaseURL string
	Now     func() time.Time
	Log     *slog.Logger
}

// Summary is what a call did.
type Summary struct {
	Month     string `json:"month"`
	Created   int    `json:"created"`
	Invited   int    `json:"invited"`
	Reminded  int    `json:"reminded"`
	Failed    int    `json:"failed"`
	Submitted int    `json:"submitted"`
}

func (s Summary) String() string {
	return fmt.Sprintf("%s: %d assessments created, %d invited, %d reminded, %d submitted, %d mails failed",
		s.Month, s.Created, s.Invited, s.Reminded, s.Submitted, s.Failed)
}

// Day is the round's first day in month m: the last working day (Monday to
// Friday) in the policy's time zone.
func Day(m month.Month, loc *time.Location) time.Time {
	d := m.End(loc).AddDate(0, 0, -1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// Deadline closes month m's round: the policy's delay after the month
// ends, before the monthly run reads the answers.
func (r *Round) Deadline(m month.Month) time.Time {
	return m.End(r.Policy.Location()).Add(r.Policy.Assessments.CloseAfterMonthEnd.D())
}

// Tick is the daily schedule's entry point: on the round's day it starts
// the round, and within the reminder window before the deadline it sends
// the reminders. Both are idempotent, so running it more often is harmless.
func (r *Round) Tick(ctx context.Context) (Summary, error) {
	now := r.Now()
	loc := r.Policy.Location()
	m := month.Of(now, loc)
	if now.Before(r.Deadline(m.Add(-1))) {
		m = m.Add(-1) // just after a month ended its round is still open
	}
	deadline := r.Deadline(m)
	sum := Summary{Month: m.String()}
	if now.Before(Day(m, loc)) || !now.Before(deadline) {
		return sum, nil
	}
	sum, err := r.Start(ctx, m)
	if err != nil {
		return sum, err
	}
	if !now.Before(deadline.Add(-r.Policy.Assessments.ReminderBefore.D())) {
		rs, err := r.Remind(ctx, m)
		sum.Reminded, sum.Submitted, sum.Failed = rs.Reminded, rs.Submitted, sum.Failed+rs.Failed
		return sum, err
	}
	return sum, nil
}

// Start creates month m's assessments and sends each invitation once.
func (r *Round) Start(ctx context.Context, m month.Month) (Summary, error) {
	sum := Summary{Month: m.String()}
	now := r.Now()
	deadline := r.Deadline(m)
	if !now.Before(deadline) {
		return sum, errcode.Errorf(errcode.Invalid, "the %s round closed at %s", m, deadline.Format(time.RFC3339))
	}
	engs, err := r.Store.Engineers(ctx)
	if err != nil {
		return sum, err
	}
	for _, a := range Plan(engs, m, deadline, r.Policy.Locale) {
		created, err := r.Store.PutAssessment(ctx, a)
		if err != nil {
			return sum, err
		}
		if created {
			sum.Created++
		}
	}
	all, err := r.Store.Assessments(ctx, m)
	if err != nil {
		return sum, err
	}
	for _, a := range all {
		if !a.InvitedAt.IsZero() || a.AssessorEmail == "" {
			continue
		}
		if err := r.mail(ctx, a, false); err != nil {
			sum.Failed++
			continue
		}
		a.InvitedAt = r.Now()
		if err := r.Store.MarkAssessment(ctx, a); err != nil {
			return sum, err
		}
		sum.Invited++
	}
	if sum.Failed > 0 {
		return sum, errcode.Errorf(errcode.Unavailable, "%d invitations failed; start the round again to send them", sum.Failed)
	}
	return sum, nil
}

// Remind sends one reminder to every assessor of month m who has not
// answered yet.
func (r *Round) Remind(ctx context.Context, m month.Month) (Summary, error) {
	sum := Summary{Month: m.String()}
	all, err := r.Store.Assessments(ctx, m)
	if err != nil {
		return sum, err
	}
	for _, a := range all {
		if !a.SubmittedAt.IsZero() {
			sum.Submitted++
			continue
		}
		if !a.RemindedAt.IsZero() || a.InvitedAt.IsZero() || !r.Now().Before(a.Deadline) {
			continue
		}
		if err := r.mail(ctx, a, true); err != nil {
			sum.Failed++
			continue
		}
		a.RemindedAt = r.Now()
		if err := r.Store.MarkAssessment(ctx, a); err != nil {
			return sum, err
		}
		sum.Reminded++
	}
	if sum.Failed > 0 {
		return sum, errcode.Errorf(errcode.Unavailable, "%d reminders failed; run the reminders again", sum.Failed)
	}
	return sum, nil
}

func (r *Round) mail(ctx context.Context, a assessment.Assessment, reminder bool) error {
	mail, err := assessmentform.Invitation(r.Key, r.BaseURL, a, r.Policy.Location(), reminder)
	if err != nil {
		return err
	}
	if _, err := r.Mailer.Send(ctx, []string{a.AssessorEmail}, mail); err != nil {
		r.Log.Error("assessment mail failed", "assessment", a.ID, "err", err)
		return err
	}
	return nil
}

// Plan lists month m's assessments: a self-assessment per engineer with an
// address, and a lead assessment per manager covering their engineers.
func Plan(engs []directory.Engineer, m month.Month, deadline time.Time, defaultLocale string) []assessment.Assessment {
	var out []assessment.Assessment
	leads := map[string][]directory.Engineer{}
	var order []string
	for _, e := range engs {
		loc := e.Locale
		if loc == "" {
			loc = defaultLocale
		}
		if e.Email != "" {
			out = append(out, assessment.Assessment{
				ID: assessment.ID(m, assessment.Self, e.ID), Month: m, Kind: assessment.Self,
				AssessorKey: e.ID, AssessorEmail: e.Email, AssessorName: e.Name, Locale: loc,
				Engineers: []assessment.Engineer{{ID: e.ID, Name: e.Name}}, Deadline: deadline,
			})
		}
		if e.ManagerEmail != "" {
			key := strings.ToLower(e.ManagerEmail)
			if _, ok := leads[key]; !ok {
				order = append(order, key)
			}
			leads[key] = append(leads[key], e)
		}
	}
	slices.Sort(order)
	for _, key := range order {
		team := leads[key]
		var list []assessment.Engineer
		for _, e := range team {
			list = append(list, assessment.Engineer{ID: e.ID, Name: e.Name})
		}
		out = append(out, assessment.Assessment{
			ID: assessment.ID(m, assessment.Lead, key), Month: m, Kind: assessment.Lead,
			AssessorKey: key, AssessorEmail: team[0].ManagerEmail, Locale: defaultLocale, Engineers: list, Deadline: deadline,
		})
	}
	return out
}

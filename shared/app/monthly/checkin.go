package monthly

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"scorecard/shared/app/report"
	"scorecard/shared/core/checkin"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/engine"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
)

// CheckInRequest asks for a mid-month check-in.
type CheckInRequest struct {
	// Month is YYYY-MM; "" is the month of AsOf.
	Month string
	// AsOf is the moment the month is scored as of, inside the month;
	// zero is now.
	AsOf time.Time
	// Mail sends the check-in's mails, each person once a day.
	Mail bool
}

// CheckInSummary is what a check-in did.
type CheckInSummary struct {
	Month     string    `json:"month"`
	Day       string    `json:"day,omitempty"` // "" when today is no check-in day
	AsOf      time.Time `json:"as_of,omitzero"`
	Engineers int       `json:"engineers"`
	Told      int       `json:"engineers_told"` // engineers the check-in mails
	Quiet     int       `json:"engineers_quiet"`
	Heading   int       `json:"heading_for_a_notice"` // warnings and position adjustments the month is heading for
	AtRisk    int       `json:"tickets_at_risk"`
	Teams     int       `json:"teams"`
	Sent      int       `json:"mails_sent"`
	Skipped   int       `json:"mails_already_sent"`
	Failed    int       `json:"mails_failed"`
}

func (s CheckInSummary) String() string {
	if s.Day == "" {
		return s.Month + ": no check-in today"
	}
	return fmt.Sprintf("%s check-in of %s: %d engineers, %d told, %d quiet, %d heading for a warning or position adjustment, %d tickets at risk; %d team summaries; mails %d sent, %d already sent, %d failed",
		s.Day, s.Month, s.Engineers, s.Told, s.Quiet, s.Heading, s.AtRisk, s.Teams, s.Sent, s.Skipped, s.Failed)
}

// CheckInTick is the daily schedule's entry point: on a check-in day of the
// policy (in its time zone) it checks the month in as of now and mails;
// any other day it does nothing. A rerun the same day mails nobody twice:
// once a day's check-in went out whole, a rerun (a schedule delivered
// twice) reads its mark and returns its summary, its mails counted as
// already sent, without reading the month again; after a failure it runs
// again and sends what is missing.
func (r *Runner) CheckInTick(ctx context.Context) (CheckInSummary, error) {
	now := r.Now()
	loc := r.Policy.Location()
	m := month.Of(now, loc)
	if !r.Policy.CheckInDay(now) {
		return CheckInSummary{Month: m.String()}, nil
	}
	day := now.In(loc).Format(time.DateOnly)
	b, done, err := r.Store.CheckInDone(ctx, m, day)
	if err != nil {
		return CheckInSummary{Month: m.String(), Day: day}, err
	}
	if done {
		var sum CheckInSummary
		if err := json.Unmarshal(b, &sum); err == nil {
			sum.Sent, sum.Skipped, sum.Failed = 0, sum.Sent+sum.Skipped, 0
			r.Log.Info("check-in done earlier today", "month", sum.Month, "day", sum.Day)
			return sum, nil
		}
		r.Log.Warn("the mark of today's check-in cannot be read; checking in again", "month", m.String(), "day", day, "err", err)
	}
	_, sum, err := r.CheckIn(ctx, CheckInRequest{AsOf: now, Mail: true})
	if err != nil || sum.Failed > 0 {
		return sum, err
	}
	if b, err = json.Marshal(sum); err == nil {
		err = r.Store.MarkCheckInDone(ctx, m, sum.Day, b)
	}
	if err != nil {
		r.Log.Warn("check-in done but not marked; a rerun today reads the month again and sends nothing", "month", sum.Month, "day", sum.Day, "err", err)
	}
	return sum, nil
}

// CheckIn scores the month so far as of a moment inside it, with the same
// engine and policy as the month-end run and projects it to the month's
// end; people inputs not in yet (the lead's assessment, records) are last
// month's (checkin.SoFar). With Mail it stores what it says of each engineer (the first of the
// day stands) and mails each engineer who is below the pass mark or has
// tickets about to breach, and each lead their team's outlook, each once a
// day; without, it is a preview. Nothing of it counts toward
// consequences: no result, history or evidence is written.
func (r *Runner) CheckIn(ctx context.Context, req CheckInRequest) (checkin.CheckIn, CheckInSummary, error) {
	loc := r.Policy.Location()
	asOf := req.AsOf
	if asOf.IsZero() {
		asOf = r.Now()
	}
	m := month.Of(asOf, loc)
	if req.Month != "" {
		var err error
		if m, err = month.Parse(req.Month); err != nil {
			return checkin.CheckIn{}, CheckInSummary{}, errcode.Errorf(errcode.Invalid, "month: %v", err)
		}
	}
	if !m.Contains(asOf, loc) {
		return checkin.CheckIn{}, CheckInSummary{}, errcode.Errorf(errcode.Invalid, "as of: %s is not in %s; a check-in looks at a month from inside it (give --as-of)", asOf.In(loc).Format(time.RFC3339), m)
	}
	people, _, err := r.people(ctx, m)
	if err != nil {
		return checkin.CheckIn{}, CheckInSummary{}, err
	}
	last, _, err := r.people(ctx, m.Add(-1))
	if err != nil {
		return checkin.CheckIn{}, CheckInSummary{}, err
	}
	people = checkin.SoFar(people, last)
	var watch *checkin.Watch
	in, readErr, err := r.engineInput(ctx, m, asOf, people, func(s *ticket.State) { watch.Add(s) })
	if err != nil {
		return checkin.CheckIn{}, CheckInSummary{}, err
	}
	dir := in.Directory
	watch = checkin.NewWatch(r.Policy, dir, asOf)
	cards, projected, stats, err := engine.RunProjected(in, checkin.Gone(m, asOf, loc))
	if rerr := readErr(); rerr != nil {
		return checkin.CheckIn{}, CheckInSummary{}, rerr
	}
	if err != nil {
		return checkin.CheckIn{}, CheckInSummary{}, err
	}
	r.unmapped(stats)
	ci := checkin.Build(checkin.Input{Policy: r.Policy, Month: m, AsOf: asOf, Directory: dir, Cards: cards, Projected: projected, History: in.History, Watch: watch})
	sum := CheckInSummary{Month: m.String(), Day: ci.Day(loc), AsOf: asOf, Engineers: len(ci.Engineers)}
	for _, e := range ci.Engineers {
		if e.Mail {
			sum.Told++
		} else {
			sum.Quiet++
		}
		if e.Heading != "" {
			sum.Heading++
		}
		sum.AtRisk += len(e.AtRisk)
	}
	r.Log.Info("check-in", "month", sum.Month, "day", sum.Day, "engineers", sum.Engineers, "told", sum.Told, "heading", sum.Heading, "at_risk", sum.AtRisk, "mail", req.Mail)
	if !req.Mail {
		return ci, sum, nil // a preview: nothing said, nothing stored
	}
	if err := r.Store.PutCheckIns(ctx, ci.Said(loc)); err != nil {
		return ci, sum, err
	}
	err = r.mailCheckIn(ctx, ci, cards, dir, &sum)
	return ci, sum, err
}

// mailCheckIn sends the check-in's mails, each once for its day: the
// engineers told, then one summary per team and lead.
func (r *Runner) mailCheckIn(ctx context.Context, ci checkin.CheckIn, cards []scoring.Card, dir *directory.Directory, sum *CheckInSummary) error {
	p := r.post(ctx, false)
	day := ci.Day(r.Policy.Location())
	byID := map[string]checkin.Engineer{}
	told := map[string]bool{}
	for _, e := range ci.Engineers {
		byID[e.EngineerID] = e
		if !e.Mail {
			continue
		}
		who, ok := dir.Get(e.EngineerID)
		if !ok || who.Email == "" {
			continue
		}
		told[e.EngineerID] = true
		p.send(ci.Month, "checkin#"+day+"#card#"+e.EngineerID, []string{who.Email}, func() (report.Mail, error) {
			return report.CheckInMail(ci, e, who, "", r.Policy)
		})
	}
	for _, t := range teams(cards, dir) {
		sum.Teams++
		ct := report.CheckInTeam{Name: t.Name, ManagerEmail: t.ManagerEmail, Locale: t.Locale, CheckIn: ci, Directory: t.Engineers, Policy: r.Policy, Told: told}
		for _, c := range t.Cards {
			ct.Engineers = append(ct.Engineers, byID[c.EngineerID])
		}
		p.send(ci.Month, "checkin#"+day+"#team#"+t.Name+"#"+hash(t.ManagerEmail), []string{t.ManagerEmail}, func() (report.Mail, error) {
			return report.CheckInTeamMail(ct)
		})
	}
	sum.Sent, sum.Skipped, sum.Failed = p.sent, p.skipped, len(p.failed)
	return p.err()
}

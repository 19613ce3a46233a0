package demorun

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"scorecard/shared/app/monthly"
	"scorecard/shared/core/checkin"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/month"
)

// CheckInHour is when the daily schedule fires (infra's default), in the
// policy's time zone.
const CheckInHour = 9

// CheckInSummary is one mid-month check-in of a demo month, as the mails
// that went out show it.
type CheckInSummary struct {
	Day string
	// Told are the engineers the check-in mailed (by the mails sent);
	// Quiet why the others were not (by the check-in).
	Told  []string
	Quiet map[string]string // engineer id → checkin.Quiet*
	// Heading are the engineers the month was heading for a warning or
	// position adjustment with, as of the check-in.
	Heading map[string]consequence.Kind
	// Leads is each team's summary, as text, by team; Teams each told
	// engineer's team. The mails are written as HTML under
	// Out/checkins/<day>/ (lead-<team>.html, engineer-<id>.html).
	Leads map[string]string
	Teams map[string]string
	Sent  int
	// Rerun is how many mails a second check-in later that day sent.
	Rerun int
}

// checkInTimes are month m's check-in moments: the policy's days at the
// schedule's hour.
func (r *runner) checkInTimes(m month.Month) []time.Time {
	p := r.cfg.Policy
	if !p.CheckIns.Enabled {
		return nil
	}
	var out []time.Time
	for _, d := range p.CheckIns.Days {
		out = append(out, time.Date(m.Year, m.Month, d, CheckInHour, 0, 0, 0, r.loc))
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// checkIn is the daily schedule's tick at a check-in moment, then again an
// hour later (a retried invocation): the second sends nothing.
func (r *runner) checkIn(ctx context.Context, m month.Month, at time.Time, ms *MonthSummary) error {
	mails := &capture{next: r.cfg.Mailer, meter: r.meter}
	run := &monthly.Runner{Store: r.cfg.Store, Mailer: mails, Policy: r.cfg.Policy, Now: r.cfg.Clock.Now, Log: r.cfg.Log}
	r.cfg.Clock.Set(at)
	t0 := time.Now()
	sum, err := run.CheckInTick(ctx)
	r.meter.add("monthly", time.Since(t0))
	if err != nil {
		return fmt.Errorf("check-in %s: %w", at.Format(time.DateOnly), err)
	}
	said, err := r.cfg.Store.CheckIns(ctx, m)
	if err != nil {
		return err
	}
	cs := CheckInSummary{Day: sum.Day, Sent: sum.Sent, Quiet: map[string]string{}, Heading: map[string]consequence.Kind{}, Leads: map[string]string{}}
	for _, s := range said {
		if s.Day != sum.Day {
			continue
		}
		if s.Quiet != "" {
			cs.Quiet[s.EngineerID] = s.Quiet
		}
		if s.Heading != "" {
			cs.Heading[s.EngineerID] = s.Heading
		}
	}
	byEmail, byManager := map[string]string{}, map[string]string{}
	cs.Teams = map[string]string{}
	for _, e := range r.org.Engineers {
		byEmail[strings.ToLower(e.Email)] = e.ID
		byManager[strings.ToLower(e.ManagerEmail)] = e.Team
		cs.Teams[e.ID] = e.Team
	}
	dir := filepath.Join(r.cfg.Out, "checkins", sum.Day)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, sent := range mails.take() {
		to := strings.ToLower(sent.To[0])
		file := ""
		if id, ok := byEmail[to]; ok {
			cs.Told = append(cs.Told, id)
			file = "engineer-" + fileName(id) + ".html"
		} else if team, ok := byManager[to]; ok {
			cs.Leads[team] = sent.Mail.Text
			file = "lead-" + fileName(team) + ".html"
		}
		if file != "" {
			if err := os.WriteFile(filepath.Join(dir, file), []byte(sent.Mail.HTML), 0o644); err != nil {
				return err
			}
		}
	}
	slices.Sort(cs.Told)
	r.cfg.Clock.Set(at.Add(time.Hour))
	t0 = time.Now()
	again, err := run.CheckInTick(ctx)
	r.meter.add("monthly", time.Since(t0))
	if err != nil {
		return err
	}
	cs.Rerun = again.Sent
	mails.take()
	ms.CheckIns = append(ms.CheckIns, cs)
	few := 0
	for _, q := range cs.Quiet {
		if q == checkin.QuietFewTickets {
			few++
		}
	}
	r.progress("%s  check-in %s: %d engineers told, %d quiet (%d with too few tickets), %d heading for a warning or position adjustment, %d team summaries; the rerun an hour later sent %d",
		m, cs.Day, len(cs.Told), len(cs.Quiet), few, len(cs.Heading), len(cs.Leads), cs.Rerun)
	return nil
}

// fileName keeps a team or engineer id safe as part of a file name.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == 0 {
			return '-'
		}
		return r
	}, s)
}

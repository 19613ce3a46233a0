// Package monthly owns the monthly run: for a month, read its tickets
// through the month index, score every engineer with the domain core under
// the policy, store the results and the history later months need, and
// mail each manager a team report, each engineer a scorecard and a notice
// for every warning or position adjustment — each mail once. A rerun gives
// the same stored results (the run's as-of time is fixed by its first
// start); a run that died midway continues where it stopped.
package monthly

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"strings"
	"time"

	"scorecard/shared/app/evidencepage"
	"scorecard/shared/app/report"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/checkin"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/engine"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/monthrun"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/quality"
	"scorecard/shared/core/records"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
)

// Run, its states and ErrMailClaimed live in package monthrun, which the
// store can import without the run's reporting libraries.
type Run = monthrun.Run

// Run states.
const (
	StateScoring = monthrun.StateScoring
	StateScored  = monthrun.StateScored
	StateDone    = monthrun.StateDone
)

// ErrMailClaimed is returned by Store.ClaimMail when the mail was already
// sent for the month.
var ErrMailClaimed = monthrun.ErrMailClaimed

// Store is what the run reads and writes.
type Store interface {
	MonthTickets(ctx context.Context, m month.Month) iter.Seq2[*ticket.State, error]
	// CarryOpen lists the tickets still open at the end of the month
	// before next in next's index (and marks it done), so that next's
	// run reads them though they have no event there.
	CarryOpen(ctx context.Context, next month.Month, open []ticket.Key) error
	Engineers(ctx context.Context) ([]directory.Engineer, error)
	History(ctx context.Context, months []month.Month) (map[string][]consequence.Record, error)
	Overrides(ctx context.Context, m month.Month) (map[string]*consequence.Override, error)
	PutResults(ctx context.Context, m month.Month, cards []scoring.Card) error
	GetRun(ctx context.Context, m month.Month) (Run, error)
	PutRun(ctx context.Context, r Run) error
	ClaimMail(ctx context.Context, m month.Month, key string, now time.Time, force bool) error
	MarkMailSent(ctx context.Context, m month.Month, key, messageID string, now time.Time) error
	ReleaseMail(ctx context.Context, m month.Month, key string) error
	Records(ctx context.Context, m month.Month) ([]records.Record, error)
	Assessments(ctx context.Context, m month.Month) ([]assessment.Assessment, error)
	// DeployedAt is when the product started (its first webhook or history
	// import); false before either.
	DeployedAt(ctx context.Context) (time.Time, bool, error)
	// PutEvidence stores chunks of every ticket's part in the engineers'
	// metrics, as the run of month m as of asOf counted them.
	PutEvidence(ctx context.Context, m month.Month, asOf time.Time, chunks []metric.Chunk) error
	// Exclusions are the month's tickets taken out of engineers' metrics.
	Exclusions(ctx context.Context, m month.Month) ([]metric.Exclusion, error)
	// Disputes are the month's disputes; an accepted one is marked
	// applied once its rescore is stored.
	Disputes(ctx context.Context, m month.Month) ([]dispute.Dispute, error)
	MarkDisputeApplied(ctx context.Context, d dispute.Dispute) error
	// Results are the month's stored cards; MailSent whether a mail key
	// of the month went out.
	Results(ctx context.Context, m month.Month) ([]scoring.Card, error)
	MailSent(ctx context.Context, m month.Month, key string) (bool, error)
	// KeepResults keeps month m's stored cards beside its results, under
	// the run as of asOf, before a rerun replaces them.
	KeepResults(ctx context.Context, m month.Month, asOf time.Time) error
	// PutCheckIns stores what a mid-month check-in said of each engineer
	// (the first check-in of a day stands).
	PutCheckIns(ctx context.Context, said []checkin.Said) error
	// MarkCheckInDone keeps the summary of day's check-in (YYYY-MM-DD)
	// once it mailed everyone it should (the first mark stands);
	// CheckInDone reads it back, ok false before.
	MarkCheckInDone(ctx context.Context, m month.Month, day string, summary []byte) error
	CheckInDone(ctx context.Context, m month.Month, day string) (summary []byte, ok bool, err error)
	// Reviews are the month's quality reviews of sampled tickets;
	// ReviewAssignments its sampled tickets and their reviewers, stored
	// once (PutReviewAssignments keeps a ticket's first); Evidence an
	// engineer's part in the month as the run as of asOf counted it.
	Reviews(ctx context.Context, m month.Month) ([]quality.Review, error)
	ReviewAssignments(ctx context.Context, m month.Month) ([]quality.Assignment, error)
	PutReviewAssignments(ctx context.Context, m month.Month, as []quality.Assignment) error
	Evidence(ctx context.Context, m month.Month, engineerID string, asOf time.Time) ([]metric.Contribution, error)
}

// Mailer sends one mail.
type Mailer interface {
	Send(ctx context.Context, to []string, mail report.Mail) (messageID string, err error)
}

// Runner runs months.
type Runner struct {
	Store  Store
	Mailer Mailer
	Policy *policy.Policy
	Now    func() time.Time
	Log    *slog.Logger
	// Out, when set, receives every report as files a person can open
	// (the local run writes them under out/).
	Out func(name string, data []byte) error
	// Rate is how many mails a second the run sends at most: the SES
	// account's maximum send rate (1 in the sandbox). 0 does not pace.
	Rate float64
	// Wait pauses between mails to keep to Rate; a timer on ctx when nil.
	Wait func(ctx context.Context, d time.Duration) error
	// EvidenceBuffer is how many contributions the run holds before it
	// stores some (0: EvidenceBuffer).
	EvidenceBuffer int
	// Key and BaseURL sign each scorecard's link to the engineer's
	// evidence page (shared/app/evidencepage); without them the scorecard
	// has no link.
	Key     []byte
	BaseURL string
}

// pace waits before every mail after the first, to keep to Rate.
func (r *Runner) pace(ctx context.Context, first bool) error {
	if first || r.Rate <= 0 {
		return nil
	}
	d := time.Duration(float64(time.Second) / r.Rate)
	if r.Wait != nil {
		return r.Wait(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Request asks for a month's run. The scheduler sends {} (the previous
// month in the policy's time zone); a person may name the month.
type Request struct {
	Month string `json:"month,omitempty"` // YYYY-MM
	Mail  *bool  `json:"mail,omitempty"`  // default true
	Force bool   `json:"force,omitempty"` // recompute as of now and send every mail again
	// FollowUp asks for the disputes' follow-up instead of a run (FollowUp).
	FollowUp bool `json:"follow_up,omitempty"`
}

// Summary is what a run did.
type Summary struct {
	Month     string `json:"month"`
	Engineers int    `json:"engineers"`
	Tickets   int    `json:"tickets"`
	Sent      int    `json:"mails_sent"`
	Skipped   int    `json:"mails_already_sent"`
	Failed    int    `json:"mails_failed"`
	Policy    string `json:"policy_version"`
	// FromHistory: the month ended before the product started; no warning
	// or position-adjustment notice was mailed for it.
	FromHistory bool `json:"from_history,omitempty"`
	// Held: warnings and position adjustments waiting for the dispute
	// window; the follow-up mails them.
	Held int `json:"notices_held,omitempty"`
}

// Handle is the Lambda entry point: an EventBridge Scheduler payload (any
// JSON object; its "month", "mail" and "force" are read when present) or a
// manual invocation.
func (r *Runner) Handle(ctx context.Context, payload json.RawMessage) (Summary, error) {
	var req Request
	if len(payload) > 0 && string(payload) != "null" {
		if err := json.Unmarshal(payload, &req); err != nil {
			return Summary{}, errcode.Errorf(errcode.Invalid, "payload: want {\"month\": \"YYYY-MM\", \"mail\": bool, \"force\": bool}")
		}
	}
	return r.Run(ctx, req)
}

// Run runs one month.
func (r *Runner) Run(ctx context.Context, req Request) (Summary, error) {
	now := r.Now()
	loc := r.Policy.Location()
	m := month.Of(now, loc).Add(-1)
	if req.Month != "" {
		var err error
		if m, err = month.Parse(req.Month); err != nil {
			return Summary{}, errcode.Errorf(errcode.Invalid, "month: %v", err)
		}
	}
	if !m.Before(month.Of(now, loc).Add(1)) {
		return Summary{}, errcode.Errorf(errcode.Invalid, "month: %s has not started", m)
	}
	run, err := r.Store.GetRun(ctx, m)
	switch {
	case errcode.Code(err) == errcode.NotFound:
		run = Run{Month: m, AsOf: now, Started: now}
	case err != nil:
		return Summary{}, err
	case req.Force:
		// A rescore (an exclusion, late events) keeps the cards it
		// replaces, under the run that stored them.
		if err := r.Store.KeepResults(ctx, m, run.AsOf); err != nil {
			return Summary{}, err
		}
		run.AsOf = now
	}
	run.State, run.Policy = StateScoring, r.Policy.Version
	if err := r.Store.PutRun(ctx, run); err != nil {
		return Summary{}, err
	}

	people, gaps, err := r.people(ctx, m)
	if err != nil {
		return Summary{}, err
	}
	reviews, err := r.Store.Reviews(ctx, m)
	if err != nil {
		return Summary{}, err
	}
	run.Reviews = len(reviews)
	cards, dir, history, tickets, err := r.score(ctx, m, run.AsOf, people)
	if err != nil {
		return Summary{}, err
	}
	run.Engineers, run.Tickets = len(cards), tickets
	// A month that ended before the product started was scored from
	// imported history: marked so, its consequences kept for the streaks.
	deployed, ok, err := r.Store.DeployedAt(ctx)
	if err != nil {
		return Summary{}, err
	}
	fromHistory := ok && !m.End(loc).After(deployed)
	for i := range cards {
		cards[i].FromHistory = fromHistory
	}
	if err := r.Store.PutResults(ctx, m, cards); err != nil {
		return Summary{}, err
	}
	run.State = StateScored
	if err := r.Store.PutRun(ctx, run); err != nil {
		return Summary{}, err
	}
	sum := Summary{Month: m.String(), Engineers: len(cards), Tickets: run.Tickets, Policy: r.Policy.Version, FromHistory: fromHistory}
	r.Log.Info("month scored", "month", m.String(), "engineers", len(cards), "tickets", run.Tickets)

	var mailErr error
	if req.Mail == nil || *req.Mail {
		mailErr = r.mail(ctx, m, run, cards, dir, history, gaps, req.Force, &sum)
	}
	run.Mails += sum.Sent
	if mailErr == nil {
		run.State, run.Finished = StateDone, r.Now()
	}
	if err := r.Store.PutRun(ctx, run); err != nil {
		return sum, err
	}
	return sum, mailErr
}

// score computes the month's cards and stores their evidence.
func (r *Runner) score(ctx context.Context, m month.Month, asOf time.Time, people map[string]metric.People) ([]scoring.Card, *directory.Directory, map[string][]consequence.Record, int, error) {
	// Once the month is over, the tickets still open are carried into the
	// next month's index.
	over := !asOf.Before(m.End(r.Policy.Location()))
	var open []ticket.Key
	see := func(s *ticket.State) {
		if over && !s.Status.Done() {
			open = append(open, ticket.Key{Source: s.Source, ID: s.ID})
		}
	}
	in, readErr, err := r.engineInput(ctx, m, asOf, people, see)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	sink := newEvidenceSink(ctx, r.Store.PutEvidence, m, asOf, r.EvidenceBuffer)
	defer sink.stop()
	in.Evidence = sink.add
	cards, stats, err := engine.Run(in)
	if err := readErr(); err != nil {
		return nil, nil, nil, 0, err
	}
	if err != nil {
		return nil, nil, nil, 0, err
	}
	if err := sink.close(); err != nil {
		return nil, nil, nil, 0, err
	}
	if over {
		if err := r.Store.CarryOpen(ctx, m.Add(1), open); err != nil {
			return nil, nil, nil, 0, err
		}
	}
	r.unmapped(stats)
	return cards, in.Directory, in.History, stats.Tickets, nil
}

func (r *Runner) unmapped(stats engine.Stats) {
	if n := len(stats.Unmapped); n > 0 {
		r.Log.Warn("agent ids not in the directory; their credits wait for a mapping", "agents", n)
	}
}

// engineInput is what the engine reads for month m as of asOf: the
// directory, a year of history, the overrides and exclusions, and the
// month's tickets from the store (see, when set, is shown each one).
// readErr tells, after the run, whether reading the tickets failed.
func (r *Runner) engineInput(ctx context.Context, m month.Month, asOf time.Time, people map[string]metric.People, see func(*ticket.State)) (in engine.Input, readErr func() error, err error) {
	engs, err := r.Store.Engineers(ctx)
	if err != nil {
		return in, nil, err
	}
	dir := directory.New(engs)
	// A year back covers the promotion window and the recognition year.
	var months []month.Month
	for i := 12; i >= 1; i-- {
		months = append(months, m.Add(-i))
	}
	history, err := r.Store.History(ctx, months)
	if err != nil {
		return in, nil, err
	}
	overrides, err := r.Store.Overrides(ctx, m)
	if err != nil {
		return in, nil, err
	}
	var failed error
	tickets := func(yield func(*ticket.State) bool) {
		for t, err := range r.Store.MonthTickets(ctx, m) {
			if err != nil {
				failed = err
				return
			}
			if see != nil {
				see(t)
			}
			if !yield(t) {
				return
			}
		}
	}
	xs, err := r.Store.Exclusions(ctx, m)
	if err != nil {
		return in, nil, err
	}
	excluded := metric.Exclusions{}
	for _, x := range xs {
		excluded[x.Key()] = true
	}
	in = engine.Input{
		Policy: r.Policy, Month: m, AsOf: asOf, Directory: dir, Tickets: tickets, History: history, Overrides: overrides, People: people,
		Exclusions: excluded,
	}
	return in, func() error { return failed }, nil
}

// post sends mails once each: a claim in the store before, the message id
// after; a failed send releases its claim so that a rerun tries again.
type post struct {
	r             *Runner
	ctx           context.Context
	force         bool
	attempts      int
	sent, skipped int
	failed        []string
}

func (r *Runner) post(ctx context.Context, force bool) *post {
	return &post{r: r, ctx: ctx, force: force}
}

// send sends month m's mail key to to, built by build, unless it went out.
func (p *post) send(m month.Month, key string, to []string, build func() (report.Mail, error)) {
	r, ctx := p.r, p.ctx
	if len(to) == 0 {
		return
	}
	if err := r.pace(ctx, p.attempts == 0); err != nil {
		p.failed = append(p.failed, key) // not claimed: a rerun sends it
		return
	}
	p.attempts++
	switch err := r.Store.ClaimMail(ctx, m, key, r.Now(), p.force); {
	case errors.Is(err, ErrMailClaimed):
		p.skipped++
		return
	case err != nil:
		p.failed = append(p.failed, key)
		return
	}
	mail, err := build()
	var id string
	if err == nil {
		id, err = r.Mailer.Send(ctx, to, mail)
	}
	if err != nil {
		r.Log.Error("mail failed", "key", key, "err", err)
		if rerr := r.Store.ReleaseMail(ctx, m, key); rerr != nil {
			// The claim stays: a rerun counts the mail as sent rather
			// than risk sending it twice (run-month --force resends).
			r.Log.Error("mail failed and its claim could not be released: it will not be sent again", "key", key, "err", rerr)
		}
		p.failed = append(p.failed, key)
		return
	}
	// The mail went out. Should marking it fail, its claim stays and
	// keeps a rerun from sending it again.
	if err := r.Store.MarkMailSent(ctx, m, key, id, r.Now()); err != nil {
		r.Log.Error("mail sent but not marked; its claim keeps it from being sent again", "key", key, "err", err)
	}
	p.sent++
}

func (p *post) err() error {
	if len(p.failed) > 0 {
		return errcode.Errorf(errcode.Unavailable, "%d mails failed; run the month again to send them", len(p.failed))
	}
	return nil
}

// sanction reports whether a consequence is mailed as a notice.
func sanction(k consequence.Kind) bool {
	return k == consequence.Warning || k == consequence.PositionAdjustment
}

func noticeKey(k consequence.Kind, engineerID, who string) string {
	return "notice#" + string(k) + "#" + engineerID + "#" + who
}

// notice sends the notice of q to the engineer and their manager.
func (r *Runner) notice(p *post, m month.Month, c scoring.Card, q consequence.Consequence, e directory.Engineer, loc string) {
	for _, who := range []string{"engineer", "manager"} {
		to := nonEmpty(e.Email)
		if who == "manager" {
			to = nonEmpty(e.ManagerEmail)
		}
		p.send(m, noticeKey(q.Kind, c.EngineerID, who), to, func() (report.Mail, error) {
			return report.Notice(c, q, e, loc, r.Policy)
		})
	}
}

// mail sends every mail of the month that has not gone out yet. Under a
// policy with disputes, warnings and position adjustments are held for
// the follow-up (FollowUp), which mails them when the window has closed.
func (r *Runner) mail(ctx context.Context, m month.Month, run Run, cards []scoring.Card, dir *directory.Directory, history map[string][]consequence.Record, gaps map[string][]report.Gap, force bool, sum *Summary) error {
	p := r.post(ctx, force)
	rules := r.rules(run)
	open, err := r.openDisputes(ctx, m)
	if err != nil {
		return err
	}
	// Calibration is of the month before's reviews: a month's sample is
	// drawn after its run and reviewed in the days after, so by this run
	// the month before's are in.
	reviews, err := r.Store.Reviews(ctx, m.Add(-1))
	if err != nil {
		return err
	}
	alignment := quality.Calibrate(reviews)
	held := map[string][]consequence.Kind{}
	if rules.On() {
		for _, c := range cards {
			for _, q := range c.Consequences {
				if sanction(q.Kind) && !c.FromHistory {
					held[c.EngineerID] = append(held[c.EngineerID], q.Kind)
				}
			}
		}
	}
	// Managers: one report per team and manager.
	for _, t := range teams(cards, dir) {
		t.Policy, t.Month = r.Policy, m
		t.Locale = report.Locale(t.Locale, r.Policy.Locale)
		t.Previous, t.Trend = previousAndTrend(t.Cards, history, m)
		t.Evidence = map[string]string{}
		t.Held, t.HeldUntil = map[string][]consequence.Kind{}, rules.LastDay()
		for _, c := range t.Cards {
			link, err := r.evidenceLink(m, c.EngineerID, true)
			if err != nil {
				return err
			}
			if link != "" {
				t.Evidence[c.EngineerID] = link
			}
			if ks := held[c.EngineerID]; len(ks) > 0 {
				t.Held[c.EngineerID] = ks
			}
			t.Disputes = append(t.Disputes, open[c.EngineerID]...)
		}
		for _, c := range t.Cards {
			t.Gaps = append(t.Gaps, gaps[c.EngineerID]...)
		}
		// The reviewers of the team's tickets, aligned over the month.
		t.CalibrationMonth = m.Add(-1)
		for _, a := range alignment {
			if slices.ContainsFunc(reviews, func(x quality.Review) bool { return x.Reviewer == a.Reviewer && t.Engineers[x.EngineerID].ID != "" }) {
				t.Calibration = append(t.Calibration, a)
			}
		}
		key := "team#" + t.Name + "#" + hash(t.ManagerEmail)
		p.send(m, key, []string{t.ManagerEmail}, func() (report.Mail, error) {
			mail, err := report.TeamReport(t)
			if err == nil && r.Out != nil {
				err = r.writeOut(m, "team-"+t.Name, mail)
			}
			return mail, err
		})
	}
	// Engineers: their scorecard, and a notice for each warning or position
	// adjustment to them and their manager.
	for _, c := range cards {
		e, _ := dir.Get(c.EngineerID)
		loc := report.Locale(e.Locale, r.Policy.Locale)
		p.send(m, "card#"+c.EngineerID, nonEmpty(e.Email), func() (report.Mail, error) {
			link, err := r.evidenceLink(m, c.EngineerID, false)
			if err != nil {
				return report.Mail{}, err
			}
			mail, err := report.ScorecardWithEvidence(c, e, loc, r.Policy, link)
			if err == nil && r.Out != nil {
				err = r.writeOut(m, "scorecard-"+c.EngineerID, mail)
			}
			return mail, err
		})
		for _, q := range c.Consequences {
			if !sanction(q.Kind) {
				continue
			}
			if c.FromHistory {
				// Nobody was told of the plan before it existed here.
				r.Log.Info("notice not mailed: the month is from history", "engineer", c.EngineerID, "kind", string(q.Kind))
				continue
			}
			if rules.On() {
				sum.Held++
				r.Log.Info("notice held for the dispute window", "engineer", c.EngineerID, "kind", string(q.Kind), "until", rules.LastDay())
				continue
			}
			r.notice(p, m, c, q, e, loc)
		}
	}
	sum.Sent, sum.Skipped, sum.Failed = p.sent, p.skipped, len(p.failed)
	return p.err()
}

// evidenceLink is the signed link to engineerID's evidence page of m, or
// "" when the run has no key or base URL to sign one with.
func (r *Runner) evidenceLink(m month.Month, engineerID string, manager bool) (string, error) {
	if len(r.Key) == 0 || r.BaseURL == "" {
		return "", nil
	}
	expires := m.End(r.Policy.Location()).Add(evidencepage.Lifetime)
	if manager {
		return evidencepage.ManagerLink(r.Key, r.BaseURL, m, engineerID, expires)
	}
	return evidencepage.Link(r.Key, r.BaseURL, m, engineerID, expires)
}

// people gathers the month's inputs that come from people: imported
// records, and the team lead's assessment of each engineer (attitude,
// problem solving, collaboration). Self-assessments are not scored; where
// both exist, each aspect's self and lead scores are returned for the
// report, which highlights gaps of 20 points or more.
func (r *Runner) people(ctx context.Context, m month.Month) (map[string]metric.People, map[string][]report.Gap, error) {
	recs, err := r.Store.Records(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	people := records.People(recs, m)
	asms, err := r.Store.Assessments(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	self := map[string]assessment.Scores{}
	lead := map[string]assessment.Scores{}
	for _, a := range asms {
		for id, sc := range a.Answers {
			switch a.Kind {
			case assessment.Lead:
				lead[id] = sc
			case assessment.Self:
				if id == a.AssessorKey {
					self[id] = sc
				}
			}
		}
	}
	// A lead assessment taken out by an accepted dispute does not count.
	xs, err := r.Store.Exclusions(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range xs {
		if x.Metric == dispute.LeadAssessment {
			delete(lead, x.EngineerID)
		}
	}
	for id, sc := range lead {
		p := people[id]
		p.LeadAttitude, p.LeadProblemSolving, p.LeadCollaboration = ptr(sc.Attitude), ptr(sc.ProblemSolving), ptr(sc.Collaboration)
		people[id] = p
	}
	// Quality reviews: each reviewed ticket's mean score (the engine
	// leaves out a ticket an accepted dispute took out).
	reviews, err := r.Store.Reviews(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	for id, tickets := range quality.IQS(reviews) {
		p := people[id]
		for _, t := range tickets {
			p.QualityReviews = append(p.QualityReviews, metric.ReviewedTicket{Source: t.Source, TicketID: t.TicketID, Score: t.Score})
		}
		people[id] = p
	}
	gaps := map[string][]report.Gap{}
	for id, s := range self {
		l, ok := lead[id]
		if !ok {
			continue
		}
		gaps[id] = []report.Gap{
			{EngineerID: id, Aspect: "attitude", Self: s.Attitude, Lead: l.Attitude},
			{EngineerID: id, Aspect: "problem_solving", Self: s.ProblemSolving, Lead: l.ProblemSolving},
			{EngineerID: id, Aspect: "collaboration", Self: s.Collaboration, Lead: l.Collaboration},
		}
	}
	return people, gaps, nil
}

func ptr[T any](v T) *T { return &v }

// teams groups the cards by team and manager, in a stable order.
func teams(cards []scoring.Card, dir *directory.Directory) []report.Team {
	type key struct{ team, manager string }
	byKey := map[key]*report.Team{}
	var order []key
	for _, c := range cards {
		e, ok := dir.Get(c.EngineerID)
		if !ok || e.ManagerEmail == "" {
			continue
		}
		k := key{e.Team, e.ManagerEmail}
		t := byKey[k]
		if t == nil {
			t = &report.Team{Name: e.Team, ManagerEmail: e.ManagerEmail, Engineers: map[string]directory.Engineer{}}
			byKey[k] = t
			order = append(order, k)
		}
		t.Cards = append(t.Cards, c)
		t.Engineers[e.ID] = e
		if t.Locale == "" {
			t.Locale = e.Locale
		}
	}
	slices.SortFunc(order, func(a, b key) int {
		return strings.Compare(a.team+"\x00"+a.manager, b.team+"\x00"+b.manager)
	})
	out := make([]report.Team, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out
}

// previousAndTrend derives last month's result and a six-month trend per
// engineer from the history.
func previousAndTrend(cards []scoring.Card, history map[string][]consequence.Record, m month.Month) (map[string]scoring.Card, map[string][]report.TrendPoint) {
	prev := map[string]scoring.Card{}
	trend := map[string][]report.TrendPoint{}
	for _, c := range cards {
		byMonth := map[month.Month]consequence.Record{}
		for _, rec := range history[c.EngineerID] {
			byMonth[rec.Month] = rec
		}
		if rec, ok := byMonth[m.Add(-1)]; ok {
			prev[c.EngineerID] = scoring.Card{EngineerID: c.EngineerID, Month: rec.Month, Composite: rec.Composite, Grade: rec.Grade, MeetsStandard: rec.MeetsStandard}
		}
		for i := 5; i >= 1; i-- {
			pm := m.Add(-i)
			if rec, ok := byMonth[pm]; ok {
				trend[c.EngineerID] = append(trend[c.EngineerID], report.TrendPoint{Month: pm, Composite: rec.Composite})
			}
		}
		trend[c.EngineerID] = append(trend[c.EngineerID], report.TrendPoint{Month: m, Composite: c.Composite})
	}
	return prev, trend
}

// writeOut writes a mail as an HTML file with its images beside it, and
// its attachments under their own names (the report names its workbook).
func (r *Runner) writeOut(m month.Month, name string, mail report.Mail) error {
	dir := m.String() + "/"
	html := mail.HTML
	for _, p := range mail.Inline {
		file := name + "-" + p.Filename
		html = strings.ReplaceAll(html, "cid:"+p.ContentID, file)
		if err := r.Out(dir+file, p.Data); err != nil {
			return err
		}
	}
	for _, p := range mail.Attachments {
		if err := r.Out(dir+p.Filename, p.Data); err != nil {
			return err
		}
	}
	return r.Out(dir+name+".html", []byte(html))
}

func nonEmpty(addr string) []string {
	if addr == "" {
		return nil
	}
	return []string{addr}
}

// hash keeps addresses out of keys and logs.
func hash(s string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(s)))
	return hex.EncodeToString(sum[:6])
}

// String describes a summary for logs and the CLI.
func (s Summary) String() string {
	line := fmt.Sprintf("%s: %d engineers, %d tickets; mails %d sent, %d already sent, %d failed (policy %s)",
		s.Month, s.Engineers, s.Tickets, s.Sent, s.Skipped, s.Failed, s.Policy)
	if s.FromHistory {
		line += "; scored from imported history, no notices"
	}
	if s.Held > 0 {
		line += fmt.Sprintf("; %d notices held for the dispute window", s.Held)
	}
	return line
}

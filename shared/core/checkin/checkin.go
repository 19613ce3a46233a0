package checkin

import (
	"cmp"
	"slices"
	"time"

	"scorecard/shared/core/calendar"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/core/ticket"
)

// Why an engineer is not mailed.
const (
	QuietOnLeave    = "on_leave"    // no tickets so far
	QuietFewTickets = "few_tickets" // fewer than check_ins.min_tickets so far
	QuietOnTrack    = "on_track"    // at the pass mark and nothing at risk
)

// MaxAtRisk bounds the at-risk tickets kept per engineer (soonest first).
const MaxAtRisk = 10

// CheckIn is one check-in of a month: every engineer's month so far.
type CheckIn struct {
	Month month.Month `json:"month"`
	AsOf  time.Time   `json:"as_of"`
	// Gone is the share of the month's calendar time gone by at AsOf.
	Gone          float64    `json:"gone"`
	PolicyVersion string     `json:"policy_version"`
	PassMark      float64    `json:"pass_mark"`
	MinTickets    int        `json:"min_tickets"`
	Engineers     []Engineer `json:"engineers"`
}

// Day is the check-in's date in the policy's zone (YYYY-MM-DD): a check-in
// mails each person at most once a day.
func (c CheckIn) Day(loc *time.Location) string { return c.AsOf.In(loc).Format(time.DateOnly) }

// Engineer is one engineer's month so far.
type Engineer struct {
	EngineerID string `json:"engineer_id"`
	Team       string `json:"team,omitempty"`
	Tickets    int    `json:"tickets"`
	// Composite, Grade and MeetsStandard are the month's if the rest of
	// it goes like the part gone (the composite so far, shrunk as the
	// month's end will shrink it); Below: that composite is under the
	// pass mark.
	Composite     *float64 `json:"composite"`
	Grade         string   `json:"grade,omitempty"`
	MeetsStandard *bool    `json:"meets_standard"`
	Below         bool     `json:"below"`
	// Outlooks are the ticket and survey metrics, those that move the
	// composite most first.
	Outlooks []Outlook `json:"outlooks"`
	AtRisk   []AtRisk  `json:"at_risk,omitempty"`
	// Heading is the warning or position adjustment the month would bring
	// if it ended as it stands, with the streak it would complete;
	// StreakBefore is the below-standard streak going into the month.
	Heading      consequence.Kind `json:"heading,omitempty"`
	Streak       int              `json:"streak,omitempty"`
	StreakBefore int              `json:"streak_before"`
	// Exempt: in the months after hire that bring mentoring, never a
	// warning.
	Exempt bool `json:"exempt,omitempty"`
	// Mail: the engineer is told; otherwise Quiet says why not.
	Mail  bool   `json:"mail"`
	Quiet string `json:"quiet,omitempty"`
}

// Top is the engineer's metrics that move the composite most and are not
// yet secured: at most n, each with something to gain.
func (e Engineer) Top(n int) []Outlook {
	var out []Outlook
	for _, o := range e.Outlooks {
		if len(out) == n {
			break
		}
		if o.State != Secured && o.Gain > 0 {
			out = append(out, o)
		}
	}
	return out
}

// AtRisk is an open ticket about to breach its SLA.
type AtRisk struct {
	Source   string         `json:"source"`
	TicketID string         `json:"ticket_id"`
	Priority event.Priority `json:"priority"`
	Deadline time.Time      `json:"deadline"`
	// Left is the working time to the deadline on the team's calendar.
	Left time.Duration `json:"left"`
}

// Watch finds, among ticket states as of a moment, the open tickets whose
// SLA falls due within a working-time horizon, per engineer assigned.
type Watch struct {
	p      *policy.Policy
	dir    *directory.Directory
	asOf   time.Time
	within time.Duration
	byEng  map[string][]AtRisk
}

// NewWatch watches for tickets due within p's check_ins.at_risk_within of asOf.
func NewWatch(p *policy.Policy, dir *directory.Directory, asOf time.Time) *Watch {
	return &Watch{p: p, dir: dir, asOf: asOf, within: p.CheckIns.AtRiskWithin.D(), byEng: map[string][]AtRisk{}}
}

// Add looks at one ticket: open and running (not pending) at the watch's
// moment, assigned to an engineer, its SLA deadline not yet passed and
// within the horizon of working time.
func (w *Watch) Add(s *ticket.State) {
	if !s.HasCreation() || s.CreatedAt.After(w.asOf) || !running(s.StatusAt(w.asOf)) {
		return
	}
	target, ok := w.p.SLA.Targets[string(s.Priority)]
	if !ok {
		return
	}
	e, ok := w.dir.Lookup(s.Source, s.AssigneeAt(w.asOf))
	if !ok {
		return
	}
	cal := w.p.CalendarFor(e.Team)
	if cal == nil {
		cal = calendar.TwentyFourSeven()
	}
	deadline, ok := calendar.Deadline(cal, until(s.Working(), w.asOf), target.D())
	if !ok || !deadline.After(w.asOf) {
		return // already breached: the month counts it as such
	}
	left := cal.Working(w.asOf, deadline)
	if left > w.within {
		return
	}
	list := slices.DeleteFunc(w.byEng[e.ID], func(r AtRisk) bool { return r.Source == s.Source && r.TicketID == s.ID }) // read twice: once
	list = append(list, AtRisk{Source: s.Source, TicketID: s.ID, Priority: s.Priority, Deadline: deadline, Left: left})
	slices.SortFunc(list, func(a, b AtRisk) int {
		return cmp.Or(a.Deadline.Compare(b.Deadline), cmp.Compare(a.Source, b.Source), cmp.Compare(a.TicketID, b.TicketID))
	})
	if len(list) > MaxAtRisk {
		list = list[:MaxAtRisk]
	}
	w.byEng[e.ID] = list
}

// For is an engineer's at-risk tickets, soonest first.
func (w *Watch) For(engineerID string) []AtRisk { return w.byEng[engineerID] }

// until is the ticket's running intervals as known at t: later ones
// dropped, the one running at t left open (its future is not known).
func until(ivs []calendar.Interval, t time.Time) []calendar.Interval {
	out := make([]calendar.Interval, 0, len(ivs))
	for _, iv := range ivs {
		if iv.Start.After(t) {
			break
		}
		if iv.End.IsZero() || iv.End.After(t) {
			iv.End = time.Time{}
		}
		out = append(out, iv)
	}
	return out
}

func running(s event.Status) bool {
	return s == event.StatusNew || s == event.StatusOpen || s == event.StatusOnHold || s == ""
}

// Input is what a check-in is built from.
type Input struct {
	Policy    *policy.Policy
	Month     month.Month
	AsOf      time.Time
	Directory *directory.Directory
	// Cards are the engine's cards for the month as of AsOf (so far);
	// Projected the same month as it ends if the rest goes like the part
	// gone (engine.RunProjected), with the consequences it would bring.
	// Without Projected the cards so far stand for it.
	Cards, Projected []scoring.Card
	// History is every engineer's earlier months (for the streak).
	History map[string][]consequence.Record
	Watch   *Watch
}

// Gone is the share of month m's calendar time gone by at t (0 to 1).
func Gone(m month.Month, t time.Time, loc *time.Location) float64 {
	start, end := m.Start(loc), m.End(loc)
	return max(0, min(1, float64(t.Sub(start))/float64(end.Sub(start))))
}

// Build projects every card.
func Build(in Input) CheckIn {
	p := in.Policy
	gone := Gone(in.Month, in.AsOf, p.Location())
	ci := CheckIn{Month: in.Month, AsOf: in.AsOf, Gone: gone, PolicyVersion: p.Version, PassMark: p.PassMark, MinTickets: p.CheckIns.MinTickets}
	projected := map[string]scoring.Card{}
	for _, c := range in.Projected {
		projected[c.EngineerID] = c
	}
	for _, c := range in.Cards {
		end, ok := projected[c.EngineerID]
		if !ok {
			end = c
		}
		e := Engineer{EngineerID: c.EngineerID, Team: c.Team, Tickets: c.Tickets, Composite: end.Composite, Grade: end.Grade, MeetsStandard: end.MeetsStandard}
		e.Below = end.Composite != nil && *end.Composite < p.PassMark
		e.Outlooks = outlooks(p, c, end, gone)
		if in.Watch != nil {
			e.AtRisk = in.Watch.For(c.EngineerID)
		}
		d, _ := in.Directory.Get(c.EngineerID)
		e.StreakBefore = consequence.StreakBefore(p.Rules(), consequence.Engineer{ID: d.ID, HireDate: d.HireDate, BaseBonus: d.BaseBonus}, in.History[c.EngineerID], in.Month)
		for _, q := range end.Consequences {
			switch q.Kind {
			case consequence.Warning, consequence.PositionAdjustment:
				e.Heading, e.Streak = q.Kind, q.Streak
			case consequence.Mentoring:
				e.Exempt = true
			}
		}
		switch {
		case c.Tickets == 0:
			e.Quiet = QuietOnLeave
		case c.Tickets < p.CheckIns.MinTickets:
			e.Quiet = QuietFewTickets
		case !e.Below && len(e.AtRisk) == 0:
			e.Quiet = QuietOnTrack
		default:
			e.Mail = true
		}
		ci.Engineers = append(ci.Engineers, e)
	}
	return ci
}

// SoFar is the people inputs a check-in scores with: this month's so far,
// and where one is not in yet (the lead's assessment comes at the month's
// end, records when they are imported), last month's — the best guess of
// where the month ends, and said so in the mails.
func SoFar(this, last map[string]metric.People) map[string]metric.People {
	out := make(map[string]metric.People, len(this)+len(last))
	for id, p := range last {
		out[id] = p
	}
	for id, p := range this {
		l := last[id]
		p.LeadProblemSolving = cmp.Or(p.LeadProblemSolving, l.LeadProblemSolving)
		p.LeadCollaboration = cmp.Or(p.LeadCollaboration, l.LeadCollaboration)
		p.LeadAttitude = cmp.Or(p.LeadAttitude, l.LeadAttitude)
		p.KnowledgeScore = cmp.Or(p.KnowledgeScore, l.KnowledgeScore)
		p.KnowledgeShares = cmp.Or(p.KnowledgeShares, l.KnowledgeShares)
		if p.TrainingHours == nil {
			p.TrainingHours, p.TrainingSessions = l.TrainingHours, l.TrainingSessions
		}
		if p.CoursesAssigned == 0 {
			p.CoursesAssigned, p.CoursesCompleted = l.CoursesAssigned, l.CoursesCompleted
		}
		if p.SkillSessionsHeld == 0 {
			p.SkillSessionsHeld, p.SkillSessionsAtt = l.SkillSessionsHeld, l.SkillSessionsAtt
		}
		if p.RenewalsDue == 0 {
			p.RenewalsDue, p.Renewed = l.RenewalsDue, l.Renewed
		}
		if len(p.QualityReviews) == 0 {
			p.QualityReviews = l.QualityReviews
		}
		out[id] = p
	}
	return out
}

// Said is what one check-in said of one engineer, as stored: the lead can
// look back at it; it never counts toward consequences.
type Said struct {
	Month         month.Month `json:"month"`
	Day           string      `json:"day"` // YYYY-MM-DD in the policy's zone
	AsOf          time.Time   `json:"as_of"`
	Gone          float64     `json:"gone"`
	PolicyVersion string      `json:"policy_version"`
	Engineer
}

// Said is every engineer's part of the check-in, as stored.
func (c CheckIn) Said(loc *time.Location) []Said {
	out := make([]Said, len(c.Engineers))
	for i, e := range c.Engineers {
		out[i] = Said{Month: c.Month, Day: c.Day(loc), AsOf: c.AsOf, Gone: c.Gone, PolicyVersion: c.PolicyVersion, Engineer: e}
	}
	return out
}

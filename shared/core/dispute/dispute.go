// Package dispute owns an engineer's dispute of their month's evidence
// (DESIGN "Evidence and disputes"): one ticket's place in one metric, or
// the month's lead assessment, with a reason and a comment; who settles it;
// the rules for opening one; and when a warning or position-adjustment
// notice may go out while disputes are possible. Pure: time is passed in.
//
// Decisions the design leaves open, made here:
//   - A dispute's id is derived from what it disputes (month, engineer,
//     metric, ticket), so the same place cannot be disputed twice and a
//     form posted twice opens one dispute.
//   - The arbiter is the engineer's manager address from the directory (the
//     lead who assesses them). An engineer whose manager address is their
//     own has no one to settle a dispute: it cannot be opened, and a link
//     that would let them settle their own is refused (Forbidden).
//   - The window counts working days Monday to Friday in the policy's time
//     zone from the day the month's scorecards went out; it closes at
//     midnight after the last. Holidays are not subtracted: the window is
//     the same length for every team.
//   - A notice waits until the window has closed; then for disputes still
//     open, at most SettleWorkingDays more. A dispute about an earlier
//     month holds a later month's notice too: the streak is built on it.
package dispute

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

// Reason is why the engineer disputes.
type Reason string

// Reasons.
const (
	NotMine     Reason = "not_mine"             // the ticket was not theirs (reassigned by a bot, worked by another)
	Duplicate   Reason = "duplicate"            // the customer opened the same request twice
	Unreachable Reason = "customer_unreachable" // the customer never answered
	SystemError Reason = "system_error"         // the ticketing system recorded it wrongly
	Other       Reason = "other"                // explained in the comment
)

// Reasons in the order the form offers them.
var Reasons = []Reason{NotMine, Duplicate, Unreachable, SystemError, Other}

// Valid reports whether r is one of Reasons.
func (r Reason) Valid() bool {
	for _, x := range Reasons {
		if r == x {
			return true
		}
	}
	return false
}

// Status is where a dispute is.
type Status string

// Statuses.
const (
	Open     Status = "open"
	Accepted Status = "accepted"
	Rejected Status = "rejected"
)

// LeadAssessment is the "metric" of a dispute of the whole month's lead
// assessment; its Source and TicketID are AssessmentSource and
// AssessmentTicket. Accepted, the lead's scores of the month do not count.
const LeadAssessment metric.ID = "lead_assessment"

// The source and ticket id of a lead-assessment dispute.
const (
	AssessmentSource = "assessment"
	AssessmentTicket = "lead"
)

// Limits of what an engineer and an arbiter type.
const (
	MaxComment = 2000 // characters
)

// Dispute is one engineer's dispute of one place in their month.
type Dispute struct {
	ID         string      `json:"id"`
	Month      month.Month `json:"month"`
	EngineerID string      `json:"engineer_id"`
	Metric     metric.ID   `json:"metric"`
	Source     string      `json:"source"`
	TicketID   string      `json:"ticket_id"`
	Reason     Reason      `json:"reason"`
	Comment    string      `json:"comment"`
	OpenedAt   time.Time   `json:"opened_at"`
	// Arbiter is who settles it: the engineer's manager address, lower case.
	Arbiter string `json:"arbiter"`
	Status  Status `json:"status"`
	// SettledBy, SettledAt and Answer: the arbiter's decision and why.
	SettledBy string    `json:"settled_by,omitempty"`
	SettledAt time.Time `json:"settled_at,omitzero"`
	Answer    string    `json:"answer,omitempty"`
	// Applied: an accepted dispute's rescore has been stored.
	Applied bool `json:"applied,omitempty"`
}

// ID is the id of the dispute of a place: the same place, the same id.
func ID(m month.Month, engineerID string, id metric.ID, source, ticketID string) string {
	sum := sha256.Sum256([]byte(m.String() + "\x00" + metric.ExclusionKey(engineerID, id, source, ticketID)))
	return hex.EncodeToString(sum[:8])
}

// Exclusion is what an accepted dispute takes out of the month.
func (d Dispute) Exclusion() metric.Exclusion {
	return metric.Exclusion{
		EngineerID: d.EngineerID, Metric: d.Metric, Source: d.Source, TicketID: d.TicketID,
		By: d.SettledBy, Reason: "dispute " + d.ID + " (" + string(d.Reason) + "): " + d.Answer, At: d.SettledAt,
	}
}

// Arbiter is who settles an engineer's disputes: their manager's address,
// lower case; "" when there is none or it is the engineer's own.
func Arbiter(engineerEmail, managerEmail string) string {
	mgr := strings.ToLower(strings.TrimSpace(managerEmail))
	if mgr == "" || mgr == strings.ToLower(strings.TrimSpace(engineerEmail)) {
		return ""
	}
	return mgr
}

// Rules are the policy's dispute rules with the month's dates.
type Rules struct {
	// Opened is when the month's scorecards went out.
	Opened time.Time
	// Location is the policy's time zone: working days are its weekdays.
	Location          *time.Location
	WindowWorkingDays int
	SettleWorkingDays int
	PerEngineerMonth  int
}

// On reports whether disputes are open at all under the policy.
func (r Rules) On() bool { return r.WindowWorkingDays > 0 }

// WindowCloses is when the month can no longer be disputed.
func (r Rules) WindowCloses() time.Time {
	return AfterWorkingDays(r.Opened, r.WindowWorkingDays, r.Location)
}

// LastDay is the window's last day, YYYY-MM-DD in the policy's zone.
func (r Rules) LastDay() string {
	return r.WindowCloses().Add(-time.Second).In(r.loc()).Format("2006-01-02")
}

// SettleBy is when a notice stops waiting for open disputes.
func (r Rules) SettleBy() time.Time {
	return AfterWorkingDays(r.Opened, r.WindowWorkingDays+r.SettleWorkingDays, r.Location)
}

// AfterWorkingDays is midnight (in loc) after the n-th weekday following
// t's day: AfterWorkingDays(a Friday, 1) is the Tuesday's start. n 0 is t.
func AfterWorkingDays(t time.Time, n int, loc *time.Location) time.Time {
	if n <= 0 {
		return t
	}
	if loc == nil {
		loc = time.UTC
	}
	y, mo, d := t.In(loc).Date()
	day := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return day.AddDate(0, 0, 1)
}

// NoticeDue reports whether a warning or position-adjustment notice of the
// month may go out at now, with open disputes of the engineer's months up
// to it still unsettled.
func (r Rules) NoticeDue(now time.Time, open int) bool {
	if !r.On() {
		return true
	}
	if now.Before(r.WindowCloses()) {
		return false
	}
	return open == 0 || !now.Before(r.SettleBy())
}

// Request is what an engineer asks for.
type Request struct {
	Metric   metric.ID
	Source   string
	TicketID string
	Reason   Reason
	Comment  string
}

// Facts are what the rules check a request against.
type Facts struct {
	Now           time.Time
	Month         month.Month
	EngineerID    string
	EngineerEmail string
	ManagerEmail  string
	// InMetric: the ticket counted in the metric in the month's stored
	// evidence (for LeadAssessment: the month has the lead's scores).
	InMetric bool
	// Existing are the engineer's disputes of the month.
	Existing []Dispute
}

// Open checks a request against the rules and returns the dispute to
// store. Its errors name the problem: Invalid (the form), NotFound (the
// ticket is not in the metric), Conflict (already disputed, the limit,
// nobody to settle it), Gone (the window has closed).
func (r Rules) Open(req Request, f Facts) (Dispute, error) {
	req.Comment = strings.TrimSpace(req.Comment)
	switch {
	case !r.On():
		return Dispute{}, errcode.Errorf(errcode.Gone, "disputes are not open under the policy")
	case !req.Reason.Valid():
		return Dispute{}, errcode.Errorf(errcode.Invalid, "reason: choose one of not_mine, duplicate, customer_unreachable, system_error, other")
	case req.Comment == "" && req.Reason == Other:
		return Dispute{}, errcode.Errorf(errcode.Invalid, "comment: say why when the reason is other")
	case utf8.RuneCountInString(req.Comment) > MaxComment || !utf8.ValidString(req.Comment):
		return Dispute{}, errcode.Errorf(errcode.Invalid, "comment: at most %d characters of text", MaxComment)
	case req.Metric == "" || req.Source == "" || req.TicketID == "":
		return Dispute{}, errcode.Errorf(errcode.Invalid, "what is disputed: a metric and a ticket are required")
	case !f.InMetric:
		if req.Metric == LeadAssessment {
			return Dispute{}, errcode.Errorf(errcode.NotFound, "the month has no lead assessment of yours to dispute")
		}
		return Dispute{}, errcode.Errorf(errcode.NotFound, "ticket %s/%s is not in your %s for %s", errcode.Clip(req.Source), errcode.Clip(req.TicketID), errcode.Clip(string(req.Metric)), f.Month)
	case !f.Now.Before(r.WindowCloses()):
		return Dispute{}, errcode.Errorf(errcode.Gone, "the dispute window for %s closed at the end of %s", f.Month, r.LastDay())
	}
	id := ID(f.Month, f.EngineerID, req.Metric, req.Source, req.TicketID)
	for _, d := range f.Existing {
		if d.ID == id {
			return Dispute{}, errcode.Errorf(errcode.Conflict, "you already disputed this on %s (%s)", d.OpenedAt.In(r.loc()).Format("2006-01-02"), d.Status)
		}
	}
	if len(f.Existing) >= r.PerEngineerMonth {
		return Dispute{}, errcode.Errorf(errcode.Conflict, "at most %d disputes a month: you have opened %d", r.PerEngineerMonth, len(f.Existing))
	}
	arbiter := Arbiter(f.EngineerEmail, f.ManagerEmail)
	if arbiter == "" {
		return Dispute{}, errcode.Errorf(errcode.Conflict, "no one to settle it: the directory names no manager for you other than yourself")
	}
	return Dispute{
		ID: id, Month: f.Month, EngineerID: f.EngineerID, Metric: req.Metric, Source: req.Source, TicketID: req.TicketID,
		Reason: req.Reason, Comment: req.Comment, OpenedAt: f.Now, Arbiter: arbiter, Status: Open,
	}, nil
}

func (r Rules) loc() *time.Location {
	if r.Location == nil {
		return time.UTC
	}
	return r.Location
}

// Decision is an arbiter's answer.
type Decision struct {
	Accept bool
	By     string // the arbiter's address
	Answer string
	At     time.Time
}

// Settle applies a decision to an open dispute. Errors: Conflict (already
// settled), Forbidden (not the arbiter, or the arbiter is the engineer),
// Invalid (a rejection without a reason, an answer too long).
func Settle(d Dispute, dec Decision, engineerEmail string) (Dispute, error) {
	by := strings.ToLower(strings.TrimSpace(dec.By))
	dec.Answer = strings.TrimSpace(dec.Answer)
	switch {
	case d.Status != Open:
		return Dispute{}, errcode.Errorf(errcode.Conflict, "this dispute was already %s on %s", d.Status, d.SettledAt.Format("2006-01-02"))
	case by != "" && by == strings.ToLower(strings.TrimSpace(engineerEmail)):
		return Dispute{}, errcode.Errorf(errcode.Forbidden, "a dispute about yourself is settled by your manager")
	case by == "" || by != d.Arbiter:
		return Dispute{}, errcode.Errorf(errcode.Forbidden, "only the engineer's manager in the directory settles this dispute")
	case !dec.Accept && dec.Answer == "":
		return Dispute{}, errcode.Errorf(errcode.Invalid, "answer: say why when rejecting")
	case utf8.RuneCountInString(dec.Answer) > MaxComment || !utf8.ValidString(dec.Answer):
		return Dispute{}, errcode.Errorf(errcode.Invalid, "answer: at most %d characters of text", MaxComment)
	}
	d.Status, d.SettledBy, d.SettledAt, d.Answer = Rejected, by, dec.At, dec.Answer
	if dec.Accept {
		d.Status = Accepted
	}
	return d, nil
}

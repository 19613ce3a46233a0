package evidencepage

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/wording"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/monthrun"
	"scorecard/shared/core/scoring"
)

// The engineer's link opens disputes (POST /e/{token}): one place — a
// ticket in a metric, or the month's lead assessment — with a reason and
// a comment, checked by core/dispute against the month's stored evidence
// and the policy, then stored for the monthly function's follow-up to
// mail the lead. The manager's link shows the same page without forms.

// Form fields.
const (
	fieldMetric  = "metric"
	fieldSource  = "source"
	fieldTicket  = "ticket"
	fieldReason  = "reason"
	fieldComment = "comment"
	fieldCSRF    = "csrf"
	maxForm      = 16 << 10
)

// disputeForm is the form for one place.
type disputeForm struct {
	Metric, Source, Ticket string
	What                   string // the place, in words
	Said                   string // what the ticket counted
	CSRF                   string
	Reasons                []reasonView
}

type reasonView struct{ Value, Label string }

// disputeView is one of the engineer's disputes, as listed.
type disputeView struct {
	What, Reason, Comment, Status, Answer string
	Open                                  bool
}

// rules are the policy's dispute rules for the month whose run is run.
func (h *Handler) rules(run monthrun.Run) dispute.Rules {
	return dispute.Rules{Opened: run.Started, Location: h.Location, WindowWorkingDays: h.Disputes.WindowWorkingDays,
		SettleWorkingDays: h.Disputes.SettleWorkingDays, PerEngineerMonth: h.Disputes.PerEngineerMonth}
}

func (h *Handler) engineerDisputes(ctx context.Context, m month.Month, engineerID string) ([]dispute.Dispute, error) {
	all, err := h.Store.Disputes(ctx, m)
	if err != nil {
		return nil, err
	}
	var out []dispute.Dispute
	for _, d := range all {
		if d.EngineerID == engineerID {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b dispute.Dispute) int { return a.OpenedAt.Compare(b.OpenedAt) })
	return out, nil
}

// hasLead reports whether the card has the lead's scores of the month.
func hasLead(c scoring.Card) bool {
	for _, id := range []metric.ID{metric.LeadAttitudeScore, metric.LeadProblemSolvingScore, metric.LeadCollaborationScore} {
		if r, ok := c.Metrics[id]; ok && r.Value != nil {
			return true
		}
	}
	return false
}

// place is what a request names: ?metric=&source=&ticket= or the form's
// fields.
type place struct {
	metric         metric.ID
	source, ticket string
}

// inMonth reports whether the place counted in the month's evidence (or,
// for the lead assessment, the card has the lead's scores), and what it
// counted.
func inMonth(p place, evidence []metric.Contribution, card scoring.Card, l *messages) (string, bool) {
	if p.metric == dispute.LeadAssessment {
		return l.LeadAssessment, p.source == dispute.AssessmentSource && p.ticket == dispute.AssessmentTicket && hasLead(card)
	}
	for _, c := range evidence {
		if c.Metric == p.metric && c.Source == p.source && c.TicketID == p.ticket {
			return l.said(c), true
		}
	}
	return "", false
}

// form is the dispute form the query asks for, when it may be shown.
func (h *Handler) form(v view, l *messages, loc string, evidence []metric.Contribution, card scoring.Card, can bool) (disputeForm, bool) {
	p := place{metric.ID(v.query[fieldMetric]), v.query[fieldSource], v.query[fieldTicket]}
	if !can || p.metric == "" {
		return disputeForm{}, false
	}
	said, ok := inMonth(p, evidence, card, l)
	if !ok {
		return disputeForm{}, false
	}
	f := disputeForm{Metric: string(p.metric), Source: p.source, Ticket: p.ticket, Said: said, CSRF: httpapi.CSRF(h.Key, v.token),
		What: l.what(loc, p.metric, p.source, p.ticket)}
	for _, r := range dispute.Reasons {
		f.Reasons = append(f.Reasons, reasonView{Value: string(r), Label: l.reason(r)})
	}
	return f, true
}

// open stores the dispute a POST asks for and sends the reader back to the
// page (303), or answers with the documented refusal: 403 for the
// manager's link or a form not from our page, 400 for the form, 404 for a
// place not in the month, 409 for one disputed already or past the limit,
// 410 once the window has closed. Nothing is stored on a refusal.
func (h *Handler) open(ctx context.Context, req events.APIGatewayV2HTTPRequest, r formkit.Request, v view) events.APIGatewayV2HTTPResponse {
	l := catalog(r.Lang)
	if !v.engineer {
		return h.refuse(l, errcode.Errorf(errcode.Forbidden, "only the engineer disputes their month; this is the manager's view"))
	}
	if !httpapi.SameOrigin(h.BaseURL, r.Headers) {
		return h.pages().Forbidden(l.Common, "origin", r.Headers.Get("Origin"), "engineer", v.engineerID)
	}
	body, err := formkit.ReadForm(req, r.Headers, maxForm)
	if err != nil {
		return h.refuse(l, err)
	}
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return h.refuse(l, errcode.Errorf(errcode.Invalid, "form: unreadable"))
	}
	if !httpapi.ValidCSRF(h.Key, v.token, vals.Get(fieldCSRF)) {
		return h.pages().Forbidden(l.Common, "csrf", "", "engineer", v.engineerID)
	}
	d, err := h.opened(ctx, v, vals)
	if err != nil {
		return h.refuse(l, err)
	}
	h.Logger().Info("dispute opened", "engineer", v.engineerID, "month", v.m.String(), "dispute", d.ID, "metric", string(d.Metric), "reason", string(d.Reason))
	// Relative to the page posted from, whatever prefix it is served under.
	resp := events.APIGatewayV2HTTPResponse{StatusCode: http.StatusSeeOther, Headers: httpapi.PageHeaders()}
	resp.Headers["Location"] = "?opened=" + d.ID
	return resp
}

// opened checks and stores the dispute a form asks for.
func (h *Handler) opened(ctx context.Context, v view, vals url.Values) (dispute.Dispute, error) {
	for _, f := range []string{fieldMetric, fieldSource, fieldTicket, fieldReason, fieldComment} {
		if len(vals[f]) > 1 {
			return dispute.Dispute{}, errcode.Errorf(errcode.Invalid, "form: %s given twice", f)
		}
	}
	run, err := h.Store.GetRun(ctx, v.m)
	if err != nil {
		return dispute.Dispute{}, err
	}
	card, err := h.Store.Card(ctx, v.m, v.engineerID)
	if err != nil {
		return dispute.Dispute{}, err
	}
	evidence, err := h.Store.Evidence(ctx, v.m, v.engineerID, run.AsOf)
	if err != nil {
		return dispute.Dispute{}, err
	}
	existing, err := h.engineerDisputes(ctx, v.m, v.engineerID)
	if err != nil {
		return dispute.Dispute{}, err
	}
	engs, err := h.Store.Engineers(ctx)
	if err != nil {
		return dispute.Dispute{}, err
	}
	var e directory.Engineer
	if j := slices.IndexFunc(engs, func(x directory.Engineer) bool { return x.ID == v.engineerID }); j >= 0 {
		e = engs[j]
	}
	p := place{metric.ID(vals.Get(fieldMetric)), vals.Get(fieldSource), vals.Get(fieldTicket)}
	_, in := inMonth(p, evidence, card, catalog(""))
	rules := h.rules(run)
	d, err := rules.Open(dispute.Request{Metric: p.metric, Source: p.source, TicketID: p.ticket,
		Reason: dispute.Reason(vals.Get(fieldReason)), Comment: formkit.CleanComment(vals.Get(fieldComment))},
		dispute.Facts{Now: h.Now(), Month: v.m, EngineerID: v.engineerID, EngineerEmail: e.Email, ManagerEmail: e.ManagerEmail,
			InMetric: in, Existing: existing})
	if err != nil {
		return dispute.Dispute{}, err
	}
	return d, h.Store.OpenDispute(ctx, d, rules.PerEngineerMonth)
}

// refuse answers a refused dispute with its status and the reason in
// words; a fault is the usual page.
func (h *Handler) refuse(l *messages, err error) events.APIGatewayV2HTTPResponse {
	status := h.pages().Refused(err)
	if status >= 500 {
		return h.fail(l.Lang, err)
	}
	return h.pages().Simple(status, "dispute-refused", formkit.Words{Lang: l.Lang, Title: l.RefusedTitle, Paras: []string{errcode.Message(err)}})
}

func (l *messages) what(loc string, id metric.ID, source, ticket string) string {
	if id == dispute.LeadAssessment {
		return l.LeadAssessment
	}
	return wording.MetricName(loc, id) + " · " + source + " " + ticket
}

func (l *messages) reason(r dispute.Reason) string {
	switch r {
	case dispute.NotMine:
		return l.ReasonNotMine
	case dispute.Duplicate:
		return l.ReasonDuplicate
	case dispute.Unreachable:
		return l.ReasonUnreachable
	case dispute.SystemError:
		return l.ReasonSystem
	}
	return l.ReasonOther
}

func (l *messages) status(s dispute.Status) string {
	switch s {
	case dispute.Accepted:
		return l.StatusAccepted
	case dispute.Rejected:
		return l.StatusRejected
	}
	return l.StatusOpen
}

func (l *messages) disputeView(loc string, d dispute.Dispute) disputeView {
	return disputeView{What: l.what(loc, d.Metric, d.Source, d.TicketID), Reason: l.reason(d.Reason), Comment: d.Comment,
		Status: l.status(d.Status), Answer: d.Answer, Open: d.Status == dispute.Open}
}

// disputeNote says until when the month can be disputed, or why it cannot.
func (l *messages) disputeNote(engineer bool, r dispute.Rules, now time.Time, opened int) string {
	switch {
	case !engineer || !r.On():
		return ""
	case !now.Before(r.WindowCloses()):
		return l.WindowClosed
	case opened >= r.PerEngineerMonth:
		return fmt.Sprintf(l.LimitF, r.PerEngineerMonth)
	}
	return fmt.Sprintf(l.WindowF, r.LastDay(), r.PerEngineerMonth-opened)
}

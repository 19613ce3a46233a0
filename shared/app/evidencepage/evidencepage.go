// Package evidencepage serves GET /e/{token}: an engineer's evidence for
// one month — every ticket behind every ticket metric of the card, what
// each contributed, and which missed — behind a signed, expiring link for
// that engineer and month alone, which the scorecard mail carries. Every
// number on the page is one the monthly run stored: the card and the
// evidence of that run (metric.Contribution), never recomputed.
package evidencepage

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/token"
	"scorecard/shared/app/wording"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/monthrun"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/quality"
	"scorecard/shared/core/scoring"
)

// monthReader reads an engineer's stored month: the run, the card, the
// run's evidence, and the directory.
type monthReader interface {
	GetRun(ctx context.Context, m month.Month) (monthrun.Run, error)
	Card(ctx context.Context, m month.Month, engineerID string) (scoring.Card, error)
	Evidence(ctx context.Context, m month.Month, engineerID string, asOf time.Time) ([]metric.Contribution, error)
	Engineers(ctx context.Context) ([]directory.Engineer, error)
}

// Store is what the page reads, and the disputes it opens.
type Store interface {
	monthReader
	// Disputes are the month's disputes; OpenDispute stores a new one
	// within the per-engineer limit.
	Disputes(ctx context.Context, m month.Month) ([]dispute.Dispute, error)
	OpenDispute(ctx context.Context, d dispute.Dispute, limit int) error
}

// Lifetime is how long an evidence link opens after the month it shows
// ended: through the next months' disputes and reviews.
const Lifetime = 62 * 24 * time.Hour

// Link is the evidence page of engineerID's month m: base+"/e/"+token.
// The engineer's link can open disputes; ManagerLink's only shows.
func Link(key []byte, base string, m month.Month, engineerID string, expires time.Time) (string, error) {
	return link(key, base, m.String()+"/"+engineerID, expires)
}

// ManagerLink is the manager's view of engineerID's evidence of month m:
// the same page, without the engineer's dispute forms.
func ManagerLink(key []byte, base string, m month.Month, engineerID string, expires time.Time) (string, error) {
	return link(key, base, m.String()+"/"+engineerID+"/"+viewerManager, expires)
}

const viewerManager = "manager"

func link(key []byte, base, subject string, expires time.Time) (string, error) {
	tok, err := token.Sign(key, token.Claims{Kind: token.KindEvidence, Subject: subject, Expires: expires})
	if err != nil {
		return "", err
	}
	return strings.TrimRight(base, "/") + "/e/" + tok, nil
}

//go:embed templates/page.html
var files embed.FS

var htmlTemplates, _ = formkit.Templates(files, "templates/page.html", "templates/page.html")

// Handler serves GET /e/{token}.
type Handler struct {
	formkit.Config
	Store Store
	// TicketURL, when set, links a ticket to its system's web app
	// (source.TicketURLs); "" leaves it unlinked.
	TicketURL func(source, ticketID string) string
	// Disputes are the policy's dispute rules, in Location's working days.
	Disputes policy.Disputes
	Location *time.Location
	// Rubric names the quality review categories a review failed.
	Rubric quality.Rubric
}

// page is what page.html shows.
type page struct {
	L       *messages
	Page    string
	Title   string
	Heading string
	Intro   string
	Summary string
	Metrics []metricView
	People  []personView // the card's metrics that come from people: the lead's scores, records
	Note    string
	Other   *page // the frame's other-language card: none here

	Flash       string        // what the reader just did
	DisputeNote string        // how long disputes are open, or why not
	Disputes    []disputeView // the engineer's disputes of the month
	PeopleLink  string        // disputes the lead's assessment
	Form        *disputeForm  // the dispute form, when asked for
}

type metricView struct {
	ID, Name, Value, Status string
	Missed                  bool
	Count                   string
	Rows                    []rowView
}

type rowView struct {
	Source, Ticket, Said, URL string
	Missed                    bool
	DisputeURL                string // the form for this place; "" when it cannot be disputed
	Disputed                  string // the dispute's status, in words
}

// personView is a metric of the card with no ticket behind it.
type personView struct{ Name, Value string }

// Handle is the Lambda entry point for API Gateway HTTP API (v2) events.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	r, answer := h.pages().Open(req, "/e/", h.Store != nil && h.Configured())
	if answer != nil {
		return *answer, nil
	}
	c, err := token.ParseKind(h.Key, r.Token, token.KindEvidence, h.Now())
	if err != nil {
		return h.fail(r.Lang, err), nil
	}
	parts := strings.Split(c.Subject, "/")
	m, merr := month.Parse(parts[0])
	if merr != nil || len(parts) < 2 || len(parts) > 3 || parts[1] == "" || (len(parts) == 3 && parts[2] != viewerManager) {
		return h.fail(r.Lang, errcode.Errorf(errcode.NotFound, "link not found")), nil
	}
	v := view{m: m, engineerID: parts[1], engineer: len(parts) == 2, token: r.Token, query: req.QueryStringParameters}
	if r.Method == http.MethodPost {
		return h.open(ctx, req, r, v), nil
	}
	p, err := h.build(ctx, v)
	if err != nil {
		return h.fail(r.Lang, err), nil
	}
	h.Logger().Info("evidence shown", "engineer", v.engineerID, "month", m.String(), "metrics", len(p.Metrics), "manager", !v.engineer)
	return h.pages().Render(http.StatusOK, p.Page, p), nil
}

// view is what a link shows: whose month, and to whom.
type view struct {
	m          month.Month
	engineerID string
	engineer   bool // the engineer's own link: disputes are theirs to open
	token      string
	query      map[string]string
}

// build reads the month's stored run, card, evidence and disputes.
func (h *Handler) build(ctx context.Context, v view) (page, error) {
	m, engineerID := v.m, v.engineerID
	run, err := h.Store.GetRun(ctx, m)
	if err != nil {
		return page{}, err
	}
	card, err := h.Store.Card(ctx, m, engineerID)
	if err != nil {
		return page{}, err
	}
	evidence, err := h.Store.Evidence(ctx, m, engineerID, run.AsOf)
	if err != nil {
		return page{}, err
	}
	engs, err := h.Store.Engineers(ctx)
	if err != nil {
		return page{}, err
	}
	var e directory.Engineer
	if j := slices.IndexFunc(engs, func(x directory.Engineer) bool { return x.ID == engineerID }); j >= 0 {
		e = engs[j]
	}
	loc := wording.Locale(e.Locale, "")
	l := catalog(loc)
	who := cmp.Or(strings.TrimSpace(e.Name), engineerID)
	mon := l.month(m)
	p := page{L: l, Page: "evidence", Title: fmt.Sprintf(l.TitleF, who, mon), Heading: fmt.Sprintf(l.TitleF, who, mon),
		Intro: fmt.Sprintf(l.IntroF, run.AsOf.In(time.UTC).Format("2006-01-02 15:04 UTC"))}
	if card.Composite != nil && !card.InsufficientData {
		p.Summary = fmt.Sprintf(l.SummaryF, *card.Composite, card.Grade)
	} else {
		p.Summary = l.Insufficient
	}
	if o := card.Override; o != nil && o.Grade != "" {
		p.Summary += fmt.Sprintf(l.OverrideF, o.Grade)
	}
	if card.FromHistory {
		p.Note = l.FromHistory
	}
	ds, err := h.engineerDisputes(ctx, m, engineerID)
	if err != nil {
		return page{}, err
	}
	disputed := map[string]dispute.Dispute{}
	for _, d := range ds {
		disputed[d.ID] = d
	}
	rules := h.rules(run)
	canDispute := v.engineer && rules.On() && h.Now().Before(rules.WindowCloses()) && len(ds) < rules.PerEngineerMonth
	p.DisputeNote = l.disputeNote(v.engineer, rules, h.Now(), len(ds))
	for _, d := range ds {
		p.Disputes = append(p.Disputes, l.disputeView(loc, d))
	}
	placeURL := func(id metric.ID, source, ticketID string) string {
		if !canDispute {
			return ""
		}
		if _, ok := disputed[dispute.ID(m, engineerID, id, source, ticketID)]; ok {
			return ""
		}
		q := url.Values{"metric": {string(id)}, "source": {source}, "ticket": {ticketID}}
		return "?" + q.Encode() + "#dispute"
	}
	by := map[metric.ID][]metric.Contribution{}
	for _, c := range evidence {
		by[c.Metric] = append(by[c.Metric], c)
	}
	reviews, err := h.reviews(ctx, m, engineerID)
	if err != nil {
		return page{}, err
	}
	for _, id := range slices.Sorted(maps.Keys(by)) {
		res := card.Metrics[id]
		v := metricView{ID: string(id), Name: wording.MetricName(loc, id), Status: res.Status, Missed: res.Status == "missed"}
		if res.Value != nil {
			v.Value = number(*res.Value)
		}
		cs := by[id]
		// The tickets that missed first, the worst first; then the rest.
		slices.SortStableFunc(cs, func(a, b metric.Contribution) int {
			return cmp.Or(cmp.Compare(b2i(missed(b)), b2i(missed(a))), cmp.Compare(b.Hours, a.Hours), cmp.Compare(a.TicketID, b.TicketID))
		})
		v.Count = fmt.Sprintf(l.CountF, len(cs))
		for _, c := range cs {
			row := rowView{Source: c.Source, Ticket: c.TicketID, Said: l.said(c), Missed: missed(c), DisputeURL: placeURL(id, c.Source, c.TicketID)}
			if id == metric.QualityReviewScore {
				row.Said += reviewed(l, loc, h.Rubric, reviews[[2]string{c.Source, c.TicketID}])
			}
			if d, ok := disputed[dispute.ID(m, engineerID, id, c.Source, c.TicketID)]; ok {
				row.Disputed = l.status(d.Status)
			}
			if h.TicketURL != nil {
				row.URL = h.TicketURL(c.Source, c.TicketID)
			}
			v.Rows = append(v.Rows, row)
		}
		p.Metrics = append(p.Metrics, v)
	}
	// The lead's scores and the records: the card's other measured metrics.
	for _, id := range slices.Sorted(maps.Keys(card.Metrics)) {
		res := card.Metrics[id]
		if _, tickets := by[id]; tickets || res.Value == nil || ticketMetric[id] {
			continue
		}
		p.People = append(p.People, personView{Name: wording.MetricName(loc, id), Value: number(*res.Value)})
	}
	if hasLead(card) {
		p.PeopleLink = placeURL(dispute.LeadAssessment, dispute.AssessmentSource, dispute.AssessmentTicket)
	}
	if f, ok := h.form(v, l, loc, evidence, card, canDispute); ok {
		p.Form = &f
	}
	switch v.query["opened"] {
	case "":
	default:
		p.Flash = l.Opened
	}
	return p, nil
}

// ticketMetric are the metrics measured from tickets: without evidence in
// a month they had no ticket, not a value from people.
var ticketMetric = map[metric.ID]bool{
	metric.AvgFirstResponseHours: true, metric.FirstResponse1hRate: true, metric.ComplaintRate: true,
	metric.Complaint24hRate: true, metric.AvgHandleHours: true, metric.CompletionRate: true,
	metric.ResolutionSuccessRate: true, metric.ResolutionSLARate: true, metric.CSATScore: true,
	metric.CSATSatisfiedRate: true, metric.FollowupConfirmedRate: true, metric.CollaborationCases: true,
}

// missed reports whether a contribution counted against the engineer: a
// rate's ticket that did not pass, an hour metric's ticket past its limit.
func missed(c metric.Contribution) bool {
	switch c.Metric {
	case metric.AvgFirstResponseHours, metric.AvgHandleHours:
		return c.Limit > 0 && c.Hours > c.Limit
	case metric.ComplaintRate:
		return c.Num > 0
	case metric.CollaborationCases:
		return false
	case metric.QualityReviewScore:
		return c.Num < 100 // anything short of full marks is worth a look
	}
	if c.Metric == metric.CSATScore {
		return c.Rating > 0 && c.Rating < 4
	}
	return c.Den > 0 && c.Num < c.Den
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func number(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func (h *Handler) fail(lang string, err error) events.APIGatewayV2HTTPResponse {
	return h.pages().Error(err, lang, false, func(lang string) (formkit.Words, bool) {
		l := catalog(lang)
		switch errcode.Code(err) {
		case errcode.Gone:
			return formkit.Words{Title: l.ExpiredTitle, Paras: []string{l.ExpiredBody}}, true
		case errcode.Unavailable:
			return formkit.Words{Title: l.UnavailableTitle, Paras: []string{l.UnavailableBody}}, true
		}
		return formkit.Words{}, false
	})
}

func (h *Handler) pages() formkit.Pages {
	return formkit.Pages{Name: "evidence", Templates: htmlTemplates, Log: h.Log}
}

// reviewStore is a store that also keeps quality reviews.
type reviewStore interface {
	Reviews(ctx context.Context, m month.Month) ([]quality.Review, error)
}

// reviews are the engineer's quality reviews of month m, by ticket, when
// the store keeps them.
func (h *Handler) reviews(ctx context.Context, m month.Month, engineerID string) (map[[2]string][]quality.Review, error) {
	out := map[[2]string][]quality.Review{}
	rs, ok := h.Store.(reviewStore)
	if !ok {
		return out, nil
	}
	all, err := rs.Reviews(ctx, m)
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if r.EngineerID == engineerID {
			k := [2]string{r.Source, r.TicketID}
			out[k] = append(out[k], r)
		}
	}
	return out, nil
}

// reviewed is what a ticket's reviews said beyond their score: the failed
// categories and the reviewers' comments.
func reviewed(l *messages, loc string, rubric quality.Rubric, rs []quality.Review) string {
	label := func(id string) string {
		for _, c := range rubric.Categories {
			if c.ID == id {
				return cmp.Or(c.Labels[loc], c.Labels["en"], id)
			}
		}
		return id
	}
	var parts []string
	for _, r := range rs {
		var failed []string
		for _, id := range r.Failed {
			failed = append(failed, label(id))
		}
		if len(failed) > 0 {
			parts = append(parts, fmt.Sprintf(l.FailedF, strings.Join(failed, ", ")))
		}
		for _, c := range rubric.Categories {
			if cm := r.Comments[c.ID]; cm != "" {
				parts = append(parts, label(c.ID)+": "+cm)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, "; ")
}

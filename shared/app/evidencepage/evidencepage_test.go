package evidencepage_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/evidencepage"
	"scorecard/shared/app/token"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/monthrun"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/formtest"
	"scorecard/shared/source"
	"scorecard/shared/source/vendorapi"
)

var (
	key  = []byte("test-signing-key")
	oct  = month.Month{Year: 2026, Month: time.October}
	asOf = time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	now  = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
)

// store is an in-memory Store: one run, Bob's card and evidence.
type store struct {
	evidence []metric.Contribution
	override *consequence.Override
	disputes *[]dispute.Dispute
}

func (s store) Disputes(_ context.Context, m month.Month) ([]dispute.Dispute, error) {
	if s.disputes == nil {
		return nil, nil
	}
	var out []dispute.Dispute
	for _, d := range *s.disputes {
		if d.Month == m {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s store) OpenDispute(_ context.Context, d dispute.Dispute, limit int) error {
	for _, x := range *s.disputes {
		if x.ID == d.ID {
			return errcode.Errorf(errcode.Conflict, "you already disputed this")
		}
	}
	*s.disputes = append(*s.disputes, d)
	return nil
}

func (store) GetRun(_ context.Context, m month.Month) (monthrun.Run, error) {
	if m != oct {
		return monthrun.Run{}, errcode.Errorf(errcode.NotFound, "%s has not run", m)
	}
	return monthrun.Run{Month: oct, AsOf: asOf, Started: asOf}, nil
}

func (s store) Card(_ context.Context, m month.Month, id string) (scoring.Card, error) {
	if m != oct || id != "E2" {
		return scoring.Card{}, errcode.Errorf(errcode.NotFound, "no card")
	}
	v, c, lead := 0.25, 43.6, 70.0
	return scoring.Card{EngineerID: "E2", Month: oct, Composite: &c, Grade: "D", Override: s.override, Metrics: map[metric.ID]scoring.MetricResult{
		metric.ResolutionSLARate:       {Value: &v, Numerator: 1, Denominator: 4, N: 4, Status: "missed"},
		metric.LeadProblemSolvingScore: {Value: &lead, N: 1, Status: "met"},
	}}, nil
}

func (s store) Evidence(_ context.Context, m month.Month, id string, at time.Time) ([]metric.Contribution, error) {
	if m != oct || id != "E2" || !at.Equal(asOf) {
		return nil, nil
	}
	return s.evidence, nil
}

func (store) Engineers(context.Context) ([]directory.Engineer, error) {
	return []directory.Engineer{{ID: "E2", Name: "Bob Chen", Locale: "en", Email: "bob@example.com", ManagerEmail: "lee@example.com"}, {ID: "E1", Name: "Ann", Locale: "zh-CN"}}, nil
}

func bobs() []metric.Contribution {
	var out []metric.Contribution
	for i := range 4 {
		num := 0.0
		if i == 3 {
			num = 1
		}
		out = append(out, metric.Contribution{EngineerID: "E2", Metric: metric.ResolutionSLARate, Source: "zendesk",
			TicketID: fmt.Sprint(5150 + i), Num: num, Den: 1, Hours: 10 + float64(i), Limit: 8, Priority: "high"})
	}
	return out
}

func handler() *evidencepage.Handler {
	return &evidencepage.Handler{Config: formtest.Config(key, formtest.NewClock(now), "https://scorecard.example.com"), Store: store{evidence: bobs(), disputes: new([]dispute.Dispute)},
		TicketURL: source.TicketURLs(map[string]vendorapi.Credentials{"zendesk": {BaseURL: "https://acme.zendesk.com/", Token: "t"}}),
		Disputes:  policy.Disputes{WindowWorkingDays: 5, SettleWorkingDays: 5, PerEngineerMonth: 2}, Location: time.UTC}
}

func link(t *testing.T, subject string, expires time.Time, kind string) string {
	t.Helper()
	tok, err := token.Sign(key, token.Claims{Kind: kind, Subject: subject, Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func get(t *testing.T, tok string, edit func(*events.APIGatewayV2HTTPRequest)) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return formtest.Invoke(t, handler().Handle, formtest.Request(t, "/e/", http.MethodGet, tok, "", edit))
}

// TestThePageShowsEveryTicket: Bob's link shows every ticket of his SLA
// metric, the breaches first and marked, each with what it counted.
func TestThePageShowsEveryTicket(t *testing.T) {
	u, err := evidencepage.Link(key, "https://scorecard.example.com/", oct, "E2", now.Add(evidencepage.Lifetime))
	if err != nil || !strings.HasPrefix(u, "https://scorecard.example.com/e/") {
		t.Fatalf("link %q, %v", u, err)
	}
	resp := get(t, strings.TrimPrefix(u, "https://scorecard.example.com/e/"), nil)
	formtest.CheckAnswer(t, resp, 200, "evidence", nil, []string{
		"Evidence: Bob Chen, October 2026", "Composite 43.6, grade D", "4 tickets",
		"breached the 8 h SLA by 2.0 h", "breached the 8 h SLA by 4.0 h", "resolved 13.0 h after creation, within the 8 h SLA",
		`href="https://acme.zendesk.com/agent/tickets/5150"`, "From people: your lead's scores and your records", "<td>70</td>",
	}, []string{"Ann"})
	body := resp.Body
	if a, b := strings.Index(body, `data-ticket="zendesk/5152"`), strings.Index(body, `data-ticket="zendesk/5153"`); a < 0 || b < 0 || a > b {
		t.Errorf("the breaches are not listed before the ticket within the SLA")
	}
	if n := strings.Count(body, `class="missed"`); n != 3 {
		t.Errorf("%d rows marked as counted against him, want 3", n)
	}
}

// TestLinksThatShowNothing: only an evidence link of this key, unexpired,
// for a month that ran and an engineer with a card opens a page.
func TestLinksThatShowNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tok    string
		status int
		says   string
	}{
		{"a survey link", link(t, "2026-10/E2", now.Add(time.Hour), token.KindSurvey), 404, "Link not found"},
		{"a forged link", strings.Replace(link(t, "2026-10/E2", now.Add(time.Hour), token.KindEvidence), "A", "B", 1), 404, "Link not found"},
		{"an expired link", link(t, "2026-10/E2", now.Add(-time.Minute), token.KindEvidence), 410, "expired"},
		{"a month that has not run", link(t, "2026-09/E2", now.Add(time.Hour), token.KindEvidence), 404, "Link not found"},
		{"an engineer without a card", link(t, "2026-10/E9", now.Add(time.Hour), token.KindEvidence), 404, "Link not found"},
		{"a subject that is not month/engineer", link(t, "E2", now.Add(time.Hour), token.KindEvidence), 404, "Link not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := get(t, tc.tok, nil)
			if resp.StatusCode != tc.status || !strings.Contains(resp.Body, tc.says) || strings.Contains(resp.Body, "5150") {
				t.Errorf("%d, want %d saying %q:\n%.400s", resp.StatusCode, tc.status, tc.says, resp.Body)
			}
		})
	}
	post := formtest.Invoke(t, handler().Handle, formtest.Request(t, "/e/", http.MethodGet, link(t, "2026-10/E2", now.Add(time.Hour), token.KindEvidence), "", func(r *events.APIGatewayV2HTTPRequest) {
		r.RequestContext.HTTP.Method = http.MethodPost
	}))
	if post.StatusCode != 403 {
		t.Errorf("a POST without the page's form: %d, want 403", post.StatusCode)
	}
}

// TestAnOverriddenMonth: the page says the manager's grade, and that the
// tickets are what the computed one stood on.
func TestAnOverriddenMonth(t *testing.T) {
	h := handler()
	h.Store = store{evidence: bobs(), disputes: new([]dispute.Dispute), override: &consequence.Override{Grade: "B", Reason: "covered nights"}}
	tok := link(t, "2026-10/E2", now.Add(time.Hour), token.KindEvidence)
	resp := formtest.Invoke(t, h.Handle, formtest.Request(t, "/e/", http.MethodGet, tok, "", nil))
	formtest.CheckAnswer(t, resp, 200, "evidence", nil, []string{"Composite 43.6, grade D. Your manager set the grade to B"}, nil)
}

// TestDisputesFromThePage: Bob's link offers a form per ticket; a dispute
// posted from it is stored for his lead; every hostile or late post is
// refused with its documented status and stores nothing.
func TestDisputesFromThePage(t *testing.T) {
	h := handler()
	st := h.Store.(store)
	tok := link(t, "2026-10/E2", now.Add(evidencepage.Lifetime), token.KindEvidence)
	page := formtest.Invoke(t, h.Handle, formtest.Request(t, "/e/", http.MethodGet, tok, "", nil))
	formtest.CheckAnswer(t, page, 200, "evidence", nil, []string{`href="?metric=resolution_sla_rate&amp;source=zendesk&amp;ticket=5150#dispute"`, "You can dispute", "dispute the lead&#39;s assessment"}, nil)
	form := formtest.Invoke(t, h.Handle, formtest.Request(t, "/e/", http.MethodGet, tok, "", func(r *events.APIGatewayV2HTTPRequest) {
		r.QueryStringParameters = map[string]string{"metric": "resolution_sla_rate", "source": "zendesk", "ticket": "5150"}
	}))
	formtest.CheckAnswer(t, form, 200, "evidence", nil, []string{`name="csrf"`, "breached the 8 h SLA by 2.0 h", `value="duplicate"`}, nil)

	post := func(tok, body string) events.APIGatewayV2HTTPResponse {
		return formtest.Invoke(t, h.Handle, formtest.Request(t, "/e/", http.MethodPost, tok, body, nil))
	}
	body := func(tok, ticket, reason string) string {
		return "metric=resolution_sla_rate&source=zendesk&ticket=" + ticket + "&reason=" + reason + "&comment=reassigned+by+a+trigger&csrf=" + formtest.CSRF(key, tok)
	}
	if resp := post(tok, body(tok, "5150", "not_mine")); resp.StatusCode != 303 || !strings.HasPrefix(resp.Headers["Location"], "?opened=") {
		t.Fatalf("open: %d %v\n%.300s", resp.StatusCode, resp.Headers, resp.Body)
	}
	if n := len(*st.disputes); n != 1 || (*st.disputes)[0].Arbiter != "lee@example.com" || (*st.disputes)[0].Comment != "reassigned by a trigger" {
		t.Fatalf("stored %+v", *st.disputes)
	}
	manager := link(t, "2026-10/E2/manager", now.Add(time.Hour), token.KindEvidence)
	late := handler()
	late.Store = st
	late.Now = func() time.Time { return now.AddDate(0, 0, 10) }
	for _, tc := range []struct {
		name   string
		h      *evidencepage.Handler
		tok    string
		body   string
		status int
		says   string
	}{
		{"the same ticket again", h, tok, body(tok, "5150", "duplicate"), 409, "already disputed"},
		{"a ticket not in the metric", h, tok, body(tok, "9999", "duplicate"), 404, "not in your resolution_sla_rate"},
		{"another engineer's ticket by a forged link", h, strings.Replace(tok, "A", "B", 1), body(tok, "5151", "duplicate"), 404, "Link not found"},
		{"the manager's view", h, manager, body(manager, "5151", "duplicate"), 403, "manager&#39;s view"},
		{"no reason", h, tok, body(tok, "5151", "bored"), 400, "reason"},
		{"a form not from the page", h, tok, strings.Replace(body(tok, "5151", "duplicate"), "csrf=", "csrf=x", 1), 403, ""},
		{"after the window", late, tok, body(tok, "5151", "duplicate"), 410, "closed at the end of 2026-11-06"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := formtest.Invoke(t, tc.h.Handle, formtest.Request(t, "/e/", http.MethodPost, tc.tok, tc.body, nil))
			if resp.StatusCode != tc.status || !strings.Contains(resp.Body, tc.says) {
				t.Errorf("%d, want %d saying %q:\n%.600s", resp.StatusCode, tc.status, tc.says, resp.Body)
			}
			if n := len(*st.disputes); n != 1 {
				t.Errorf("%d disputes stored after a refusal", n)
			}
		})
	}
	after := formtest.Invoke(t, h.Handle, formtest.Request(t, "/e/", http.MethodGet, tok, "", nil))
	formtest.CheckAnswer(t, after, 200, "evidence", nil, []string{"Your disputes", "waiting for your lead", "reassigned by a trigger", "1 more this month"},
		[]string{`ticket=5150#dispute`})
}

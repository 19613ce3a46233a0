package reviewform_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/reviewform"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/quality"
	"scorecard/shared/core/ticket"
)

type mem struct {
	as      []quality.Assignment
	reviews []quality.Review
	events  []event.Event
	engs    []directory.Engineer
}

func (m *mem) ReviewAssignments(context.Context, month.Month) ([]quality.Assignment, error) {
	return m.as, nil
}
func (m *mem) Reviews(context.Context, month.Month) ([]quality.Review, error) { return m.reviews, nil }
func (m *mem) PutReview(_ context.Context, r quality.Review) error {
	for _, x := range m.reviews {
		if x.TicketID == r.TicketID && x.Reviewer == r.Reviewer {
			return errcode.Errorf(errcode.Conflict, "already")
		}
	}
	m.reviews = append(m.reviews, r)
	return nil
}
func (m *mem) Ticket(context.Context, string, string) (ticket.State, []event.Event, error) {
	return ticket.Reduce(m.events), m.events, nil
}
func (m *mem) Engineers(context.Context) ([]directory.Engineer, error) { return m.engs, nil }

var (
	key  = []byte("review-key")
	base = "https://scorecard.example.com"
	oct  = month.Month{Year: 2026, Month: time.October}
	now  = time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC)
)

func setup(t testing.TB) (*mem, *reviewform.Handler, string, *bytes.Buffer) {
	at := time.Date(2026, 10, 5, 2, 0, 0, 0, time.UTC)
	st := &mem{
		as: []quality.Assignment{{Pick: quality.Pick{Candidate: quality.Candidate{Source: "generic", TicketID: "T-1", EngineerID: "E2", Breached: true}, Drawn: quality.DrawnInformative},
			Reviewers: []string{"lee@example.com"}}},
		engs: []directory.Engineer{{ID: "E2", Name: "Bob", Email: "bob@example.com", Team: "north", ManagerEmail: "lee@example.com", External: map[string]string{"generic": "ag-bob"}}},
		events: []event.Event{
			{Source: "generic", ID: "c", TicketID: "T-1", Type: event.Created, OccurredAt: at, Priority: event.Normal, Actor: event.Actor{ID: "cust", Kind: event.Customer}},
			{Source: "generic", ID: "a", TicketID: "T-1", Type: event.Assigned, OccurredAt: at, AssigneeID: "ag-bob"},
			{Source: "generic", ID: "r", TicketID: "T-1", Type: event.Replied, OccurredAt: at.Add(3 * time.Hour), Public: true, Actor: event.Actor{ID: "ag-bob", Kind: event.Agent}},
			{Source: "generic", ID: "s", TicketID: "T-1", Type: event.StatusChanged, OccurredAt: at.Add(30 * time.Hour), Status: event.StatusResolved},
		},
	}
	var logs bytes.Buffer
	h := &reviewform.Handler{Config: formkit.Config{Key: key, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(&logs, nil)), BaseURL: base},
		Store: st, Rubric: policy.Default().Quality.Rubric(), Location: policy.Default().Location()}
	link, err := reviewform.Link(key, base, oct, st.as[0], "lee@example.com", now.Add(reviewform.Lifetime))
	if err != nil {
		t.Fatal(err)
	}
	return st, h, link[strings.LastIndex(link, "/")+1:], &logs
}

func get(h *reviewform.Handler, tok string) events.APIGatewayV2HTTPResponse {
	resp, _ := h.Handle(context.Background(), events.APIGatewayV2HTTPRequest{RawPath: "/q/" + tok,
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"}},
		PathParameters: map[string]string{"token": tok}})
	return resp
}

func post(h *reviewform.Handler, tok string, form url.Values) events.APIGatewayV2HTTPResponse {
	form.Set("csrf", httpapi.CSRF(key, tok))
	resp, _ := h.Handle(context.Background(), events.APIGatewayV2HTTPRequest{RawPath: "/q/" + tok, Body: form.Encode(),
		Headers:        map[string]string{"content-type": "application/x-www-form-urlencoded", "origin": base},
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST"}},
		PathParameters: map[string]string{"token": tok}})
	return resp
}

func ratings(solution string) url.Values {
	return url.Values{"r_diagnosis": {"4"}, "r_solution": {solution}, "r_communication": {"3"}, "r_follow_up": {"4"}, "r_process": {"4"}}
}

func TestReviewPage(t *testing.T) {
	st, h, tok, logs := setup(t)
	page := get(h, tok)
	if page.StatusCode != 200 || !strings.Contains(page.Body, `id="review"`) || !strings.Contains(page.Body, "assigned to Bob") || !strings.Contains(page.Body, "public reply") {
		t.Fatalf("GET: %d\n%s\n%s", page.StatusCode, page.Body, logs.String())
	}
	tests := []struct {
		name   string
		tok    string
		form   url.Values
		status int
		stored int
	}{
		{"a rating off the scale", tok, ratings("7"), 400, 0},
		{"a category not rated", tok, url.Values{"r_diagnosis": {"4"}}, 400, 0},
		{"a forged link", tok[:len(tok)-3] + "AAA", ratings("4"), 404, 0},
		{"the review, its critical category failed", tok, ratings("0"), 200, 1},
		{"the same review again", tok, ratings("4"), 409, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := post(h, tc.tok, tc.form)
			if resp.StatusCode != tc.status || len(st.reviews) != tc.stored {
				t.Fatalf("%d with %d stored; want %d, %d\n%s", resp.StatusCode, len(st.reviews), tc.status, tc.stored, resp.Body)
			}
		})
	}
	r := st.reviews[0]
	if r.Score != 0 || len(r.Failed) != 1 || r.Failed[0] != "solution" || r.Reviewer != "lee@example.com" || r.Team != "north" || r.Ratings["communication"] != 3 {
		t.Errorf("stored %+v", r)
	}
	// A reviewer who is the engineer is refused.
	st.engs[0].Email = "lee@example.com"
	if resp := get(h, tok); resp.StatusCode != 403 {
		t.Errorf("the engineer reviewing their own ticket: %d", resp.StatusCode)
	}
}

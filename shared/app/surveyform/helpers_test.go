package surveyform_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/surveyform"
	"scorecard/shared/app/token"
	"scorecard/shared/core/survey"
	"scorecard/shared/devkit/formtest"
)

var (
	key  = []byte("dev-signing-key")
	base = "https://feedback.example.com"
	// now is the time of the captured requests in testdata.
	now = time.Date(2026, 10, 6, 9, 0, 0, 0, time.UTC)
)

const surveyID = "zendesk-48213-1"

// sample is a survey mailed yesterday, its links valid for 28 days.
func sample(locale string) survey.Survey {
	sent := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	s := survey.Survey{
		ID: surveyID, Source: "zendesk", TicketID: "48213", Resolution: 1,
		ResolvedAt:      sent.Add(-time.Hour),
		EngineerAgentID: "zd-agent-7",
		CustomerKey:     "zendesk:customer-991",
		CustomerEmail:   "ann.lee@example.com",
		CustomerName:    "Ann Lee",
		Locale:          locale,
		DueAt:           sent, SentAt: sent,
		ExpiresAt: sent.Add(28 * 24 * time.Hour),
	}
	if locale == formkit.LocaleZhCN {
		s.CustomerName = "张敏"
	}
	return s
}

// answered is the survey answered at first (the change window starts then).
func answered(locale string, first time.Time) survey.Survey {
	s := sample(locale)
	no := false
	s.Answer = &survey.Answer{Rating: 3, Solved: &no, Comment: "Took two calls.", At: first, FirstAt: first}
	return s
}

func sign(t testing.TB, kind, subject string, rating int, expires time.Time) string {
	t.Helper()
	tok, err := token.Sign(key, token.Claims{Kind: kind, Subject: subject, Rating: rating, Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func surveyLink(t testing.TB, rating int) string {
	return sign(t, token.KindSurvey, surveyID, rating, sample("").ExpiresAt)
}

func unsubscribeLink(t testing.TB) string {
	return sign(t, token.KindUnsubscribe, sample("").CustomerKey, 0, sample("").ExpiresAt)
}

// csrfFor is the csrf field as the issue defines it, computed here
// independently of the package.
func csrfFor(tok string) string { return formtest.CSRF(key, tok) }

func form(csrf, rating, solved, comment string) string {
	v := url.Values{}
	for k, s := range map[string]string{"csrf": csrf, "rating": rating, "solved": solved, "comment": comment} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v.Encode()
}

// clock is a settable Now.
type clock = formtest.Clock

func handler(store survey.Store, c *clock) *surveyform.Handler {
	if c == nil {
		c = formtest.NewClock(now)
	}
	return &surveyform.Handler{Config: formtest.Config(key, c, base), Store: store}
}

// request is the captured API Gateway v2 event for method on /s/{tok},
// changed by edit.
func request(t testing.TB, method, tok, body string, edit func(*events.APIGatewayV2HTTPRequest)) []byte {
	t.Helper()
	return formtest.Request(t, "/s/", method, tok, body, edit)
}

// invoke runs the handler through the Lambda JSON layer.
func invoke(t testing.TB, h *surveyform.Handler, payload []byte) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return formtest.Invoke(t, h.Handle, payload)
}

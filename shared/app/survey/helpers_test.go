package survey_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"scorecard/shared/app/survey"
	"scorecard/shared/app/token"
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
	if locale == survey.LocaleZhCN {
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
func csrfFor(tok string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("csrf|" + tok))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

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
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

func handler(store survey.Store, c *clock) *survey.Handler {
	if c == nil {
		c = &clock{t: now}
	}
	return &survey.Handler{
		Store:   store,
		Key:     key,
		Now:     c.Now,
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: base,
	}
}

// request is the captured API Gateway v2 event for method on /s/{tok},
// changed by edit.
func request(t testing.TB, method, tok, body string, edit func(*events.APIGatewayV2HTTPRequest)) []byte {
	t.Helper()
	file := "testdata/apigw-get.json"
	if method == "POST" {
		file = "testdata/apigw-post.json"
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	req.RequestContext.HTTP.Method = method
	req.RequestContext.HTTP.Path = "/s/" + tok
	req.RawPath = "/s/" + tok
	req.PathParameters["token"] = tok
	req.Body = body
	if edit != nil {
		edit(&req)
	}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// invoke runs the handler through the Lambda JSON layer.
func invoke(t testing.TB, h *survey.Handler, payload []byte) events.APIGatewayV2HTTPResponse {
	t.Helper()
	out, err := lambda.NewHandler(h.Handle).Invoke(context.Background(), payload)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

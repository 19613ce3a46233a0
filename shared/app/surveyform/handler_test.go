package surveyform_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/surveyform"
	"scorecard/shared/app/token"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/survey"
	"scorecard/shared/devkit/formtest"
)

func yes() *bool { b := true; return &b }

func TestPages(t *testing.T) {
	ok4 := surveyLink(t, 4)
	unsub := unsubscribeLink(t)
	expired := sign(t, token.KindSurvey, surveyID, 4, now)
	tampered := ok4[:20] + "A" + ok4[21:]
	if ok4[20] == 'A' {
		tampered = ok4[:20] + "B" + ok4[21:]
	}
	assessment := sign(t, token.KindAssessment, surveyID, 0, sample("").ExpiresAt)
	unknown := sign(t, token.KindSurvey, "zendesk-0-1", 4, sample("").ExpiresAt)
	good := form(csrfFor(ok4), "5", "yes", "Fixed on the first call, thank you!")
	first := now.Add(-23 * time.Hour) // answered 23 hours ago: still changeable

	tests := []struct {
		name    string
		stored  survey.Survey
		method  string
		tok     string
		body    string
		edit    func(*events.APIGatewayV2HTTPRequest)
		status  int
		page    string
		has     []string
		hasNot  []string
		answer  *survey.Answer // the stored answer afterwards (nil: none)
		optOut  bool
		headers map[string]string
	}{
		{
			name: "a GET shows the form with the link's rating preselected", stored: sample("en"), method: "GET", tok: ok4,
			status: 200, page: "form",
			has:    []string{`<html lang="en">`, `id="rating-4" name="rating" value="4" checked`, `<legend>How satisfied are you`, `<label for="solved-yes">Yes</label>`, `maxlength="2000"`, `name="csrf" value="` + csrfFor(ok4) + `"`, "48213"},
			hasNot: []string{`value="5" checked`, `<script`, `src="http`},
		},
		{
			name: "a GET in zh-CN is in Chinese with lang set", stored: sample("zh-CN"), method: "GET", tok: ok4,
			status: 200, page: "form", has: []string{`<html lang="zh-CN">`, "您对本次获得的支持满意吗？", "已解决", `value="4" checked`},
		},
		{
			name: "a HEAD records nothing", stored: sample("en"), method: "HEAD", tok: ok4, status: 200, page: "form",
		},
		{
			name: "a POST records the answer", stored: sample("en"), method: "POST", tok: ok4, body: good,
			status: 200, page: "thanks", has: []string{"Thank you!", "5 – Very satisfied", "Fixed on the first call"},
			answer: &survey.Answer{Rating: 5, Solved: yes(), Comment: "Fixed on the first call, thank you!", At: now, FirstAt: now},
		},
		{
			name: "a POST with only a rating records it", stored: sample("en"), method: "POST", tok: ok4, body: form(csrfFor(ok4), "2", "", ""),
			status: 200, page: "thanks", answer: &survey.Answer{Rating: 2, At: now, FirstAt: now},
		},
		{
			name: "a base64 body is read", stored: sample("en"), method: "POST", tok: ok4, body: base64.StdEncoding.EncodeToString([]byte(good)),
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.IsBase64Encoded = true },
			status: 200, page: "thanks",
			answer: &survey.Answer{Rating: 5, Solved: yes(), Comment: "Fixed on the first call, thank you!", At: now, FirstAt: now},
		},
		{
			name: "an answered survey within 24 h shows the answer and the form to change it", stored: answered("en", first), method: "GET", tok: ok4,
			status: 200, page: "answered",
			has:    []string{"You have already answered", "3 – Neutral", "Took two calls.", "for another 1 hour", `value="3" checked`, `id="solved-no" name="solved" value="no" checked`, ">Took two calls.</textarea>", "Change my answer"},
			hasNot: []string{`value="4" checked`},
			answer: answered("en", first).Answer,
		},
		{
			name: "the answer changes within 24 h and keeps its first time", stored: answered("en", first), method: "POST", tok: ok4, body: good,
			status: 200, page: "thanks", has: []string{"Your answer has been changed."},
			answer: &survey.Answer{Rating: 5, Solved: yes(), Comment: "Fixed on the first call, thank you!", At: now, FirstAt: first},
		},
		{
			name: "an answered survey after 24 h shows the answer without a form", stored: answered("en", now.Add(-25*time.Hour)), method: "GET", tok: ok4,
			status: 200, page: "answered", has: []string{"You have already answered", "3 – Neutral", "can no longer be changed"}, hasNot: []string{"<form"},
			answer: answered("en", now.Add(-25*time.Hour)).Answer,
		},
		{
			name: "a POST after 24 h is 409 already answered", stored: answered("en", now.Add(-25*time.Hour)), method: "POST", tok: ok4, body: good,
			status: 409, page: "error", has: []string{"You have already answered"}, hasNot: []string{"<form"},
			answer: answered("en", now.Add(-25*time.Hour)).Answer,
		},
		{
			name: "a POST exactly 24 h after the first answer is 409", stored: answered("en", now.Add(-survey.ChangeWindow)), method: "POST", tok: ok4, body: good,
			status: 409, page: "error", answer: answered("en", now.Add(-survey.ChangeWindow)).Answer,
		},
		{
			name: "a POST with bad input after 24 h is 409, not 400", stored: answered("en", now.Add(-25*time.Hour)), method: "POST", tok: ok4, body: form(csrfFor(ok4), "9", "", ""),
			status: 409, page: "error", answer: answered("en", now.Add(-25*time.Hour)).Answer,
		},
		{
			name: "a tampered token is 404 revealing nothing", stored: sample("en"), method: "GET", tok: tampered,
			status: 404, page: "error", has: []string{"Link not found", "链接无效", `lang="zh-CN"`}, hasNot: []string{"48213", "<form"},
		},
		{
			name: "a tampered token POSTed is 404 and records nothing", stored: sample("en"), method: "POST", tok: tampered, body: form(csrfFor(tampered), "5", "", ""),
			status: 404, page: "error",
		},
		{
			name: "a token of a survey the store does not hold is 404", stored: sample("en"), method: "GET", tok: unknown, status: 404, page: "error",
		},
		{
			name: "an assessment token is 404 here", stored: sample("en"), method: "GET", tok: assessment, status: 404, page: "error",
		},
		{
			name: "an empty token is 404", stored: sample("en"), method: "GET", tok: "", status: 404, page: "error",
		},
		{
			name: "an expired token is 410", stored: sample("en"), method: "GET", tok: expired,
			status: 410, page: "error", has: []string{"This link has expired", "链接已过期"}, hasNot: []string{"<form"},
		},
		{
			name: "an expired token POSTed is 410 and records nothing", stored: sample("en"), method: "POST", tok: expired, body: form(csrfFor(expired), "5", "", ""),
			status: 410, page: "error",
		},
		{
			name: "a browser asking for Chinese gets the Chinese error first", stored: sample("en"), method: "GET", tok: tampered,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["accept-language"] = "zh-CN,zh;q=0.9,en;q=0.8" },
			status: 404, page: "error", has: []string{`<html lang="zh-CN">`, `<section class="card" lang="en">`},
		},
		{
			name: "a POST without csrf is 403", stored: sample("en"), method: "POST", tok: ok4, body: form("", "5", "", ""),
			status: 403, page: "forbidden", has: []string{"Please send the form again"},
		},
		{
			name: "a POST with a wrong csrf is 403", stored: sample("en"), method: "POST", tok: ok4, body: form(csrfFor(ok4)[1:]+"A", "5", "", ""),
			status: 403, page: "forbidden",
		},
		{
			name: "a POST with the csrf of another link is 403", stored: sample("en"), method: "POST", tok: ok4, body: form(csrfFor(surveyLink(t, 5)), "5", "", ""),
			status: 403, page: "forbidden",
		},
		{
			name: "a POST from another origin is 403", stored: sample("en"), method: "POST", tok: ok4, body: good,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["origin"] = "https://evil.example.net" },
			status: 403, page: "forbidden",
		},
		{
			name: "a POST with Origin null and the right csrf is accepted", stored: sample("en"), method: "POST", tok: ok4, body: good,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["origin"] = "null" },
			status: 200, page: "thanks",
			answer: &survey.Answer{Rating: 5, Solved: yes(), Comment: "Fixed on the first call, thank you!", At: now, FirstAt: now},
		},
		{
			name: "a POST with our origin on its default port is accepted", stored: sample("en"), method: "POST", tok: ok4, body: good,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["origin"] = "https://Feedback.Example.com:443" },
			status: 200, page: "thanks",
			answer: &survey.Answer{Rating: 5, Solved: yes(), Comment: "Fixed on the first call, thank you!", At: now, FirstAt: now},
		},
		{
			name: "a POST without Origin and the right csrf is accepted", stored: sample("en"), method: "POST", tok: ok4, body: form(csrfFor(ok4), "1", "no", ""),
			edit:   func(r *events.APIGatewayV2HTTPRequest) { delete(r.Headers, "origin") },
			status: 200, page: "thanks", answer: &survey.Answer{Rating: 1, Solved: new(bool), At: now, FirstAt: now},
		},
		{
			name: "a rating of 6 is 400 naming the problem, form kept", stored: sample("en"), method: "POST", tok: ok4, body: form(csrfFor(ok4), "6", "yes", "my words"),
			status: 400, page: "invalid", has: []string{"Please choose a rating from 1 to 5.", `role="alert"`, ">my words</textarea>", `value="yes" checked`, `value="4" checked`},
		},
		{
			name: "no rating is 400", stored: sample("zh-CN"), method: "POST", tok: ok4, body: form(csrfFor(ok4), "", "", ""),
			status: 400, page: "invalid", has: []string{"请选择 1 到 5 的评分。"},
		},
		{
			name: "solved other than yes or no is 400", stored: sample("en"), method: "POST", tok: ok4, body: form(csrfFor(ok4), "5", "maybe", ""),
			status: 400, page: "invalid", has: []string{"with Yes or No"},
		},
		{
			name: "a comment over 2000 characters is 400 with its length", stored: sample("en"), method: "POST", tok: ok4, body: form(csrfFor(ok4), "5", "", strings.Repeat("很", 2001)),
			status: 400, page: "invalid", has: []string{"2001 characters long", "at most 2000"},
		},
		{
			name: "a comment that is not UTF-8 is 400", stored: sample("en"), method: "POST", tok: ok4, body: "csrf=" + csrfFor(ok4) + "&rating=5&comment=%ff%fe",
			status: 400, page: "invalid", has: []string{"cannot read"},
		},
		{
			name: "a JSON body is 400", stored: sample("en"), method: "POST", tok: ok4, body: `{"rating":5}`,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["content-type"] = "application/json" },
			status: 400, page: "invalid", has: []string{"could not read the form"},
		},
		{
			name: "a body that is not valid base64 is 400", stored: sample("en"), method: "POST", tok: ok4, body: "%%%",
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.IsBase64Encoded = true },
			status: 400, page: "invalid",
		},
		{
			name: "a body over 32 KB is 413", stored: sample("en"), method: "POST", tok: ok4, body: good + "&x=" + strings.Repeat("x", surveyform.MaxForm),
			status: 413, page: "invalid", has: []string{"too large"},
		},
		{
			name: "an unsubscribe GET shows a confirm button and records nothing", stored: sample("en"), method: "GET", tok: unsub,
			status: 200, page: "unsubscribe", has: []string{"Unsubscribe from surveys", `<button type="submit">Unsubscribe</button>`, `value="` + csrfFor(unsub) + `"`},
		},
		{
			name: "an unsubscribe GET is in the browser's language", stored: sample("en"), method: "GET", tok: unsub,
			edit: func(r *events.APIGatewayV2HTTPRequest) {
				r.Headers["accept-language"] = "fr;q=1, zh-Hans;q=0.8, en;q=0.5"
			},
			status: 200, page: "unsubscribe", has: []string{`<html lang="zh-CN">`, "退订满意度调查"},
		},
		{
			name: "an unsubscribe POST opts out", stored: sample("en"), method: "POST", tok: unsub, body: form(csrfFor(unsub), "", "", ""),
			status: 200, page: "unsubscribed", has: []string{"You are unsubscribed"}, optOut: true,
		},
		{
			name: "an unsubscribe POST without csrf is 403", stored: sample("en"), method: "POST", tok: unsub, body: "",
			status: 403, page: "forbidden",
		},
		{
			name: "an unsubscribe POST from another origin is 403", stored: sample("en"), method: "POST", tok: unsub, body: form(csrfFor(unsub), "", "", ""),
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["origin"] = "http://feedback.example.com" },
			status: 403, page: "forbidden",
		},
		{
			name: "an unsubscribe POST with an unreadable body is 400", stored: sample("en"), method: "POST", tok: unsub, body: "csrf=%zz",
			status: 400, page: "error",
		},
		{
			name: "an unsubscribe POST with a form of another type is 400", stored: sample("en"), method: "POST", tok: unsub, body: form(csrfFor(unsub), "", "", ""),
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["content-type"] = "multipart/form-data; boundary=x" },
			status: 400, page: "error",
		},
		{
			name: "the token is read from the raw path without path parameters", stored: sample("en"), method: "GET", tok: ok4,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.PathParameters = nil; r.RawPath = "/prod/s/" + ok4 },
			status: 200, page: "form", has: []string{`value="4" checked`},
		},
		{
			name: "a PUT is 405 with Allow", stored: sample("en"), method: "PUT", tok: ok4, body: good,
			status: 405, page: "error", headers: map[string]string{"Allow": "GET, POST"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := surveyform.NewMemStore(tc.stored)
			resp := invoke(t, handler(store, nil), request(t, tc.method, tc.tok, tc.body, tc.edit))
			formtest.CheckAnswer(t, resp, tc.status, tc.page, tc.headers, tc.has, tc.hasNot)
			got, err := store.Survey(context.Background(), surveyID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.answer, got.Answer); diff != "" {
				t.Errorf("stored answer (-want +got):\n%s", diff)
			}
			if _, out := store.OptedOut(sample("").CustomerKey); out != tc.optOut {
				t.Errorf("opted out: %v, want %v", out, tc.optOut)
			}
		})
	}
}

func TestEveryInvalidTokenGetsTheSamePage(t *testing.T) {
	store := surveyform.NewMemStore(sample("en"))
	good := surveyLink(t, 4)
	var first string
	for i, tok := range []string{
		"x", good[:len(good)-1], good + "A", strings.Repeat("A", 600),
		sign(t, token.KindAssessment, surveyID, 0, sample("").ExpiresAt),
		sign(t, token.KindSurvey, "zendesk-0-1", 4, sample("").ExpiresAt),
		func() string {
			tk, _ := token.Sign([]byte("other key"), token.Claims{Kind: "survey", Subject: surveyID, Rating: 4, Expires: sample("").ExpiresAt})
			return tk
		}(),
	} {
		for _, method := range []string{"GET", "POST"} {
			resp := invoke(t, handler(store, nil), request(t, method, tok, form(csrfFor(tok), "5", "", ""), nil))
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("token %d %s: status %d", i, method, resp.StatusCode)
			}
			if first == "" {
				first = resp.Body
			} else if resp.Body != first {
				t.Errorf("token %d %s: a different 404 page", i, method)
			}
		}
	}
}

// A mail scanner opens every link of the mail, with GET and HEAD: nothing
// is recorded, every link shows a page.
func TestPrefetchingTheMailRecordsNothing(t *testing.T) {
	for _, locale := range []string{"en", "zh-CN"} {
		t.Run(locale, func(t *testing.T) {
			s := sample(locale)
			store := surveyform.NewMemStore(s)
			m, err := surveyform.Mail(key, base, s)
			if err != nil {
				t.Fatal(err)
			}
			links := mailLinks(t, m.HTML)
			if len(links) != 6 {
				t.Fatalf("%d links in the mail, want 6", len(links))
			}
			for _, l := range links {
				tok := strings.TrimPrefix(l, base+"/s/")
				for _, method := range []string{"GET", "HEAD"} {
					resp := invoke(t, handler(store, nil), request(t, method, tok, "", func(r *events.APIGatewayV2HTTPRequest) {
						r.Headers = map[string]string{"user-agent": "Mozilla/5.0 (compatible; SafeLinks-Prefetch/1.0)", "accept": "*/*"}
					}))
					if resp.StatusCode != 200 {
						t.Errorf("%s %s: %d", method, l, resp.StatusCode)
					}
				}
			}
			got, _ := store.Survey(context.Background(), s.ID)
			if got.Answer != nil {
				t.Errorf("prefetching recorded an answer: %+v", got.Answer)
			}
			if _, out := store.OptedOut(s.CustomerKey); out {
				t.Error("prefetching opted the customer out")
			}
		})
	}
}

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)

func mailLinks(t *testing.T, html string) []string {
	t.Helper()
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(html, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

// failing is a store whose every call fails with err.
type failing struct{ err error }

func (f failing) Survey(context.Context, string) (survey.Survey, error) {
	return survey.Survey{}, f.err
}
func (f failing) Answer(context.Context, string, survey.Answer, time.Time) (survey.Survey, error) {
	return survey.Survey{}, f.err
}
func (f failing) OptOut(context.Context, string, time.Time) error { return f.err }

// answerFails reads from a MemStore and fails writes.
type answerFails struct {
	*surveyform.MemStore
	err error
}

func (a answerFails) Answer(context.Context, string, survey.Answer, time.Time) (survey.Survey, error) {
	return survey.Survey{}, a.err
}
func (a answerFails) OptOut(context.Context, string, time.Time) error { return a.err }

func TestStorageFaults(t *testing.T) {
	down := errcode.Wrap(errcode.Unavailable, errors.New("dial tcp 10.1.2.3:8000: connection refused"), "storage unavailable; retry")
	bug := errors.New("nil map at 10.9.9.9")
	ok4, unsub := surveyLink(t, 4), unsubscribeLink(t)
	tests := []struct {
		name   string
		store  survey.Store
		method string
		tok    string
		body   string
		status int
	}{
		{"reading the survey fails: 503", failing{down}, "GET", ok4, "", 503},
		{"an unexpected error: 500", failing{bug}, "GET", ok4, "", 500},
		{"storing the answer fails: 503", answerFails{surveyform.NewMemStore(sample("en")), down}, "POST", ok4, form(csrfFor(ok4), "5", "", ""), 503},
		{"storing the opt-out fails: 503", answerFails{surveyform.NewMemStore(sample("en")), down}, "POST", unsub, form(csrfFor(unsub), "", "", ""), 503},
		{"the answer was closed meanwhile: 409", answerFails{surveyform.NewMemStore(sample("en")), errcode.Errorf(errcode.Conflict, "already answered")}, "POST", ok4, form(csrfFor(ok4), "5", "", ""), 409},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := invoke(t, handler(tc.store, nil), request(t, tc.method, tc.tok, tc.body, nil))
			formtest.CheckFault(t, resp, tc.status)
		})
	}
}

func TestAnUnconfiguredHandlerIs500(t *testing.T) {
	for name, h := range map[string]*surveyform.Handler{
		"no store": {Config: formkit.Config{Key: key, Now: time.Now}},
		"no key":   {Config: formkit.Config{Now: time.Now}, Store: surveyform.NewMemStore()},
		"no clock": {Config: formkit.Config{Key: key}, Store: surveyform.NewMemStore()},
	} {
		t.Run(name, func(t *testing.T) {
			resp := invoke(t, h, request(t, "GET", surveyLink(t, 4), "", nil))
			formtest.CheckFault(t, resp, 500)
		})
	}
}

func TestAForeignOriginIsRefusedWithoutABaseURL(t *testing.T) {
	store := surveyform.NewMemStore(sample("en"))
	h := handler(store, nil)
	h.BaseURL = ""
	tok := surveyLink(t, 4)
	resp := invoke(t, h, request(t, "POST", tok, form(csrfFor(tok), "5", "", ""), nil))
	if resp.StatusCode != 403 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// The change window, minute by minute: the page counts down, then closes.
func TestTheChangeWindowCountsDown(t *testing.T) {
	first := now.Add(-time.Hour)
	store := surveyform.NewMemStore(answered("en", first))
	c := formtest.NewClock(time.Time{})
	h := handler(store, c)
	tok := surveyLink(t, 5)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{first.Add(time.Minute), "for another 24 hours"},
		{first.Add(23*time.Hour + 30*time.Minute), "for another 30 minutes"},
		{first.Add(24*time.Hour - 30*time.Second), "for another 1 minute"},
		{first.Add(24 * time.Hour), "can no longer be changed"},
	} {
		c.Set(tc.at)
		resp := invoke(t, h, request(t, "GET", tok, "", nil))
		if !strings.Contains(resp.Body, tc.want) {
			t.Errorf("at %v: page lacks %q", tc.at.Sub(first), tc.want)
		}
		if tc.want != "can no longer be changed" && !strings.Contains(resp.Body, `value="3" checked`) {
			t.Errorf("at %v: the form should hold the stored rating, not the link's", tc.at.Sub(first))
		}
	}
	c.Set(first.Add(time.Hour))
	zh := surveyform.NewMemStore(answered("zh-CN", first))
	if resp := invoke(t, handler(zh, c), request(t, "GET", tok, "", nil)); !strings.Contains(resp.Body, "您还可以在 23 小时内修改回答") {
		t.Errorf("zh-CN count-down missing:\n%s", resp.Body)
	}
}

// FuzzHandleToken: any token, method and body → a page with one of the
// expected statuses, never a panic, and nothing recorded for a token that is
// not ours.
func FuzzHandleToken(f *testing.F) {
	ok := surveyLink(f, 4)
	f.Add(ok, "GET", "")
	f.Add(ok, "POST", form(csrfFor(ok), "5", "yes", "x"))
	f.Add(unsubscribeLink(f), "POST", form(csrfFor(unsubscribeLink(f)), "", "", ""))
	f.Add(ok[:len(ok)-2], "POST", "rating=5")
	f.Add("../../etc/passwd", "GET", "")
	f.Add("%00", "DELETE", "")
	f.Fuzz(func(t *testing.T, tok, method, body string) {
		store := surveyform.NewMemStore(sample("en"))
		resp := invoke(t, handler(store, nil), request(t, method, tok, body, nil))
		switch resp.StatusCode {
		case 200, 400, 403, 404, 405, 409, 410, 413:
		default:
			t.Fatalf("status %d", resp.StatusCode)
		}
		if resp.Headers["Content-Security-Policy"] == "" || !strings.HasPrefix(resp.Body, "<!DOCTYPE html>") {
			t.Fatalf("not a page: %v %q", resp.Headers, resp.Body)
		}
		if _, err := token.Parse(key, tok, now); err != nil {
			if resp.StatusCode != 404 && resp.StatusCode != 405 {
				t.Fatalf("an invalid token got %d", resp.StatusCode)
			}
			got, _ := store.Survey(context.Background(), surveyID)
			if _, out := store.OptedOut(sample("").CustomerKey); got.Answer != nil || out {
				t.Fatal("an invalid token recorded something")
			}
		}
	})
}

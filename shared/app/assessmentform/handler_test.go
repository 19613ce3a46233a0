package assessmentform_test

import (
	"context"
	"encoding/base64"
	"errors"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/assessmentform"
	"scorecard/shared/app/formkit"
	"scorecard/shared/app/token"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
	"scorecard/shared/devkit/formtest"
)

func TestPages(t *testing.T) {
	lk, sk := link(t, leadID), link(t, selfID)
	tampered := lk[:20] + "A" + lk[21:]
	if lk[20] == 'A' {
		tampered = lk[:20] + "B" + lk[21:]
	}
	after := deadline.Add(time.Minute)
	earlier := lead("en")
	earlier.Deadline = now.Add(-time.Hour) // moved earlier after the mail: the link is still valid
	first := now.Add(-24 * time.Hour)
	noEngineers := lead("en")
	noEngineers.Engineers = nil
	bad := goodRows()
	bad["E014"][2] = "85.55"
	bad["E015"][0] = ""
	bad["E016"][1] = "101"
	bad["E016"][3] = "Strong quarter <b>overall</b>"
	unreadable := goodRows()
	unreadable["E015"][1] = "seventy"
	long := goodRows()
	long["E015"][3] = strings.Repeat("好", 2001)
	withoutE016 := goodRows()
	delete(withoutE016, "E016")
	selfRows := map[string]*row{"E014": {"80", "77.5", "90", "Learned the new RMA process."}}
	lenient := map[string]*row{"E014": {" ８０ ", "77,5", "90.0", "  "}}

	tests := []struct {
		name      string
		stored    assessment.Assessment
		at        time.Time // the clock; now when zero
		method    string
		tok       string
		body      string
		edit      func(*events.APIGatewayV2HTTPRequest)
		status    int
		page      string
		has       []string
		hasNot    []string
		answers   map[string]assessment.Scores // stored afterwards
		submitted time.Time                    // SubmittedAt afterwards
		headers   map[string]string
	}{
		{
			name: "a lead's GET shows one fieldset per engineer and records nothing", stored: lead("en"), method: "GET", tok: lk,
			status: 200, page: "form",
			has: []string{
				`<html lang="en">`, "Team assessment · October 2026", "Rate each of your 3 engineers for October 2026",
				"The form closes on Friday 30 October 2026, 18:00 (Asia/Shanghai, UTC+8).",
				"<legend>Li Wei</legend>", "<legend>Chen Jie</legend>", "<legend>Wang Fang</legend>",
				`<label for="e0-attitude">Attitude</label>`, `<label for="e1-problem_solving">Problem solving</label>`, `<label for="e2-collaboration">Collaboration</label>`,
				`<input type="number" id="e1-attitude" name="attitude:E015" value="" min="0" max="100" step="0.1" inputmode="decimal" autocomplete="off" required aria-describedby="scale-hint">`,
				`<label class="comment" for="e2-comment">Comment <span class="opt">(optional)</span></label>`,
				`<textarea id="e2-comment" name="comment:E016" maxlength="2000"`,
				`name="csrf" value="` + csrfFor(lk) + `"`, `<button type="submit">Submit assessment</button>`,
			},
			hasNot: []string{"<script", `src="http`, "zhou.min", "Zhou.Min", `aria-invalid="true"`},
		},
		{
			name: "a lead's GET in zh-CN is in Chinese, with Beijing time", stored: lead("zh-CN"), method: "GET", tok: lk,
			status: 200, page: "form",
			has: []string{`<html lang="zh-CN">`, "2026年10月主管评估", "<legend>李伟</legend>", ">工作态度</label>", ">问题解决能力</label>", ">团队协作</label>",
				"表单将于2026年10月30日（星期五）18:00（北京时间）关闭。", "提交评估"},
		},
		{
			name: "a self-assessment GET shows one fieldset about oneself", stored: self("en"), method: "GET", tok: sk,
			status: 200, page: "form",
			has:    []string{"Self-assessment · October 2026", "Rate yourself for October 2026", "<legend>Li Wei</legend>", `name="attitude:E014"`},
			hasNot: []string{"Chen Jie", "E015"},
		},
		{
			name: "a HEAD records nothing", stored: lead("en"), method: "HEAD", tok: lk, status: 200, page: "form",
		},
		{
			name: "a lead's POST stores every engineer's scores", stored: lead("en"), method: "POST", tok: lk, body: fixture,
			status: 200, page: "thanks",
			has: []string{"Thank you!", "Your assessment has been recorded.", "<h2>Li Wei</h2>", "<dt>Problem solving</dt><dd>91.5</dd>",
				"Took over the Shenzhen escalations.", "<h2>Wang Fang</h2>", "<dt>Collaboration</dt><dd>97</dd>",
				"You can change it until Friday 30 October 2026, 18:00 (Asia/Shanghai, UTC+8) by opening the link"},
			hasNot:  []string{"<form"},
			answers: fixtureAnswers, submitted: now,
		},
		{
			name: "a self POST stores the scores", stored: self("zh-CN"), method: "POST", tok: sk, body: form(csrfFor(sk), selfRows),
			status: 200, page: "thanks", has: []string{"感谢您！", "<h2>李伟</h2>", "<dt>问题解决能力</dt><dd>77.5</dd>", "Learned the new RMA process."},
			answers:   map[string]assessment.Scores{"E014": {Attitude: 80, ProblemSolving: 77.5, Collaboration: 90, Comment: "Learned the new RMA process."}},
			submitted: now,
		},
		{
			name: "scores typed with full-width digits, a decimal comma or .0 are read", stored: self("en"), method: "POST", tok: sk, body: form(csrfFor(sk), lenient),
			status: 200, page: "thanks", answers: map[string]assessment.Scores{"E014": {Attitude: 80, ProblemSolving: 77.5, Collaboration: 90}}, submitted: now,
		},
		{
			name: "a base64 body is read", stored: lead("en"), method: "POST", tok: lk, body: base64.StdEncoding.EncodeToString([]byte(form(csrfFor(lk), goodRows()))),
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.IsBase64Encoded = true },
			status: 200, page: "thanks", answers: fixtureAnswers, submitted: now,
		},
		{
			name: "a submitted assessment shows the form filled, changeable until the deadline", stored: submitted("en", first), method: "GET", tok: lk,
			status: 200, page: "submitted",
			has: []string{"You submitted this assessment on Tuesday 27 October 2026, 14:12 (Asia/Shanghai, UTC+8). You can change it until Friday 30 October 2026, 18:00 (Asia/Shanghai, UTC+8).",
				`name="problem_solving:E014" value="72.5"`, `name="attitude:E016" value="90"`, ">Needs to document fixes.</textarea>", "Save changes"},
			answers: submitted("en", first).Answers, submitted: first,
		},
		{
			name: "a resubmission before the deadline replaces the answers", stored: submitted("en", first), method: "POST", tok: lk, body: fixture,
			status: 200, page: "thanks", has: []string{"Changes saved", "Your assessment has been updated.", "<dd>91.5</dd>"}, hasNot: []string{"Needs to document fixes."},
			answers: fixtureAnswers, submitted: now,
		},
		{
			name: "after the deadline a GET is 410 closed", stored: submitted("en", first), at: after, method: "GET", tok: lk,
			status: 410, page: "closed",
			has:     []string{"The assessment is closed", "The team assessment for October 2026 closed on Friday 30 October 2026, 18:00 (Asia/Shanghai, UTC+8)."},
			hasNot:  []string{"<form", "72.5", "Needs to document"},
			answers: submitted("en", first).Answers, submitted: first,
		},
		{
			name: "after the deadline a POST is 410 and stores nothing", stored: lead("en"), at: after, method: "POST", tok: lk, body: fixture,
			status: 410, page: "closed", has: []string{"The assessment is closed"},
		},
		{
			name: "after the deadline a resubmission is 410 and keeps the answers", stored: submitted("zh-CN", first), at: after, method: "POST", tok: lk, body: fixture,
			status: 410, page: "closed", has: []string{`<html lang="zh-CN">`, "评估已截止", "2026年10月的主管评估已于2026年10月30日（星期五）18:00（北京时间）截止"},
			answers: submitted("zh-CN", first).Answers, submitted: first,
		},
		{
			name: "exactly at the deadline the form is closed", stored: lead("en"), at: deadline, method: "POST", tok: lk, body: fixture,
			status: 410, page: "closed",
		},
		{
			name: "a deadline moved earlier closes the form though the link is valid", stored: earlier, method: "POST", tok: lk, body: fixture,
			status: 410, page: "closed", has: []string{"closed on Wednesday 28 October 2026, 13:12"},
		},
		{
			name: "an expired link of an assessment the store no longer holds is 410 in both languages", stored: self("en"), at: after, method: "GET", tok: lk,
			status: 410, page: "closed", has: []string{"The assessment is closed", "评估已截止"},
		},
		{
			name: "a tampered link is 404 revealing nothing", stored: lead("en"), method: "GET", tok: tampered,
			status: 404, page: "error", has: []string{"Link not found", "链接无效", `<section class="card" lang="zh-CN">`}, hasNot: []string{"Li Wei", "<form"},
		},
		{
			name: "a tampered link POSTed is 404 and stores nothing", stored: lead("en"), method: "POST", tok: tampered, body: fixture,
			status: 404, page: "error",
		},
		{
			name: "a survey link is 404 here", stored: lead("en"), method: "GET", tok: sign(t, token.KindSurvey, leadID, deadline), status: 404, page: "error",
		},
		{
			name: "a link to an assessment the store does not hold is 404", stored: lead("en"), method: "GET", tok: sk, status: 404, page: "error",
		},
		{
			name: "an empty token is 404", stored: lead("en"), method: "GET", tok: "", status: 404, page: "error",
		},
		{
			name: "a browser asking for Chinese gets the Chinese 404 first", stored: lead("en"), method: "GET", tok: tampered,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["accept-language"] = "zh-CN,zh;q=0.9,en;q=0.8" },
			status: 404, page: "error", has: []string{`<html lang="zh-CN">`, `<section class="card" lang="en">`},
		},
		{
			name: "a POST without csrf is 403 and stores nothing", stored: lead("en"), method: "POST", tok: lk, body: form("", goodRows()),
			status: 403, page: "forbidden", has: []string{"Please send the form again"},
		},
		{
			name: "a POST with a wrong csrf is 403", stored: lead("en"), method: "POST", tok: lk, body: form(csrfFor(lk)[1:]+"A", goodRows()),
			status: 403, page: "forbidden",
		},
		{
			name: "a POST with the csrf of another link is 403", stored: lead("en"), method: "POST", tok: lk, body: form(csrfFor(link(t, leadID)), goodRows()),
			status: 403, page: "forbidden",
		},
		{
			name: "a POST from another origin is 403", stored: lead("en"), method: "POST", tok: lk, body: fixture,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["origin"] = "https://evil.example.net" },
			status: 403, page: "forbidden",
		},
		{
			name: "a POST from our origin on its default port is accepted", stored: lead("en"), method: "POST", tok: lk, body: fixture,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["origin"] = "https://Scorecard.Example.com:443" },
			status: 200, page: "thanks", answers: fixtureAnswers, submitted: now,
		},
		{
			name: "a POST without Origin and the right csrf is accepted", stored: lead("en"), method: "POST", tok: lk, body: fixture,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { delete(r.Headers, "origin") },
			status: 200, page: "thanks", answers: fixtureAnswers, submitted: now,
		},
		{
			name: "bad scores are 400 naming engineer and field, input kept, nothing stored", stored: lead("en"), method: "POST", tok: lk, body: form(csrfFor(lk), bad),
			status: 400, page: "invalid",
			has: []string{
				`role="alert"`, "Nothing has been saved yet. 3 fields need attention:",
				`<a href="#e0-collaboration">Li Wei – Collaboration: Use at most one decimal place.</a>`,
				`<a href="#e1-attitude">Chen Jie – Attitude: Enter a score from 0 to 100.</a>`,
				`<a href="#e2-problem_solving">Wang Fang – Problem solving: Enter a number from 0 to 100.</a>`,
				`name="problem_solving:E016" value="101" min="0" max="100" step="0.1" inputmode="decimal" autocomplete="off" required aria-invalid="true" aria-describedby="e2-problem_solving-error scale-hint">`,
				`<p class="err" id="e2-problem_solving-error">Enter a number from 0 to 100.</p>`,
				`name="collaboration:E014" value="85.55"`, `name="problem_solving:E014" value="91.5"`,
				">Strong quarter &lt;b&gt;overall&lt;/b&gt;</textarea>",
			},
			hasNot: []string{"<b>overall"},
		},
		{
			name: "a resubmission with a bad score is 400 and keeps the earlier answers", stored: submitted("en", first), method: "POST", tok: lk, body: form(csrfFor(lk), unreadable),
			status: 400, page: "invalid", has: []string{"Chen Jie – Problem solving: Enter a number from 0 to 100.", `value="seventy"`},
			answers: submitted("en", first).Answers, submitted: first,
		},
		{
			name: "a form without an engineer's fields is 400 naming each of them", stored: lead("en"), method: "POST", tok: lk, body: form(csrfFor(lk), withoutE016),
			status: 400, page: "invalid", has: []string{"3 fields need attention", "Wang Fang – Attitude: Enter a score from 0 to 100.", "Wang Fang – Collaboration: Enter a score from 0 to 100."},
		},
		{
			name: "problems are named in Chinese for a Chinese form", stored: lead("zh-CN"), method: "POST", tok: lk, body: form(csrfFor(lk), bad),
			status: 400, page: "invalid", has: []string{"尚未保存任何内容。3处需要修改：", "陈杰 – 工作态度：请填写 0 到 100 的分数。", "王芳 – 问题解决能力：请输入 0 到 100 之间的数字。", "李伟 – 团队协作：最多保留一位小数。"},
		},
		{
			name: "a comment over 2000 characters is 400 with its length", stored: lead("en"), method: "POST", tok: lk, body: form(csrfFor(lk), long),
			status: 400, page: "invalid", has: []string{"Chen Jie – Comment: The comment is 2001 characters long; please shorten it to at most 2000."},
		},
		{
			name: "a JSON body is 400", stored: lead("en"), method: "POST", tok: lk, body: `{"attitude":5}`,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.Headers["content-type"] = "application/json" },
			status: 400, page: "invalid", has: []string{"We could not read the form."},
		},
		{
			name: "a body that is not valid base64 is 400", stored: lead("en"), method: "POST", tok: lk, body: "%%%",
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.IsBase64Encoded = true },
			status: 400, page: "invalid",
		},
		{
			name: "a body that is not a form is 400", stored: lead("en"), method: "POST", tok: lk, body: "csrf=%zz",
			status: 400, page: "invalid", has: []string{"We could not read the form."},
		},
		{
			name: "a body too large for the team is 413", stored: self("en"), method: "POST", tok: sk, body: form(csrfFor(sk), selfRows) + "&x=" + strings.Repeat("x", assessmentform.MaxFormBytes(1)),
			status: 413, page: "invalid", has: []string{"The form is too large."},
		},
		{
			name: "the token is read from the raw path without path parameters", stored: lead("en"), method: "GET", tok: lk,
			edit:   func(r *events.APIGatewayV2HTTPRequest) { r.PathParameters = nil; r.RawPath = "/prod/a/" + lk },
			status: 200, page: "form",
		},
		{
			name: "a PUT is 405 with Allow", stored: lead("en"), method: "PUT", tok: lk, body: fixture,
			status: 405, page: "error", headers: map[string]string{"Allow": "GET, POST"},
		},
		{
			name: "an assessment without engineers cannot be shown: 500", stored: noEngineers, method: "GET", tok: lk,
			status: 500, page: "error", has: []string{"Something went wrong"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := assessmentform.NewMemStore(tc.stored)
			c := formtest.NewClock(now)
			if !tc.at.IsZero() {
				c.Set(tc.at)
			}
			resp := invoke(t, handler(store, c), request(t, tc.method, tc.tok, tc.body, tc.edit))
			formtest.CheckAnswer(t, resp, tc.status, tc.page, tc.headers, tc.has, tc.hasNot)
			got, err := store.Assessment(context.Background(), tc.stored.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.answers, got.Answers); diff != "" {
				t.Errorf("stored answers (-want +got):\n%s", diff)
			}
			if !got.SubmittedAt.Equal(tc.submitted) {
				t.Errorf("submitted at %v, want %v", got.SubmittedAt, tc.submitted)
			}
		})
	}
}

func TestEveryInvalidTokenGetsTheSamePage(t *testing.T) {
	store := assessmentform.NewMemStore(lead("en"))
	good := link(t, leadID)
	var first string
	for i, tok := range []string{
		"x", good[:len(good)-1], good + "A", strings.Repeat("A", 600), "../../etc/passwd",
		sign(t, token.KindSurvey, leadID, deadline),
		sign(t, token.KindUnsubscribe, leadID, deadline),
		sign(t, token.KindAssessment, "no-such-assessment", deadline),
		func() string {
			tk, _ := token.Sign([]byte("other key"), token.Claims{Kind: token.KindAssessment, Subject: leadID, Expires: deadline})
			return tk
		}(),
	} {
		for _, method := range []string{"GET", "POST"} {
			resp := invoke(t, handler(store, nil), request(t, method, tok, form(csrfFor(tok), goodRows()), nil))
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
	if got, _ := store.Assessment(context.Background(), leadID); got.Answers != nil {
		t.Errorf("an invalid link stored answers: %v", got.Answers)
	}
}

// A mail scanner opens the link of every mail, with GET and HEAD: nothing
// is recorded, each shows the form.
func TestPrefetchingTheMailRecordsNothing(t *testing.T) {
	for _, a := range []assessment.Assessment{lead("en"), lead("zh-CN"), self("en")} {
		store := assessmentform.NewMemStore(a)
		for _, reminder := range []bool{false, true} {
			m, err := assessmentform.Invitation(key, base, a, shanghai, reminder)
			if err != nil {
				t.Fatal(err)
			}
			links := mailLinks(m.HTML)
			if len(links) != 1 {
				t.Fatalf("%d links in the mail, want 1", len(links))
			}
			tok := strings.TrimPrefix(links[0], base+"/a/")
			for _, method := range []string{"GET", "HEAD"} {
				resp := invoke(t, handler(store, nil), request(t, method, tok, "", func(r *events.APIGatewayV2HTTPRequest) {
					r.Headers = map[string]string{"user-agent": "Mozilla/5.0 (compatible; SafeLinks-Prefetch/1.0)", "accept": "*/*"}
				}))
				if resp.StatusCode != 200 || formtest.PageOf(resp.Body) != "form" {
					t.Errorf("%s %s: %d %s", method, a.Kind, resp.StatusCode, formtest.PageOf(resp.Body))
				}
			}
		}
		if got, _ := store.Assessment(context.Background(), a.ID); got.Answers != nil || !got.SubmittedAt.IsZero() {
			t.Errorf("prefetching recorded answers: %+v", got.Answers)
		}
	}
}

// failing is a store whose every call fails with err.
type failing struct{ err error }

func (f failing) Assessment(context.Context, string) (assessment.Assessment, error) {
	return assessment.Assessment{}, f.err
}
func (f failing) Submit(context.Context, string, map[string]assessment.Scores, time.Time) (assessment.Assessment, error) {
	return assessment.Assessment{}, f.err
}

// submitFails reads from a MemStore and fails writes.
type submitFails struct {
	*assessmentform.MemStore
	err error
}

func (s submitFails) Submit(context.Context, string, map[string]assessment.Scores, time.Time) (assessment.Assessment, error) {
	return assessment.Assessment{}, s.err
}

func TestStorageFaults(t *testing.T) {
	down := errcode.Wrap(errcode.Unavailable, errors.New("dial tcp 10.1.2.3:8000: connection refused"), "storage unavailable; retry")
	bug := errors.New("nil map at 10.9.9.9")
	lk := link(t, leadID)
	tests := []struct {
		name   string
		store  assessment.Store
		method string
		at     time.Time
		status int
		page   string
	}{
		{"reading the assessment fails: 503", failing{down}, "GET", now, 503, "error"},
		{"an unexpected error: 500", failing{bug}, "GET", now, 500, "error"},
		{"storing the answers fails: 503 in the form's language", submitFails{assessmentform.NewMemStore(lead("zh-CN")), down}, "POST", now, 503, "error"},
		{"the deadline passed while the form was sent: 410", submitFails{assessmentform.NewMemStore(lead("en")), errcode.Errorf(errcode.Gone, "the assessment is closed")}, "POST", now, 410, "closed"},
		{"an expired link while storage is down: 410 in both languages", failing{down}, "GET", deadline, 410, "closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := invoke(t, handler(tc.store, formtest.NewClock(tc.at)), request(t, tc.method, lk, fixture, nil))
			formtest.CheckFault(t, resp, tc.status)
			if got := formtest.PageOf(resp.Body); got != tc.page {
				t.Errorf("page %q, want %q", got, tc.page)
			}
		})
	}
}

func TestAnUnconfiguredHandlerIs500(t *testing.T) {
	quiet := handler(nil, nil).Log
	for name, h := range map[string]*assessmentform.Handler{
		"no store": {Config: formkit.Config{Key: key, Now: time.Now, Log: quiet}},
		"no key":   {Config: formkit.Config{Now: time.Now, Log: quiet}, Store: assessmentform.NewMemStore()},
		"no clock": {Config: formkit.Config{Key: key, Log: quiet}, Store: assessmentform.NewMemStore()},
	} {
		t.Run(name, func(t *testing.T) {
			resp := invoke(t, h, request(t, "GET", link(t, leadID), "", nil))
			formtest.CheckFault(t, resp, 500)
		})
	}
}

func TestAForeignOriginIsRefusedWithoutABaseURL(t *testing.T) {
	store := assessmentform.NewMemStore(lead("en"))
	h := handler(store, nil)
	h.BaseURL = ""
	tok := link(t, leadID)
	resp := invoke(t, h, request(t, "POST", tok, fixture, func(r *events.APIGatewayV2HTTPRequest) { r.Headers["origin"] = base }))
	if resp.StatusCode != 403 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// Without a time zone the deadline is shown in UTC.
func TestTimesAreInUTCWithoutALocation(t *testing.T) {
	h := handler(assessmentform.NewMemStore(lead("en")), nil)
	h.Location = nil
	resp := invoke(t, h, request(t, "GET", link(t, leadID), "", nil))
	if want := "The form closes on Friday 30 October 2026, 10:00 (UTC)."; !strings.Contains(resp.Body, want) {
		t.Errorf("page lacks %q:\n%s", want, resp.Body)
	}
}

// Two engineers of the same name, or one without a name, are told apart
// by their ids.
func TestLegendsTellEngineersApart(t *testing.T) {
	a := lead("en")
	a.Engineers = []assessment.Engineer{{ID: "E014", Name: "Li Wei"}, {ID: "E031", Name: "Li Wei"}, {ID: "E040", Name: " "}}
	resp := invoke(t, handler(assessmentform.NewMemStore(a), nil), request(t, "GET", link(t, leadID), "", nil))
	for _, want := range []string{"<legend>Li Wei (E014)</legend>", "<legend>Li Wei (E031)</legend>", "<legend>E040</legend>"} {
		if !strings.Contains(resp.Body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// FuzzHandle: any token, method and body → a page with one of the expected
// statuses and the security headers, never a panic, and nothing recorded
// but by a POST answered 200.
func FuzzHandle(f *testing.F) {
	// A fixed nonce: under -fuzz every worker process runs this anew, and
	// the seeds must still hold a valid link.
	ok, err := token.Sign(key, token.Claims{Kind: token.KindAssessment, Subject: leadID, Expires: deadline, Nonce: make([]byte, token.NonceLen)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ok, "GET", "")
	f.Add(ok, "POST", form(csrfFor(ok), goodRows()))
	f.Add(ok, "POST", form(csrfFor(ok), map[string]*row{"E014": {"1", "2", "3", ""}}))
	f.Add(ok[:len(ok)-2], "POST", "attitude:E014=5")
	f.Add("../../etc/passwd", "GET", "")
	f.Add("%00", "DELETE", "")
	f.Fuzz(func(t *testing.T, tok, method, body string) {
		store := assessmentform.NewMemStore(lead("en"))
		resp := invoke(t, handler(store, nil), request(t, method, tok, body, nil))
		switch resp.StatusCode {
		case 200, 400, 403, 404, 405, 410, 413:
		default:
			t.Fatalf("status %d", resp.StatusCode)
		}
		if resp.Headers["Content-Security-Policy"] == "" {
			t.Fatal("no CSP")
		}
		got, _ := store.Assessment(context.Background(), leadID)
		if got.Answers != nil && (method != "POST" || resp.StatusCode != 200) {
			t.Fatalf("%s %q stored answers with status %d", method, tok, resp.StatusCode)
		}
	})
}

// A zone is named with its offset at the deadline, half hours and
// daylight saving included.
func TestTimesNameTheirZone(t *testing.T) {
	for zone, want := range map[string]string{
		"Asia/Kolkata":     "The form closes on Friday 30 October 2026, 15:30 (Asia/Kolkata, UTC+5:30).",
		"America/New_York": "The form closes on Friday 30 October 2026, 06:00 (America/New_York, UTC-4).",
	} {
		h := handler(assessmentform.NewMemStore(lead("en")), nil)
		h.Location = mustLoad(zone)
		resp := invoke(t, h, request(t, "GET", link(t, leadID), "", nil))
		if !strings.Contains(html.UnescapeString(resp.Body), want) {
			t.Errorf("%s: page lacks %q", zone, want)
		}
	}
}

// What was typed comes back on a 400 page, a long value cut short (at a
// character boundary) and a long comment whole.
func TestARejectedFormKeepsWhatWasTyped(t *testing.T) {
	rows := goodRows()
	rows["E015"][0] = strings.Repeat("九十", 40)
	rows["E015"][3] = strings.Repeat("很好", 300)
	tok := link(t, leadID)
	resp := invoke(t, handler(assessmentform.NewMemStore(lead("en")), nil), request(t, "POST", tok, form(csrfFor(tok), rows), nil))
	if resp.StatusCode != 400 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if want := `name="attitude:E015" value="` + strings.Repeat("九十", 10) + `…"`; !strings.Contains(resp.Body, want) {
		t.Errorf("page lacks %q", want)
	}
	if !strings.Contains(resp.Body, ">"+strings.Repeat("很好", 300)+"</textarea>") {
		t.Error("the comment was not kept whole")
	}
}

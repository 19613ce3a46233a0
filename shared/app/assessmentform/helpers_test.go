package assessmentform_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/assessmentform"
	"scorecard/shared/app/formkit"
	"scorecard/shared/app/token"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/month"
	"scorecard/shared/devkit/formtest"
)

var (
	key  = []byte("dev-signing-key")
	base = "https://scorecard.example.com"
	// shanghai is the policy's time zone in these tests.
	shanghai = mustLoad("Asia/Shanghai")
	// now is the time of the captured requests in testdata: two days
	// before the deadline.
	now = time.Date(2026, 10, 28, 6, 12, 5, 0, time.UTC)
	// deadline is Friday 30 October 2026, 18:00 in Shanghai.
	deadline = time.Date(2026, 10, 30, 18, 0, 0, 0, shanghai)
	october  = month.Month{Year: 2026, Month: time.October}
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

const leadEmail = "Zhou.Min@Example.com"

var team = []assessment.Engineer{
	{ID: "E014", Name: "Li Wei"},
	{ID: "E015", Name: "Chen Jie"},
	{ID: "E016", Name: "Wang Fang"},
}

var leadID = assessment.ID(october, assessment.Lead, strings.ToLower(leadEmail))

// lead is a team lead's assessment of three engineers, mailed on the
// 27th.
func lead(locale string) assessment.Assessment {
	a := assessment.Assessment{
		ID: leadID, Month: october, Kind: assessment.Lead,
		AssessorKey: strings.ToLower(leadEmail), AssessorEmail: leadEmail, AssessorName: "Zhou Min",
		Locale:    locale,
		Engineers: append([]assessment.Engineer(nil), team...),
		Deadline:  deadline,
		InvitedAt: time.Date(2026, 10, 27, 1, 0, 0, 0, time.UTC),
	}
	if locale == formkit.LocaleZhCN {
		a.AssessorName = "周敏"
		a.Engineers = []assessment.Engineer{{ID: "E014", Name: "李伟"}, {ID: "E015", Name: "陈杰"}, {ID: "E016", Name: "王芳"}}
	}
	return a
}

var selfID = assessment.ID(october, assessment.Self, "E014")

// self is Li Wei's self-assessment.
func self(locale string) assessment.Assessment {
	a := lead(locale)
	a.ID, a.Kind, a.AssessorKey, a.AssessorEmail = selfID, assessment.Self, "E014", "li.wei@example.com"
	a.AssessorName = a.Engineers[0].Name
	a.Engineers = a.Engineers[:1]
	return a
}

// fixtureAnswers is what the captured POST in testdata submits.
var fixtureAnswers = map[string]assessment.Scores{
	"E014": {Attitude: 88, ProblemSolving: 91.5, Collaboration: 85, Comment: "Took over the Shenzhen escalations."},
	"E015": {Attitude: 79, ProblemSolving: 74, Collaboration: 82},
	"E016": {Attitude: 95, ProblemSolving: 90, Collaboration: 97},
}

// submitted is the lead's assessment as submitted at.
func submitted(locale string, at time.Time) assessment.Assessment {
	a := lead(locale)
	a.Answers = map[string]assessment.Scores{
		"E014": {Attitude: 70, ProblemSolving: 72.5, Collaboration: 75, Comment: "Needs to document fixes."},
		"E015": {Attitude: 80, ProblemSolving: 80, Collaboration: 80},
		"E016": {Attitude: 90, ProblemSolving: 90, Collaboration: 90},
	}
	a.SubmittedAt = at
	return a
}

func sign(t testing.TB, kind, subject string, expires time.Time) string {
	t.Helper()
	tok, err := token.Sign(key, token.Claims{Kind: kind, Subject: subject, Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func link(t testing.TB, id string) string { return sign(t, token.KindAssessment, id, deadline) }

// csrfFor is the csrf field as the brief defines it, computed here
// independently of the package.
func csrfFor(tok string) string { return formtest.CSRF(key, tok) }

// row is one engineer's inputs as typed: attitude, problem solving,
// collaboration, comment.
type row [4]string

// form encodes a submitted form; an empty csrf is left out, and so is an
// engineer whose row is nil.
func form(csrf string, rows map[string]*row) string {
	v := url.Values{}
	if csrf != "" {
		v.Set("csrf", csrf)
	}
	for id, r := range rows {
		if r == nil {
			continue
		}
		for i, f := range []string{"attitude", "problem_solving", "collaboration", "comment"} {
			v.Set(f+":"+id, r[i])
		}
	}
	return v.Encode()
}

// goodRows are fixtureAnswers as typed.
func goodRows() map[string]*row {
	return map[string]*row{
		"E014": {"88", "91.5", "85", "Took over the Shenzhen escalations."},
		"E015": {"79", "74", "82", ""},
		"E016": {"95", "90", "97", ""},
	}
}

// clock is a settable Now.
type clock = formtest.Clock

func handler(store assessment.Store, c *clock) *assessmentform.Handler {
	if c == nil {
		c = formtest.NewClock(now)
	}
	return &assessmentform.Handler{Config: formtest.Config(key, c, base), Store: store, Location: shanghai}
}

// fixture, as a request body, keeps the captured POST's body (with its
// csrf field made valid for the token).
const fixture = "\x00fixture"

// request is the captured API Gateway v2 event for method on /a/{tok},
// changed by edit; a fixture body is the captured POST's, its csrf field
// made valid for the token.
func request(t testing.TB, method, tok, body string, edit func(*events.APIGatewayV2HTTPRequest)) []byte {
	t.Helper()
	if body != fixture {
		return formtest.Request(t, "/a/", method, tok, body, edit)
	}
	return formtest.Request(t, "/a/", method, tok, formtest.Captured, func(req *events.APIGatewayV2HTTPRequest) {
		req.Body = strings.Replace(req.Body, "csrf=CSRF", "csrf="+csrfFor(tok), 1)
		if edit != nil {
			edit(req)
		}
	})
}

// invoke runs the handler through the Lambda JSON layer.
func invoke(t testing.TB, h *assessmentform.Handler, payload []byte) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return formtest.Invoke(t, h.Handle, payload)
}

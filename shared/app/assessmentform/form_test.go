package assessmentform_test

import (
	"errors"
	"math"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/assessmentform"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
)

func TestParseForm(t *testing.T) {
	one := team[:1]
	// scores is a body for E014 only.
	scores := func(a, p, c string) string {
		return "attitude%3AE014=" + url.QueryEscape(a) + "&problem_solving%3AE014=" + url.QueryEscape(p) + "&collaboration%3AE014=" + url.QueryEscape(c)
	}
	s := func(a, p, c float64, comment string) map[string]assessment.Scores {
		return map[string]assessment.Scores{"E014": {Attitude: a, ProblemSolving: p, Collaboration: c, Comment: comment}}
	}
	type problem = assessmentform.FieldError
	tests := []struct {
		name      string
		body      string
		engineers []assessment.Engineer
		want      map[string]assessment.Scores
		code      string
		problems  []problem
	}{
		{"whole numbers", scores("88", "0", "100"), one, s(88, 0, 100, ""), "", nil},
		{"one decimal", scores("87.5", "0.1", "99.9"), one, s(87.5, 0.1, 99.9, ""), "", nil},
		{"trailing zeros are fine", scores("87.50", "100.0", "5.000"), one, s(87.5, 100, 5, ""), "", nil},
		{"a decimal comma", scores("87,5", "1", "2"), one, s(87.5, 1, 2, ""), "", nil},
		{"a leading point", scores(".5", "1", "2"), one, s(0.5, 1, 2, ""), "", nil},
		{"leading zeros", scores("007", "1", "2"), one, s(7, 1, 2, ""), "", nil},
		{"surrounding space and full-width digits", scores(" 88 ", "９１．５", "８５"), one, s(88, 91.5, 85, ""), "", nil},
		{"a comment", scores("1", "2", "3") + "&comment%3AE014=" + url.QueryEscape("  Good\r\nwork\x00 "), one, s(1, 2, 3, "Good\nwork"), "", nil},
		{"2000 Chinese characters fit", scores("1", "2", "3") + "&comment%3AE014=" + url.QueryEscape(strings.Repeat("好", 2000)), one, s(1, 2, 3, strings.Repeat("好", 2000)), "", nil},
		{"fields of others and unknown fields are ignored", scores("1", "2", "3") + "&attitude%3AE999=x&utm_source=mail&csrf=abc", one, s(1, 2, 3, ""), "", nil},
		{"three engineers", form("", goodRows()), team, fixtureAnswers, "", nil},
		{"no engineers, nothing to read", "", nil, map[string]assessment.Scores{}, "", nil},
		{"nothing sent: every score is missing", "", one, nil, errcode.Invalid, []problem{
			{Engineer: "E014", Field: "attitude", Problem: "missing"}, {Engineer: "E014", Field: "problem_solving", Problem: "missing"}, {Engineer: "E014", Field: "collaboration", Problem: "missing"}}},
		{"over 100", scores("100.1", "101", "1000"), one, nil, errcode.Invalid, []problem{
			{Engineer: "E014", Field: "attitude", Problem: "number"}, {Engineer: "E014", Field: "problem_solving", Problem: "number"}, {Engineer: "E014", Field: "collaboration", Problem: "number"}}},
		{"negative, exponent, words", scores("-1", "1e2", "ninety"), one, nil, errcode.Invalid, []problem{
			{Engineer: "E014", Field: "attitude", Problem: "number"}, {Engineer: "E014", Field: "problem_solving", Problem: "number"}, {Engineer: "E014", Field: "collaboration", Problem: "number"}}},
		{"not numbers", scores("85.", "NaN", "0x10"), one, nil, errcode.Invalid, []problem{
			{Engineer: "E014", Field: "attitude", Problem: "number"}, {Engineer: "E014", Field: "problem_solving", Problem: "number"}, {Engineer: "E014", Field: "collaboration", Problem: "number"}}},
		{"two decimals", scores("85.55", "85.05", "1.2.3"), one, nil, errcode.Invalid, []problem{
			{Engineer: "E014", Field: "attitude", Problem: "decimals"}, {Engineer: "E014", Field: "problem_solving", Problem: "decimals"}, {Engineer: "E014", Field: "collaboration", Problem: "number"}}},
		{"a huge number", scores(strings.Repeat("9", 40), "1", "2"), one, nil, errcode.Invalid, []problem{{Engineer: "E014", Field: "attitude", Problem: "number"}}},
		{"a field twice", scores("1", "2", "3") + "&attitude%3AE014=4", one, nil, errcode.Invalid, []problem{{Engineer: "E014", Field: "attitude", Problem: "repeated"}}},
		{"a comment twice", scores("1", "2", "3") + "&comment%3AE014=a&comment%3AE014=b", one, nil, errcode.Invalid, []problem{{Engineer: "E014", Field: "comment", Problem: "repeated"}}},
		{"a comment over 2000 characters", scores("1", "2", "3") + "&comment%3AE014=" + strings.Repeat("a", 2001), one, nil, errcode.Invalid, []problem{{Engineer: "E014", Field: "comment", Problem: "long", Length: 2001}}},
		{"a comment that is not UTF-8", scores("1", "2", "3") + "&comment%3AE014=%C3%28", one, nil, errcode.Invalid, []problem{{Engineer: "E014", Field: "comment", Problem: "encoding"}}},
		{"the csrf twice", scores("1", "2", "3") + "&csrf=a&csrf=b", one, nil, errcode.Invalid, []problem{{Field: "csrf", Problem: "repeated"}}},
		{"a bad escape", "attitude%3AE014=%zz", one, nil, errcode.Invalid, []problem{{Problem: "unreadable"}}},
		{"a semicolon separator", scores("1", "2", "3") + ";x=1", one, nil, errcode.Invalid, []problem{{Problem: "unreadable"}}},
		{"over the limit for one engineer", scores("1", "2", "3") + "&x=" + strings.Repeat("x", assessmentform.MaxFormBytes(1)), one, nil, errcode.TooLarge, []problem{{Problem: "too_large"}}},
		{"every engineer's problems, in the order of the form", form("", map[string]*row{"E014": {"1", "2", "", ""}, "E016": {"x", "2", "3", ""}}), team, nil, errcode.Invalid, []problem{
			{Engineer: "E014", Field: "collaboration", Problem: "missing"},
			{Engineer: "E015", Field: "attitude", Problem: "missing"}, {Engineer: "E015", Field: "problem_solving", Problem: "missing"}, {Engineer: "E015", Field: "collaboration", Problem: "missing"},
			{Engineer: "E016", Field: "attitude", Problem: "number"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := assessmentform.ParseForm([]byte(tc.body), tc.engineers)
			if errcode.Code(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if err != nil {
				var fe *assessmentform.FormError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v is not a FormError", err)
				}
				if diff := cmp.Diff(tc.problems, fe.Problems); diff != "" {
					t.Errorf("problems (-want +got):\n%s", diff)
				}
				if got != nil {
					t.Errorf("scores %v with an error", got)
				}
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("scores (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFormErrorNamesEngineerAndField(t *testing.T) {
	_, err := assessmentform.ParseForm([]byte("attitude%3AE015=x"), team[1:2])
	for _, want := range []string{"engineer E015: attitude: number", "engineer E015: problem_solving: missing"} {
		if !strings.Contains(errcode.Message(err), want) {
			t.Errorf("message %q lacks %q", errcode.Message(err), want)
		}
	}
	_, err = assessmentform.ParseForm([]byte("%zz"), team)
	if got := errcode.Message(err); got != "form: unreadable" {
		t.Errorf("message %q", got)
	}
	_, err = assessmentform.ParseForm([]byte("csrf=1&csrf=2"), team)
	if got := errcode.Message(err); got != "form: csrf: repeated" {
		t.Errorf("message %q", got)
	}
}

// FuzzParseForm: never panics; whatever it accepts has valid scores for
// every engineer and clean comments; whatever it refuses names a problem.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{
		form("x", goodRows()),
		"attitude%3AE014=88&problem_solving%3AE014=91.5&collaboration%3AE014=85&comment%3AE014=%E5%A5%BD%0D%0A",
		"attitude%3AE014=%EF%BC%98%EF%BC%98&problem_solving%3AE014=1,5&collaboration%3AE014=.5",
		"attitude%3AE014=100.0&problem_solving%3AE014=100.05&collaboration%3AE014=-0",
		"attitude%3AE014=4&attitude%3AE014=5", "comment%3AE014=%C3%28", "%zz", "a=1;b=2", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := assessmentform.ParseForm(body, team)
		if err != nil {
			if c := errcode.Code(err); c != errcode.Invalid && c != errcode.TooLarge {
				t.Fatalf("error %v", err)
			}
			var fe *assessmentform.FormError
			if !errors.As(err, &fe) || len(fe.Problems) == 0 {
				t.Fatalf("error %v names no problem", err)
			}
			return
		}
		if len(got) != len(team) {
			t.Fatalf("%d engineers scored, want %d", len(got), len(team))
		}
		a := lead("en")
		if err := a.CheckAnswers(got); err != nil {
			t.Fatalf("accepted answers the store refuses: %v", err)
		}
		for id, s := range got {
			for _, v := range []float64{s.Attitude, s.ProblemSolving, s.Collaboration} {
				if v < 0 || v > 100 || math.Abs(v*10-math.Round(v*10)) > 1e-9 {
					t.Fatalf("%s: score %v", id, v)
				}
			}
			if !utf8.ValidString(s.Comment) || utf8.RuneCountInString(s.Comment) > assessment.MaxComment || strings.TrimSpace(s.Comment) != s.Comment {
				t.Fatalf("%s: comment %q", id, s.Comment)
			}
			for _, r := range s.Comment {
				if r != '\n' && r != '\t' && unicode.IsControl(r) {
					t.Fatalf("%s: control character %U in the comment", id, r)
				}
			}
		}
	})
}

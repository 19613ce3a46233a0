package surveyform_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/surveyform"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/survey"
)

func TestParseForm(t *testing.T) {
	no := false
	tests := []struct {
		name string
		body string
		want survey.Answer
		code string
		msg  string
	}{
		{"a rating alone", "rating=4", survey.Answer{Rating: 4}, "", ""},
		{"everything", "csrf=x&rating=5&solved=yes&comment=Great+help%21", survey.Answer{Rating: 5, Solved: yes(), Comment: "Great help!"}, "", ""},
		{"solved no", "rating=1&solved=no", survey.Answer{Rating: 1, Solved: &no}, "", ""},
		{"an empty solved is no answer", "rating=3&solved=", survey.Answer{Rating: 3}, "", ""},
		{"unknown fields are ignored", "rating=3&utm_source=x", survey.Answer{Rating: 3}, "", ""},
		{"line breaks are normalised and space trimmed", "rating=3&comment=" + url.QueryEscape("  a\r\nb\rc\n\n "), survey.Answer{Rating: 3, Comment: "a\nb\nc"}, "", ""},
		{"control characters are dropped", "rating=3&comment=" + url.QueryEscape("a\x00b\x1b[31mc\u2028d\tz"), survey.Answer{Rating: 3, Comment: "ab[31mcd\tz"}, "", ""},
		{"2000 Chinese characters fit", "rating=3&comment=" + url.QueryEscape(strings.Repeat("好", 2000)), survey.Answer{Rating: 3, Comment: strings.Repeat("好", 2000)}, "", ""},
		{"2000 emoji fit", "rating=3&comment=" + url.QueryEscape(strings.Repeat("👍", 2000)), survey.Answer{Rating: 3, Comment: strings.Repeat("👍", 2000)}, "", ""},
		{"2001 characters do not", "rating=3&comment=" + strings.Repeat("a", 2001), survey.Answer{}, errcode.Invalid, "comment: 2001 characters, at most 2000"},
		{"no rating", "solved=yes", survey.Answer{}, errcode.Invalid, "rating: choose 1 to 5"},
		{"rating 0", "rating=0", survey.Answer{}, errcode.Invalid, "rating"},
		{"rating 6", "rating=6", survey.Answer{}, errcode.Invalid, "rating"},
		{"rating 05", "rating=05", survey.Answer{}, errcode.Invalid, "rating"},
		{"rating four", "rating=four", survey.Answer{}, errcode.Invalid, "rating"},
		{"two ratings", "rating=4&rating=5", survey.Answer{}, errcode.Invalid, "rating: given 2 times"},
		{"two comments", "rating=4&comment=a&comment=b", survey.Answer{}, errcode.Invalid, "comment: given 2 times"},
		{"solved maybe", "rating=4&solved=maybe", survey.Answer{}, errcode.Invalid, "solved: answer yes or no"},
		{"solved YES is not yes", "rating=4&solved=YES", survey.Answer{}, errcode.Invalid, "solved"},
		{"a comment that is not UTF-8", "rating=4&comment=%C3%28", survey.Answer{}, errcode.Invalid, "comment: not valid UTF-8"},
		{"a bad escape", "rating=4&comment=%zz", survey.Answer{}, errcode.Invalid, "form:"},
		{"a semicolon separator", "rating=4;comment=x", survey.Answer{}, errcode.Invalid, "form:"},
		{"over 32 KB", "rating=4&comment=" + strings.Repeat("a", surveyform.MaxForm), survey.Answer{}, errcode.TooLarge, "form: over 32 KB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := surveyform.ParseForm([]byte(tc.body))
			if errcode.Code(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if err != nil {
				if !strings.Contains(errcode.Message(err), tc.msg) {
					t.Errorf("message %q, want it to contain %q", errcode.Message(err), tc.msg)
				}
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseForm: never panics; whatever it accepts is a valid answer.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{
		"rating=4", "csrf=x&rating=5&solved=yes&comment=Great+help%21", "rating=3&comment=%E5%A5%BD%0D%0A",
		"rating=4&rating=5", "rating=4&comment=%C3%28", "%zz", "rating=4;x", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := surveyform.ParseForm(body)
		if err != nil {
			if c := errcode.Code(err); c != errcode.Invalid && c != errcode.TooLarge {
				t.Fatalf("error %v", err)
			}
			return
		}
		if a.Rating < 1 || a.Rating > 5 {
			t.Fatalf("rating %d accepted", a.Rating)
		}
		if !utf8.ValidString(a.Comment) || len([]rune(a.Comment)) > survey.MaxComment || strings.ContainsAny(a.Comment, "\r\x00") || strings.TrimSpace(a.Comment) != a.Comment {
			t.Fatalf("comment %q accepted", a.Comment)
		}
	})
}

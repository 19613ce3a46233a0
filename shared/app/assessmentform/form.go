package assessmentform

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"scorecard/shared/app/formkit"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
)

// Fields of each engineer's part of the form. The form's input for an
// engineer is named field + ":" + engineer id ("attitude:E014"), so a
// POST is matched to engineers by id, never by position: a form rendered
// before the lead's team changed cannot credit one engineer's scores to
// another.
const (
	FieldAttitude       = "attitude"
	FieldProblemSolving = "problem_solving"
	FieldCollaboration  = "collaboration"
	FieldComment        = "comment"
	fieldCSRF           = "csrf"
)

// scoreFields are the three scored fields, in the order of the form.
var scoreFields = [3]string{FieldAttitude, FieldProblemSolving, FieldCollaboration}

// Problems with a submitted form; the page words each in the assessment's
// language.
const (
	ProblemMissing    = "missing"    // a score left empty
	ProblemNumber     = "number"     // not a number from 0 to 100
	ProblemDecimals   = "decimals"   // more than one decimal place
	ProblemLong       = "long"       // a comment over MaxComment characters
	ProblemEncoding   = "encoding"   // a comment that is not UTF-8
	ProblemRepeated   = "repeated"   // a field sent twice
	ProblemUnreadable = "unreadable" // not a urlencoded form
	ProblemTooLarge   = "too_large"  // over MaxFormBytes
)

// FieldError is one problem with a submitted form: which engineer, which
// field (both empty for a problem with the form as a whole), what is wrong.
type FieldError struct {
	Engineer string // engineer id
	Field    string // FieldAttitude, FieldProblemSolving, FieldCollaboration, FieldComment
	Problem  string // ProblemMissing, ...
	Length   int    // the comment's length, for ProblemLong
}

func (e FieldError) String() string {
	switch {
	case e.Engineer == "" && e.Field == "":
		return e.Problem
	case e.Engineer == "":
		return e.Field + ": " + e.Problem
	}
	return "engineer " + errcode.Clip(e.Engineer) + ": " + e.Field + ": " + e.Problem
}

// FormError lists every problem found in a submitted form, in the order
// of the form. It is the cause of ParseForm's errcode.Invalid and
// errcode.TooLarge errors.
type FormError struct{ Problems []FieldError }

func (e *FormError) Error() string {
	s := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		s[i] = p.String()
	}
	return strings.Join(s, "; ")
}

// formErrorOf is the FormError behind err, if it is one.
func formErrorOf(err error) *FormError {
	var fe *FormError
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}

func formFault(code string, p FieldError) error {
	fe := &FormError{Problems: []FieldError{p}}
	return errcode.Wrap(code, fe, "form: "+fe.Error())
}

// MaxFormBytes is the largest form body accepted for n engineers: every
// comment at its longest in four-byte characters, percent-encoded, with
// room for the field names and the scores.
func MaxFormBytes(n int) int { return 4<<10 + n*(assessment.MaxComment*12+1<<10) }

// inputName is the name of an engineer's input for a field.
func inputName(field, engineerID string) string { return field + ":" + engineerID }

// ParseForm reads a submitted assessment form
// (application/x-www-form-urlencoded) into scores for each of the
// engineers: three scores from 0 to 100 each (required; integers, or one
// decimal place: "87.5", also written "87,5"; surrounding space and
// full-width digits are accepted) and a comment (optional). Inputs for
// anyone not in engineers are ignored. Every field is checked, and every
// problem reported: the error is errcode.Invalid (errcode.TooLarge over
// MaxFormBytes) wrapping a *FormError.
//
// Comments are cleaned, not judged: line breaks become "\n", other control
// characters are dropped, surrounding white space is trimmed, and then at
// most MaxComment characters are allowed.
func ParseForm(body []byte, engineers []assessment.Engineer) (map[string]assessment.Scores, error) {
	v, err := parseValues(body, engineers)
	if err != nil {
		return nil, err
	}
	return scoresFrom(v, engineers)
}

func parseValues(body []byte, engineers []assessment.Engineer) (url.Values, error) {
	if len(body) > MaxFormBytes(len(engineers)) {
		return nil, formFault(errcode.TooLarge, FieldError{Problem: ProblemTooLarge})
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, formFault(errcode.Invalid, FieldError{Problem: ProblemUnreadable})
	}
	if len(v[fieldCSRF]) > 1 {
		return nil, formFault(errcode.Invalid, FieldError{Field: fieldCSRF, Problem: ProblemRepeated})
	}
	return v, nil
}

func scoresFrom(v url.Values, engineers []assessment.Engineer) (map[string]assessment.Scores, error) {
	var problems []FieldError
	out := make(map[string]assessment.Scores, len(engineers))
	for _, e := range engineers {
		var s assessment.Scores
		ok := true
		for _, f := range scoreFields {
			vals := v[inputName(f, e.ID)]
			if len(vals) > 1 {
				problems = append(problems, FieldError{Engineer: e.ID, Field: f, Problem: ProblemRepeated})
				ok = false
				continue
			}
			raw := ""
			if len(vals) == 1 {
				raw = vals[0]
			}
			n, problem := parseScore(raw)
			if problem != "" {
				problems = append(problems, FieldError{Engineer: e.ID, Field: f, Problem: problem})
				ok = false
				continue
			}
			*score(&s, f) = n
		}
		comments := v[inputName(FieldComment, e.ID)]
		switch {
		case len(comments) > 1:
			problems = append(problems, FieldError{Engineer: e.ID, Field: FieldComment, Problem: ProblemRepeated})
			ok = false
		case len(comments) == 1 && !utf8.ValidString(comments[0]):
			problems = append(problems, FieldError{Engineer: e.ID, Field: FieldComment, Problem: ProblemEncoding})
			ok = false
		case len(comments) == 1:
			s.Comment = formkit.CleanComment(comments[0])
			if n := utf8.RuneCountInString(s.Comment); n > assessment.MaxComment {
				problems = append(problems, FieldError{Engineer: e.ID, Field: FieldComment, Problem: ProblemLong, Length: n})
				ok = false
			}
		}
		if ok {
			out[e.ID] = s
		}
	}
	if len(problems) > 0 {
		fe := &FormError{Problems: problems}
		return nil, errcode.Wrap(errcode.Invalid, fe, "form: "+fe.Error())
	}
	return out, nil
}

// parseScore reads a score: digits, optionally a decimal point (or comma)
// and digits, 0–100, at most one decimal place that is not zero. It works
// in tenths, so 87.5 is exactly 875/10 and no float rounding can let 100.04
// through.
func parseScore(raw string) (float64, string) {
	s := strings.TrimSpace(strings.Map(halfWidth, raw))
	if s == "" {
		return 0, ProblemMissing
	}
	if len(s) > 12 {
		return 0, ProblemNumber
	}
	whole, frac, hasPoint := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if (whole == "" && frac == "") || (hasPoint && frac == "") || !digits(whole) || !digits(frac) {
		return 0, ProblemNumber
	}
	tenths := 0
	for _, c := range whole {
		tenths = tenths*10 + int(c-'0')
	}
	tenths *= 10
	if frac != "" {
		tenths += int(frac[0] - '0')
		if strings.Trim(frac[1:], "0") != "" {
			return 0, ProblemDecimals
		}
	}
	if tenths > assessment.MaxScore*10 {
		return 0, ProblemNumber
	}
	return float64(tenths) / 10, ""
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// halfWidth maps the full-width digits, point and comma a Chinese input
// method may type to ASCII.
func halfWidth(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return '0' + (r - '０')
	case r == '．' || r == '。':
		return '.'
	case r == '，':
		return ','
	}
	return r
}

// score is the score of a field (one of scoreFields).
func score(s *assessment.Scores, field string) *float64 {
	switch field {
	case FieldAttitude:
		return &s.Attitude
	case FieldProblemSolving:
		return &s.ProblemSolving
	}
	return &s.Collaboration
}

// formatScore writes a score as the form and the pages show it: "87",
// "87.5".
func formatScore(v float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
}

package surveyform

import (
	"errors"
	"fmt"
	"net/url"
	"unicode/utf8"

	"scorecard/shared/app/formkit"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/survey"
)

// MaxForm is the largest form body accepted: a MaxComment-character comment
// of four-byte characters, percent-encoded, fits with room to spare.
const MaxForm = 32 << 10

// Form field names.
const (
	fieldRating  = "rating"
	fieldSolved  = "solved"
	fieldComment = "comment"
	fieldCSRF    = "csrf"
)

// What can be wrong with a submitted form; the page words each in the
// survey's language.
const (
	problemUnreadable = "unreadable"
	problemTooLarge   = "too_large"
	problemRating     = "rating"
	problemSolved     = "solved"
	problemRepeated   = "repeated"
	problemEncoding   = "encoding"
	problemLong       = "long"
)

// formError is the cause of a rejected form: which field, what is wrong.
type formError struct {
	problem string
	field   string
	n       int // the comment's length, for problemLong
}

func (e *formError) Error() string { return e.problem + " " + e.field }

func reject(code string, p formError, format string, args ...any) error {
	return errcode.Wrap(code, &p, fmt.Sprintf(format, args...))
}

// problemOf is the form problem behind err, if it is one.
func problemOf(err error) *formError {
	var p *formError
	if errors.As(err, &p) {
		return p
	}
	return nil
}

// ParseForm reads a submitted survey form (application/x-www-form-urlencoded)
// into an Answer: rating 1–5 (required), solved "yes" or "no" (optional),
// comment (optional, valid UTF-8, at most MaxComment characters). At and
// FirstAt are left for the store. Anything wrong is an errcode.Invalid
// error naming the field (errcode.TooLarge over MaxForm).
//
// The comment is cleaned, not judged: line breaks become "\n", other
// control characters are dropped (they break spreadsheets and mail), and
// surrounding white space is trimmed before its length is counted — in
// characters, so that anything a browser's maxlength let through passes.
func ParseForm(body []byte) (survey.Answer, error) {
	v, err := parseValues(body)
	if err != nil {
		return survey.Answer{}, err
	}
	return answerFrom(v)
}

func parseValues(body []byte) (url.Values, error) {
	if len(body) > MaxForm {
		return nil, reject(errcode.TooLarge, formError{problem: problemTooLarge}, "form: over %d KB", MaxForm>>10)
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, reject(errcode.Invalid, formError{problem: problemUnreadable}, "form: not application/x-www-form-urlencoded")
	}
	for _, f := range []string{fieldRating, fieldSolved, fieldComment, fieldCSRF} {
		if len(v[f]) > 1 {
			return nil, reject(errcode.Invalid, formError{problem: problemRepeated, field: f}, "%s: given %d times", f, len(v[f]))
		}
	}
	return v, nil
}

func answerFrom(v url.Values) (survey.Answer, error) {
	var a survey.Answer
	r := v.Get(fieldRating)
	if len(r) != 1 || r[0] < '1' || r[0] > '5' {
		return survey.Answer{}, reject(errcode.Invalid, formError{problem: problemRating, field: fieldRating}, "rating: choose 1 to 5")
	}
	a.Rating = int(r[0] - '0')
	switch v.Get(fieldSolved) {
	case "":
	case "yes":
		a.Solved = ptr(true)
	case "no":
		a.Solved = ptr(false)
	default:
		return survey.Answer{}, reject(errcode.Invalid, formError{problem: problemSolved, field: fieldSolved}, "solved: answer yes or no")
	}
	c := v.Get(fieldComment)
	if !utf8.ValidString(c) {
		return survey.Answer{}, reject(errcode.Invalid, formError{problem: problemEncoding, field: fieldComment}, "comment: not valid UTF-8")
	}
	c = formkit.CleanComment(c)
	if n := utf8.RuneCountInString(c); n > survey.MaxComment {
		return survey.Answer{}, reject(errcode.Invalid, formError{problem: problemLong, field: fieldComment, n: n}, "comment: %d characters, at most %d", n, survey.MaxComment)
	}
	a.Comment = c
	return a, nil
}

func ptr[T any](v T) *T { return &v }

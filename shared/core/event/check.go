package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"scorecard/shared/core/errcode"
)

// The checks every source's parser shares, so that whatever a parser
// accepts is valid in the generic format too and every error names its
// field the same way.

// Invalid is a caller-safe errcode.Invalid naming the field.
func Invalid(field, format string, args ...any) error {
	return errcode.Errorf(errcode.Invalid, "%s: %s", field, fmt.Sprintf(format, args...))
}

// DecodeObject unmarshals a body that must be one JSON object.
func DecodeObject(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return errcode.Errorf(errcode.Invalid, "body is empty")
	}
	if trimmed[0] != '{' {
		return errcode.Errorf(errcode.Invalid, "body must be a JSON object")
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return JSONProblem("", err)
	}
	return nil
}

// JSONProblem turns a decoding error into a message that names the field
// (after prefix, the path of the decoded object) without echoing internals.
func JSONProblem(prefix string, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return Invalid(prefix+te.Field, "wrong type (%s)", te.Value)
	case errors.As(err, &te):
		return errcode.Errorf(errcode.Invalid, "malformed JSON: wrong type (%s)", te.Value)
	case errors.As(err, &se):
		return errcode.Errorf(errcode.Invalid, "malformed JSON: invalid JSON at byte %d", se.Offset)
	}
	return errcode.Errorf(errcode.Invalid, "malformed JSON")
}

// RequiredID checks an id that must be present.
func RequiredID(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Invalid(field, "is required")
	}
	return OptionalID(field, s)
}

// OptionalID checks an id that may be empty: at most MaxIDLength bytes of
// valid UTF-8 without control characters.
func OptionalID(field, s string) (string, error) {
	s, err := checkOptionalID(s)
	if err != nil {
		return "", Invalid(field, "%v", err)
	}
	return s, nil
}

// ParseTime reads a required RFC 3339 time within 2000–2099, in UTC.
func ParseTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, Invalid(field, "is required")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, Invalid(field, "%q is not an RFC 3339 time with a zone", Clip(s))
	}
	return CheckTime(field, t)
}

// CheckTime bounds a time to 2000–2099 (anything else is a sender bug: a
// zero time, milliseconds read as seconds) and returns it in UTC.
func CheckTime(field string, t time.Time) (time.Time, error) {
	if t.Before(earliest) || !t.Before(latest) {
		return time.Time{}, Invalid(field, "%s is outside 2000–2099", t.UTC().Format(time.RFC3339))
	}
	return t.UTC(), nil
}

// Clip keeps error messages short when a sender posts something huge,
// cutting on a rune boundary so the message stays valid UTF-8.
func Clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

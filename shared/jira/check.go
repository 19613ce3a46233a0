package jira

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"scorecard/shared/errcode"
	"scorecard/shared/event"
)

// earliest and latest bound plausible event times, as in the generic format:
// anything outside is a sender bug.
var (
	earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	latest   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// invalid is a caller-safe errcode.Invalid naming the field.
func invalid(field, format string, args ...any) error {
	return errcode.Errorf(errcode.Invalid, "%s: %s", field, fmt.Sprintf(format, args...))
}

// decodeObject unmarshals a body that must be one JSON object.
func decodeObject(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return errcode.Errorf(errcode.Invalid, "body is empty")
	}
	if trimmed[0] != '{' {
		return errcode.Errorf(errcode.Invalid, "body must be a JSON object")
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return jsonProblem("", err)
	}
	return nil
}

// jsonProblem turns a decoding error into a message that names the field
// (after prefix, the path of the decoded object) without echoing internals.
func jsonProblem(prefix string, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return invalid(prefix+te.Field, "wrong type (%s)", te.Value)
	case errors.As(err, &te):
		return errcode.Errorf(errcode.Invalid, "malformed JSON: wrong type (%s)", te.Value)
	case errors.As(err, &se):
		return errcode.Errorf(errcode.Invalid, "malformed JSON: invalid JSON at byte %d", se.Offset)
	}
	return errcode.Errorf(errcode.Invalid, "malformed JSON")
}

// requiredID checks an id that must be present.
func requiredID(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalid(field, "is required")
	}
	return optionalID(field, s)
}

// optionalID checks an id that may be empty, with the generic format's rules
// so that every event this package returns is valid there too.
func optionalID(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > event.MaxIDLength {
		return "", invalid(field, "longer than %d bytes", event.MaxIDLength)
	}
	if !utf8.ValidString(s) {
		return "", invalid(field, "is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return "", invalid(field, "contains a control or invalid character")
		}
	}
	return s, nil
}

// clip keeps error messages short when a sender posts something huge.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	// Cut on a rune boundary so the message stays valid UTF-8.
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Package errcode owns the application's coded errors: a small set of codes
// that say what kind of failure happened, so that one place (the HTTP layer,
// the CLI) can map them to a status or exit code while the message stays safe
// to show to the caller. Internal details are wrapped, logged, never shown.
package errcode

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Codes. Callers switch on these, never on message text.
const (
	Invalid      = "invalid"      // the caller's input is wrong (400)
	Unauthorized = "unauthorized" // missing or wrong credentials (401)
	Forbidden    = "forbidden"    // known, but not this caller's to do (403)
	NotFound     = "not_found"    // no such thing (404)
	Gone         = "gone"         // it existed but expired (410)
	Conflict     = "conflict"     // a conflicting write already happened (409)
	TooLarge     = "too_large"    // body or batch over its limit (413)
	Unsupported  = "unsupported"  // a body of a media type not accepted (415)
	Unavailable  = "unavailable"  // a dependency failed; retry later (503)
	Internal     = "internal"     // a bug (500)
)

// Error is an application error with a code and a message that is safe to
// show to whoever caused it.
type Error struct {
	Code    string
	Message string
	Err     error // the underlying cause, for logs only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted, caller-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error whose message is safe to show and whose cause is kept
// for logs.
func Wrap(code string, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Code returns the code of the first *Error in err's chain, Internal for any
// other non-nil error, and "" for nil.
func Code(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Message returns the caller-safe message of err: the *Error's message, or a
// generic text for anything else so that internals never leak.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Clip shortens what a sender chose (an id, a header, a field) to quote it
// in a message or a log line: 60 bytes at most, cut at a rune boundary.
func Clip(s string) string {
	if len(s) > 60 {
		for i := 60; i > 0; i-- {
			if utf8.RuneStart(s[i]) {
				return s[:i] + "…"
			}
		}
	}
	return s
}

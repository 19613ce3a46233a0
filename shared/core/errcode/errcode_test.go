package errcode_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"scorecard/shared/core/errcode"
)

func TestCodeAndMessage(t *testing.T) {
	secret := errors.New("dial tcp 10.0.0.1:8000: connection refused")
	tests := []struct {
		name        string
		err         error
		code, msg   string
		errContains string
	}{
		{"nil is no error", nil, "", "", ""},
		{"a coded error keeps its code and message", errcode.Errorf(errcode.Invalid, "ticket_id: is required"), errcode.Invalid, "ticket_id: is required", "invalid: ticket_id"},
		{"wrapping keeps the code", fmt.Errorf("put: %w", errcode.Errorf(errcode.Conflict, "already answered")), errcode.Conflict, "already answered", "put: conflict"},
		{"a wrapped cause stays out of the message", errcode.Wrap(errcode.Unavailable, secret, "storage unavailable, retry"), errcode.Unavailable, "storage unavailable, retry", "connection refused"},
		{"any other error is internal and says nothing", secret, errcode.Internal, "internal error", "connection refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := errcode.Code(tc.err); got != tc.code {
				t.Errorf("Code = %q, want %q", got, tc.code)
			}
			if got := errcode.Message(tc.err); got != tc.msg {
				t.Errorf("Message = %q, want %q", got, tc.msg)
			}
			if tc.err != nil && !strings.Contains(tc.err.Error(), tc.errContains) {
				t.Errorf("Error() = %q, want it to contain %q", tc.err.Error(), tc.errContains)
			}
		})
	}
	if !errors.Is(errcode.Wrap(errcode.Unavailable, secret, "x"), secret) {
		t.Error("Unwrap should expose the cause")
	}
}

// TestClip: a sender's long value is cut at a rune boundary, a short one
// kept.
func TestClip(t *testing.T) {
	long := strings.Repeat("很", 30) // 90 bytes
	got := errcode.Clip(long)
	if !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) || len(got) > 63 {
		t.Errorf("Clip cut a rune or kept too much: %q", got)
	}
	if errcode.Clip("short") != "short" {
		t.Error("Clip changed a short string")
	}
}

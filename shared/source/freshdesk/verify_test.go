package freshdesk_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/source/freshdesk"
)

var secret = []byte("dev-freshdesk-secret")

func authorization(value string) http.Header {
	h := http.Header{}
	if value != "" {
		h.Set(freshdesk.AuthorizationHeader, value)
	}
	return h
}

func TestVerify(t *testing.T) {
	body := readSample(t, "created.json")
	tests := []struct {
		name  string
		value string
		want  string // "" for success, else the start of the message
	}{
		{"the right bearer token", "Bearer dev-freshdesk-secret", ""},
		{"the scheme in any case, extra spaces", "bearer   dev-freshdesk-secret ", ""},
		{"the wrong token", "Bearer dev-zendesk-secret", "Authorization bearer token is wrong"},
		{"a prefix of the token", "Bearer dev-freshdesk", "Authorization bearer token is wrong"},
		{"the token plus more", "Bearer dev-freshdesk-secret2", "Authorization bearer token is wrong"},
		{"no header", "", "Authorization header is missing"},
		{"basic auth", "Basic ZGV2OnNlY3JldA==", "Authorization must be Bearer <secret>"},
		{"the bare secret", "dev-freshdesk-secret", "Authorization must be Bearer <secret>"},
		{"bearer without a token", "Bearer ", "Authorization must be Bearer <secret>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := freshdesk.Verify(secret, authorization(tc.value), body, time.Time{})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if code := errcode.Code(err); code != errcode.Unauthorized {
				t.Fatalf("code = %q (err %v), want %q", code, err, errcode.Unauthorized)
			}
			msg := errcode.Message(err)
			if !strings.HasPrefix(msg, tc.want) {
				t.Errorf("message = %q, want it to start with %q", msg, tc.want)
			}
			if strings.Contains(msg, string(secret)) || (len(tc.value) > 7 && strings.Contains(msg, tc.value[7:])) {
				t.Errorf("message %q echoes the secret or the token received", msg)
			}
		})
	}
}

func TestVerifyWithoutSecretFailsClosed(t *testing.T) {
	if err := freshdesk.Verify(nil, authorization("Bearer x"), nil, time.Time{}); errcode.Code(err) != errcode.Internal {
		t.Fatalf("err = %v, want an internal error: a missing secret is a deployment bug", err)
	}
}

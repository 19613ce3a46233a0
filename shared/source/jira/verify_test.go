package jira_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/source/jira"
)

var secret = []byte("dev-jira-secret")

func signedHeader(value string) http.Header {
	h := http.Header{}
	if value != "" {
		h.Set(jira.SignatureHeader, value)
	}
	return h
}

func TestVerify(t *testing.T) {
	body := readSample(t, "issue_updated_status.json")
	good := jira.Sign(secret, body)
	tests := []struct {
		name   string
		header string
		body   []byte // the body received
		want   string // "" for success, else the start of the message
	}{
		{"a correct signature", good, body, ""},
		{"upper-case hex and method", "SHA256=" + strings.ToUpper(strings.TrimPrefix(good, "sha256=")), body, ""},
		{"the wrong secret", jira.Sign([]byte("another-secret"), body), body, "X-Hub-Signature does not match the body"},
		{"a tampered body", good, append([]byte(" "), body...), "X-Hub-Signature does not match the body"},
		{"an empty body signed for another", good, nil, "X-Hub-Signature does not match the body"},
		{"no signature header", "", body, "X-Hub-Signature header is missing"},
		{"no method", strings.TrimPrefix(good, "sha256="), body, "X-Hub-Signature must be sha256=<hex>"},
		{"sha1 is not accepted", "sha1=" + strings.Repeat("ab", 20), body, "X-Hub-Signature must be sha256=<hex>"},
		{"not hex", "sha256=" + strings.Repeat("zz", 32), body, "X-Hub-Signature must be sha256=<hex>"},
		{"hex of the wrong length", "sha256=abcd", body, "X-Hub-Signature must be sha256=<hex>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := jira.Verify(secret, signedHeader(tc.header), tc.body, time.Time{})
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
			if strings.Contains(msg, string(secret)) || strings.Contains(msg, jira.Sign(secret, tc.body)[7:]) {
				t.Errorf("message %q echoes the secret or the expected signature", msg)
			}
		})
	}
}

func TestVerifyWithoutSecretFailsClosed(t *testing.T) {
	body := []byte(`{}`)
	if err := jira.Verify(nil, signedHeader(jira.Sign(nil, body)), body, time.Time{}); errcode.Code(err) != errcode.Internal {
		t.Fatalf("err = %v, want an internal error: a missing secret is a deployment bug", err)
	}
}

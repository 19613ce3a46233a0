package zendesk_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/source/zendesk"
)

var (
	secret = []byte("dev-zendesk-secret")
	now    = time.Date(2026, 10, 5, 1, 0, 0, 0, time.UTC)
)

// signed returns the headers Zendesk would send for body at signedAt.
func signed(key []byte, signedAt time.Time, body []byte) http.Header {
	ts := signedAt.UTC().Format(time.RFC3339)
	h := http.Header{}
	h.Set(zendesk.TimestampHeader, ts)
	h.Set(zendesk.SignatureHeader, zendesk.Sign(key, ts, body))
	return h
}

func TestVerify(t *testing.T) {
	body := readSample(t, "ticket_created.json")
	edit := func(h http.Header, f func(http.Header)) http.Header {
		h = h.Clone()
		f(h)
		return h
	}
	good := signed(secret, now, body)
	tests := []struct {
		name    string
		headers http.Header
		body    []byte // the body received
		want    string // "" for success, else the start of the message
	}{
		{"a correct signature", good, body, ""},
		{"a timestamp 5 minutes old is still fresh", signed(secret, now.Add(-5*time.Minute), body), body, ""},
		{"a timestamp 5 minutes ahead is tolerated", signed(secret, now.Add(5*time.Minute), body), body, ""},
		{"a timestamp with fractional seconds and an offset", edit(good, func(h http.Header) {
			ts := now.In(time.FixedZone("", 2*3600)).Format(time.RFC3339Nano)
			h.Set(zendesk.TimestampHeader, ts)
			h.Set(zendesk.SignatureHeader, zendesk.Sign(secret, ts, body))
		}), body, ""},
		{"the wrong secret", signed([]byte("another-secret"), now, body), body, "X-Zendesk-Webhook-Signature does not match"},
		{"a tampered body", good, append([]byte(" "), body...), "X-Zendesk-Webhook-Signature does not match"},
		{"a tampered timestamp", edit(good, func(h http.Header) { h.Set(zendesk.TimestampHeader, now.Add(time.Second).Format(time.RFC3339)) }), body, "X-Zendesk-Webhook-Signature does not match"},
		{"no signature header", edit(good, func(h http.Header) { h.Del(zendesk.SignatureHeader) }), body, "X-Zendesk-Webhook-Signature header is missing"},
		{"no timestamp header", edit(good, func(h http.Header) { h.Del(zendesk.TimestampHeader) }), body, "X-Zendesk-Webhook-Signature-Timestamp header is missing"},
		{"a signature that is not base64", edit(good, func(h http.Header) { h.Set(zendesk.SignatureHeader, "not base64!") }), body, "X-Zendesk-Webhook-Signature is not a base64 HMAC-SHA256"},
		{"a base64 signature of the wrong length", edit(good, func(h http.Header) { h.Set(zendesk.SignatureHeader, "c2hvcnQ=") }), body, "X-Zendesk-Webhook-Signature is not a base64 HMAC-SHA256"},
		{"a hex signature (another vendor's format)", edit(good, func(h http.Header) { h.Set(zendesk.SignatureHeader, "sha256=00ff") }), body, "X-Zendesk-Webhook-Signature is not a base64"},
		{"a timestamp that is not RFC 3339", edit(good, func(h http.Header) { h.Set(zendesk.TimestampHeader, "1791162000") }), body, "X-Zendesk-Webhook-Signature-Timestamp is not an RFC 3339 time"},
		{"a timestamp too old: a replay", signed(secret, now.Add(-5*time.Minute-time.Second), body), body, "X-Zendesk-Webhook-Signature-Timestamp is more than 5 minutes old"},
		{"a timestamp too new", signed(secret, now.Add(5*time.Minute+time.Second), body), body, "X-Zendesk-Webhook-Signature-Timestamp is more than 5 minutes in the future"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := zendesk.Verify(secret, tc.headers, tc.body, now)
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
			if strings.Contains(msg, string(secret)) || strings.Contains(msg, zendesk.Sign(secret, tc.headers.Get(zendesk.TimestampHeader), tc.body)) {
				t.Errorf("message %q echoes the secret or the expected signature", msg)
			}
		})
	}
}

func TestVerifyWithoutSecretFailsClosed(t *testing.T) {
	body := []byte(`{}`)
	err := zendesk.Verify(nil, signed(nil, now, body), body, now)
	if errcode.Code(err) != errcode.Internal {
		t.Fatalf("err = %v, want an internal error: a missing secret is a deployment bug", err)
	}
}

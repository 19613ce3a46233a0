package zendesk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"scorecard/shared/core/errcode"
)

// Headers Zendesk signs its requests with.
const (
	SignatureHeader = "X-Zendesk-Webhook-Signature"
	TimestampHeader = "X-Zendesk-Webhook-Signature-Timestamp"
)

// MaxSkew is how far the signed timestamp may be from now, either way.
const MaxSkew = 5 * time.Minute

// Sign returns the X-Zendesk-Webhook-Signature value for a body sent with
// the given X-Zendesk-Webhook-Signature-Timestamp value.
func Sign(secret []byte, timestamp string, body []byte) string {
	return base64.StdEncoding.EncodeToString(mac(secret, timestamp, body))
}

func mac(secret []byte, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks the request's signature in constant time and that its
// timestamp is within MaxSkew of now. Errors are errcode.Unauthorized and
// say what is wrong without echoing any secret.
func Verify(secret []byte, headers http.Header, body []byte, now time.Time) error {
	if len(secret) == 0 {
		return errcode.Errorf(errcode.Internal, "zendesk webhook secret is not configured")
	}
	sig := strings.TrimSpace(headers.Get(SignatureHeader))
	if sig == "" {
		return errcode.Errorf(errcode.Unauthorized, "%s header is missing", SignatureHeader)
	}
	ts := strings.TrimSpace(headers.Get(TimestampHeader))
	if ts == "" {
		return errcode.Errorf(errcode.Unauthorized, "%s header is missing", TimestampHeader)
	}
	signedAt, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return errcode.Errorf(errcode.Unauthorized, "%s is not an RFC 3339 time", TimestampHeader)
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return errcode.Errorf(errcode.Unauthorized, "%s is not a base64 HMAC-SHA256", SignatureHeader)
	}
	if !hmac.Equal(got, mac(secret, ts, body)) {
		return errcode.Errorf(errcode.Unauthorized, "%s does not match the timestamp and body", SignatureHeader)
	}
	switch age := now.Sub(signedAt); {
	case age > MaxSkew:
		return errcode.Errorf(errcode.Unauthorized, "%s is more than 5 minutes old: a replayed or delayed request", TimestampHeader)
	case age < -MaxSkew:
		return errcode.Errorf(errcode.Unauthorized, "%s is more than 5 minutes in the future: check the clocks", TimestampHeader)
	}
	return nil
}

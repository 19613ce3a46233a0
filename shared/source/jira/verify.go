package jira

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"scorecard/shared/core/errcode"
)

// SignatureHeader carries the body's signature when the Jira webhook has a
// secret.
const SignatureHeader = "X-Hub-Signature"

// Sign returns the X-Hub-Signature value Jira sends for body.
func Sign(secret, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, body))
}

func mac(secret, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>
// in constant time. Jira signs no timestamp, so now is unused: replays are
// absorbed by the dedupe key instead. Errors are errcode.Unauthorized and
// say what is wrong without echoing any secret.
func Verify(secret []byte, headers http.Header, body []byte, _ time.Time) error {
	if len(secret) == 0 {
		return errcode.Errorf(errcode.Internal, "jira webhook secret is not configured")
	}
	value := strings.TrimSpace(headers.Get(SignatureHeader))
	if value == "" {
		return errcode.Errorf(errcode.Unauthorized, "%s header is missing: give the Jira webhook a secret", SignatureHeader)
	}
	method, hexSig, ok := strings.Cut(value, "=")
	if !ok || !strings.EqualFold(method, "sha256") {
		return errcode.Errorf(errcode.Unauthorized, "%s must be sha256=<hex>", SignatureHeader)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return errcode.Errorf(errcode.Unauthorized, "%s must be sha256=<hex>", SignatureHeader)
	}
	if !hmac.Equal(got, mac(secret, body)) {
		return errcode.Errorf(errcode.Unauthorized, "%s does not match the body", SignatureHeader)
	}
	return nil
}

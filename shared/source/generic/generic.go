// Package generic is the adapter for the generic webhook format (DESIGN §3):
// any system can post events as JSON, signed with `X-Signature: sha256=<hex
// HMAC-SHA256(secret, raw body)>`.
package generic

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
)

// Source is the source name of the generic format.
const Source = event.SourceGeneric

// SignatureHeader carries the body's signature.
const SignatureHeader = "X-Signature"

// Sign returns the X-Signature value for body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks X-Signature in constant time.
func Verify(secret []byte, h http.Header, body []byte, _ time.Time) error {
	return VerifyHexSHA256(secret, h.Get(SignatureHeader), SignatureHeader, body)
}

// VerifyHexSHA256 checks a "sha256=<hex>" signature header in constant time.
func VerifyHexSHA256(secret []byte, value, header string, body []byte) error {
	if value == "" {
		return errcode.Errorf(errcode.Unauthorized, "%s header is missing", header)
	}
	hexSig, ok := strings.CutPrefix(value, "sha256=")
	if !ok {
		return errcode.Errorf(errcode.Unauthorized, "%s must be sha256=<hex>", header)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return errcode.Errorf(errcode.Unauthorized, "%s must be sha256=<hex>", header)
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return errcode.Errorf(errcode.Unauthorized, "%s does not match the body", header)
	}
	return nil
}

// Parse reads a generic body: one event or a batch.
func Parse(d event.Delivery) ([]event.Event, error) { return event.ParseGeneric(d.Body) }

// Package token owns the signed links the product mails out (DESIGN §4:
// "links in mail are HMAC-signed, expiring"): survey rating links,
// unsubscribe links and, later, assessment links. A token carries its claims
// in the clear and a truncated HMAC-SHA256 over them, so the link itself is
// the credential: no lookup is needed to reject a forged, tampered or
// expired one.
//
// Wire format (version 1), base64url without padding:
//
//	offset  size  field
//	0       1     version (1)
//	1       5     expiry, Unix seconds, big-endian (40 bits: until year 36812)
//	6       1     rating (0 = none)
//	7       16    nonce, random
//	23      1     length of the kind, 1–32
//	24      k     kind, [a-z][a-z0-9_-]*
//	24+k    n     subject, 1–256 bytes of UTF-8 (the rest of the payload)
//	end     16    MAC = HMAC-SHA256(key, kind || 0x00 || payload)[:16]
//
// Decisions:
//
//   - The MAC input is prefixed with the kind and a NUL (kinds cannot hold
//     one), so the MAC is kind-separated: ParseKind computes it with the
//     kind the caller expects, and a token minted for another purpose fails
//     the MAC check itself, not just a field comparison.
//   - 128-bit MAC and 128-bit nonce: forging a token or guessing another
//     customer's link costs 2^128 tries; the nonce makes two tokens with
//     equal claims differ, so a link never reveals another.
//   - The claims are signed, not encrypted: anyone holding the link can read
//     the subject (a survey id, or the customer key the mail was sent to).
//     Subjects must therefore be ids the recipient may see.
//   - Every failure but expiry is errcode.NotFound "link not found" — the
//     same message for a malformed, truncated, oversized (> MaxLen), tampered
//     or wrongly-kinded token, so the answer reveals nothing. A token with a
//     valid MAC whose expiry has passed is errcode.Gone: the holder did get
//     it from us, and "expired" is the helpful answer.
//   - Expiry is inclusive: a token is valid while now < Expires.
//   - The encoding is canonical (fixed-width fields, strict base64 without
//     padding or line breaks), so Parse accepts exactly the strings Sign
//     produces: Sign(key, Parse(key, tok)) == tok.
//   - The version byte leaves room for a key id or a new layout later; an
//     unknown version is "link not found".
package token

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"
	"unicode/utf8"

	"scorecard/shared/core/errcode"
)

// Kinds of link.
const (
	KindSurvey      = "survey"      // Subject: survey id; Rating preselected
	KindUnsubscribe = "unsubscribe" // Subject: customer key
	KindAssessment  = "assessment"  // Subject: assessment id
	KindEvidence    = "evidence"    // Subject: "yyyy-mm/engineer id" (the engineer's) or "yyyy-mm/engineer id/manager"; opened any number of times until it expires
	KindSettle      = "settle"      // Subject: "yyyy-mm/engineer id/dispute id/arbiter hash"; settles the dispute once
	KindReview      = "review"      // Subject: "yyyy-mm/engineer id/ticket hash/reviewer hash"; one quality review, submitted once
)

// Limits.
const (
	MaxLen        = 512 // longest token string Parse looks at
	MaxSubjectLen = 256 // bytes
	MaxKindLen    = 32  // bytes
	NonceLen      = 16
	MACLen        = 16
)

const (
	version    = 1
	headerLen  = 1 + 5 + 1 + NonceLen + 1 // up to the kind
	maxExpires = 1<<40 - 1
)

// Claims is what a token says.
type Claims struct {
	Kind    string    // KindSurvey, KindUnsubscribe, KindAssessment
	Subject string    // what it is for: a survey id, a customer key, an assessment id
	Rating  int       // survey links: the rating preselected (0 = none), 0–255
	Expires time.Time // second precision
	Nonce   []byte    // NonceLen random bytes; Sign draws one when nil
}

var enc = base64.RawURLEncoding.Strict()

// NewNonce returns NonceLen random bytes.
func NewNonce() []byte {
	b := make([]byte, NonceLen)
	// crypto/rand.Read never fails (it crashes the program instead).
	_, _ = rand.Read(b)
	return b
}

// Sign returns the URL-safe token for c. It draws a fresh nonce when
// c.Nonce is nil; with the same nonce it is deterministic. Claims that do
// not fit the format are an errcode.Invalid error, a missing key
// errcode.Internal.
func Sign(key []byte, c Claims) (string, error) {
	if len(key) == 0 {
		return "", errcode.Errorf(errcode.Internal, "token: no signing key")
	}
	if c.Nonce == nil {
		c.Nonce = NewNonce()
	}
	if err := check(c); err != nil {
		return "", err
	}
	exp := c.Expires.Unix()
	p := make([]byte, 0, headerLen+len(c.Kind)+len(c.Subject)+MACLen)
	p = append(p, version, byte(exp>>32), byte(exp>>24), byte(exp>>16), byte(exp>>8), byte(exp), byte(c.Rating))
	p = append(p, c.Nonce...)
	p = append(p, byte(len(c.Kind)))
	p = append(p, c.Kind...)
	p = append(p, c.Subject...)
	p = append(p, mac(key, c.Kind, p)...)
	return enc.EncodeToString(p), nil
}

// check says whether c fits the format; Parse applies the same rules, so it
// accepts nothing Sign would refuse.
func check(c Claims) error {
	switch {
	case !validKind(c.Kind):
		return errcode.Errorf(errcode.Invalid, "token: kind %q must be 1–%d characters of a–z, 0–9, _ and -, starting with a letter", c.Kind, MaxKindLen)
	case c.Subject == "" || len(c.Subject) > MaxSubjectLen || !utf8.ValidString(c.Subject):
		return errcode.Errorf(errcode.Invalid, "token: subject must be 1–%d bytes of UTF-8", MaxSubjectLen)
	case c.Rating < 0 || c.Rating > 255:
		return errcode.Errorf(errcode.Invalid, "token: rating %d is not between 0 and 255", c.Rating)
	case len(c.Nonce) != NonceLen:
		return errcode.Errorf(errcode.Invalid, "token: nonce must be %d bytes, not %d", NonceLen, len(c.Nonce))
	case c.Expires.IsZero() || c.Expires.Unix() <= 0 || c.Expires.Unix() > maxExpires:
		return errcode.Errorf(errcode.Invalid, "token: expiry %v is out of range", c.Expires)
	}
	return nil
}

func validKind(k string) bool {
	if k == "" || len(k) > MaxKindLen || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

func mac(key []byte, kind string, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write(payload)
	return m.Sum(nil)[:MACLen]
}

// notFound is the one answer for every token that is not ours.
func notFound() error { return errcode.Errorf(errcode.NotFound, "link not found") }

// Parse verifies tok with key and returns its claims. Anything but a token
// Sign made with key is errcode.NotFound "link not found"; a genuine token
// whose expiry is not after now is errcode.Gone.
func Parse(key []byte, tok string, now time.Time) (Claims, error) {
	return parse(key, tok, "", now)
}

// ParseKind is Parse for a token that must be of the given kind: a token of
// any other kind is "link not found", exactly like a forged one.
func ParseKind(key []byte, tok, kind string, now time.Time) (Claims, error) {
	if !validKind(kind) {
		return Claims{}, errcode.Errorf(errcode.Internal, "token: kind %q is not a valid kind", kind)
	}
	return parse(key, tok, kind, now)
}

func parse(key []byte, tok, want string, now time.Time) (Claims, error) {
	if len(key) == 0 {
		return Claims{}, errcode.Errorf(errcode.Internal, "token: no signing key")
	}
	minRaw := headerLen + 1 + 1 + MACLen // a one-byte kind and subject
	if len(tok) > MaxLen || len(tok) < enc.EncodedLen(minRaw) {
		return Claims{}, notFound()
	}
	raw, err := enc.DecodeString(tok)
	// The decoder skips CR and LF; a token holding them is not one Sign
	// made, so the string must re-encode to itself.
	if err != nil || len(raw) < minRaw || enc.EncodedLen(len(raw)) != len(tok) {
		return Claims{}, notFound()
	}
	payload, sum := raw[:len(raw)-MACLen], raw[len(raw)-MACLen:]
	kl := int(payload[headerLen-1])
	if kl == 0 || kl > MaxKindLen || headerLen+kl >= len(payload) {
		return Claims{}, notFound()
	}
	kind := string(payload[headerLen : headerLen+kl])
	macKind := kind
	if want != "" {
		macKind = want // a token of another kind fails the MAC check itself
	}
	if !hmac.Equal(sum, mac(key, macKind, payload)) {
		return Claims{}, notFound()
	}
	if payload[0] != version || kind != macKind {
		return Claims{}, notFound()
	}
	exp := int64(payload[1])<<32 | int64(payload[2])<<24 | int64(payload[3])<<16 | int64(payload[4])<<8 | int64(payload[5])
	c := Claims{
		Kind:    kind,
		Subject: string(payload[headerLen+kl:]),
		Rating:  int(payload[6]),
		Expires: time.Unix(exp, 0).UTC(),
		Nonce:   append([]byte(nil), payload[7:7+NonceLen]...),
	}
	if check(c) != nil {
		return Claims{}, notFound()
	}
	if !now.Before(c.Expires) {
		return Claims{}, errcode.Errorf(errcode.Gone, "link expired")
	}
	return c, nil
}

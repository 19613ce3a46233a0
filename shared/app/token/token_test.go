package token_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/token"
	"scorecard/shared/core/errcode"
)

var (
	key     = []byte("dev-signing-key")
	now     = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)
	expires = now.Add(28 * 24 * time.Hour)
	nonce   = []byte("0123456789abcdef")
)

func survey(id string, rating int) token.Claims {
	return token.Claims{Kind: token.KindSurvey, Subject: id, Rating: rating, Expires: expires, Nonce: nonce}
}

func sign(t testing.TB, c token.Claims) string {
	t.Helper()
	tok, err := token.Sign(key, c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// forge signs an arbitrary payload the way the package documents, for
// tokens with a valid MAC that Sign would never make.
func forge(kind string, payload []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write(payload)
	return base64.RawURLEncoding.EncodeToString(append(payload, m.Sum(nil)[:token.MACLen]...))
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if errcode.Code(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	if code == errcode.NotFound && errcode.Message(err) != "link not found" {
		t.Fatalf("message %q reveals something; want %q", errcode.Message(err), "link not found")
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		claims token.Claims
	}{
		{"a survey link with a rating", survey("zendesk-48213-1", 4)},
		{"a survey link with no rating", survey("zendesk-48213-1", 0)},
		{"an unsubscribe link for a customer key", token.Claims{Kind: token.KindUnsubscribe, Subject: "zendesk:ann@example.com", Expires: expires, Nonce: nonce}},
		{"an assessment link", token.Claims{Kind: token.KindAssessment, Subject: "2026-09/E001/lead", Expires: expires, Nonce: nonce}},
		{"a non-ASCII subject", token.Claims{Kind: token.KindUnsubscribe, Subject: "generic:张敏", Expires: expires, Nonce: nonce}},
		{"the longest subject and kind", token.Claims{Kind: strings.Repeat("k", token.MaxKindLen), Subject: strings.Repeat("s", token.MaxSubjectLen), Rating: 255, Expires: expires, Nonce: nonce}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := sign(t, tc.claims)
			if len(tok) > token.MaxLen {
				t.Fatalf("token is %d characters, over MaxLen", len(tok))
			}
			if strings.ContainsAny(tok, "+/=") {
				t.Fatalf("token %q is not base64url without padding", tok)
			}
			got, err := token.Parse(key, tok, now)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.claims, got); diff != "" {
				t.Errorf("claims (-signed +parsed):\n%s", diff)
			}
			if again := sign(t, got); again != tok {
				t.Errorf("re-signing the parsed claims gives %q, want %q", again, tok)
			}
		})
	}
}

func TestTypicalSurveyLinkIsCompact(t *testing.T) {
	c := survey("zendesk-4821337-20261005T0930", 5)
	c.Nonce = nil
	tok := sign(t, c)
	if len(tok) >= 120 {
		t.Errorf("survey token is %d characters, want < 120: %s", len(tok), tok)
	}
}

func TestExpiryHasSecondPrecision(t *testing.T) {
	c := survey("s-1", 1)
	c.Expires = time.Date(2026, 11, 2, 9, 30, 0, 999_999_999, time.FixedZone("CST", 8*3600))
	got, err := token.Parse(key, sign(t, c), now)
	if err != nil {
		t.Fatal(err)
	}
	if want := c.Expires.Truncate(time.Second).UTC(); !got.Expires.Equal(want) || got.Expires.Location() != time.UTC {
		t.Errorf("expires %v, want %v in UTC", got.Expires, want)
	}
}

func TestNoncesMakeEqualClaimsUnguessable(t *testing.T) {
	c := survey("s-1", 3)
	c.Nonce = nil
	seen := map[string]bool{}
	for range 100 {
		tok := sign(t, c)
		if seen[tok] {
			t.Fatalf("two tokens for equal claims are equal: %s", tok)
		}
		seen[tok] = true
	}
	if a, b := token.NewNonce(), token.NewNonce(); len(a) != token.NonceLen || bytes.Equal(a, b) {
		t.Errorf("NewNonce: %x, %x", a, b)
	}
}

func TestEverySingleByteFlipIsNotFound(t *testing.T) {
	tok := sign(t, survey("zendesk-48213-1", 4))
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		for bit := 0; bit < 8; bit++ {
			b := bytes.Clone(raw)
			b[i] ^= 1 << bit
			_, err := token.Parse(key, base64.RawURLEncoding.EncodeToString(b), now)
			wantCode(t, err, errcode.NotFound)
		}
	}
	// Every character replaced by every other of the alphabet, including
	// changes to the unused low bits of the last character.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range tok {
		for _, r := range alphabet {
			if byte(r) == tok[i] {
				continue
			}
			_, err := token.Parse(key, tok[:i]+string(r)+tok[i+1:], now)
			wantCode(t, err, errcode.NotFound)
		}
	}
}

func TestTruncationsAndExtensionsAreNotFound(t *testing.T) {
	tok := sign(t, survey("zendesk-48213-1", 4))
	for i := 0; i < len(tok); i++ {
		_, err := token.Parse(key, tok[:i], now)
		wantCode(t, err, errcode.NotFound)
		_, err = token.Parse(key, tok[i+1:], now)
		wantCode(t, err, errcode.NotFound)
	}
	for _, tail := range []string{"A", "AA", "=", "==", "\n", "\r\n", " ", "%3D"} {
		_, err := token.Parse(key, tok+tail, now)
		wantCode(t, err, errcode.NotFound)
	}
	// Line breaks in the middle are skipped by base64 decoders: not here.
	_, err := token.Parse(key, tok[:10]+"\n"+tok[10:], now)
	wantCode(t, err, errcode.NotFound)
	// Standard base64 is not accepted for base64url.
	std := strings.NewReplacer("-", "+", "_", "/").Replace(tok)
	if std != tok {
		_, err = token.Parse(key, std, now)
		wantCode(t, err, errcode.NotFound)
	}
}

func TestRejects(t *testing.T) {
	good := sign(t, survey("zendesk-48213-1", 4))
	header := func(ver byte, kind string) []byte {
		exp := expires.Unix()
		p := []byte{ver, byte(exp >> 32), byte(exp >> 24), byte(exp >> 16), byte(exp >> 8), byte(exp), 4}
		p = append(p, nonce...)
		p = append(p, byte(len(kind)))
		return append(p, kind...)
	}
	tests := []struct {
		name string
		tok  string
		key  []byte
	}{
		{"the empty string", "", key},
		{"garbage", "not-a-token", key},
		{"a wrong key", good, []byte("another-signing-key")},
		{"a key that is a prefix of the real one", good, key[:len(key)-1]},
		{"an oversized token", strings.Repeat("A", token.MaxLen+1), key},
		{"an oversized token that starts like a real one", good + strings.Repeat("A", token.MaxLen), key},
		{"a valid MAC over an unknown version", forge("survey", append(header(2, "survey"), "s-1"...)), key},
		{"a valid MAC over a subject that is not UTF-8", forge("survey", append(header(1, "survey"), 0xff, 0xfe)), key},
		{"a valid MAC over an upper-case kind", forge("Survey", append(header(1, "Survey"), "s-1"...)), key},
		{"a valid MAC over an empty subject", forge("survey", header(1, "survey")), key},
		{"a valid MAC with the kind length past the end", forge("survey", append(header(1, "survey")[:23], 200, 's')), key},
		{"a valid MAC with a zero kind length", forge("survey", append(header(1, "survey")[:23], 0, 's', 's')), key},
		{"a valid MAC over a zero expiry", forge("survey", append(append([]byte{1, 0, 0, 0, 0, 0, 4}, append(bytes.Clone(nonce), 6)...), "surveys-1"...)), key},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := token.Parse(tc.key, tc.tok, now)
			wantCode(t, err, errcode.NotFound)
		})
	}
}

func TestExpiryBoundary(t *testing.T) {
	tok := sign(t, survey("s-1", 2))
	tests := []struct {
		name string
		now  time.Time
		code string
	}{
		{"a second before expiry is valid", expires.Add(-time.Second), ""},
		{"a nanosecond before expiry is valid", expires.Add(-time.Nanosecond), ""},
		{"at expiry it is gone", expires, errcode.Gone},
		{"after expiry it is gone", expires.Add(time.Hour), errcode.Gone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := token.Parse(key, tok, tc.now)
			if errcode.Code(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
		})
	}
	t.Run("an expired token with a wrong key is not found, not gone", func(t *testing.T) {
		_, err := token.Parse([]byte("other"), tok, expires.Add(time.Hour))
		wantCode(t, err, errcode.NotFound)
	})
	t.Run("an expired token says expired", func(t *testing.T) {
		_, err := token.ParseKind(key, tok, token.KindSurvey, expires)
		if errcode.Message(err) != "link expired" {
			t.Errorf("message %q", errcode.Message(err))
		}
	})
}

func TestKindsDoNotCross(t *testing.T) {
	toks := map[string]string{}
	for _, kind := range []string{token.KindSurvey, token.KindUnsubscribe, token.KindAssessment} {
		toks[kind] = sign(t, token.Claims{Kind: kind, Subject: "same-subject", Expires: expires, Nonce: nonce})
	}
	for signed, tok := range toks {
		for _, want := range []string{token.KindSurvey, token.KindUnsubscribe, token.KindAssessment} {
			c, err := token.ParseKind(key, tok, want, now)
			if signed == want {
				if err != nil || c.Kind != want {
					t.Errorf("a %s token as %s: %+v, %v", signed, want, c, err)
				}
				continue
			}
			wantCode(t, err, errcode.NotFound)
		}
	}
	// Rewriting the kind inside a genuine token (same length) breaks the MAC.
	raw, _ := base64.RawURLEncoding.DecodeString(sign(t, token.Claims{Kind: "abc", Subject: "x", Expires: expires, Nonce: nonce}))
	copy(raw[24:27], "xyz")
	_, err := token.Parse(key, base64.RawURLEncoding.EncodeToString(raw), now)
	wantCode(t, err, errcode.NotFound)
}

func TestSignRefusesClaimsThatDoNotFit(t *testing.T) {
	base := survey("s-1", 1)
	tests := []struct {
		name   string
		mutate func(*token.Claims)
	}{
		{"no kind", func(c *token.Claims) { c.Kind = "" }},
		{"an upper-case kind", func(c *token.Claims) { c.Kind = "Survey" }},
		{"a kind with a NUL", func(c *token.Claims) { c.Kind = "a\x00b" }},
		{"a kind starting with a digit", func(c *token.Claims) { c.Kind = "1survey" }},
		{"a kind that is too long", func(c *token.Claims) { c.Kind = strings.Repeat("k", token.MaxKindLen+1) }},
		{"no subject", func(c *token.Claims) { c.Subject = "" }},
		{"a subject that is too long", func(c *token.Claims) { c.Subject = strings.Repeat("s", token.MaxSubjectLen+1) }},
		{"a subject that is not UTF-8", func(c *token.Claims) { c.Subject = "\xff" }},
		{"a negative rating", func(c *token.Claims) { c.Rating = -1 }},
		{"a rating over 255", func(c *token.Claims) { c.Rating = 256 }},
		{"a short nonce", func(c *token.Claims) { c.Nonce = []byte{1, 2, 3} }},
		{"an empty non-nil nonce", func(c *token.Claims) { c.Nonce = []byte{} }},
		{"no expiry", func(c *token.Claims) { c.Expires = time.Time{} }},
		{"an expiry before 1970", func(c *token.Claims) { c.Expires = time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"an expiry past 40 bits", func(c *token.Claims) { c.Expires = time.Unix(1<<40, 0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			tc.mutate(&c)
			if _, err := token.Sign(key, c); errcode.Code(err) != errcode.Invalid {
				t.Errorf("error %v, want invalid", err)
			}
		})
	}
}

func TestAMissingKeyIsInternal(t *testing.T) {
	if _, err := token.Sign(nil, survey("s-1", 1)); errcode.Code(err) != errcode.Internal {
		t.Errorf("Sign: %v", err)
	}
	if _, err := token.Parse(nil, sign(t, survey("s-1", 1)), now); errcode.Code(err) != errcode.Internal {
		t.Errorf("Parse: %v", err)
	}
	if _, err := token.ParseKind(key, sign(t, survey("s-1", 1)), "Not A Kind", now); errcode.Code(err) != errcode.Internal {
		t.Errorf("ParseKind with an invalid kind: %v", err)
	}
}

// FuzzParse: Parse never panics, fails only with NotFound or Gone, and
// accepts only what Sign produced with that key.
func FuzzParse(f *testing.F) {
	for _, c := range []token.Claims{
		survey("zendesk-48213-1", 4),
		{Kind: token.KindUnsubscribe, Subject: "generic:ann@example.com", Expires: expires, Nonce: nonce},
		{Kind: token.KindAssessment, Subject: "a", Expires: now, Nonce: nonce},
	} {
		tok := sign(f, c)
		f.Add(tok)
		f.Add(tok[:len(tok)-1])
		f.Add(tok + "A")
	}
	f.Add("")
	f.Add(strings.Repeat("_", 100))
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := token.Parse(key, tok, now)
		switch errcode.Code(err) {
		case "":
		case errcode.NotFound, errcode.Gone:
			return
		default:
			t.Fatalf("error %v", err)
		}
		again, err := token.Sign(key, c)
		if err != nil || again != tok {
			t.Fatalf("Parse accepted %q, which Sign makes as %q (%v)", tok, again, err)
		}
		if _, err := token.Parse([]byte("another key"), tok, now); errcode.Code(err) != errcode.NotFound {
			t.Fatalf("token %q parses with another key: %v", tok, err)
		}
	})
}

// FuzzSignParse: whatever Sign accepts parses back to the same claims.
func FuzzSignParse(f *testing.F) {
	f.Add("survey", "zendesk-1-1", 4, int64(1_800_000_000), nonce)
	f.Add("unsubscribe", "generic:张敏", 0, int64(1), nonce)
	f.Fuzz(func(t *testing.T, kind, subject string, rating int, exp int64, n []byte) {
		c := token.Claims{Kind: kind, Subject: subject, Rating: rating, Expires: time.Unix(exp, 0).UTC(), Nonce: n}
		tok, err := token.Sign(key, c)
		if err != nil {
			if errcode.Code(err) != errcode.Invalid {
				t.Fatalf("error %v", err)
			}
			return
		}
		got, err := token.Parse(key, tok, time.Unix(0, 0))
		if err != nil {
			t.Fatalf("Parse(Sign(%+v)): %v", c, err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Fatalf("claims (-signed +parsed):\n%s", diff)
		}
	})
}

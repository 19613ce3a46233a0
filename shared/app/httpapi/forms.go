package httpapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"strings"
)

// The protections every page behind a signed link shares (the survey and
// assessment forms).

// pageHeaders go on every page. The CSP allows no script, no external
// resource and no framing; styles are inline; forms post to this origin.
var pageHeaders = map[string]string{
	"Content-Type":            "text/html; charset=utf-8",
	"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "no-referrer",
	"Cache-Control":           "no-store",
	"X-Frame-Options":         "DENY",
	"X-Robots-Tag":            "noindex, nofollow",
}

// PageHeaders returns a fresh copy of the headers of a form page.
func PageHeaders() map[string]string { return maps.Clone(pageHeaders) }

// CSRF is a form's anti-forgery value for a link: only a page this service
// rendered for that very token carries it.
func CSRF(key []byte, token string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("csrf|" + token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// ValidCSRF checks a posted anti-forgery value in constant time.
func ValidCSRF(key []byte, token, got string) bool {
	return hmac.Equal([]byte(got), []byte(CSRF(key, token)))
}

// SameOrigin checks the Origin header when it names an origin. Browsers
// send "null" for a form posted from a page with Referrer-Policy:
// no-referrer — which these pages are — so "null" and a missing header
// carry no information and leave the decision to the CSRF field. Any real
// origin must be base's; without a base none is.
func SameOrigin(base string, headers http.Header) bool {
	o := headers.Get("Origin")
	if o == "" || o == "null" {
		return true
	}
	want, ok := origin(base)
	got, ok2 := origin(o)
	return ok && ok2 && got == want
}

// origin is scheme://host[:port] of an absolute URL, lower-cased, with the
// scheme's default port left out.
func origin(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	host := strings.ToLower(u.Host)
	if (u.Scheme == "https" && strings.HasSuffix(host, ":443")) || (u.Scheme == "http" && strings.HasSuffix(host, ":80")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return u.Scheme + "://" + host, true
}

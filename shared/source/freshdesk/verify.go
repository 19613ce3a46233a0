package freshdesk

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"strings"
	"time"

	"scorecard/shared/core/errcode"
)

// AuthorizationHeader carries the shared secret: Freshdesk signs nothing,
// so the automation rule sends "Authorization: Bearer <secret>" as a custom
// header.
const AuthorizationHeader = "Authorization"

// Verify checks that the Authorization header is "Bearer <secret>". Both
// sides are hashed before a constant-time comparison so that neither the
// secret's content nor its length leaks through timing. now is unused:
// Freshdesk sends no timestamp to check. Errors are errcode.Unauthorized
// and never echo the secret or the token received.
func Verify(secret []byte, headers http.Header, _ []byte, _ time.Time) error {
	if len(secret) == 0 {
		return errcode.Errorf(errcode.Internal, "freshdesk webhook secret is not configured")
	}
	value := strings.TrimSpace(headers.Get(AuthorizationHeader))
	if value == "" {
		return errcode.Errorf(errcode.Unauthorized, "%s header is missing: add it to the rule's custom headers", AuthorizationHeader)
	}
	scheme, token, ok := strings.Cut(value, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return errcode.Errorf(errcode.Unauthorized, "%s must be Bearer <secret>", AuthorizationHeader)
	}
	got, want := sha256.Sum256([]byte(token)), sha256.Sum256(secret)
	if !hmac.Equal(got[:], want[:]) {
		return errcode.Errorf(errcode.Unauthorized, "%s bearer token is wrong", AuthorizationHeader)
	}
	return nil
}

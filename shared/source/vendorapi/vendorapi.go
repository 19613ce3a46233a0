// Package vendorapi owns reading the ticketing systems' REST APIs: one
// small HTTP client with the vendor's credentials, JSON answers read with a
// size limit, and the answers sorted into what a caller must do next —
// ErrNotFound (the vendor has no such record: give up on it), *RetryLater
// (rate limited, the vendor down or refusing the credentials: try again
// later, never lose the work). After a 429 the client sends nothing until
// the vendor's Retry-After has passed, so a sweep of many lookups stops at
// the first one refused instead of hammering the API.
//
// Credentials live in SSM under the secrets prefix (package secrets):
// a base URL, and a user and token (HTTP Basic) or a token alone (Bearer).
package vendorapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"scorecard/shared/core/event"
)

// Credentials reach one vendor's API.
type Credentials struct {
	BaseURL string `json:"base_url"` // https://acme.zendesk.com
	User    string `json:"user"`     // Basic auth user; empty: Bearer token
	Token   string `json:"token"`
	// Edition tells Jira Cloud ("cloud") from Server and Data Center
	// ("datacenter") where the URL does not (a custom domain); others
	// ignore it.
	Edition string `json:"edition,omitempty"`
}

// Valid reports whether the credentials name an http(s) URL and a token.
func (c Credentials) Valid() error {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("base_url is not an http(s) URL")
	}
	if c.Token == "" {
		return fmt.Errorf("token is empty")
	}
	return nil
}

// ErrNotFound: the vendor has no such record (or it lacks what was asked,
// such as an e-mail address). Asking again will not help.
var ErrNotFound = errors.New("not found at the vendor")

// RetryLater: the vendor could not answer now (429, 5xx, 401/403 while
// the credentials are being fixed, a network fault). After says when to
// try again, when the vendor said.
type RetryLater struct {
	Status int           // HTTP status, 0 for a network fault
	After  time.Duration // the vendor's Retry-After, 0 if none
	Err    error
}

func (e *RetryLater) Error() string {
	switch {
	case e.Status == 0:
		return fmt.Sprintf("vendor API unreachable: %v", e.Err)
	case e.After > 0:
		return fmt.Sprintf("vendor API answered %d; retry after %s", e.Status, e.After)
	}
	return fmt.Sprintf("vendor API answered %d", e.Status)
}

func (e *RetryLater) Unwrap() error { return e.Err }

// MaxAnswer bounds a JSON answer read.
const MaxAnswer = 4 << 20

// Client calls one vendor's API.
type Client struct {
	creds Credentials
	base  *url.URL
	HTTP  *http.Client
	Now   func() time.Time

	mu      sync.Mutex
	blocked time.Time // after a 429: nothing is sent before this
}

// New returns a client for the credentials, with a 10 s timeout per call.
func New(c Credentials) (*Client, error) {
	if err := c.Valid(); err != nil {
		return nil, err
	}
	u, _ := url.Parse(strings.TrimRight(c.BaseURL, "/"))
	return &Client{creds: c, base: u, HTTP: &http.Client{Timeout: 10 * time.Second}, Now: time.Now}, nil
}

// GetJSON reads path (with query) into v. 404 is ErrNotFound; 429, 5xx,
// 401, 403 and network faults are *RetryLater; any other status is an
// error naming it.
func (c *Client) GetJSON(ctx context.Context, path string, query url.Values, v any) error {
	c.mu.Lock()
	blocked := c.blocked
	c.mu.Unlock()
	if wait := blocked.Sub(c.Now()); wait > 0 {
		return &RetryLater{Status: http.StatusTooManyRequests, After: wait, Err: errors.New("still rate limited")}
	}
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if c.creds.User != "" {
		req.SetBasicAuth(c.creds.User, c.creds.Token)
	} else {
		req.Header.Set("Authorization", "Bearer "+c.creds.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return &RetryLater{Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	switch {
	case err != nil:
		return &RetryLater{Status: resp.StatusCode, Err: err}
	case resp.StatusCode == http.StatusNotFound:
		return ErrNotFound
	case resp.StatusCode == http.StatusTooManyRequests:
		after := retryAfter(resp.Header.Get("Retry-After"), c.Now())
		c.mu.Lock()
		c.blocked = c.Now().Add(max(after, time.Second))
		c.mu.Unlock()
		return &RetryLater{Status: resp.StatusCode, After: after}
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden:
		return &RetryLater{Status: resp.StatusCode, After: retryAfter(resp.Header.Get("Retry-After"), c.Now())}
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("vendor API %s answered %d", path, resp.StatusCode)
	case len(body) > MaxAnswer:
		return fmt.Errorf("vendor API %s: answer over %d bytes", path, MaxAnswer)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("vendor API %s: %w", path, err)
	}
	return nil
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(min(s, 86400)) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return min(t.Sub(now), 24*time.Hour)
	}
	return 0
}

// Contact is what a vendor knows of a customer: where to mail the survey,
// how to greet them, and in which language.
type Contact struct {
	Email  string
	Name   string
	Locale string // the vendor's locale tag as sent (en-US, zh-cn, en_US …); "" if none
}

// ContactFrom is the contact of an answer: ErrNotFound when it has no
// usable address (a messaging-only customer, a hidden e-mail).
func ContactFrom(email, name, locale string) (Contact, error) {
	email = strings.TrimSpace(email)
	if !event.PlausibleEmail(email) {
		return Contact{}, ErrNotFound
	}
	return Contact{Email: email, Name: strings.TrimSpace(name), Locale: strings.TrimSpace(locale)}, nil
}

// Package formtest holds what the tests of the signed-link pages (the
// survey and the assessments) share: the captured API Gateway requests
// made into a page's request, the Lambda JSON layer, the headers every
// page carries, a settable clock and a test server in front of a handler.
package formtest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/core/errcode"
)

// Handle is a page handler's Lambda entry point.
type Handle = httpapi.HandlerFunc

// WantHeaders are the headers every page answers with.
var WantHeaders = map[string]string{
	"Content-Type":            "text/html; charset=utf-8",
	"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "no-referrer",
	"Cache-Control":           "no-store",
}

// CheckHeaders fails t for a page header missing or different.
func CheckHeaders(t testing.TB, resp events.APIGatewayV2HTTPResponse) {
	t.Helper()
	for k, v := range WantHeaders {
		if got := resp.Headers[k]; got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
}

var pageRE = regexp.MustCompile(`data-page="([a-z]+)"`)

// PageOf is the kind of page a body is (its data-page attribute).
func PageOf(body string) string {
	if m := pageRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// CSRF is a form's csrf field as the pages define it, computed here
// independently of them: base64url HMAC-SHA256(key, "csrf|" + token).
func CSRF(key []byte, tok string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("csrf|" + tok))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Captured, as a body, keeps the captured request's own body.
const Captured = "\x00captured"

// Request is the API Gateway v2 event captured in testdata/apigw-get.json
// (or apigw-post.json for a POST) made a request for method on
// segment+tok ("/s/", "/a/") with body (Captured keeps the capture's),
// then changed by edit.
func Request(t testing.TB, segment, method, tok, body string, edit func(*events.APIGatewayV2HTTPRequest)) []byte {
	t.Helper()
	file := "testdata/apigw-get.json"
	if method == http.MethodPost {
		file = "testdata/apigw-post.json"
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	req.RequestContext.HTTP.Method = method
	req.RequestContext.HTTP.Path = segment + tok
	req.RawPath = segment + tok
	req.PathParameters["token"] = tok
	if body != Captured {
		req.Body = body
	}
	if edit != nil {
		edit(&req)
	}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Invoke runs handle through the Lambda JSON layer.
func Invoke(t testing.TB, handle Handle, payload []byte) events.APIGatewayV2HTTPResponse {
	t.Helper()
	out, err := lambda.NewHandler(handle).Invoke(context.Background(), payload)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

// Clock is a settable Now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a Clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// Server serves handle on GET and POST segment+{token} ("/s/", "/a/") the
// way the local gateway does, and records the Origin of every POST.
type Server struct {
	*httptest.Server
	mu      sync.Mutex
	origins []string
}

// Serve starts a Server, closed when t ends.
func Serve(t testing.TB, segment string, handle Handle) *Server {
	mux := http.NewServeMux()
	httpapi.Route(mux, "GET "+segment+"{token}", handle)
	httpapi.Route(mux, "POST "+segment+"{token}", handle)
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			s.mu.Lock()
			s.origins = append(s.origins, r.Header.Get("Origin"))
			s.mu.Unlock()
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// Origins are the Origin headers of the POSTs so far.
func (s *Server) Origins() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.origins...)
}

// CheckAnswer checks a page answer: its status (fatal when wrong), the
// page headers and those given, the kind of page, text it shows (as sent
// or unescaped) and text it must not send.
func CheckAnswer(t testing.TB, resp events.APIGatewayV2HTTPResponse, status int, page string, headers map[string]string, has, hasNot []string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d:\n%s", resp.StatusCode, status, resp.Body)
	}
	CheckHeaders(t, resp)
	for k, v := range headers {
		if resp.Headers[k] != v {
			t.Errorf("header %s = %q, want %q", k, resp.Headers[k], v)
		}
	}
	if got := PageOf(resp.Body); got != page {
		t.Errorf("page %q, want %q", got, page)
	}
	text := html.UnescapeString(resp.Body)
	for _, s := range has {
		if !strings.Contains(resp.Body, s) && !strings.Contains(text, s) {
			t.Errorf("page lacks %q:\n%s", s, resp.Body)
		}
	}
	for _, s := range hasNot {
		if strings.Contains(resp.Body, s) {
			t.Errorf("page has %q", s)
		}
	}
}

// CheckFault checks the page answering a fault: its status (fatal when
// wrong), the page headers, nothing of the cause shown (the causes tests
// give name an address 10.x or a "nil map"), and Retry-After on a 503.
func CheckFault(t testing.TB, resp events.APIGatewayV2HTTPResponse, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d", resp.StatusCode, status)
	}
	CheckHeaders(t, resp)
	if strings.Contains(resp.Body, "10.") || strings.Contains(resp.Body, "nil map") {
		t.Errorf("the page leaks the cause:\n%s", resp.Body)
	}
	if status == http.StatusServiceUnavailable && resp.Headers["Retry-After"] == "" {
		t.Error("503 without Retry-After")
	}
}

// Config is a page handler's configuration for tests: the key, the
// clock, the base URL, and a log that discards.
func Config(key []byte, c *Clock, base string) formkit.Config {
	return formkit.Config{Key: key, Now: c.Now, Log: slog.New(slog.DiscardHandler), BaseURL: base}
}

// Records is a thread-safe in-memory table of T by id that hands out
// copies, for the pages' in-memory stores. The zero value is ready once Of
// has named it.
type Records[T any] struct {
	once  sync.Once
	what  string
	clone func(T) T
	mu    sync.Mutex
	rows  map[string]T
}

// Of readies the table on its first use — what names it in not-found
// errors, clone copies a row — and returns it.
func (r *Records[T]) Of(what string, clone func(T) T) *Records[T] {
	r.once.Do(func() { r.what, r.clone = what, clone })
	return r
}

// Put adds or replaces the row id.
func (r *Records[T]) Put(id string, v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rows == nil {
		r.rows = map[string]T{}
	}
	r.rows[id] = r.clone(v)
}

// Get is a copy of the row id; errcode.NotFound when there is none.
func (r *Records[T]) Get(id string) (T, error) {
	return r.Update(id, func(v T) (T, error) { return v, nil })
}

// Update replaces the row id with what change makes of it, under the
// lock, and returns a copy; change's error leaves the row as it was.
func (r *Records[T]) Update(id string, change func(T) (T, error)) (T, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var zero T
	v, ok := r.rows[id]
	if !ok {
		return zero, errcode.Errorf(errcode.NotFound, "%s not found", r.what)
	}
	v, err := change(r.clone(v))
	if err != nil {
		return zero, err
	}
	r.rows[id] = r.clone(v)
	return r.clone(v), nil
}

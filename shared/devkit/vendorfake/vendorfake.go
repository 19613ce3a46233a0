// Package vendorfake is a local stand-in for the ticketing systems' REST
// APIs that the product reads customers' addresses from — Zendesk's users,
// Jira Cloud's and Data Center's users, Freshdesk's contacts — for tests
// and the demo, on loopback. It serves each vendor's documented answer
// shapes (the captures under <vendor>/testdata/api), checks the vendor's
// authentication, answers 404 in the vendor's error shape, and limits the
// request rate as the vendors do: past Limit requests in a Window it
// answers 429 with Retry-After. No function links it.
package vendorfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"scorecard/shared/source/vendorapi"
)

// Person is a customer (or agent) the fake knows.
type Person struct {
	Email  string // "" for one without an address (a messaging-only user)
	Name   string
	Locale string
}

// Server serves the three APIs; set its fields before serving.
type Server struct {
	// People by source ("zendesk", "jira", "freshdesk") and the id the
	// source's webhooks use (Zendesk user id, Jira accountId or user key,
	// Freshdesk contact id).
	People map[string]map[string]Person
	// User and Token every request must carry (HTTP Basic; Zendesk's user
	// is "<e-mail>/token"). Empty User: Bearer Token.
	User, Token string
	// Limit requests per Window per vendor, then 429 with Retry-After
	// until the window ends; 0: no limit.
	Limit  int
	Window time.Duration
	Now    func() time.Time
	// Fail answers the next Fail requests with 503 (a vendor outage).
	Fail int

	mu      sync.Mutex
	windows map[string]window
	counts  map[string]int
}

type window struct {
	start time.Time
	n     int
}

// Requests reports how many requests each vendor answered, by status
// ("zendesk 200", "jira 429", …).
func (s *Server) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Credentials are what the product needs to reach this server as source.
func (s *Server) Credentials(baseURL, source string) vendorapi.Credentials {
	c := vendorapi.Credentials{BaseURL: baseURL, User: s.User, Token: s.Token}
	if source == "jira" {
		c.Edition = "cloud"
	}
	return c
}

// ServeHTTP routes a request to its vendor.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	vendor, id := route(r)
	if vendor == "" {
		http.NotFound(w, r)
		return
	}
	status := s.answer(w, r, vendor, id)
	s.mu.Lock()
	if s.counts == nil {
		s.counts = map[string]int{}
	}
	s.counts[vendor+" "+strconv.Itoa(status)]++
	s.mu.Unlock()
}

// route names the vendor and the id a request asks for.
func route(r *http.Request) (vendor, id string) {
	if r.Method != http.MethodGet {
		return "", ""
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/api/v2/users/"):
		return "zendesk", strings.TrimSuffix(strings.TrimPrefix(p, "/api/v2/users/"), ".json")
	case strings.HasPrefix(p, "/api/v2/contacts/"):
		return "freshdesk", strings.TrimPrefix(p, "/api/v2/contacts/")
	case p == "/rest/api/3/user" || p == "/rest/api/2/user":
		q := r.URL.Query()
		if id := q.Get("accountId"); id != "" {
			return "jira", id
		}
		return "jira", q.Get("key") + q.Get("username")
	}
	return "", ""
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, vendor, id string) int {
	if !s.authorized(r) {
		return reply(w, http.StatusUnauthorized, errorBody(vendor, "Couldn't authenticate you"))
	}
	s.mu.Lock()
	if s.Fail > 0 {
		s.Fail--
		s.mu.Unlock()
		return reply(w, http.StatusServiceUnavailable, errorBody(vendor, "Service unavailable"))
	}
	if wait, limited := s.limited(vendor); limited {
		s.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, "Number of allowed API requests per minute exceeded")
		return http.StatusTooManyRequests
	}
	p, ok := s.People[vendor][id]
	s.mu.Unlock()
	switch {
	case !ok && vendor == "freshdesk":
		w.WriteHeader(http.StatusNotFound) // Freshdesk's 404 has no body
		return http.StatusNotFound
	case !ok:
		return reply(w, http.StatusNotFound, errorBody(vendor, "Not found"))
	}
	return reply(w, http.StatusOK, body(vendor, id, p))
}

// limited counts a request against the vendor's window; it reports how long
// until the window ends when the limit is spent. Called with mu held.
func (s *Server) limited(vendor string) (time.Duration, bool) {
	if s.Limit <= 0 {
		return 0, false
	}
	now := s.Now()
	if s.windows == nil {
		s.windows = map[string]window{}
	}
	win := s.windows[vendor]
	if now.Sub(win.start) >= s.Window {
		win = window{start: now}
	}
	win.n++
	s.windows[vendor] = win
	if win.n > s.Limit {
		return win.start.Add(s.Window).Sub(now), true
	}
	return 0, false
}

func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if s.User == "" {
		return h == "Bearer "+s.Token
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(s.User+":"+s.Token))
	return h == want
}

// body is the vendor's answer for one person, in its documented shape.
func body(vendor, id string, p Person) any {
	switch vendor {
	case "zendesk":
		n, _ := strconv.ParseInt(id, 10, 64)
		return map[string]any{"user": map[string]any{
			"id": n, "url": "https://example.zendesk.com/api/v2/users/" + id + ".json", "name": p.Name, "email": nullable(p.Email),
			"locale": p.Locale, "role": "end-user", "active": true, "verified": true, "time_zone": "Beijing", "phone": nil,
			"organization_id": nil, "tags": []string{}, "user_fields": map[string]any{},
		}}
	case "jira":
		return map[string]any{
			"self": "https://example.atlassian.net/rest/api/3/user?accountId=" + id, "accountId": id, "accountType": "customer",
			"emailAddress": p.Email, "displayName": p.Name, "active": true, "timeZone": "Asia/Shanghai", "locale": p.Locale,
			"avatarUrls": map[string]string{}, "groups": map[string]any{"size": 0, "items": []any{}},
		}
	}
	return map[string]any{
		"id": mustInt(id), "name": p.Name, "email": nullable(p.Email), "language": p.Locale, "active": true,
		"time_zone": "Beijing", "phone": nil, "mobile": nil, "company_id": nil, "custom_fields": map[string]any{},
	}
}

// errorBody is the vendor's error shape.
func errorBody(vendor, msg string) any {
	switch vendor {
	case "zendesk":
		return map[string]any{"error": "RecordNotFound", "description": msg}
	case "jira":
		return map[string]any{"errorMessages": []string{msg}, "errors": map[string]any{}}
	}
	return map[string]any{"description": msg, "errors": []any{}}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func mustInt(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return s
}

func reply(w http.ResponseWriter, status int, v any) int {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
	return status
}

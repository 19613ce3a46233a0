package vendorfake_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"scorecard/shared/devkit/vendorfake"
)

// The Freshdesk history fake checks the API key, meters credits per
// minute with Freshdesk's headers, refuses pages past its cap, fails the
// request it is told to, and generates the same tickets for the same seed.
func TestFreshdeskHistory(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	fake := &vendorfake.FreshdeskHistory{
		Tickets: vendorfake.FreshdeskTickets(5, now.Add(-48*time.Hour), 1), APIKey: "key",
		PerMinute: 7, Now: func() time.Time { return now }, PageCap: 2, FailOn: 3,
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	get := func(path, user string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.SetBasicAuth(user, "X")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	steps := []struct {
		name, path, user string
		status           int
		remaining, used  string
	}{
		{"wrong key", "/api/v2/tickets", "nope", 401, "", ""},
		{"list with two includes costs 5", "/api/v2/tickets?updated_since=2026-01-01T00:00:00Z&include=stats,requester&per_page=2", "key", 200, "2", "5"},
		{"past the page cap", "/api/v2/tickets?page=3", "key", 400, "1", "1"},
		{"the injected outage", "/api/v2/tickets/1/conversations", "key", 503, "", ""},
		{"conversations cost 1", "/api/v2/tickets/1/conversations", "key", 200, "0", "1"},
		{"budget spent", "/api/v2/tickets/1/conversations", "key", 429, "", ""},
	}
	for _, s := range steps {
		resp := get(s.path, s.user)
		if resp.StatusCode != s.status || resp.Header.Get("X-RateLimit-Remaining") != s.remaining || resp.Header.Get("X-RateLimit-Used-CurrentRequest") != s.used {
			t.Errorf("%s: %d remaining %q used %q", s.name, resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"), resp.Header.Get("X-RateLimit-Used-CurrentRequest"))
		}
		if s.status == 429 && resp.Header.Get("Retry-After") != "60" {
			t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
		if s.status == 200 && resp.Header.Get("X-RateLimit-Total") != "7" {
			t.Errorf("%s: total %q", s.name, resp.Header.Get("X-RateLimit-Total"))
		}
	}
	a, b := vendorfake.FreshdeskTickets(50, now, 3), vendorfake.FreshdeskTickets(50, now, 3)
	if !reflect.DeepEqual(a, b) || len(a) != 50 {
		t.Error("the generator is not deterministic")
	}
	if j, _ := json.Marshal(a); len(j) < 1000 {
		t.Error("generated tickets are empty")
	}
}

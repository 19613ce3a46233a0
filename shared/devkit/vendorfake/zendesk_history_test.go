package vendorfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

func TestZendeskTicketsDeterministic(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := ZendeskTickets(50, start, 9), ZendeskTickets(50, start, 9)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different tickets")
	}
	if reflect.DeepEqual(a, ZendeskTickets(50, start, 10)) {
		t.Error("another seed gives the same tickets")
	}
	for _, tk := range a {
		for i := 1; i < len(tk.Audits); i++ {
			if !tk.Audits[i].At.After(tk.Audits[i-1].At) {
				t.Fatalf("ticket %d: audits out of order", tk.ID)
			}
		}
	}
}

func TestZendeskHistoryServes(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	z := &ZendeskHistory{Tickets: ZendeskTickets(3, now.Add(-48*time.Hour), 1), User: "a@example.com/token", Token: "t",
		Now: func() time.Time { return now }, PerPage: 5, FailOn: 2}
	srv := httptest.NewServer(z)
	defer srv.Close()
	get := func(path string, auth bool) (*http.Response, map[string]any) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if auth {
			req.SetBasicAuth(z.User, z.Token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		return resp, body
	}
	if resp, _ := get("/api/v2/incremental/ticket_events.json?start_time=0", false); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no auth: %d", resp.StatusCode)
	}
	resp, body := get("/api/v2/incremental/ticket_events.json?start_time=0&include=comment_events", true)
	if resp.StatusCode != http.StatusOK || body["end_of_stream"] != false || len(body["ticket_events"].([]any)) < 5 {
		t.Fatalf("first page: %d %v", resp.StatusCode, body)
	}
	if resp, _ := get("/api/v2/incremental/ticket_events.json?start_time=0", true); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("2nd request: %d, want 503", resp.StatusCode)
	}
	if resp, _ := get("/api/v2/users/1.json", true); resp.StatusCode != http.StatusNotFound {
		t.Errorf("other path: %d", resp.StatusCode)
	}
}

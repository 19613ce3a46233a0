package source_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/policy"
	"scorecard/shared/source"
	"scorecard/shared/source/vendorapi"
)

// TestEverySourceIsComplete keeps the registry's entries whole: a system
// missing a verifier or a parser would be a route that refuses or loses
// every delivery.
func TestEverySourceIsComplete(t *testing.T) {
	name := regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	seen := map[string]bool{}
	for _, s := range source.All {
		t.Run(s.Name, func(t *testing.T) {
			if !name.MatchString(s.Name) {
				t.Errorf("name %q is not a route segment of lower-case letters and digits", s.Name)
			}
			if seen[s.Name] || seen[s.IDColumn] {
				t.Errorf("name %q or column %q appears twice", s.Name, s.IDColumn)
			}
			seen[s.Name], seen[s.IDColumn] = true, true
			if s.Title == "" || s.IDColumn == "" || s.Verify == nil || s.Sign == nil || s.Parser == nil {
				t.Errorf("%+v: title, id column, Verify, Sign and Parser are required", s)
			}
			if s.Parser(policy.Source{}) == nil {
				t.Error("Parser returns no parser")
			}
		})
	}
}

// TestSignVerifies holds each system's Sign to its Verify: what the demo
// and the load test send is what the webhook accepts, and a change of body
// or secret is refused.
func TestSignVerifies(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	body := []byte(`{"id":1}`)
	secret := []byte("s3cret")
	for _, s := range source.All {
		t.Run(s.Name, func(t *testing.T) {
			h := http.Header{}
			s.Sign(h, secret, body, now)
			if err := s.Verify(secret, h, body, now); err != nil {
				t.Errorf("signed delivery refused: %v", err)
			}
			if err := s.Verify([]byte("other"), h, body, now); err == nil {
				t.Error("a delivery signed with another secret is accepted")
			}
		})
	}
}

// TestDirectoryColumnsAreDesigns keeps the engineers CSV the registry
// defines to DESIGN §5's header.
func TestDirectoryColumnsAreDesigns(t *testing.T) {
	want := "id,name,email,team,manager_email,hire_date,base_bonus,zendesk_id,freshdesk_id,jira_account_id,generic_id,locale"
	if got := strings.Join(source.Directory().Columns(), ","); got != want {
		t.Errorf("columns = %s, want %s", got, want)
	}
}

func TestGet(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"zendesk", true}, {"jira", true}, {"freshdesk", true}, {"generic", true},
		{"records", false}, {"Zendesk", false}, {"", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := source.Get(tc.name); ok != tc.ok {
				t.Errorf("Get(%q) ok = %v, want %v", tc.name, ok, tc.ok)
			}
		})
	}
	if got := strings.Join(source.WithAPI(), ","); got != "zendesk,freshdesk,jira" {
		t.Errorf("WithAPI = %s, want the three systems with a user API", got)
	}
}

func TestTicketURLs(t *testing.T) {
	urls := source.TicketURLs(map[string]vendorapi.Credentials{
		"zendesk":   {BaseURL: "https://acme.zendesk.com/"},
		"jira":      {BaseURL: "https://jira.acme.com/jira"},
		"freshdesk": {BaseURL: "https://acme.freshdesk.com"},
	})
	for _, tc := range []struct{ source, id, want string }{
		{"zendesk", "5158", "https://acme.zendesk.com/agent/tickets/5158"},
		{"jira", "10042", "https://jira.acme.com/jira/secure/ViewIssue.jspa?id=10042"},
		{"freshdesk", "366", "https://acme.freshdesk.com/a/tickets/366"},
		{"zendesk", "5/../x", "https://acme.zendesk.com/agent/tickets/5%2F..%2Fx"},
		{"generic", "T-1", ""},
		{"zendesk", "", ""},
	} {
		if got := urls(tc.source, tc.id); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.source, tc.id, got, tc.want)
		}
	}
	if got := source.TicketURLs(nil)("zendesk", "1"); got != "" {
		t.Errorf("without credentials: %q", got)
	}
}

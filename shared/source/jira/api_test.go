package jira_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"scorecard/shared/source/jira"
	"scorecard/shared/source/vendorapi"
)

// Cloud is asked by accountId, Data Center by user key; both answer as
// Atlassian documents and real sites answered (testdata/api).
func TestUsersReadsCapturedAnswers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		file := ""
		switch {
		case r.URL.Path == "/rest/api/3/user" && q.Get("accountId") == "5b10a2844c20165700ede21g" && r.Header.Get("Authorization") != "":
			file = "cloud_user_v3.json"
		case r.URL.Path == "/rest/api/2/user" && q.Get("key") == "JIRAUSER10001" && r.Header.Get("Authorization") == "Bearer pat":
			file = "server_user_dc.json"
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"errorMessages":["The user does not exist"],"errors":{}}`))
			return
		}
		b, _ := os.ReadFile(filepath.Join("testdata", "api", file))
		w.Write(b)
	}))
	defer srv.Close()
	tests := []struct {
		name  string
		creds vendorapi.Credentials
		id    string
		want  string
	}{
		{"Cloud by accountId", vendorapi.Credentials{BaseURL: srv.URL, User: "me@example.com", Token: "t", Edition: "cloud"}, "5b10a2844c20165700ede21g", "mia@example.com"},
		{"Data Center by key with a personal access token", vendorapi.Credentials{BaseURL: srv.URL, Token: "pat"}, "JIRAUSER10001", "cloud.strife@localhost"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api, err := vendorapi.New(tc.creds)
			if err != nil {
				t.Fatal(err)
			}
			c, err := jira.NewUsers(api, tc.creds).Contact(context.Background(), tc.id)
			if err != nil || c.Email != tc.want {
				t.Errorf("contact %+v, %v; want %s", c, err, tc.want)
			}
		})
	}
	t.Run("a site under atlassian.net is Cloud", func(t *testing.T) {
		c := vendorapi.Credentials{BaseURL: "https://acme.atlassian.net", User: "u", Token: "t"}
		api, _ := vendorapi.New(c)
		if !jira.NewUsers(api, c).Cloud {
			t.Error("not Cloud")
		}
	})
}

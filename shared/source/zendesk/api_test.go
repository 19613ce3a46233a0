package zendesk_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"scorecard/shared/source/vendorapi"
	"scorecard/shared/source/zendesk"
)

// The users API answers as captured from real accounts (testdata/api).
func TestUsersReadsCapturedAnswers(t *testing.T) {
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		user, token, _ := r.BasicAuth()
		if user != "agent@example.com/token" || token != "tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		file, status := "go-zendesk_users_show.json", http.StatusOK
		if r.URL.Path != "/api/v2/users/369531345753" {
			file, status = "zendesk-go_error_404_record_not_found.json", http.StatusNotFound
		}
		b, err := os.ReadFile(filepath.Join("testdata", "api", file))
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(b)
	}))
	defer srv.Close()
	api, err := vendorapi.New(vendorapi.Credentials{BaseURL: srv.URL, User: "agent@example.com/token", Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	users := zendesk.Users{API: api}
	c, err := users.Contact(context.Background(), "369531345753")
	if err != nil || c.Email != "customer@example.com" || c.Name != "Sample customer" {
		t.Errorf("contact %+v, %v", c, err)
	}
	if _, err := users.Contact(context.Background(), "1"); !errors.Is(err, vendorapi.ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound", err)
	}
	if len(asked) != 2 || asked[0] != "/api/v2/users/369531345753" {
		t.Errorf("asked %v", asked)
	}
}

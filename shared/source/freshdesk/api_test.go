package freshdesk_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/vendorapi"
)

// Contacts read Freshdesk's published View a Contact answer; a missing
// contact is a 404 with an empty body, as Freshdesk sends it.
func TestContactsReadThePublishedAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, _ := r.BasicAuth(); u != "apikey" || p != "X" || r.URL.Path != "/api/v2/contacts/434" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		b, _ := os.ReadFile(filepath.Join("testdata", "api", "contact_view.json"))
		w.Write(b)
	}))
	defer srv.Close()
	api, _ := vendorapi.New(vendorapi.Credentials{BaseURL: srv.URL, User: "apikey", Token: "X"})
	c, err := freshdesk.Contacts{API: api}.Contact(context.Background(), "434")
	if err != nil || c.Email == "" || c.Name != "Green Lantern" || c.Locale != "en" {
		t.Errorf("contact %+v, %v", c, err)
	}
	if _, err := (freshdesk.Contacts{API: api}).Contact(context.Background(), "1"); !errors.Is(err, vendorapi.ErrNotFound) {
		t.Errorf("missing contact: %v", err)
	}
}

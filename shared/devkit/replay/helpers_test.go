package replay

import (
	"net/http"
	"testing"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

// now is the signing time of every test request.
var now = time.Date(2026, 10, 5, 12, 0, 0, 0, time.UTC)

// devSecrets are the local stack's secrets.
func devSecrets() Secrets {
	return Secrets{
		zendesk.Source: []byte("dev-zendesk-secret"), jira.Source: []byte("dev-jira-secret"),
		freshdesk.Source: []byte("dev-freshdesk-secret"), generic.Source: []byte("dev-generic-secret"),
	}
}

// adapter is what the webhook route runs for a source.
type adapter struct {
	verify func([]byte, http.Header, []byte, time.Time) error
	parse  func(event.Delivery) ([]event.Event, error)
}

var adapters = map[string]adapter{
	zendesk.Source:   {zendesk.Verify, zendesk.Parse},
	jira.Source:      {jira.Verify, jira.Parse},
	freshdesk.Source: {freshdesk.Verify, freshdesk.Parse},
	generic.Source:   {generic.Verify, generic.Parse},
}

// tester is what both testing.T and rapid.T offer.
type tester interface {
	Helper()
	Fatalf(format string, args ...any)
}

// receive verifies and parses a request as its route would, checking the
// path and that the adapter reads as many events as the request says.
func receive(t tester, r Request, at time.Time) []event.Event {
	t.Helper()
	a, ok := adapters[r.Source]
	if !ok {
		t.Fatalf("request for unknown source %q", r.Source)
	}
	if r.Path != "/webhooks/"+r.Source {
		t.Fatalf("path %q for source %s", r.Path, r.Source)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Fatalf("Content-Type %q", got)
	}
	if err := a.verify(devSecrets()[r.Source], r.Header, r.Body, at); err != nil {
		t.Fatalf("%s verify: %v\n%s", r.Source, err, r.Body)
	}
	evs, err := a.parse(event.Delivery{Header: r.Header, Body: r.Body, Received: at})
	if err != nil {
		t.Fatalf("%s parse: %v\n%s", r.Source, err, r.Body)
	}
	if len(evs) != r.Events {
		t.Fatalf("%s: adapter read %d events, request says %d\n%s", r.Source, len(evs), r.Events, r.Body)
	}
	for _, e := range evs {
		if e.Source != r.Source || (r.VendorTicketID != "" && e.TicketID != r.VendorTicketID) {
			t.Fatalf("%s: event of %s/%s, request says %s/%s", r.Source, e.Source, e.TicketID, r.Source, r.VendorTicketID)
		}
	}
	return evs
}

// demoEvents generates a small organisation's month in the model.
func demoEvents(t testing.TB, cfg demo.Config) (demo.Org, []event.Event) {
	t.Helper()
	org, raw := demo.Generate(cfg)
	evs, err := demo.ModelEvents(raw)
	if err != nil {
		t.Fatal(err)
	}
	return org, evs
}

package replay

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"scorecard/shared/demo"
	"scorecard/shared/event"
	"scorecard/shared/freshdesk"
	"scorecard/shared/generic"
	"scorecard/shared/jira"
	"scorecard/shared/ticket"
	"scorecard/shared/zendesk"
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
	parse  func(http.Header, []byte) ([]event.Event, error)
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
	evs, err := a.parse(r.Header, r.Body)
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

// back maps a parsed event to the ticket and agent ids of the events that
// were encoded; agents inverts Options.Agents.
func back(e event.Event, agents map[string]map[string]string) event.Event {
	e.TicketID = TicketID(e.Source, e.TicketID)
	if inv := agents[e.Source]; inv != nil {
		if e.Actor.Kind == event.Agent && inv[e.Actor.ID] != "" {
			e.Actor.ID = inv[e.Actor.ID]
		}
		if inv[e.AssigneeID] != "" {
			e.AssigneeID = inv[e.AssigneeID]
		}
	}
	return e
}

// invert turns Options.Agents around.
func invert(agents map[string]map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for src, m := range agents {
		out[src] = map[string]string{}
		for k, v := range m {
			if v != "" { // an agent without an id there is sent as is
				out[src][v] = k
			}
		}
	}
	return out
}

// comparable is the part of a state that must not depend on the source:
// everything but the source name, the number of source events (a change of
// both tags and type is two Zendesk or Jira events) and what the source
// cannot carry of the requester (Zendesk only its id, Freshdesk no name).
func comparable(s ticket.State, source string) ticket.State {
	s.Source, s.Events = "", 0
	if s.Customer != nil {
		c := *s.Customer
		switch source {
		case zendesk.Source:
			c = event.CustomerInfo{ID: c.ID}
		case freshdesk.Source:
			c.Name = ""
		}
		s.Customer = &c
		if c == (event.CustomerInfo{}) {
			s.Customer = nil
		}
	}
	return s
}

// demoEvents generates a small organisation's month in the model.
func demoEvents(t testing.TB, cfg demo.Config) (demo.Org, []event.Event) {
	t.Helper()
	org, raw := demo.Generate(cfg)
	var buf bytes.Buffer
	if err := demo.WriteJSONL(&buf, raw); err != nil {
		t.Fatal(err)
	}
	evs := make([]event.Event, 0, len(raw))
	if err := event.ReadJSONL(&buf, func(_ int, e event.Event) error {
		evs = append(evs, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return org, evs
}

// demoAgents is the Options.Agents of a demo organisation.
func demoAgents(org demo.Org) map[string]map[string]string {
	a := map[string]map[string]string{zendesk.Source: {}, jira.Source: {}, freshdesk.Source: {}}
	for _, e := range org.Engineers {
		a[zendesk.Source][e.GenericID] = e.ZendeskID
		a[jira.Source][e.GenericID] = e.JiraID
		a[freshdesk.Source][e.GenericID] = e.FreshdeskID
	}
	return a
}

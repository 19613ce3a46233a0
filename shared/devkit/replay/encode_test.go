package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

var t0 = time.Date(2026, 8, 3, 1, 0, 0, 0, time.UTC)

// createdEvent is the creation every case below follows.
func createdEvent() event.Event {
	return event.Event{
		Source: generic.Source, ID: "evt-202608-00042-01", TicketID: "T-202608-00042", Type: event.Created, OccurredAt: t0,
		Actor: event.Actor{ID: "c-00001", Kind: event.Customer}, Status: event.StatusNew, Priority: event.High,
		Tags: []string{"billing", "vip"}, HasTags: true, TicketType: "incident",
		Customer: &event.CustomerInfo{ID: "c-00001", Email: "ann@example.com", Name: "Ann Customer"},
	}
}

// later is an event of the ticket an hour after its creation.
func later(e event.Event) event.Event {
	e.Source, e.ID, e.TicketID, e.OccurredAt = generic.Source, "evt-202608-00042-02", "T-202608-00042", t0.Add(time.Hour)
	return e
}

var (
	agent    = event.Actor{ID: "ag-1001", Kind: event.Agent}
	customer = event.Actor{ID: "c-00001", Kind: event.Customer}
	system   = event.Actor{ID: "sys-autoreply", Kind: event.System}
	yes      = true
)

// Every kind of event the demo generator produces, for every source: the
// source either carries it exactly or it falls back to the generic format
// for the documented reason. Either way the ticket reduces as before.
func TestEncodeEveryKind(t *testing.T) {
	type fallbacks map[string]string // source → reason
	internal := fallbacks{zendesk.Source: ReasonInternalReply, jira.Source: ReasonInternalReply, freshdesk.Source: ReasonInternalReply}
	survey := fallbacks{zendesk.Source: ReasonSurvey, jira.Source: ReasonSurvey, freshdesk.Source: ReasonSurvey}
	complaint := createdEvent()
	complaint.TicketType = "complaint"
	bare := createdEvent()
	bare.Status, bare.Priority, bare.Tags, bare.HasTags, bare.TicketType, bare.Customer = "", "", nil, false, "", &event.CustomerInfo{Email: "x@example.com"}
	assigned := createdEvent()
	assigned.AssigneeID, assigned.Status = "ag-1002", event.StatusOpen
	cases := []struct {
		name     string
		e        event.Event
		fallback fallbacks
	}{
		{"creation with customer, priority, tags and type", createdEvent(), nil},
		{"creation without status, priority, tags or type", bare, nil},
		{"creation already assigned and open", assigned, nil},
		{"complaint ticket type is not a Zendesk type", complaint, fallbacks{zendesk.Source: ReasonTicketType}},
		{"assigned by routing", later(event.Event{Type: event.Assigned, Actor: event.Actor{ID: "sys-routing", Kind: event.System}, AssigneeID: "ag-1001"}), nil},
		{"taken from the queue", later(event.Event{Type: event.Assigned, Actor: agent, AssigneeID: "ag-1001"}), nil},
		{"unassigned", later(event.Event{Type: event.Assigned, Actor: agent}), nil},
		{"public reply by an agent", later(event.Event{Type: event.Replied, Actor: agent, Public: true}), nil},
		{"internal reply by an agent is a note elsewhere", later(event.Event{Type: event.Replied, Actor: agent}), internal},
		{"reply by the customer", later(event.Event{Type: event.Replied, Actor: customer, Public: true}), nil},
		{"private reply by the customer", later(event.Event{Type: event.Replied, Actor: customer}), nil},
		{"automatic reply by the system", later(event.Event{Type: event.Replied, Actor: system, Public: true}), nil},
		{"note by an agent", later(event.Event{Type: event.Note, Actor: agent}), nil},
		{"note by a colleague", later(event.Event{Type: event.Note, Actor: event.Actor{ID: "ag-1009", Kind: event.Agent}}), nil},
		{"note by the customer", later(event.Event{Type: event.Note, Actor: customer}), nil},
		{"status new has no Jira status", later(event.Event{Type: event.StatusChanged, Actor: agent, Status: event.StatusNew}), fallbacks{jira.Source: ReasonStatusNew}},
		{"status open", later(event.Event{Type: event.StatusChanged, Actor: agent, Status: event.StatusOpen}), nil},
		{"status pending", later(event.Event{Type: event.StatusChanged, Actor: agent, Status: event.StatusPending}), nil},
		{"status on hold", later(event.Event{Type: event.StatusChanged, Actor: agent, Status: event.StatusOnHold}), nil},
		{"status resolved", later(event.Event{Type: event.StatusChanged, Actor: agent, Status: event.StatusResolved}), nil},
		{"status closed by automation", later(event.Event{Type: event.StatusChanged, Actor: event.Actor{ID: "sys-automation", Kind: event.System}, Status: event.StatusClosed}), nil},
		{"reopened by the customer", later(event.Event{Type: event.StatusChanged, Actor: customer, Status: event.StatusOpen}), nil},
		{"priority urgent", later(event.Event{Type: event.PriorityChanged, Actor: agent, Priority: event.Urgent}), nil},
		{"priority high", later(event.Event{Type: event.PriorityChanged, Actor: agent, Priority: event.High}), nil},
		{"priority normal", later(event.Event{Type: event.PriorityChanged, Actor: agent, Priority: event.Normal}), nil},
		{"priority low", later(event.Event{Type: event.PriorityChanged, Actor: agent, Priority: event.Low}), nil},
		{"tags only", later(event.Event{Type: event.TagsChanged, Actor: agent, Tags: []string{"billing", "complaint", "vip"}, HasTags: true}), nil},
		{"tags cleared", later(event.Event{Type: event.TagsChanged, Actor: agent, HasTags: true}), nil},
		{"type only", later(event.Event{Type: event.TagsChanged, Actor: agent, TicketType: "problem"}), nil},
		{"tags and type are two Zendesk events", later(event.Event{Type: event.TagsChanged, Actor: agent, Tags: []string{"escalated"}, HasTags: true, TicketType: "problem"}), fallbacks{zendesk.Source: ReasonTagsAndType}},
		{"tag with a space", later(event.Event{Type: event.TagsChanged, Actor: agent, Tags: []string{"known issue"}, HasTags: true}), fallbacks{zendesk.Source: ReasonTags, jira.Source: ReasonTags}},
		{"tag with a comma", later(event.Event{Type: event.TagsChanged, Actor: agent, Tags: []string{"a,b"}, HasTags: true}), fallbacks{freshdesk.Source: ReasonTags}},
		{"survey answer", later(event.Event{Type: event.SurveyAnswered, Actor: customer, Rating: 4, Solved: &yes, Comment: "Quick."}), survey},
		{"agent id -1 is Zendesk's system user", later(event.Event{Type: event.Replied, Actor: event.Actor{ID: "-1", Kind: event.Agent}, Public: true}), fallbacks{zendesk.Source: ReasonSystemUser}},
	}
	sub := later(event.Event{Type: event.Replied, Actor: agent, Public: true})
	sub.OccurredAt = sub.OccurredAt.Add(250 * time.Millisecond)
	cases = append(cases, struct {
		name     string
		e        event.Event
		fallback fallbacks
	}{"a time in milliseconds is too fine for Freshdesk", sub, fallbacks{freshdesk.Source: ReasonPrecision}})
	micro := sub
	micro.OccurredAt = micro.OccurredAt.Add(time.Microsecond)
	cases = append(cases, struct {
		name     string
		e        event.Event
		fallback fallbacks
	}{"a time in microseconds is too fine for Jira", micro, fallbacks{jira.Source: ReasonPrecision, freshdesk.Source: ReasonPrecision}})

	for _, tc := range cases {
		for _, source := range sources {
			t.Run(source+"/"+tc.name, func(t *testing.T) {
				orig := []event.Event{tc.e}
				if tc.e.Type != event.Created {
					orig = []event.Event{createdEvent(), tc.e}
				}
				var merged []event.Event
				for i, e := range orig {
					r, err := Encode(source, e, devSecrets(), now)
					if err != nil {
						t.Fatal(err)
					}
					if i == len(orig)-1 {
						want := source
						if tc.fallback[source] != "" {
							want = generic.Source
						}
						if r.Source != want || r.Fallback != tc.fallback[source] {
							t.Fatalf("went to %s (fallback %q), want %s (fallback %q)", r.Source, r.Fallback, want, tc.fallback[source])
						}
					}
					for _, p := range receive(t, r, now) {
						merged = append(merged, Back(p, nil))
					}
				}
				if d := cmp.Diff(SourceBlind(ticket.Reduce(orig), source), SourceBlind(ticket.Reduce(merged), source)); d != "" {
					t.Fatalf("ticket differs (-original +encoded):\n%s", d)
				}
			})
		}
	}
}

// The adapters read what the package doc's tables promise, field by field,
// for an event that each source carries.
func TestEncodedFieldsReadBack(t *testing.T) {
	e := later(event.Event{Type: event.Note, Actor: agent})
	for _, source := range sources {
		r, err := Encode(source, e, devSecrets(), now)
		if err != nil {
			t.Fatal(err)
		}
		got := receive(t, r, now)[0]
		if got.Type != event.Note || got.Actor != agent || !got.OccurredAt.Equal(e.OccurredAt) || TicketID(source, got.TicketID) != e.TicketID {
			t.Errorf("%s read %+v", source, got)
		}
	}
}

// Re-encoding an event gives the same body, so the adapters give a
// redelivery the same event id; a distinct event gets a distinct id.
func TestRedeliveryIsADuplicate(t *testing.T) {
	a := later(event.Event{Type: event.Replied, Actor: agent, Public: true})
	b := a
	b.ID = "evt-202608-00042-03"
	for _, source := range sources {
		t.Run(source, func(t *testing.T) {
			ra, _ := Encode(source, a, devSecrets(), now)
			ra2, _ := Encode(source, a, devSecrets(), now.Add(time.Minute))
			rb, _ := Encode(source, b, devSecrets(), now)
			if !bytes.Equal(ra.Body, ra2.Body) {
				t.Fatalf("two bodies for one event:\n%s\n%s", ra.Body, ra2.Body)
			}
			ida, ida2 := receive(t, ra, now)[0].ID, receive(t, ra2, now.Add(time.Minute))[0].ID
			idb := receive(t, rb, now)[0].ID
			if ida != ida2 {
				t.Errorf("redelivery read as %q, first delivery %q", ida2, ida)
			}
			if source != freshdesk.Source && ida == idb {
				// Freshdesk's key is ticket + event + second: see TestFreshdeskSameSecond.
				t.Errorf("distinct events share the id %q", ida)
			}
		})
	}
}

// Freshdesk dedupes on ticket + event + second: Encode cannot see a second
// event of the same kind in the same second, Replay can and sends that
// ticket through the generic format.
func TestFreshdeskSameSecond(t *testing.T) {
	a := later(event.Event{Type: event.Note, Actor: agent})
	b := a
	b.ID = "evt-202608-00042-03"
	ra, _ := Encode(freshdesk.Source, a, devSecrets(), now)
	rb, _ := Encode(freshdesk.Source, b, devSecrets(), now)
	if receive(t, ra, now)[0].ID != receive(t, rb, now)[0].ID {
		t.Fatal("the adapter no longer dedupes by second; Replay's check may be relaxed")
	}
	created := createdEvent()
	assign := later(event.Event{Type: event.Assigned, Actor: agent, AssigneeID: "ag-1001"})
	assign.ID, assign.OccurredAt = "evt-202608-00042-00", t0.Add(time.Minute)
	plan, err := Replay([]event.Event{created, assign, a, b}, Options{Shares: onlyTo(freshdesk.Source), Secrets: devSecrets(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if got := plan.Tickets[a.TicketID]; got != generic.Source || plan.Fallbacks[ReasonSameTime] != 4 {
		t.Fatalf("went to %s with fallbacks %v", got, plan.Fallbacks)
	}
}

// Zendesk's signature covers now, which the receiver checks to ±5 minutes;
// the payload keeps the event's own time. Signing again later makes a
// request encoded in advance acceptable again, with the same body.
func TestZendeskSignsNow(t *testing.T) {
	e := later(event.Event{Type: event.Replied, Actor: agent, Public: true})
	r, err := Encode(zendesk.Source, e, devSecrets(), now)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Header.Get(zendesk.TimestampHeader); got != now.Format(time.RFC3339) {
		t.Errorf("signed at %s, want %s", got, now.Format(time.RFC3339))
	}
	var body struct{ Time string }
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Time != e.OccurredAt.Format(time.RFC3339Nano) {
		t.Errorf("payload time %q, want the event's %s", body.Time, e.OccurredAt.Format(time.RFC3339Nano))
	}
	if err := zendesk.Verify(devSecrets()[zendesk.Source], r.Header, r.Body, now.Add(4*time.Minute)); err != nil {
		t.Errorf("4 minutes later: %v", err)
	}
	later := now.Add(time.Hour)
	if err := zendesk.Verify(devSecrets()[zendesk.Source], r.Header, r.Body, later); err == nil {
		t.Error("an hour later the signature still verifies")
	}
	body0 := bytes.Clone(r.Body)
	if err := r.Sign(devSecrets(), later); err != nil {
		t.Fatal(err)
	}
	if err := zendesk.Verify(devSecrets()[zendesk.Source], r.Header, r.Body, later); err != nil || !bytes.Equal(body0, r.Body) {
		t.Errorf("signed again: %v", err)
	}
}

// Each source authenticates the way its adapter checks: a wrong secret is
// refused.
func TestWrongSecretIsRefused(t *testing.T) {
	e := later(event.Event{Type: event.Replied, Actor: agent, Public: true})
	for _, source := range sources {
		r, err := Encode(source, e, devSecrets(), now)
		if err != nil {
			t.Fatal(err)
		}
		if err := adapters[source].verify([]byte("another-secret"), r.Header, r.Body, now); err == nil {
			t.Errorf("%s accepts a request signed with another secret", source)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	e := later(event.Event{Type: event.Replied, Actor: agent, Public: true})
	noIDs := e
	noIDs.ID = ""
	cases := []struct {
		name    string
		source  string
		e       event.Event
		secrets Secrets
		want    string
	}{
		{"unknown source", "servicenow", e, devSecrets(), "unknown source"},
		{"no secret for the source", jira.Source, e, Secrets{}, "no secret for jira"},
		{"no secret for the fallback", zendesk.Source, later(event.Event{Type: event.SurveyAnswered, Actor: customer, Rating: 3}), Secrets{zendesk.Source: []byte("x")}, "no secret for generic"},
		{"event without an id", zendesk.Source, noIDs, devSecrets(), "needs an event id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encode(tc.source, tc.e, tc.secrets, now)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// A ticket id that reads as a derived vendor id is not sent there: it
// would collide with the ticket that id is derived from.
func TestReservedTicketIDFallsBack(t *testing.T) {
	e := later(event.Event{Type: event.Replied, Actor: agent, Public: true})
	e.TicketID = "320000042"
	r, err := Encode(zendesk.Source, e, devSecrets(), now)
	if err != nil || r.Source != generic.Source || r.Fallback != ReasonTicketID {
		t.Fatalf("went to %s (%q, %v)", r.Source, r.Fallback, err)
	}
}

func TestBatch(t *testing.T) {
	evs := []event.Event{createdEvent(), later(event.Event{Type: event.Replied, Actor: agent, Public: true})}
	r, err := Batch(evs, devSecrets())
	if err != nil {
		t.Fatal(err)
	}
	got := receive(t, r, now)
	if d := cmp.Diff(evs, got); d != "" {
		t.Fatalf("batch read back differently (-sent +read):\n%s", d)
	}
	many := make([]event.Event, event.MaxBatch+1)
	for i := range many {
		many[i] = evs[0]
	}
	noID := evs[0]
	noID.TicketID = ""
	for name, in := range map[string][]event.Event{"empty": nil, "over 500": many, "missing ticket id": {noID}} {
		if _, err := Batch(in, devSecrets()); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if r, err := Batch(many[:event.MaxBatch], devSecrets()); err != nil || r.Events != event.MaxBatch {
		t.Errorf("500 events: %d, %v", r.Events, err)
	}
}

func TestNewHTTPRequest(t *testing.T) {
	r, err := Encode(jira.Source, later(event.Event{Type: event.Note, Actor: agent}), devSecrets(), now)
	if err != nil {
		t.Fatal(err)
	}
	req, err := r.NewHTTPRequest(context.Background(), "http://localhost:3000/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	if req.Method != http.MethodPost || req.URL.String() != "http://localhost:3000/webhooks/jira" ||
		!bytes.Equal(body, r.Body) || req.Header.Get(jira.SignatureHeader) == "" || req.Header.Get(jira.IdentifierHeader) == "" {
		t.Fatalf("%s %s %v", req.Method, req.URL, req.Header)
	}
	if _, err := r.NewHTTPRequest(context.Background(), "://bad"); err == nil {
		t.Error("a bad URL gives no error")
	}
	bad := Request{Source: "servicenow"}
	if err := bad.Sign(Secrets{"servicenow": []byte("x")}, now); err == nil {
		t.Error("signing for an unknown source gives no error")
	}
}

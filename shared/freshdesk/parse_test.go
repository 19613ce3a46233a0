package freshdesk_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/errcode"
	"scorecard/shared/event"
	"scorecard/shared/freshdesk"
)

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

var ann = &event.CustomerInfo{ID: "80013571234", Email: "ann@example.com"}

// ev is an event of ticket 4711 at the given UTC time, with the id the
// dedupe key gives it.
func ev(typ event.Type, key, at string, edit func(*event.Event)) []event.Event {
	e := event.Event{Source: "freshdesk", ID: "4711:" + key + ":" + at, TicketID: "4711", Type: typ, OccurredAt: utc(at), Customer: ann}
	edit(&e)
	return []event.Event{e}
}

func TestParseSamples(t *testing.T) {
	agent := event.Actor{ID: "80002468024", Kind: event.Agent}
	tests := []struct {
		name string
		file string
		want []event.Event
	}{
		{"a created ticket carries status, priority, type, tags and requester; no agent yet", "created.json",
			ev(event.Created, "created", "2026-10-05T01:02:03Z", func(e *event.Event) {
				e.Status, e.Priority, e.TicketType = event.StatusOpen, event.High, "incident"
				e.Tags, e.HasTags = []string{"complaint", "printer", "vip"}, true
			})},
		{"resolved", "status_changed.json",
			ev(event.StatusChanged, "status_changed", "2026-10-05T03:45:20Z", func(e *event.Event) { e.Status = event.StatusResolved })},
		{"waiting on customer is pending; a UTC rendering is read", "status_waiting_on_customer.json",
			ev(event.StatusChanged, "status_changed", "2026-10-05T01:40:00Z", func(e *event.Event) { e.Status = event.StatusPending })},
		{"waiting on third party is on hold", "status_waiting_on_third_party.json",
			ev(event.StatusChanged, "status_changed", "2026-10-05T01:50:00Z", func(e *event.Event) { e.Status = event.StatusOnHold })},
		{"numeric priority 4 is urgent; string ticket id, numeric ids", "priority_changed_numeric.json",
			ev(event.PriorityChanged, "priority_changed", "2026-10-05T01:30:00Z", func(e *event.Event) { e.Priority = event.Urgent })},
		{"an agent assignment", "assigned.json",
			ev(event.Assigned, "assigned", "2026-10-05T01:10:00Z", func(e *event.Event) { e.AssigneeID = "80002468024" })},
		{"an empty agent unassigns", "unassigned.json",
			ev(event.Assigned, "assigned", "2026-10-05T01:12:00Z", func(*event.Event) {})},
		{"an agent's reply is a public reply by the assigned agent", "replied_agent.json",
			ev(event.Replied, "replied-agent", "2026-10-05T01:25:30Z", func(e *event.Event) { e.Public, e.Actor = true, agent })},
		{"a requester's reply is a customer reply", "replied_customer.json",
			ev(event.Replied, "replied-customer", "2026-10-05T01:35:00Z", func(e *event.Event) {
				e.Public, e.Actor = true, event.Actor{ID: "80013571234", Kind: event.Customer}
			})},
		{"a private note is an internal note", "note_private.json",
			ev(event.Note, "note", "2026-10-05T01:20:00Z", func(e *event.Event) { e.Actor = agent })},
		{"a public note answers the customer", "note_public.json",
			ev(event.Replied, "note-public", "2026-10-05T01:21:00Z", func(e *event.Event) { e.Public, e.Actor = true, agent })},
		{"a tags change carries the full set and the type", "tags_changed.json",
			ev(event.TagsChanged, "tags_changed", "2026-10-05T01:40:00Z", func(e *event.Event) {
				e.Tags, e.HasTags, e.TicketType = []string{"printer", "refund", "vip"}, true, "complaint"
			})},
		{"an unwrapped body with upper-case values", "unwrapped_upper_case.json", []event.Event{{
			Source: "freshdesk", ID: "4712:status_changed:2026-10-05T01:00:00.25Z", TicketID: "4712",
			Type: event.StatusChanged, OccurredAt: utc("2026-10-05T01:00:00.25Z"), Status: event.StatusClosed,
			Customer: &event.CustomerInfo{Email: "BOB@EXAMPLE.COM", Name: "Bob"},
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := freshdesk.Parse(nil, readSample(t, tc.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// render fills BodyTemplate's placeholders the way Freshdesk would.
func render(tmpl string, values map[string]string) string {
	for k, v := range values {
		tmpl = strings.ReplaceAll(tmpl, "{{"+k+"}}", v)
	}
	return tmpl
}

func TestBodyTemplate(t *testing.T) {
	t.Run("the package doc shows the template verbatim", func(t *testing.T) {
		doc := string(readFile(t, "doc.go"))
		for _, line := range strings.Split(freshdesk.BodyTemplate, "\n") {
			if !strings.Contains(doc, "//\t"+line+"\n") {
				t.Errorf("doc.go lacks the template line %q", line)
			}
		}
	})
	t.Run("a rendered template parses", func(t *testing.T) {
		body := render(freshdesk.BodyTemplate, map[string]string{
			"ticket.id": "4711", "ticket.modified_on": "2026-10-05 11:45:20 +0800",
			"ticket.status": "Resolved", "ticket.priority": "Medium", "ticket.ticket_type": "Question",
			"ticket.tags": "", "ticket.agent.id": "80002468024",
			"ticket.requester.id": "80013571234", "ticket.requester.email": "ann@example.com",
		})
		got, err := freshdesk.Parse(nil, []byte(body))
		if err != nil {
			t.Fatalf("Parse(%s): %v", body, err)
		}
		want := ev(event.StatusChanged, "status_changed", "2026-10-05T03:45:20Z", func(e *event.Event) { e.Status = event.StatusResolved })
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
	t.Run("placeholders rendered empty keep the body JSON", func(t *testing.T) {
		body := render(freshdesk.BodyTemplate, map[string]string{"ticket.id": "1"})
		body = regexp.MustCompile(`\{\{[a-z_.]+\}\}`).ReplaceAllString(body, "")
		_, err := freshdesk.Parse(nil, []byte(body))
		if msg := errcode.Message(err); msg != "freshdesk_webhook.triggered_at: is required" {
			t.Errorf("err = %v, want only the missing time reported", err)
		}
	})
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// body is an unwrapped rule body with the given event and extra members.
func body(event string, extra ...string) string {
	return `{"event": "` + event + `", "ticket_id": 7, "triggered_at": "2026-10-05T01:00:00Z"` + strings.Join(append([]string{""}, extra...), ", ") + `}`
}

func TestParseVariations(t *testing.T) {
	at := utc("2026-10-05T01:00:00Z")
	one := func(typ event.Type, key string, edit func(*event.Event)) []event.Event {
		e := event.Event{Source: "freshdesk", ID: "7:" + key + ":2026-10-05T01:00:00Z", TicketID: "7", Type: typ, OccurredAt: at}
		edit(&e)
		return []event.Event{e}
	}
	tests := []struct {
		name string
		body string
		want []event.Event
	}{
		{"statuses by default id", body("status_changed", `"status": 6`), one(event.StatusChanged, "status_changed", func(e *event.Event) { e.Status = event.StatusPending })},
		{"the model's own status names", body("status_changed", `"status": "on hold"`), one(event.StatusChanged, "status_changed", func(e *event.Event) { e.Status = event.StatusOnHold })},
		{"medium is normal", body("priority_changed", `"priority": "medium"`), one(event.PriorityChanged, "priority_changed", func(e *event.Event) { e.Priority = event.Normal })},
		{"priority 1 is low", body("priority_changed", `"priority": "1"`), one(event.PriorityChanged, "priority_changed", func(e *event.Event) { e.Priority = event.Low })},
		{"tags as a JSON array", body("tags_changed", `"tags": ["B", "a"]`), one(event.TagsChanged, "tags_changed", func(e *event.Event) { e.Tags, e.HasTags = []string{"a", "b"}, true })},
		{"empty tags clear the set", body("tags_changed", `"tags": ""`), one(event.TagsChanged, "tags_changed", func(e *event.Event) { e.HasTags = true })},
		{"a type change alone", body("tags_changed", `"ticket_type": " Refund "`, `"tags": null`), one(event.TagsChanged, "tags_changed", func(e *event.Event) { e.TicketType = "refund" })},
		{"a created ticket with only the required members", body("created"), one(event.Created, "created", func(*event.Event) {})},
		{"a created ticket already assigned", body("created", `"agent_id": 42`), one(event.Created, "created", func(e *event.Event) { e.AssigneeID = "42" })},
		{"a system reply", body("replied", `"actor": "System"`), one(event.Replied, "replied-system", func(e *event.Event) { e.Public, e.Actor = true, event.Actor{Kind: event.System} })},
		{"a customer reply without a known requester", body("replied", `"actor": "requester"`), one(event.Replied, "replied-customer", func(e *event.Event) { e.Public, e.Actor = true, event.Actor{Kind: event.Customer} })},
		{"a private note marked public false", body("note", `"agent_id": "9"`, `"public": false`), one(event.Note, "note", func(e *event.Event) { e.Actor = event.Actor{ID: "9", Kind: event.Agent} })},
		{"a requester without id or plausible email is left out", body("created", `"requester": {"id": "", "email": "n/a"}`), one(event.Created, "created", func(*event.Event) {})},
		{"a rendering in UTC with a colon offset", `{"event": "created", "ticket_id": 7, "triggered_at": "2026-10-05 03:00:00 +02:00"}`, one(event.Created, "created", func(*event.Event) {})},
		{"an RFC 1123 rendering", `{"event": "created", "ticket_id": 7, "triggered_at": "Mon, 5 Oct 2026 01:00:00 +0000"}`, one(event.Created, "created", func(*event.Event) {})},
		{"a GMT rendering", `{"event": "created", "ticket_id": 7, "triggered_at": "2026-10-05 01:00:00 GMT"}`, one(event.Created, "created", func(*event.Event) {})},
		{"a null wrapper is read as an unwrapped body", `{"freshdesk_webhook": null, "event": "created", "ticket_id": 7, "triggered_at": "2026-10-05T01:00:00Z"}`, one(event.Created, "created", func(*event.Event) {})},
		{"the same instant in another rendering gives the same id", `{"event": "created", "ticket_id": 7, "triggered_at": "2026-10-05 09:00:00 +0800"}`, one(event.Created, "created", func(*event.Event) {})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := freshdesk.Parse(nil, []byte(tc.body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	long := strings.Repeat("x", event.MaxIDLength+1)
	wrapped := func(inner string) string { return `{"freshdesk_webhook": ` + inner + `}` }
	tests := []struct {
		name  string
		body  string
		field string // the message must start with it
	}{
		{"an empty body", ` `, "body is empty"},
		{"not an object", `[1]`, "body must be a JSON object"},
		{"broken JSON", `{"event": "created"`, "malformed JSON"},
		{"an unrendered placeholder", `{"event": "created", "ticket_id": {{ticket.id}}}`, "malformed JSON"},
		{"a wrapper that is not an object", wrapped(`"x"`), "freshdesk_webhook: must be an object"},
		{"a wrapped field of the wrong type", wrapped(`{"event": 5}`), "freshdesk_webhook.event: wrong type"},
		{"an unwrapped field of the wrong type", `{"event": "created", "public": "yes"}`, "public: wrong type"},
		{"no event", wrapped(`{"ticket_id": 1}`), "freshdesk_webhook.event: is required"},
		{"an unknown event", body("deleted"), `event: "deleted" is not one of`},
		{"no ticket id", `{"event": "created", "triggered_at": "2026-10-05T01:00:00Z"}`, "ticket_id: is required"},
		{"a ticket id of the wrong type", `{"event": "created", "ticket_id": [1]}`, "ticket_id: wrong type"},
		{"an overlong ticket id", `{"event": "created", "ticket_id": "` + long + `"}`, "ticket_id: longer than"},
		{"a ticket id that makes the event id too long", `{"event": "tags_changed", "tags": "", "ticket_id": "` + strings.Repeat("x", 230) + `", "triggered_at": "2026-10-05T01:00:00Z"}`, "ticket_id: longer than"},
		{"no time", wrapped(`{"event": "created", "ticket_id": 1}`), "freshdesk_webhook.triggered_at: is required"},
		{"a time without a zone", `{"event": "created", "ticket_id": 1, "triggered_at": "2026-10-05 09:00:00"}`, "triggered_at: \"2026-10-05 09:00:00\" is not a time with a zone offset"},
		{"a time with a zone name", `{"event": "created", "ticket_id": 1, "triggered_at": "2026-10-05 09:00:00 IST"}`, "triggered_at:"},
		{"a placeholder Freshdesk did not know", `{"event": "created", "ticket_id": 1, "triggered_at": "{{ticket.updated_at}}"}`, "triggered_at:"},
		{"a time in 1999", `{"event": "created", "ticket_id": 1, "triggered_at": "1999-12-31T23:59:59Z"}`, "triggered_at: 1999-12-31T23:59:59Z is outside"},
		{"a time of the wrong type", `{"event": "created", "ticket_id": 1, "triggered_at": 1791162000}`, "triggered_at: wrong type"},
		{"a bad requester id", body("created", `"requester": {"id": "`+long+`"}`), "requester.id: longer than"},
		{"an unknown status on creation", body("created", `"status": "Snoozed"`), `status: "Snoozed" is not a Freshdesk status`},
		{"an unknown priority on creation", body("created", `"priority": "5"`), `priority: "5" is not a Freshdesk priority`},
		{"a bad agent on creation", body("created", `"agent_id": "a\u0007"`), "agent_id: contains a control"},
		{"a status change without status", body("status_changed", `"status": ""`), "status: is required for status_changed"},
		{"an unknown status", wrapped(body("status_changed", `"status": "Snoozed"`)), `freshdesk_webhook.status: "Snoozed" is not a Freshdesk status`},
		{"a priority change without priority", body("priority_changed"), "priority: is required for priority_changed"},
		{"an unknown priority", body("priority_changed", `"priority": "P1"`), `priority: "P1" is not a Freshdesk priority`},
		{"an assignment without agent_id", body("assigned"), "agent_id: is required for assigned"},
		{"an assignment with a bad agent", body("assigned", `"agent_id": "`+long+`"`), "agent_id: longer than"},
		{"agent_id of the wrong type", body("assigned", `"agent_id": {}`), "agent_id: wrong type"},
		{"a tags change with neither tags nor type", body("tags_changed", `"ticket_type": ""`), "tags: or ticket_type is required"},
		{"tags of the wrong type", body("tags_changed", `"tags": 5`), "tags: wrong type"},
		{"an agent reply without agent", body("replied", `"agent_id": ""`), "agent_id: is required for an agent's replied"},
		{"a note without agent", body("note"), "agent_id: is required for an agent's note"},
		{"a reply with a bad agent id", body("replied", `"agent_id": "`+long+`"`), "agent_id: longer than"},
		{"an unknown actor", body("replied", `"actor": "bot"`), `actor: "bot" is not agent, customer or system`},
		{"a customer's note", body("note", `"actor": "customer"`), "actor: a note is written by an agent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := freshdesk.Parse(nil, []byte(tc.body))
			if got != nil {
				t.Errorf("got %d events with the error, want none", len(got))
			}
			if code := errcode.Code(err); code != errcode.Invalid {
				t.Fatalf("code = %q (err %v), want %q", code, err, errcode.Invalid)
			}
			if msg := errcode.Message(err); !strings.HasPrefix(msg, tc.field) {
				t.Errorf("message = %q, want it to start with %q", msg, tc.field)
			}
		})
	}
}

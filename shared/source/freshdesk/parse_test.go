package freshdesk_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/source/freshdesk"
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

// received is when the tests' bodies arrive.
var received = utc("2026-10-05T06:00:00Z")

// parse reads a body as the route does, received at received.
func parse(b []byte) ([]event.Event, error) {
	return freshdesk.Parse(event.Delivery{Body: b, Received: received})
}

// ev is an event of ticket 4711 at the given UTC time, with the id the
// dedupe key gives it (a creation's has no time: a ticket is created once).
func ev(typ event.Type, key, at string, edit func(*event.Event)) []event.Event {
	id := "4711:" + key + ":" + at
	if typ == event.Created {
		id = "4711:" + key
	}
	e := event.Event{Source: "freshdesk", ID: id, TicketID: "4711", Type: typ, OccurredAt: utc(at), Customer: ann}
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
			got, err := parse(readSample(t, tc.file))
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
	t.Run("the rule set's template, rendered, is read", func(t *testing.T) {
		body := render(freshdesk.BodyTemplate, map[string]string{
			"triggered_event": "{status:{from:2,to:4}}", "ticket.id": "4711",
			"ticket.status": "Resolved", "ticket.priority": "Medium", "ticket.ticket_type": "Question",
			"ticket.tags": "", "ticket.agent.id": "80002468024",
			"ticket.requester.id": "80013571234", "ticket.requester.email": "ann@example.com",
		})
		got, err := parse([]byte(body))
		if err != nil {
			t.Fatalf("Parse(%s): %v", body, err)
		}
		want := ev(event.StatusChanged, "status-2-4", "2026-10-05T06:00:00Z", func(e *event.Event) { e.Status = event.StatusResolved })
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
	t.Run("the earlier one-event-per-rule template is still read", func(t *testing.T) {
		body := render(freshdesk.EventTemplate, map[string]string{
			"ticket.id": "4711", "ticket.modified_on": "2026-10-05 11:45:20 +0800",
			"ticket.status": "Resolved", "ticket.priority": "Medium", "ticket.ticket_type": "Question",
			"ticket.tags": "", "ticket.agent.id": "80002468024",
			"ticket.requester.id": "80013571234", "ticket.requester.email": "ann@example.com",
		})
		got, err := parse([]byte(body))
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
		got, err := parse([]byte(body))
		if err != nil || len(got) != 1 || got[0].Type != event.TagsChanged || !got[0].HasTags || got[0].Tags != nil {
			t.Errorf("got %v, %v; want only the (empty) tag set read", got, err)
		}
		body = render(freshdesk.EventTemplate, map[string]string{"ticket.id": "1"})
		body = regexp.MustCompile(`\{\{[a-z_.]+\}\}`).ReplaceAllString(body, "")
		_, err = parse([]byte(body))
		if msg := errcode.Message(err); msg != "freshdesk_webhook.status: is required for status_changed" {
			t.Errorf("err = %v, want only the missing status reported (the time received stands in for the time)", err)
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
		id := "7:" + key + ":2026-10-05T01:00:00Z"
		if typ == event.Created {
			id = "7:created"
		}
		e := event.Event{Source: "freshdesk", ID: id, TicketID: "7", Type: typ, OccurredAt: at}
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
			got, err := parse([]byte(tc.body))
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
		{"an unknown event", body("deleted"), `event: "deleted" is not one of`},
		{"no ticket id", `{"event": "created", "triggered_at": "2026-10-05T01:00:00Z"}`, "ticket_id: is required"},
		{"a ticket id of the wrong type", `{"event": "created", "ticket_id": [1]}`, "ticket_id: wrong type"},
		{"an overlong ticket id", `{"event": "created", "ticket_id": "` + long + `"}`, "ticket_id: longer than"},
		{"a time in 1999", `{"event": "created", "ticket_id": 1, "triggered_at": "1999-12-31T23:59:59Z"}`, "triggered_at: 1999-12-31T23:59:59Z is outside"},
		{"a time of the wrong type", `{"event": "created", "ticket_id": 1, "triggered_at": 1791162000}`, "triggered_at: wrong type"},
		{"a bad requester id", body("created", `"requester": {"id": "`+long+`"}`), "requester.id: longer than"},
		{"a bad agent on creation", body("created", `"agent_id": "a\u0007"`), "agent_id: contains a control"},
		{"a status change without status", body("status_changed", `"status": ""`), "status: is required for status_changed"},
		{"a priority change without priority", body("priority_changed"), "priority: is required for priority_changed"},
		{"an assignment without agent_id", body("assigned"), "agent_id: is required for assigned"},
		{"an assignment with a bad agent", body("assigned", `"agent_id": "`+long+`"`), "agent_id: longer than"},
		{"agent_id of the wrong type", body("assigned", `"agent_id": {}`), "agent_id: wrong type"},
		{"a tags change with neither tags nor type", body("tags_changed", `"ticket_type": ""`), "tags: or ticket_type is required"},
		{"tags of the wrong type", body("tags_changed", `"tags": 5`), "tags: wrong type"},
		{"an agent reply without agent", body("replied", `"agent_id": ""`), "agent_id: is required for an agent's replied"},
		{"a note without agent", body("note"), "agent_id: is required for an agent's note"},
		{"a priority Freshdesk does not have", body("priority_changed", `"priority": "P1"`), `priority: "P1" is not a Freshdesk priority`},
		{"an overlong ticket id in the event id", `{"event": "tags_changed", "tags": "", "ticket_id": "` + strings.Repeat("x", 230) + `", "triggered_at": "2026-10-05T01:00:00Z"}`, "ticket_id: longer than"},
		{"a reply with a bad agent id", body("replied", `"agent_id": "`+long+`"`), "agent_id: longer than"},
		{"an unknown actor", body("replied", `"actor": "bot"`), `actor: "bot" is not agent, customer or system`},
		{"a customer's note", body("note", `"actor": "customer"`), "actor: a note is written by an agent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parse([]byte(tc.body))
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

// What Freshdesk accounts really send is read, never refused: bodies with
// {{triggered_event}} in its renderings, names or numbers, custom statuses,
// zone-less and text times or none, and no "event" at all.
func TestRealWorldBodies(t *testing.T) {
	set, err := policy.Parse([]byte("base: default\nversion: t\nsources:\n  freshdesk:\n    time_zone: Asia/Kolkata\n    statuses: {Nudge Client: pending, Ongoing Delivery: open, \"8\": on_hold}\n"))
	if err != nil {
		t.Fatal(err)
	}
	read := freshdesk.Parser(set.SourceFor("freshdesk"))
	wrap := func(members string) string { return `{"freshdesk_webhook": {"ticket_id": "11", ` + members + `}}` }
	tests := []struct {
		name     string
		body     string
		want     []string // type, status/priority/assignee/actor per event, as "type:value"
		at       string   // the events' time
		warnings int
	}{
		{"a created ticket by triggered_event", wrap(`"triggered_event": "{ticket_action:created}", "ticket_status": "Open", "ticket_priority": "Urgent"`), []string{"created:open/urgent"}, "2026-10-05T06:00:00Z", 0},
		{"a status change names the new status", wrap(`"triggered_event": "{status:{from:4,to:6}}", "ticket_status": "Waiting on Customer"`), []string{"status_changed:pending"}, "2026-10-05T06:00:00Z", 0},
		{"a status change by id alone", wrap(`"triggered_event": "{status:{from:2,to:4}}"`), []string{"status_changed:resolved"}, "2026-10-05T06:00:00Z", 0},
		{"a custom status the policy maps", wrap(`"triggered_event": "{status:{from:2,to:9}}", "ticket_status": "Nudge Client"`), []string{"status_changed:pending"}, "2026-10-05T06:00:00Z", 0},
		{"a custom status id the policy maps", wrap(`"triggered_event": "{status:{from:2,to:8}}"`), []string{"status_changed:on_hold"}, "2026-10-05T06:00:00Z", 0},
		{"a custom status nobody mapped is open, with a warning", wrap(`"triggered_event": "{status:{from:2,to:12}}", "ticket_status": "Invoice Due"`), []string{"status_changed:open"}, "2026-10-05T06:00:00Z", 1},
		{"a priority change", wrap(`"triggered_event": "{priority:{from:3,to:1}}", "ticket_priority": "Low"`), []string{"priority_changed:low"}, "2026-10-05T06:00:00Z", 0},
		{"an assignment", wrap(`"triggered_event": "{responder_id:{from:null,to:42}}", "ticket_agent_email": "Mia@Example.com"`), []string{"assigned:mia@example.com"}, "2026-10-05T06:00:00Z", 0},
		{"an agent's reply", wrap(`"triggered_event": "{reply_sent:sent}", "agent_id": "42"`), []string{"replied:agent 42"}, "2026-10-05T06:00:00Z", 0},
		{"a private note", wrap(`"triggered_event": "{note_type:private}", "ticket_agent_email": "mia@example.com"`), []string{"note:agent mia@example.com"}, "2026-10-05T06:00:00Z", 0},
		{"a public note answers the customer", wrap(`"triggered_event": "{note_type:public}", "agent_id": "42"`), []string{"replied:agent 42"}, "2026-10-05T06:00:00Z", 0},
		{"a note nobody wrote is left out, with a warning", wrap(`"triggered_event": "{note_type:private}"`), nil, "", 1},
		{"a body without any event is the ticket's state", wrap(`"ticket_status": "Resolved", "ticket_priority": "Low", "ticket_agent_email": "mia@example.com"`),
			[]string{"status_changed:resolved", "priority_changed:low", "assigned:mia@example.com"}, "2026-10-05T06:00:00Z", 1},
		{"an event this parser does not know is the ticket's state", wrap(`"triggered_event": "{group_id:{from:1,to:2}}", "ticket_status": "Closed"`), []string{"status_changed:closed"}, "2026-10-05T06:00:00Z", 1},
		{"a zone-less time is in the helpdesk's zone", wrap(`"event": "status_changed", "ticket_status": "Open", "triggered_at": "2026-03-11 12:44:19"`), []string{"status_changed:open"}, "2026-03-11T07:14:19Z", 0},
		{"a time with a two-digit offset", wrap(`"event": "status_changed", "ticket_status": "Open", "triggered_at": "2026-03-11 12:44:19 +05"`), []string{"status_changed:open"}, "2026-03-11T07:44:19Z", 0},
		{"a time rendered as text", wrap(`"event": "status_changed", "ticket_status": "Open", "triggered_at": "March 23 2026 at 10:06 AM"`), []string{"status_changed:open"}, "2026-03-23T04:36:00Z", 0},
		{"a creation at its created time", wrap(`"triggered_event": "{ticket_action:created}", "ticket_created_at": "2026-03-11 09:00:00"`), []string{"created:/"}, "2026-03-11T03:30:00Z", 0},
		{"a time nobody can read is the time received, with a warning", wrap(`"event": "status_changed", "ticket_status": "Open", "triggered_at": "yesterday"`), []string{"status_changed:open"}, "2026-10-05T06:00:00Z", 1},
		{"a trailing comma is forgiven, with a warning", `{"freshdesk_webhook": {"ticket_id": "11", "triggered_event": "{ticket_action:created}", "ticket_status": "Pending",}}`, []string{"created:pending/"}, "2026-10-05T06:00:00Z", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var warned []string
			got, err := read(event.Delivery{Body: []byte(tc.body), Received: received, Warn: func(f, p string) { warned = append(warned, f+": "+p) }})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var summary []string
			for _, e := range got {
				v := ""
				switch e.Type {
				case event.Created:
					v = string(e.Status) + "/" + string(e.Priority)
				case event.StatusChanged:
					v = string(e.Status)
				case event.PriorityChanged:
					v = string(e.Priority)
				case event.Assigned:
					v = e.AssigneeID
				default:
					v = string(e.Actor.Kind) + " " + e.Actor.ID
				}
				summary = append(summary, string(e.Type)+":"+v)
				if tc.at != "" && !e.OccurredAt.Equal(utc(tc.at)) {
					t.Errorf("%s at %s, want %s", e.Type, e.OccurredAt, tc.at)
				}
				if _, err := event.ToGeneric(e).Normalize(""); err != nil {
					t.Errorf("%+v is not a valid event: %v", e, err)
				}
			}
			if diff := cmp.Diff(tc.want, summary); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if len(warned) != tc.warnings {
				t.Errorf("warnings %q, want %d", warned, tc.warnings)
			}
		})
	}
	t.Run("a retried creation is the same event", func(t *testing.T) {
		body := []byte(wrap(`"triggered_event": "{ticket_action:created}"`))
		a, _ := read(event.Delivery{Body: body, Received: received})
		b, _ := read(event.Delivery{Body: body, Received: received.Add(time.Minute)})
		if len(a) != 1 || len(b) != 1 || a[0].ID != b[0].ID {
			t.Errorf("ids %v and %v, want one id", a, b)
		}
	})
}

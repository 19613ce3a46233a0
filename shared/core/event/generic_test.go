package event_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
)

// at is 2026-10-05 01:00 UTC (09:00 in Shanghai) plus the given minutes.
func at(minutes int) time.Time {
	return time.Date(2026, 10, 5, 1, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
}

// body builds a generic event object from the required fields plus extra
// JSON members, e.g. body("replied", `"public": true`).
func body(typ string, extra ...string) string {
	fields := append([]string{
		`"event_id": "evt-1"`,
		`"ticket_id": "T-1"`,
		fmt.Sprintf(`"type": %q`, typ),
		`"occurred_at": "2026-10-05T01:00:00Z"`,
	}, extra...)
	return "{" + strings.Join(fields, ", ") + "}"
}

// batch wraps event objects into a generic batch body.
func batch(events ...string) string {
	return `{"events": [` + strings.Join(events, ", ") + `]}`
}

// ev is the event body(typ) parses to, before type-specific fields.
func ev(typ event.Type) event.Event {
	return event.Event{Source: event.SourceGeneric, ID: "evt-1", TicketID: "T-1", Type: typ, OccurredAt: at(0)}
}

func with(e event.Event, edit func(*event.Event)) event.Event {
	edit(&e)
	return e
}

func ptr[T any](v T) *T { return &v }

// roundTripOpts compares events after a trip through the wire format. A nil
// and an empty tag set mean the same (HasTags says whether tags were given),
// and NormalizeTags returns either depending on its input.
var roundTripOpts = cmpopts.EquateEmpty()

type goodCase struct {
	name string
	body string
	want event.Event
}

// goodSingles are valid single-event bodies and the event each becomes.
var goodSingles = []goodCase{
	{
		name: "created carries priority, tags, ticket type and the customer",
		body: body("created", `"actor": {"id": "c-9", "kind": "customer"}`, `"priority": "normal"`,
			`"tags": ["complaint"]`, `"ticket_type": "incident"`, `"status": "new"`, `"assignee_id": "a-1"`,
			`"customer": {"id": "c-9", "email": "ann@example.com", "name": "Ann"}`),
		want: with(ev(event.Created), func(e *event.Event) {
			e.Actor = event.Actor{ID: "c-9", Kind: event.Customer}
			e.Priority = event.Normal
			e.Tags, e.HasTags = []string{"complaint"}, true
			e.TicketType = "incident"
			e.Status = event.StatusNew
			e.AssigneeID = "a-1"
			e.Customer = &event.CustomerInfo{ID: "c-9", Email: "ann@example.com", Name: "Ann"}
		}),
	},
	{
		name: "created needs nothing beyond the common fields",
		body: body("created"),
		want: ev(event.Created),
	},
	{
		name: "assigned sets the assignee",
		body: body("assigned", `"actor": {"id": "lead-1", "kind": "agent"}`, `"assignee_id": "a-7"`),
		want: with(ev(event.Assigned), func(e *event.Event) {
			e.Actor = event.Actor{ID: "lead-1", Kind: event.Agent}
			e.AssigneeID = "a-7"
		}),
	},
	{
		name: "assigned with an empty assignee_id unassigns",
		body: body("assigned", `"assignee_id": ""`),
		want: ev(event.Assigned),
	},
	{
		name: "a public agent reply",
		body: body("replied", `"actor": {"id": "a-7", "kind": "agent"}`, `"public": true`),
		want: with(ev(event.Replied), func(e *event.Event) {
			e.Actor = event.Actor{ID: "a-7", Kind: event.Agent}
			e.Public = true
		}),
	},
	{
		name: "an internal agent reply is not public",
		body: body("replied", `"actor": {"id": "a-7", "kind": "agent"}`, `"public": false`),
		want: with(ev(event.Replied), func(e *event.Event) {
			e.Actor = event.Actor{ID: "a-7", Kind: event.Agent}
		}),
	},
	{
		name: "a customer reply needs no actor id",
		body: body("replied", `"actor": {"kind": "customer"}`, `"public": true`),
		want: with(ev(event.Replied), func(e *event.Event) {
			e.Actor = event.Actor{Kind: event.Customer}
			e.Public = true
		}),
	},
	{
		name: "a system reply is kept with its kind",
		body: body("replied", `"actor": {"id": null, "kind": "system"}`, `"public": true`),
		want: with(ev(event.Replied), func(e *event.Event) {
			e.Actor = event.Actor{Kind: event.System}
			e.Public = true
		}),
	},
	{
		name: "public is read only for replies",
		body: body("note", `"actor": {"id": "a-8", "kind": "agent"}`, `"public": true`),
		want: with(ev(event.Note), func(e *event.Event) {
			e.Actor = event.Actor{ID: "a-8", Kind: event.Agent}
		}),
	},
	{
		name: "status_changed sets the status",
		body: body("status_changed", `"status": "resolved"`),
		want: with(ev(event.StatusChanged), func(e *event.Event) { e.Status = event.StatusResolved }),
	},
	{
		name: "priority_changed sets the priority",
		body: body("priority_changed", `"priority": "urgent"`),
		want: with(ev(event.PriorityChanged), func(e *event.Event) { e.Priority = event.Urgent }),
	},
	{
		name: "tags_changed with tags only leaves the ticket type",
		body: body("tags_changed", `"tags": ["vip"]`),
		want: with(ev(event.TagsChanged), func(e *event.Event) { e.Tags, e.HasTags = []string{"vip"}, true }),
	},
	{
		name: "tags_changed with ticket_type only leaves the tags",
		body: body("tags_changed", `"ticket_type": "complaint"`),
		want: with(ev(event.TagsChanged), func(e *event.Event) { e.TicketType = "complaint" }),
	},
	{
		name: "tags_changed with an empty list clears the tags",
		body: body("tags_changed", `"tags": []`),
		want: with(ev(event.TagsChanged), func(e *event.Event) { e.HasTags = true }),
	},
	{
		name: "survey_answered carries rating, solved and the trimmed comment",
		body: body("survey_answered", `"actor": {"id": "c-9", "kind": "customer"}`, `"rating": 4`,
			`"solved": false`, `"comment": "  ok, slow  "`),
		want: with(ev(event.SurveyAnswered), func(e *event.Event) {
			e.Actor = event.Actor{ID: "c-9", Kind: event.Customer}
			e.Rating = 4
			e.Solved = ptr(false)
			e.Comment = "ok, slow"
		}),
	},
	{
		name: "survey_answered without the solved question leaves it unanswered",
		body: body("survey_answered", `"rating": 1`),
		want: with(ev(event.SurveyAnswered), func(e *event.Event) { e.Rating = 1 }),
	},
	{
		name: "rating, solved and comment are read only for survey answers",
		body: body("created", `"rating": 9`, `"solved": true`, `"comment": "x"`),
		want: ev(event.Created),
	},
	{
		name: "type, status, priority and actor kind are read in any letter case",
		body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": " Created ", "occurred_at": "2026-10-05T01:00:00Z",
			"actor": {"id": "a-7", "kind": "AGENT"}, "status": "OPEN", "priority": "HIGH"}`,
		want: with(ev(event.Created), func(e *event.Event) {
			e.Actor = event.Actor{ID: "a-7", Kind: event.Agent}
			e.Status = event.StatusOpen
			e.Priority = event.High
		}),
	},
	{
		name: "On-Hold is on_hold",
		body: body("STATUS_CHANGED", `"status": "On-Hold"`),
		want: with(ev(event.StatusChanged), func(e *event.Event) { e.Status = event.StatusOnHold }),
	},
	{
		name: "on hold with a space is on_hold",
		body: body("status_changed", `"status": "on hold"`),
		want: with(ev(event.StatusChanged), func(e *event.Event) { e.Status = event.StatusOnHold }),
	},
	{
		name: "ids may be numbers",
		body: `{"event_id": 7, "ticket_id": 12345, "type": "assigned", "occurred_at": "2026-10-05T01:00:00Z",
			"actor": {"id": 42, "kind": "agent"}, "assignee_id": 99, "customer": {"id": -5}}`,
		want: event.Event{
			Source: event.SourceGeneric, ID: "7", TicketID: "12345", Type: event.Assigned, OccurredAt: at(0),
			Actor: event.Actor{ID: "42", Kind: event.Agent}, AssigneeID: "99", Customer: &event.CustomerInfo{ID: "-5"},
		},
	},
	{
		name: "ids are trimmed",
		body: `{"event_id": " evt-1 ", "ticket_id": "\tT-1\n", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`,
		want: ev(event.Created),
	},
	{
		name: "an id of exactly 256 bytes is accepted",
		body: `{"event_id": "evt-1", "ticket_id": "` + strings.Repeat("t", 256) + `", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`,
		want: with(ev(event.Created), func(e *event.Event) { e.TicketID = strings.Repeat("t", 256) }),
	},
	{
		name: "ids may be any printable unicode",
		body: `{"event_id": "évt-✓", "ticket_id": "工单-1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`,
		want: with(ev(event.Created), func(e *event.Event) { e.ID, e.TicketID = "évt-✓", "工单-1" }),
	},
	{
		name: "tags are lower-cased, trimmed, sorted and unique",
		body: body("tags_changed", `"tags": ["VIP", " billing ", "vip", "", "Billing", "a"]`),
		want: with(ev(event.TagsChanged), func(e *event.Event) {
			e.Tags, e.HasTags = []string{"a", "billing", "vip"}, true
		}),
	},
	{
		name: "ticket_type is lower-cased and trimmed",
		body: body("tags_changed", `"ticket_type": " Complaint "`),
		want: with(ev(event.TagsChanged), func(e *event.Event) { e.TicketType = "complaint" }),
	},
	{
		name: "occurred_at with an offset is stored in UTC",
		body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-05T09:30:00+08:00"}`,
		want: with(ev(event.Created), func(e *event.Event) { e.OccurredAt = at(30) }),
	},
	{
		name: "occurred_at keeps fractional seconds",
		body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-05T01:00:00.123456789Z"}`,
		want: with(ev(event.Created), func(e *event.Event) { e.OccurredAt = at(0).Add(123456789) }),
	},
	{
		name: "occurred_at on the first instant of 2000 is accepted",
		body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": "created", "occurred_at": "2000-01-01T00:00:00Z"}`,
		want: with(ev(event.Created), func(e *event.Event) { e.OccurredAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }),
	},
	{
		name: "customer email and name are trimmed; an email alone identifies",
		body: body("created", `"customer": {"email": " ann@example.com ", "name": " Ann "}`),
		want: with(ev(event.Created), func(e *event.Event) {
			e.Customer = &event.CustomerInfo{Email: "ann@example.com", Name: "Ann"}
		}),
	},
	{
		name: "unknown members are ignored",
		body: body("created", `"source_url": "https://example.com/t/1"`),
		want: ev(event.Created),
	},
}

func TestParseGenericSingleEvent(t *testing.T) {
	for _, tc := range goodSingles {
		t.Run(tc.name, func(t *testing.T) {
			got, err := event.ParseGeneric([]byte(tc.body))
			if err != nil {
				t.Fatalf("ParseGeneric: %v", err)
			}
			if diff := cmp.Diff([]event.Event{tc.want}, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseGenericBatch(t *testing.T) {
	created := body("created", `"priority": "low"`)
	reply := `{"event_id": "evt-2", "ticket_id": "T-1", "type": "replied", "occurred_at": "2026-10-05T01:05:00Z",
		"actor": {"id": "a-7", "kind": "agent"}, "public": true}`
	tests := []struct {
		name string
		body string
		want []event.Event
	}{
		{
			name: "a batch returns its events in order",
			body: batch(created, reply),
			want: []event.Event{
				with(ev(event.Created), func(e *event.Event) { e.Priority = event.Low }),
				{
					Source: event.SourceGeneric, ID: "evt-2", TicketID: "T-1", Type: event.Replied, OccurredAt: at(5),
					Actor: event.Actor{ID: "a-7", Kind: event.Agent}, Public: true,
				},
			},
		},
		{
			name: "a batch of one is one event",
			body: batch(created),
			want: []event.Event{with(ev(event.Created), func(e *event.Event) { e.Priority = event.Low })},
		},
		{
			name: "the same event twice in a batch is returned twice (dedupe is the store's job)",
			body: batch(reply, reply),
			want: func() []event.Event {
				e := event.Event{
					Source: event.SourceGeneric, ID: "evt-2", TicketID: "T-1", Type: event.Replied, OccurredAt: at(5),
					Actor: event.Actor{ID: "a-7", Kind: event.Agent}, Public: true,
				}
				return []event.Event{e, e}
			}(),
		},
		{
			name: "surrounding white space is ignored",
			body: "\n\t " + batch(created) + " \r\n",
			want: []event.Event{with(ev(event.Created), func(e *event.Event) { e.Priority = event.Low })},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := event.ParseGeneric([]byte(tc.body))
			if err != nil {
				t.Fatalf("ParseGeneric: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// numbered returns n valid events with distinct ids.
func numbered(n int) string {
	events := make([]string, n)
	for i := range events {
		events[i] = fmt.Sprintf(`{"event_id": "evt-%d", "ticket_id": "T-%d", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, i, i%7)
	}
	return batch(events...)
}

func TestParseGenericBatchLimit(t *testing.T) {
	t.Run("a batch of exactly 500 events is accepted", func(t *testing.T) {
		got, err := event.ParseGeneric([]byte(numbered(event.MaxBatch)))
		if err != nil {
			t.Fatalf("ParseGeneric: %v", err)
		}
		if len(got) != event.MaxBatch {
			t.Fatalf("got %d events, want %d", len(got), event.MaxBatch)
		}
		if got[499].ID != "evt-499" || got[499].TicketID != "T-2" {
			t.Errorf("last event = %s/%s, want evt-499/T-2", got[499].ID, got[499].TicketID)
		}
	})
	t.Run("a batch of 501 events is too large", func(t *testing.T) {
		got, err := event.ParseGeneric([]byte(numbered(event.MaxBatch + 1)))
		if code := errcode.Code(err); code != errcode.TooLarge {
			t.Fatalf("code = %q (err %v), want %q", code, err, errcode.TooLarge)
		}
		if msg := errcode.Message(err); !strings.HasPrefix(msg, "events: ") || !strings.Contains(msg, "501") {
			t.Errorf("message = %q, want it to name events and the count 501", msg)
		}
		if got != nil {
			t.Errorf("got %d events with the error, want none", len(got))
		}
	})
}

type badCase struct {
	name  string
	body  string
	code  string // errcode.Invalid unless set
	field string // the message must contain this
}

// withBad replaces the event in position 3 of a batch of valid events.
func withBad(bad string) string {
	events := []string{body("created"), body("note", `"actor": {"id": "a", "kind": "agent"}`), body("created"), bad, body("created")}
	return batch(events...)
}

// badInputs are bodies that must be rejected, each naming what is wrong.
var badInputs = []badCase{
	{name: "an empty body", body: "", field: "body"},
	{name: "a body of white space", body: " \n\t", field: "body"},
	{name: "a JSON array is not an object", body: `[` + body("created") + `]`, field: "body must be a JSON object"},
	{name: "a JSON string is not an object", body: `"evt-1"`, field: "body must be a JSON object"},
	{name: "null is not an object", body: `null`, field: "body must be a JSON object"},
	{name: "malformed JSON", body: `{"event_id": }`, field: "malformed JSON"},
	{name: "truncated JSON", body: `{"event_id": "evt-1", "ticket_id": "T-1"`, field: "JSON"},
	{name: "trailing garbage after the object", body: body("created") + ` x`, field: "malformed JSON"},
	{name: "missing event_id", body: `{"ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "event_id: is required"},
	{name: "a blank event_id is missing", body: `{"event_id": "  ", "ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "event_id: is required"},
	{name: "a null event_id is missing", body: `{"event_id": null, "ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "event_id: is required"},
	{name: "missing ticket_id", body: `{"event_id": "evt-1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "ticket_id: is required"},
	{name: "missing type", body: `{"event_id": "evt-1", "ticket_id": "T-1", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "type: is required"},
	{name: "an unknown type", body: body("deleted"), field: "type:"},
	{name: "a huge unknown type is clipped in the message", body: body(strings.Repeat("x", 5000)), field: `type: "` + strings.Repeat("x", 40) + `…" is not one of`},
	{name: "missing occurred_at", body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": "created"}`, field: "occurred_at: is required"},
	{name: "occurred_at without a zone", body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-05T01:00:00"}`, field: "occurred_at:"},
	{name: "occurred_at that is not a time", body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": "created", "occurred_at": "yesterday"}`, field: "occurred_at:"},
	{name: "occurred_at as epoch seconds", body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": "created", "occurred_at": 1791162000}`, field: "occurred_at"},
	{name: "occurred_at in 1970", body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": "created", "occurred_at": "1970-01-01T00:00:00Z"}`, field: "occurred_at:"},
	{name: "occurred_at in 2100", body: `{"event_id": "evt-1", "ticket_id": "T-1", "type": "created", "occurred_at": "2100-01-01T00:00:00Z"}`, field: "occurred_at:"},
	{name: "an unknown actor.kind", body: body("created", `"actor": {"id": "x", "kind": "robot"}`), field: "actor.kind:"},
	{name: "an actor without a kind", body: body("created", `"actor": {"id": "x"}`), field: "actor.kind:"},
	{name: "an actor.kind that is not a string", body: body("created", `"actor": {"id": "x", "kind": 1}`), field: "actor.kind"},
	{name: "an actor.id with a control character", body: body("created", `"actor": {"id": "a\u0007b", "kind": "agent"}`), field: "actor.id:"},
	{name: "replied without public", body: body("replied", `"actor": {"id": "a-7", "kind": "agent"}`), field: "public:"},
	{name: "replied without an actor", body: body("replied", `"public": true`), field: "actor:"},
	{name: "an agent reply without actor.id", body: body("replied", `"actor": {"kind": "agent"}`, `"public": true`), field: "actor.id:"},
	{name: "note without an actor", body: body("note"), field: "actor"},
	{name: "note by an actor without an id", body: body("note", `"actor": {"kind": "agent"}`), field: "actor"},
	{name: "status_changed without a status", body: body("status_changed"), field: "status:"},
	{name: "status_changed to an unknown status", body: body("status_changed", `"status": "done"`), field: "status:"},
	{name: "priority_changed without a priority", body: body("priority_changed"), field: "priority:"},
	{name: "an unknown priority", body: body("created", `"priority": "critical"`), field: "priority:"},
	{name: "tags_changed with neither tags nor ticket_type", body: body("tags_changed"), field: "tags"},
	{name: "tags that are not a list", body: body("tags_changed", `"tags": "vip"`), field: "tags"},
	{name: "assigned without assignee_id", body: body("assigned"), field: "assignee_id:"},
	{name: "assigned with a null assignee_id", body: body("assigned", `"assignee_id": null`), field: "assignee_id:"},
	{name: "an assignee_id with a control character", body: body("assigned", `"assignee_id": "a\u0000"`), field: "assignee_id:"},
	{name: "survey_answered without a rating", body: body("survey_answered"), field: "rating:"},
	{name: "a rating of 6", body: body("survey_answered", `"rating": 6`), field: "rating:"},
	{name: "a rating of 0", body: body("survey_answered", `"rating": 0`), field: "rating:"},
	{name: "a fractional rating", body: body("survey_answered", `"rating": 4.5`), field: "rating"},
	{name: "a customer without id and email", body: body("created", `"customer": {"name": "Ann"}`), field: "customer:"},
	{name: "a customer email without @", body: body("created", `"customer": {"email": "ann.example.com"}`), field: "customer.email:"},
	{name: "a customer email with nothing after @", body: body("created", `"customer": {"email": "ann@"}`), field: "customer.email:"},
	{name: "a customer email with a space", body: body("created", `"customer": {"email": "ann smith@example.com"}`), field: "customer.email:"},
	{name: "a customer.id with a control character", body: body("created", `"customer": {"id": "c\u001f9"}`), field: "customer.id:"},
	{name: "an event_id with a control character", body: `{"event_id": "evt\u00011", "ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "event_id:"},
	{name: "a ticket_id with DEL", body: `{"event_id": "evt-1", "ticket_id": "T\u007f1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "ticket_id:"},
	{name: "a ticket_id with an inner newline", body: `{"event_id": "evt-1", "ticket_id": "T\n1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "ticket_id:"},
	{name: "a ticket_id with an invalid UTF-8 escape", body: `{"event_id": "evt-1", "ticket_id": "T\udc001", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "ticket_id:"},
	{name: "a ticket_id longer than 256 bytes", body: `{"event_id": "evt-1", "ticket_id": "` + strings.Repeat("t", 257) + `", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`, field: "ticket_id:"},
	{name: "events that are not an array", body: `{"events": {"event_id": "evt-1"}}`, field: "events:"},
	{name: "events that are null", body: `{"events": null}`, field: "events:"},
	{name: "an empty events array", body: `{"events": []}`, field: "events:"},
	{name: "a bad event inside a batch is named by its index", body: withBad(`{"event_id": "evt-1", "ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-05"}`), field: "events[3].occurred_at: "},
	{name: "a missing field inside a batch is named by its index", body: withBad(`{"event_id": "evt-1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`), field: "events[3].ticket_id: is required"},
	{name: "a wrong type inside a batch is named by its index", body: withBad(body("created", `"actor": {"id": "x", "kind": true}`)), field: "events[3].actor.kind"},
	{name: "a batch of 501 is too large", body: numbered(event.MaxBatch + 1), code: errcode.TooLarge, field: "events:"},
}

func TestParseGenericRejects(t *testing.T) {
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			got, err := event.ParseGeneric([]byte(tc.body))
			want := tc.code
			if want == "" {
				want = errcode.Invalid
			}
			if code := errcode.Code(err); code != want {
				t.Fatalf("code = %q (err %v), want %q", code, err, want)
			}
			if msg := errcode.Message(err); !strings.Contains(msg, tc.field) {
				t.Errorf("message = %q, want it to contain %q", msg, tc.field)
			}
			if got != nil {
				t.Errorf("got %d events with the error, want none", len(got))
			}
		})
	}
}

// TestParseGenericRejectsIDsOfWrongJSONType covers ids that are neither a
// string nor an integer. They are rejected as invalid input.
func TestParseGenericRejectsIDsOfWrongJSONType(t *testing.T) {
	for _, tc := range []struct{ name, id string }{
		{"an object", `{}`}, {"an array", `[1]`}, {"a fraction", `1.5`}, {"a boolean", `true`},
		{"an exponent", `1e3`}, {"beyond int64", `12345678901234567890`},
	} {
		t.Run("a ticket_id that is "+tc.name+" is invalid", func(t *testing.T) {
			b := `{"event_id": "evt-1", "ticket_id": ` + tc.id + `, "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`
			got, err := event.ParseGeneric([]byte(b))
			if code := errcode.Code(err); code != errcode.Invalid {
				t.Fatalf("code = %q (err %v), want %q", code, err, errcode.Invalid)
			}
			if got != nil {
				t.Errorf("got %d events with the error, want none", len(got))
			}
		})
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := readFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// shanghai returns the UTC instant of a wall time in UTC+8.
func shanghai(day, hour, min, sec int) time.Time {
	return time.Date(2026, 10, day, hour, min, sec, 0, time.FixedZone("CST", 8*3600)).UTC()
}

// ticketLife is testdata/generic_batch.json: one ticket from creation by the
// customer to the customer's survey answer.
func ticketLife() []event.Event {
	base := func(id string, typ event.Type, t time.Time, actor event.Actor) event.Event {
		return event.Event{Source: event.SourceGeneric, ID: id, TicketID: "48213", Type: typ, OccurredAt: t, Actor: actor}
	}
	customer := event.Actor{ID: "cust-5521", Kind: event.Customer}
	agent := event.Actor{ID: "7734", Kind: event.Agent}
	system := event.Actor{Kind: event.System}
	return []event.Event{
		with(base("evt-48213-1", event.Created, shanghai(5, 9, 2, 11), customer), func(e *event.Event) {
			e.Status = event.StatusNew
			e.Priority = event.High
			e.Tags, e.HasTags = []string{"billing", "invoice"}, true
			e.TicketType = "incident"
			e.Customer = &event.CustomerInfo{ID: "cust-5521", Email: "li.wei@example.com", Name: "Li Wei"}
		}),
		with(base("evt-48213-2", event.Replied, shanghai(5, 9, 2, 13), system), func(e *event.Event) { e.Public = true }),
		with(base("evt-48213-3", event.Assigned, shanghai(5, 9, 10, 40), event.Actor{ID: "9001", Kind: event.Agent}), func(e *event.Event) {
			e.AssigneeID = "7734"
		}),
		with(base("evt-48213-4", event.Replied, shanghai(5, 9, 41, 5), agent), func(e *event.Event) { e.Public = true }),
		base("evt-48213-5", event.Note, shanghai(5, 9, 44, 30), event.Actor{ID: "7802", Kind: event.Agent}),
		with(base("evt-48213-6", event.StatusChanged, shanghai(5, 9, 45, 0), agent), func(e *event.Event) { e.Status = event.StatusPending }),
		with(base("evt-48213-7", event.Replied, shanghai(5, 14, 12, 9), customer), func(e *event.Event) { e.Public = true }),
		with(base("evt-48213-8", event.StatusChanged, shanghai(5, 14, 12, 10), system), func(e *event.Event) { e.Status = event.StatusOpen }),
		with(base("evt-48213-9", event.StatusChanged, shanghai(5, 16, 30, 0), agent), func(e *event.Event) { e.Status = event.StatusResolved }),
		with(base("survey-48213", event.SurveyAnswered, shanghai(6, 10, 5, 42), customer), func(e *event.Event) {
			e.Rating = 5
			e.Solved = ptr(true)
			e.Comment = "Fixed the invoice the same day, thank you."
		}),
	}
}

func TestParseGenericTestdata(t *testing.T) {
	tests := []struct {
		file string
		want []event.Event
	}{
		{
			file: "generic_single.json",
			want: []event.Event{{
				Source: event.SourceGeneric, ID: "evt-1", TicketID: "T-1", Type: event.Created, OccurredAt: at(0),
				Actor: event.Actor{ID: "c-9", Kind: event.Customer}, Priority: event.Normal,
				Tags: []string{"complaint"}, HasTags: true, TicketType: "incident",
				Customer: &event.CustomerInfo{ID: "c-9", Email: "ann@example.com", Name: "Ann"},
			}},
		},
		{file: "generic_batch.json", want: ticketLife()},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := event.ParseGeneric(readTestdata(t, tc.file))
			if err != nil {
				t.Fatalf("ParseGeneric: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// roundTrip sends e through its wire form and back.
func roundTrip(t testing.TB, e event.Event) event.Event {
	t.Helper()
	b, err := json.Marshal(event.ToGeneric(e))
	if err != nil {
		t.Fatalf("marshal ToGeneric(%+v): %v", e, err)
	}
	got, err := event.ParseGeneric(b)
	if err != nil {
		t.Fatalf("ParseGeneric(%s): %v", b, err)
	}
	if len(got) != 1 {
		t.Fatalf("ParseGeneric(%s) = %d events, want 1", b, len(got))
	}
	return got[0]
}

func TestToGenericRoundTrip(t *testing.T) {
	var cases []goodCase
	cases = append(cases, goodSingles...)
	for _, e := range ticketLife() {
		cases = append(cases, goodCase{name: "ticket life: " + e.ID, want: e})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, roundTrip(t, tc.want), roundTripOpts); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestToGenericWireForm(t *testing.T) {
	tests := []struct {
		name string
		in   event.Event
		want string
	}{
		{
			name: "an unassignment keeps an empty assignee_id",
			in:   ev(event.Assigned),
			want: `{"event_id":"evt-1","ticket_id":"T-1","type":"assigned","occurred_at":"2026-10-05T01:00:00Z","assignee_id":""}`,
		},
		{
			name: "a cleared tag set keeps an empty tags list",
			in:   with(ev(event.TagsChanged), func(e *event.Event) { e.HasTags = true }),
			want: `{"event_id":"evt-1","ticket_id":"T-1","type":"tags_changed","occurred_at":"2026-10-05T01:00:00Z","tags":[]}`,
		},
		{
			name: "an internal reply keeps public false",
			in:   with(ev(event.Replied), func(e *event.Event) { e.Actor = event.Actor{ID: "a", Kind: event.Agent} }),
			want: `{"event_id":"evt-1","ticket_id":"T-1","type":"replied","occurred_at":"2026-10-05T01:00:00Z","actor":{"id":"a","kind":"agent"},"public":false}`,
		},
		{
			name: "occurred_at is written in UTC",
			in:   with(ev(event.Created), func(e *event.Event) { e.OccurredAt = at(0).In(time.FixedZone("x", -5*3600)) }),
			want: `{"event_id":"evt-1","ticket_id":"T-1","type":"created","occurred_at":"2026-10-05T01:00:00Z"}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(event.ToGeneric(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(b)); diff != "" {
				t.Errorf("wire form (-want +got):\n%s", diff)
			}
		})
	}
}

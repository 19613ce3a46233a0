// Package freshdesk is the adapter for Freshdesk automation-rule webhooks
// (DESIGN §3): it owns checking their shared secret and turning one rule's
// webhook body into a normalised event (package event). It is pure: no I/O,
// no clock.
//
// Freshdesk has no built-in ticket-event webhook and signs nothing: an admin
// adds one automation rule per ticket event, each with a "Trigger webhook"
// action whose body the admin writes. This package defines that body.
//
// # Setting up a rule
//
// Admin → Workflows → Automations. For each row of the table below, create
// a rule ("Ticket creation" tab for the first, "Ticket updates" for the
// others) with the trigger shown, no conditions unless noted, and the action
// Trigger webhook:
//
//	Request type     POST
//	URL              https://<api>/webhooks/freshdesk
//	Requires auth    no
//	Custom headers   Authorization: Bearer <the freshdesk webhook secret>
//	Encoding         JSON, Advanced (write the body yourself)
//	Content          the body template below, with "event" set for the rule
//
// The body template (also BodyTemplate), ready to paste; its placeholders
// are Freshdesk's own ({{ticket.id}} is rendered as a number, the others
// inside quotes so that an empty value stays valid JSON):
//
//	{"freshdesk_webhook": {
//	  "event": "status_changed",
//	  "ticket_id": {{ticket.id}},
//	  "triggered_at": "{{ticket.modified_on}}",
//	  "status": "{{ticket.status}}",
//	  "priority": "{{ticket.priority}}",
//	  "ticket_type": "{{ticket.ticket_type}}",
//	  "tags": "{{ticket.tags}}",
//	  "agent_id": "{{ticket.agent.id}}",
//	  "requester": {"id": "{{ticket.requester.id}}", "email": "{{ticket.requester.email}}"}
//	}}
//
// The rules:
//
//	rule (trigger)                                   "event"            extra members
//	Ticket creation rule                             created            "triggered_at": "{{ticket.created_on}}"
//	Status is changed (any → any)                    status_changed
//	Priority is changed (any → any)                  priority_changed
//	Agent is updated (any → any, none → any,         assigned
//	  any → none)
//	Reply is sent, performed by an agent             replied
//	Reply is sent, performed by the requester        replied            "actor": "customer"
//	Note is added (private)                          note
//	Note is added (public)                           note               "public": true
//	Ticket type is changed                           tags_changed
//
// Leave out placeholders that can contain quotes (subject, description,
// names): Freshdesk does not escape them and the body would not be JSON.
//
// # What is read
//
//	member         used for
//	event          the rule (required); any letter case
//	ticket_id      the ticket id (required; number or string)
//	triggered_at   occurred_at (required): RFC 3339, or Rails' rendering
//	               "2026-10-05 09:00:00 +0800" / "… UTC"; a numeric zone is required
//	status         created, status_changed (required there)
//	priority       created, priority_changed (required there)
//	ticket_type    created, tags_changed (lower-cased)
//	tags           created, tags_changed: the full set, comma-separated as
//	               {{ticket.tags}} renders it, or a JSON array; "" clears
//	agent_id       created (first assignee), assigned (required; "" unassigns),
//	               replied/note by an agent (the actor, required)
//	actor          replied: agent (default), customer or system; note: agent only
//	public         note: true makes it a public reply (a public note answers the customer)
//	requester      the customer (id and/or email) on every event
//
// Freshdesk has no placeholder for who wrote a reply: {{ticket.agent.id}}
// is the assigned agent, so an agent's reply is credited to the assignee at
// that moment (Freshdesk assigns an unassigned ticket to the agent who
// replies first). There is no automation event for a tag change: tags and
// type are read at creation and whenever the tags_changed rule fires.
//
// The event id is DESIGN's dedupe key, ticket id + triggered event +
// timestamp: <ticket_id>:<event>:<triggered_at in UTC, RFC 3339>, where the
// event part of a reply names its actor (replied-agent, replied-customer)
// and a public note is note-public. A rule retried by Freshdesk renders the
// same body and so the same id.
//
// # Value mapping (any letter case)
//
//	status    Open, 2 → open; Pending, 3 → pending; Resolved, 4 → resolved;
//	          Closed, 5 → closed; Waiting on Customer, 6 → pending (the SLA
//	          clock pauses); Waiting on Third Party, 7 → on_hold (it runs);
//	          the model's own names (new, on_hold, …) for custom statuses
//	priority  Low, 1 → low; Medium, 2 → normal; High, 3 → high; Urgent, 4 → urgent
//
// Ids 6 and 7 are the default ids of the two predefined custom statuses;
// send names ({{ticket.status}}) when in doubt.
//
// # Verification
//
// Verify accepts only "Authorization: Bearer <secret>", compared in
// constant time (both sides hashed first, so the length does not leak
// either); a missing header, another scheme or a wrong token is
// errcode.Unauthorized with a message that never echoes either value.
//
// # Bad input
//
// Anything else wrong is errcode.Invalid naming the field as sent, e.g.
// `freshdesk_webhook.status: "Snoozed" is not a Freshdesk status (…)`.
// Parse never panics and returns one event or none.
package freshdesk

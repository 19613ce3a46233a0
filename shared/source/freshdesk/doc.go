// Package freshdesk is the adapter for Freshdesk (DESIGN §3): it owns
// checking the shared secret of its automation-rule webhooks, turning a
// rule's webhook body into normalised events (package event), and reading
// a contact's address from the Freshdesk API (Contacts). Reading bodies is
// pure: the time received is passed in.
//
// Freshdesk has no built-in ticket-event webhook and signs nothing: an admin
// adds automation rules with a "Trigger webhook" action whose body the
// admin writes. Real accounts write many kinds of bodies (see
// testdata/real): Freshdesk's simple mode (ticket_status, ticket_agent_email,
// requester_email …), {{triggered_event}} rendered as {ticket_action:created}
// or {status:{from:4,to:6}}, statuses and priorities as names or numbers,
// custom statuses, times without a zone or as text, and usually no time at
// all. All of them are read.
//
// # The rule set
//
// Admin → Workflows → Automations. Create these four rules, each with the
// action Trigger webhook:
//
//	Request type     POST
//	URL              https://<api>/webhooks/freshdesk
//	Requires auth    no
//	Custom headers   Authorization: Bearer <the freshdesk webhook secret>
//	Encoding         JSON, Advanced (write the body yourself)
//	Content          the body below
//
//	rule                           tab                when                                   body
//	Scorecard: ticket created      Ticket creation    every ticket (source is email OR        the body
//	                                                  source is not email)
//	Scorecard: ticket updated      Ticket updates     ANY of: Status is changed, Priority     the body
//	                                                  is changed, Agent is updated, Note is
//	                                                  added, Ticket type is changed;
//	                                                  performed by anyone
//	Scorecard: agent reply         Ticket updates     Reply is sent, performed by Agent       the body
//	Scorecard: customer reply      Ticket updates     Reply is sent, performed by Requester   the body with "actor": "customer"
//
// The body (also BodyTemplate), the same in every rule; its placeholders
// are Freshdesk's own ({{ticket.id}} is rendered as a number, the others
// inside quotes so that an empty value stays valid JSON):
//
//	{"freshdesk_webhook": {
//	  "triggered_event": "{{triggered_event}}",
//	  "ticket_id": {{ticket.id}},
//	  "ticket_status": "{{ticket.status}}",
//	  "ticket_priority": "{{ticket.priority}}",
//	  "ticket_type": "{{ticket.ticket_type}}",
//	  "ticket_tags": "{{ticket.tags}}",
//	  "agent_id": "{{ticket.agent.id}}",
//	  "requester_id": "{{ticket.requester.id}}",
//	  "requester_email": "{{ticket.requester.email}}"
//	}}
//
// Leave out placeholders that can contain quotes (subject, description,
// names): Freshdesk does not escape them and the body would not be JSON. A
// comma before a closing brace, the common slip when typing a body, is
// forgiven with a warning.
//
// The earlier template — one rule per event, "event" naming it and
// "triggered_at" its time (EventTemplate) — is still read.
//
// # What is read
//
// Every member is optional but ticket_id. Names in parentheses are the
// other names real bodies use for the same thing.
//
//	member             used for
//	ticket_id          the ticket id (number or string)
//	triggered_event    what happened, as Freshdesk renders {{triggered_event}}:
//	                     {ticket_action:created}          created
//	                     {status:{from:F,to:T}}           status_changed: ticket_status, else id T
//	                     {priority:{from:F,to:T}}         priority_changed: id T, else ticket_priority
//	                     {responder_id:{from:F,to:T}}     assigned: agent_id, else T
//	                     {ticket_type:{from:F,to:T}}      tags_changed carrying the type
//	                     {note_type:private}              note by the agent
//	                     {note_type:public}               public reply by the agent (a public note answers the customer)
//	                     {reply_sent:sent}                public reply by the agent, or the customer with "actor": "customer"
//	                     anything else                    the ticket's state as the body shows it (below), with a warning
//	event              the earlier template's rule name: created, status_changed,
//	                   priority_changed, assigned, replied, note, tags_changed
//	ticket_status      (status) a name or a status id
//	ticket_priority    (priority) Low, Medium, High, Urgent, or 1–4
//	ticket_type        (ticket_ticket_type) lower-cased
//	ticket_tags        (tags) "a, b" as {{ticket.tags}} renders, or an array
//	agent_id           (ticket_agent_id, else ticket_agent_email, lower-cased)
//	                   the assigned agent: the directory's freshdesk_id must be
//	                   the same kind of id the rules send
//	requester_id       (requester.id, ticket_requester_id, ticket_contact_id)
//	requester_email    (requester.email, ticket_requester_email, ticket_contact_email)
//	requester_name     (requester.name, ticket_requester_name, ticket_contact_name)
//	actor              replied: agent (default), customer or system
//	public             the earlier template's note: true makes it a public reply
//	triggered_at       (ticket_updated_at, updated_at, ticket_modified_on; for a
//	                   creation also ticket_created_at, ticket_created_on) the time
//
// A body that names neither event nor triggered_event (many real ones) is
// the ticket's state when it was received: a status change to
// ticket_status, a priority change, the type and tags, the assignee — each
// at the body's time. The reducer ignores a status, priority or assignee
// that did not change, so the same state seen twice changes nothing.
//
// What Freshdesk leaves out is derived as a careful integrator would:
//
//   - No time (the rule set's body, and most real ones): the event happened
//     when it was received. A time rendered without a zone
//     ("2026-03-11 12:44:19", "March 23 2026 at 10:06 AM") is in the
//     helpdesk's zone, sources.freshdesk.time_zone in the policy (default:
//     the policy's time_zone); "+05" and "+0530" offsets are read. A time
//     that cannot be read is replaced by the time received, with a warning.
//   - No author: Freshdesk has no placeholder for who wrote a reply or a
//     note; {{ticket.agent.id}} is the assigned agent, so an agent's reply is
//     credited to the assignee at that moment (Freshdesk assigns an
//     unassigned ticket to the agent who replies first). A reply or note
//     whose body names no agent at all is left out, with a warning.
//   - No address: a requester named only by id is surveyed at the address
//     the Freshdesk API gives (Contacts; credentials under api/freshdesk).
//
// The event id is DESIGN's dedupe key, ticket id + triggered event +
// timestamp: <ticket_id>:<what>:<time in UTC, RFC 3339>; a creation is
// <ticket_id>:created, whenever it arrives. Freshdesk retries a failed
// webhook with the same body: without a time in the body, a retry is a
// second event at another time — harmless, since a repeated status,
// priority or assignment changes nothing, the first reply stays the first
// and notes count once per ticket and writer.
//
// # Value mapping (any letter case)
//
//	status    the policy's sources.freshdesk.statuses first (custom statuses,
//	          by name or id); then Open, 2 → open; Pending, 3 → pending;
//	          Resolved, 4 → resolved; Closed, 5 → closed; Waiting on Customer,
//	          6 → pending (the SLA clock pauses); Waiting on Third Party, 7 →
//	          on_hold (it runs); the model's own names. Any other status is a
//	          custom one nobody mapped: read as open, with a warning naming it.
//	priority  Low, 1 → low; Medium, 2 → normal; High, 3 → high; Urgent, 4 → urgent
//
// Ids 6 and 7 are the default ids of the two predefined custom statuses;
// an account's own custom statuses get ids from 7 or 8 up, so map their
// names (what {{ticket.status}} renders) in the policy.
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
// What cannot be read at all is errcode.Invalid naming the field as sent:
// a body that is not a JSON object, no ticket_id, a priority outside
// Freshdesk's four, the earlier template without its rule's value. Parse
// never panics.
package freshdesk

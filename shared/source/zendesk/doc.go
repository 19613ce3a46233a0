// Package zendesk is the adapter for Zendesk Support (DESIGN §3): it owns
// checking the signature of its webhooks, turning one event-subscription
// body (or the satisfaction trigger's) into normalised events (package
// event), and reading a requester's address from the Zendesk API (Users).
// Reading bodies is pure: no I/O, the clock is passed in.
//
// # Verification
//
// Zendesk signs every request: X-Zendesk-Webhook-Signature is
// base64(HMAC-SHA256(secret, X-Zendesk-Webhook-Signature-Timestamp + raw
// body)). Verify compares in constant time and accepts a timestamp (RFC 3339,
// as Zendesk sends it) at most 5 minutes from now in either direction, so a
// captured request cannot be replayed later. Failures are
// errcode.Unauthorized with a message that names the header and what is wrong
// and never echoes the secret or the expected signature.
//
// # Events
//
// The webhook must be an event subscription (Admin Center → Webhooks →
// "Zendesk events", ticket events), not a trigger-based webhook with a custom
// body. Parse reads the common envelope — type, id, time, subject
// ("zen:ticket:<id>"), detail (the ticket after the change) and event (what
// changed) — and maps:
//
//	zen:event-type:ticket.…     normalised event
//	created                     created (status, priority, tags, type, assignee, requester from detail)
//	status_changed              status_changed (event.current, else detail.status)
//	priority_changed            priority_changed (event.current, else detail.priority)
//	tags_changed                tags_changed with the full tag set from detail.tags
//	                            (else event.current when it is an array)
//	type_changed                tags_changed carrying only the ticket type (event.current, else detail.type)
//	agent_assignment_changed    assigned (event.current, else detail.assignee_id; null unassigns)
//	comment_added               replied or note, see below
//	messaging_ticket.message_added   (chat and messaging tickets) replied, public: see below
//
// Every event takes its id from the payload "id" (the dedupe key), its time
// from "time", its ticket id from detail.id or the subject (both must agree
// when both are sent), and the requester (detail.requester_id) as the
// customer when it is known.
//
// The requester is named only by id (detail.requester_id): Zendesk's
// events carry no address. The notifier asks the Zendesk API for it (Users:
// GET /api/v2/users/{id}; credentials under api/zendesk) and caches it.
//
// A comment's author is an agent when author.is_staff is true or
// author.role is agent/admin, a customer when is_staff is false or role is
// end-user; without either, the requester is a customer and anyone else is
// a person the directory judges when the month is scored (an engineer
// mapped to the id is an agent). Author id -1 (Zendesk's system user) is a
// system actor. Then:
//
//	agent, public (is_public true)     replied, public, actor agent
//	agent or person, private           note, actor agent (only agents write private comments)
//	customer or system                 replied, public as sent (never a response; a
//	                                   messaging ticket's transcript is the customer's own
//	                                   private comment)
//
// A messaging message's author is event.actor.type: agent → a public agent
// reply (a response), end_user → a customer reply; trigger, system and the
// answer bot (ids "zd:…") never respond.
//
// # Satisfaction ratings
//
// Zendesk's event subscriptions carry no satisfaction ratings. A trigger
// does: condition "Satisfaction is Good / Bad" (or "changed"), action
// "Notify active webhook" — a second webhook, of the trigger kind, to the
// same URL, JSON, with this body (also SatisfactionTemplate):
//
//	{"satisfaction": {
//	  "ticket_id": "{{ticket.id}}",
//	  "rating": "{{satisfaction.current_rating}}",
//	  "comment": "{{satisfaction.current_comment}}",
//	  "rated_at": "{{ticket.updated_at_with_timestamp}}",
//	  "requester_id": "{{ticket.requester.id}}"
//	}}
//
// Zendesk signs it with that webhook's own secret: put both secrets in
// webhook/zendesk, one per line. A rating is a survey answer of the ticket,
// credited like the product's own to the engineer assigned at the last
// resolution before it: good is 5, bad 1, a 1–5 score as it is; an offered
// survey without an answer is nothing. A ticket answered this way is not
// surveyed again by mail.
//
// # Value mapping (any letter case)
//
//	status    NEW→new OPEN→open PENDING→pending HOLD→on_hold SOLVED→resolved CLOSED→closed
//	priority  URGENT→urgent HIGH→high NORMAL→normal LOW→low
//	type      PROBLEM, INCIDENT, QUESTION, TASK → lower case ticket type
//
// # Ignored (accepted, no events, no error)
//
//   - every other ticket event type: subject, description, group, brand,
//     form, organization, requester, submitter, followers, email CCs,
//     external id, custom fields, custom_status_changed (a status category
//     change also fires status_changed), problem links, task due dates,
//     comment_made_private, comment_redacted, attachments, merged,
//     marked_as_spam, soft/permanently deleted, undeleted, SLA and schedule
//     changes;
//   - non-ticket events (user, organization, article, …) sent to the same
//     endpoint;
//   - status_changed to DELETED, ARCHIVED or SCRUBBED (lifecycle states, not
//     work states);
//   - priority_changed and type_changed whose new value is empty (cleared):
//     the model has no "no priority" or "no type", so the last value stays.
//
// Known limitation: when an agent opens a ticket on a customer's behalf with
// a public description, Zendesk reports that description as a public agent
// comment, and it counts as the first reply.
//
// # Bad input
//
// Everything else that cannot be read is errcode.Invalid with a message naming the
// field, e.g. `detail.status: "WAITING" is not a Zendesk status (new, open,
// pending, hold, solved, closed)`; either all events of a body are returned
// or none. Parse never panics.
package zendesk

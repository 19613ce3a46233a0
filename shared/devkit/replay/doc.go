// Package replay owns turning ticket events of the model (package event, as
// the demo generator produces them in the generic format) into the webhook
// requests Zendesk, Jira Service Management, Freshdesk or a generic sender
// would POST for them, signed as each signs, so that the demo, load tests
// and fault tests drive the real /webhooks/<source> routes with a realistic
// mix of sources. It is pure: no I/O, the signing time is passed in.
//
// The promise, tested for every source and every kind of event (table
// tests, rapid properties, and a generated month replayed across mixed
// sources): every request verifies with its adapter, and the events the
// adapters read, with ticket and agent ids mapped back, reduce
// (ticket.Reduce) to the state of the original events — the metrics cannot
// tell which system a ticket came from. The known exceptions are listed
// under "What differs" below.
//
// # Use
//
//   - Replay(events, Options) is what a replay wants: it sends each ticket
//     with all its events to one source, SourceFor(ticket, shares), and
//     knows the ticket's history, so it renders what a system repeats on
//     every event (status, priority, tags, type, assignee, requester) and
//     reports tag and type changes only when they happen.
//   - Encode(source, event, …) encodes one event without its ticket. An
//     event the source cannot carry goes to the generic source instead
//     (Request.Fallback says why) — and so onto a ticket of its own, since
//     the store keys tickets by (source, id). Prefer Replay.
//   - Batch packs up to 500 events into one generic request.
//   - Request.Sign signs again: only Zendesk signs a time (checked to ±5
//     minutes), so requests prepared in advance are re-signed just before
//     they are sent; the body stays the same, so a redelivery is still a
//     duplicate.
//   - Options.Agents translates agent ids to each system's own (a demo
//     engineer's ZendeskID, JiraID, FreshdeskID), so that the directory's
//     (source, external id) mapping applies; untranslated ids are sent as
//     they are.
//
// # Ids
//
//	                    zendesk                 jira                                   freshdesk               generic
//	ticket              320000001               320000001 (the issue id; key SUP-…)    320000001               T-202608-00001
//	event id            UUID from ticket+event  issue, changelog or comment id         ticket:event:second     event_id
//	                                            (X-Atlassian-Webhook-Identifier sent)  (the adapter's key)
//	comment id          number from ticket+event
//
// Ticket numbers come from the generator's ids T-YYYYMM-NNNNN as month ×
// 10⁶ + N, months counted from 2000-01 = 1 (VendorTicketID; TicketID maps
// back). Other ticket ids are sent as they are (the adapters accept string
// ids); one that would read back as a derived id goes generic
// (ReasonTicketID). Vendor event ids are hashes of the ticket and event
// ids: the same event always gets the same id, distinct events distinct
// ones (2⁻¹²² collision odds).
//
// # Mapping
//
//	model event                        zendesk (event subscription)   jira (webhook)                           freshdesk (automation rule)
//	created                            ticket.created, detail         jira:issue_created, issue.fields         "created"
//	assigned (""= unassign)            agent_assignment_changed       issue_updated, changelog assignee        "assigned", agent_id
//	replied, public, agent             comment_added, is_staff        comment_created, atlassian, jsdPublic    "replied"
//	replied, customer                  comment_added, is_staff false  comment_created, customer                "replied", actor customer (always public)
//	replied, system                    comment_added, author -1       comment_created, app                     "replied", actor system (always public)
//	replied, internal, agent           — generic (ReasonInternalReply: every system sends it as a note)
//	note, agent                        private comment                internal comment (jsdPublic false)       "note"
//	note, customer or system           private comment (a reply)      comment, jsdPublic false (a reply)       "replied" by them
//	status_changed                     status_changed, current        issue_updated, changelog status          "status_changed"
//	priority_changed                   priority_changed, current      issue_updated, changelog priority        "priority_changed"
//	tags_changed, tags                 tags_changed, detail.tags      changelog labels (space-separated)       "tags_changed", tags "a, b"
//	tags_changed, type                 type_changed, current          changelog issuetype                      "tags_changed", ticket_type
//	tags_changed, both                 two events (Replay; Encode:    one changelog, two items                 one body
//	                                   ReasonTagsAndType)
//	survey_answered                    — generic, always (ReasonSurvey)
//
// Notes and replies by customers or the system count for nobody in the
// model, so sending them as the closest thing each system has (a reply,
// public or not) changes no ticket state. Everything that does count is
// either carried exactly or goes generic.
//
// # Values
//
//	model      zendesk    jira (status category)                freshdesk
//	new        NEW        — (a creation without a status)        New (read as a custom status)
//	open       OPEN       In Progress (indeterminate)            Open
//	pending    PENDING    Waiting for customer (indeterminate)   Pending
//	on_hold    HOLD       Escalated (indeterminate)              Waiting on Third Party
//	resolved   SOLVED     Resolved (done)                        Resolved
//	closed     CLOSED     Closed (done)                          Closed
//	urgent     URGENT     Highest                                Urgent
//	high       HIGH       High                                   High
//	normal     NORMAL     Medium                                 Medium
//	low        LOW        Low                                    Low
//
//	           zendesk                            jira                                 freshdesk
//	type       PROBLEM INCIDENT QUESTION TASK     issue type, capitalised              ticket_type, capitalised
//	time       RFC 3339, nanoseconds              epoch milliseconds                   2026-08-03 01:00:00 +0000
//	requester  detail.requester_id                reporter: accountId, name            requester: id, e-mail (no name:
//	                                                                                   the template leaves names out)
//
// # When a ticket goes generic
//
// Replay sends a whole ticket through the generic format when its source
// cannot carry one of its events exactly; Plan.Fallbacks counts the events
// by reason. Splitting the ticket instead would put the events on two
// tickets in the store, (source, vendor id) and (generic, id), and a
// reassignment or resolution on the wrong one changes the metrics.
//
//	reason                 sources             why not the closest equivalent
//	ReasonInternalReply    all three           the only private reply is a note; a note by a colleague is collaboration
//	ReasonTicketType       zendesk             types are fixed; complaint as a tag would change the ticket's type
//	ReasonTags             zd, jira / fresh    a tag with white space (labels are space-separated) / with a comma
//	ReasonStatusNew        jira                no status maps to new; open would add a status change
//	ReasonPrecision        jira / freshdesk    sub-millisecond / sub-second times: rounding can reorder events
//	ReasonSystemUser       zendesk             an agent whose id is -1 reads as Zendesk's system user
//	ReasonTicketID         all                 the ticket id reads as a derived vendor id
//	ReasonAuthor           freshdesk           {{ticket.agent.id}} is the assignee: a public reply or note by
//	                                           anyone else would be credited to the assignee
//	ReasonSameTime         all                 two events share a timestamp and the vendor ids would order them
//	                                           differently from the generic ids (the model breaks such ties by
//	                                           id), or Freshdesk's dedupe key (ticket + event + second) would
//	                                           make them one; the check parses only those events back
//
// Freshdesk collisions are therefore avoided, not nudged: moving an event
// by a second changes its ticket's times and may reorder it. Encode cannot
// see other events: it assumes the Freshdesk author is the assignee,
// cannot detect same-second collisions, and expects a creation to be the
// ticket's first event.
//
// Measured on demo.DefaultConfig (3 months, 15 000 tickets, 177 428
// events, DefaultShares), every ticket compared: 645 tickets (4.3 %) went
// generic instead of to their vendor, and 6.6 % of the events went to the
// generic source instead of their ticket's share — internal replies 2.75 %,
// Freshdesk authors 1.54 %, survey answers 2.06 %, complaint-typed Zendesk
// tickets 0.25 %; no ticket needed ReasonSameTime. TestDemoMonthRoundTrip
// logs the same figures for its smaller month.
//
// # What differs
//
//   - Survey answers: every system's ticket gets its answers through the
//     generic route, so in the store they sit on the ticket (generic, id)
//     rather than on the vendor's ticket. Replay fills in the engineer the
//     answer credits (the assignee at the last resolution before it, as
//     the product's survey flow records it), so CSAT is credited to the
//     right engineer; but that generic ticket counts once more among the
//     engineer's tickets, and answers to two resolutions of one ticket
//     replace each other there. A demo that must be exact answers the
//     surveys through the survey links instead (skip the requests whose
//     Fallback is ReasonSurvey on a ticket that is not generic).
//   - Requester: Zendesk sends only the requester's id, Jira Cloud the
//     accountId and name, Freshdesk's template no name. Their surveys go
//     to the address the vendor's API gives (the demo serves one on
//     loopback).
//   - ticket.State.Events counts the source's events: a change of both tags
//     and type is two Zendesk or Jira events.
package replay

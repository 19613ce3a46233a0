// Package jira is the adapter for Jira Service Management (Cloud) webhooks
// (DESIGN §3): it owns checking their signature and turning one webhook body
// into normalised events (package event). It is pure: no I/O, no clock.
//
// # Verification
//
// Give the Jira webhook a secret (Jira admin → System → WebHooks, or the
// REST API); Jira then sends X-Hub-Signature: sha256=<hex HMAC-SHA256(secret,
// raw body)>. Verify compares in constant time; a missing, malformed
// (another method than sha256, bad hex, wrong length) or wrong signature is
// errcode.Unauthorized with a message that never echoes the secret. Jira
// signs no timestamp, so a replayed request is absorbed by the dedupe key.
//
// # Events
//
// The issue key (e.g. SUP-12) is the ticket id — an issue moved to another
// project gets a new key and so counts as a new ticket. occurred_at is the
// body's "timestamp" (epoch milliseconds). The reporter
// (issue.fields.reporter: accountId, emailAddress, displayName) is the
// customer whenever it is sent, and "user" (who acted) is the actor when its
// accountType says what kind it is:
//
//	accountType   actor kind
//	atlassian     agent (licensed users: agents, admins)
//	customer      customer (JSM portal customers)
//	app           system (automation, integrations)
//
// What is read:
//
//	webhookEvent          normalised events
//	jira:issue_created    created (status, priority, labels, issue type, assignee from issue.fields)
//	jira:issue_updated    one event per changelog item of a field below; other fields are ignored
//	    status            status_changed (toString, with the status category, see below)
//	    assignee          assigned (to: the accountId; null unassigns)
//	    priority          priority_changed (toString; a removed priority is ignored)
//	    labels            tags_changed (toString is the full, space-separated new set)
//	    issuetype         tags_changed carrying only the ticket type (lower-cased name)
//	comment_created       replied or note, see below
//
// Event ids follow DESIGN's dedupe key, X-Atlassian-Webhook-Identifier (the
// same across Jira's retries of one delivery) plus the payload's own id:
//
//	created          <identifier>:created
//	changelog item   <identifier>:<changelog.id>, plus :<item index> when the changelog has several items
//	comment          <identifier>:comment-<comment.id>
//
// Jira Cloud always sends the header; without it (Data Center, a proxy that
// drops it) the ids fall back to the payload ids alone, which are unique per
// site: issue-<issue.id>:created, changelog-<id>[:<index>], comment-<id>.
//
// A comment's author is an agent for accountType atlassian, a customer for
// customer and a system actor for app; without an accountType (Data Center)
// only the reporter is recognised (a customer) and any other author is
// rejected as ambiguous rather than guessed. comment.jsdPublic says whether
// the customer sees the comment; it is absent outside JSM, where every
// comment is public:
//
//	agent, jsdPublic true or absent    replied, public, actor agent
//	agent, jsdPublic false             note (internal comment), actor agent
//	customer or app                    replied, public as sent (never a response)
//
// # Status mapping
//
// Names are matched in any letter case. When the current status is
// the changelog's new status, its statusCategory decides first: category
// "done" is always resolved (closed for the closed names below), and "new"
// or "indeterminate" is never done (the name's non-done status, else open).
// Without a category, a name outside this table is rejected:
//
//	open       Open, To Do, Waiting for support, In Progress, Work in progress,
//	           Reopened, Under investigation, Investigating, In review,
//	           Under review, Backlog, Selected for development
//	pending    Waiting for customer, Waiting for reporter, Awaiting customer, Pending
//	on_hold    Escalated, On hold, Waiting for third party, Waiting for vendor
//	resolved   Resolved, Done, Completed, Fixed (and any other done-category status)
//	closed     Closed, Canceled, Cancelled, Declined, Rejected, Won't do
//
// Pending pauses the SLA clock (waiting on the customer); on_hold does not.
//
// # Priority mapping (any letter case)
//
//	urgent   Highest, Blocker, Critical, Urgent
//	high     High, Major
//	normal   Medium, Normal
//	low      Low, Lowest, Minor, Trivial
//
// # Ignored (accepted, no events, no error)
//
//   - other webhook events: jira:issue_deleted, comment_updated,
//     comment_deleted, worklog_*, issuelink_*, sprint_*, project_*, user_* …;
//   - changelog items of other fields (summary, description, resolution,
//     components, custom fields, Request participants, SLA fields …);
//   - jira:issue_updated without a changelog, and the comment an
//     issue_updated body carries when a comment is added: comment_created
//     reports it once.
//
// # Bad input
//
// Anything else wrong is errcode.Invalid naming the field, e.g.
// `changelog.items[0].toString: "Limbo" is not a known Jira status and no
// statusCategory was sent`; either all events of a body are returned or
// none. Parse never panics.
package jira

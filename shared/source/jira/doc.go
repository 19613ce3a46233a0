// Package jira is the adapter for Jira Service Management, Jira Cloud and
// Jira Server / Data Center webhooks (DESIGN §3): it owns checking their
// signature, turning one webhook body into normalised events (package
// event), and reading a user's address from the Jira REST API (Users).
// Reading bodies is pure: no I/O, no clock.
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
// The issue id is the ticket id: an issue moved to another project gets a
// new key but keeps its id, and a comment that names only the issue id
// (Server and Data Center send comment_created without an issue object,
// the id only in the comment's self URL, .../rest/api/2/issue/<id>/comment/<id>)
// lands on the same ticket. Link reports to it with
// https://<site>/secure/ViewIssue.jspa?id={id} (sources.jira.ticket_url).
// occurred_at is the body's "timestamp" (epoch milliseconds), or a comment's
// own created time.
//
//	webhookEvent          normalised events
//	jira:issue_created    created (status, priority, labels, issue type, assignee from issue.fields)
//	jira:issue_updated    one event per changelog item of a field below (other fields are
//	                      ignored), and the comment it carries (issue_commented, a transition
//	                      with a comment)
//	    status            status_changed (toString, with the status category, see below)
//	    assignee          assigned (see "Ids" below; null unassigns)
//	    priority          priority_changed (toString; a removed priority is ignored)
//	    labels            tags_changed (toString is the full, space-separated new set)
//	    issuetype         tags_changed carrying only the ticket type (lower-cased name)
//	comment_created       replied or note, see below
//
// # Ids
//
// Event ids are the payload's own, unique within a site, so that the two
// webhooks Data Center sends for one comment (comment_created and an
// issue_commented update) store it once, and a change delivered to two
// webhooks of the same site counts once:
//
//	created          issue-<issue id>:created
//	changelog item   changelog-<changelog id>, plus :<item index> when the changelog has several items
//	comment          comment-<comment id>
//
// X-Atlassian-Webhook-Identifier is not needed (it differs between those
// two webhooks). A user is named by the Cloud accountId, else the Data
// Center user key, else the username. An assignee change names the new
// assignee as the rest of the payload does: older Cloud changelogs put a
// username in "to" (with tmpToAccountId beside it, or the accountId only in
// issue.fields.assignee), Data Center a username where the fields give the
// key too; the item's value is matched to issue.fields.assignee and its id
// used.
//
// # People
//
// The reporter (issue.fields.reporter: accountId or key, emailAddress,
// displayName) is the customer whenever it is sent, unless it is an app
// (automation). Jira Cloud sends no address: the notifier asks the Jira
// API for it (Users: GET /rest/api/3/user?accountId= on Cloud, /rest/api/2/user?key=
// on Data Center; credentials under api/jira). An agent who reports an
// issue is the reporter too; the notifier does not survey a reporter the
// directory maps to an engineer.
//
// A comment's author:
//
//	the reporter (by any of their ids)      customer
//	accountType atlassian                   agent (a licensed user)
//	accountType customer                    customer (a JSM portal customer)
//	accountType app                         system (automation, integrations)
//	no accountType (Data Center, older      person: the directory decides when the month is
//	Cloud), or one Jira may add             scored — an engineer mapped to the id is an agent
//
// comment.jsdPublic says whether the customer sees the comment; it is
// absent outside JSM, where every comment is public:
//
//	agent or person, jsdPublic false        note (internal comment; only agents write those)
//	agent or person, public                 replied, public (a response when by an agent)
//	customer or app                         replied, public as sent (never a response)
//
// # Status mapping
//
// Names are matched in any letter case. The policy's sources.jira.statuses
// map a site's own names first. Then, when the current status is
// the changelog's new status, its statusCategory decides: category "done"
// is always resolved (closed for the closed names below), and "new" or
// "indeterminate" is never done (the name's non-done status, else open).
// Without a category, a name outside this table is read as open, with a
// warning naming it:
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
// The policy's sources.jira.priorities first (a site's own scheme, a
// localised name); then the table; another name is read as normal, with a
// warning.
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
//   - jira:issue_updated without a changelog or a comment.
//
// # Bad input
//
// What cannot be read is errcode.Invalid naming the field, e.g.
// `issue.id: is required`; either all events of a body are returned or
// none. Parse never panics.
package jira

package replay

import (
	"strings"

	"scorecard/shared/core/event"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

// Why an event went to the generic source instead of its ticket's source
// (Request.Fallback). Each is a limit of the target system or of its
// adapter; the package doc explains the choice.
const (
	// ReasonSurvey: no ticketing system sends survey answers.
	ReasonSurvey = "survey answers exist only in the generic format"
	// ReasonInternalReply: Zendesk, Jira and Freshdesk have no internal
	// reply apart from an internal note, which the model counts as a note.
	ReasonInternalReply = "an agent's internal reply would arrive as a note"
	// ReasonTicketType: Zendesk's ticket types are fixed.
	ReasonTicketType = "zendesk ticket types are problem, incident, question and task"
	// ReasonTags: Zendesk and Jira tags cannot contain white space (Jira
	// sends label changes space-separated), Freshdesk tags no commas.
	ReasonTags = "the source cannot carry a tag with white space (zendesk, jira) or a comma (freshdesk)"
	// ReasonStatusNew: no Jira status maps to new.
	ReasonStatusNew = "jira has no status that maps to new"
	// ReasonPrecision: Jira times are milliseconds, Freshdesk's seconds.
	ReasonPrecision = "the time is finer than the source carries (jira milliseconds, freshdesk seconds)"
	// ReasonSystemUser: Zendesk reads author id -1 as its system user.
	ReasonSystemUser = "zendesk reads author id -1 as its system user"
	// ReasonTicketID: the ticket id reads back as a derived vendor id.
	ReasonTicketID = "the ticket id reads as a derived vendor ticket id"
	// ReasonTagsAndType (Encode only): Zendesk reports a tag change and a
	// type change as two events; without the ticket's history Encode cannot
	// tell which of them happened. Replay sends what changed.
	ReasonTagsAndType = "zendesk sends tag and type changes as two events"
	// ReasonAuthor (Replay only): the Freshdesk template names the assigned
	// agent ({{ticket.agent.id}}), not the author of a reply or note.
	ReasonAuthor = "freshdesk names the assignee, not the author, of a reply or note"
	// ReasonSameTime (Replay only): events of the ticket share a timestamp
	// and the source's event ids would order them differently, or Freshdesk
	// would give them the same dedupe key (ticket + event + second).
	ReasonSameTime = "events of the ticket share a timestamp the source would order or dedupe differently"
)

// expressible reports why the target source cannot carry e exactly, or ""
// if it can. These rules need only the event; Replay adds the ones that
// need the ticket's history.
func expressible(source string, c *encoding) string {
	e := &c.e
	if e.Type == event.SurveyAnswered {
		return ReasonSurvey
	}
	if e.Type == event.Replied && !e.Public && e.Actor.Kind == event.Agent {
		return ReasonInternalReply
	}
	switch source {
	case zendesk.Source:
		if t := c.after.ticketType; (e.Type == event.Created || e.TicketType != "") && !zendeskType(t) {
			return ReasonTicketType
		}
		if e.HasTags && anyTag(e.Tags, " \t\r\n") {
			return ReasonTags
		}
		if (e.Type == event.Replied || e.Type == event.Note) && e.Actor.Kind == event.Agent && c.actorID() == "-1" {
			return ReasonSystemUser
		}
	case jira.Source:
		// A creation without a status reads as new, which is exact unless
		// the ticket already had another status (events out of order).
		if e.Status == event.StatusNew && (e.Type == event.StatusChanged || c.before.status != "" && c.before.status != event.StatusNew) {
			return ReasonStatusNew
		}
		if e.HasTags && anyTag(e.Tags, " \t\r\n") {
			return ReasonTags
		}
		if e.OccurredAt.Nanosecond()%1e6 != 0 {
			return ReasonPrecision
		}
	case freshdesk.Source:
		if e.HasTags && anyTag(e.Tags, ",") {
			return ReasonTags
		}
		if e.OccurredAt.Nanosecond() != 0 {
			return ReasonPrecision
		}
	}
	return ""
}

// zendeskType reports whether t is a Zendesk ticket type ("" leaves the
// type unset, which Zendesk allows).
func zendeskType(t string) bool {
	switch t {
	case "", "problem", "incident", "question", "task":
		return true
	}
	return false
}

func anyTag(tags []string, chars string) bool {
	for _, t := range tags {
		if strings.ContainsAny(t, chars) {
			return true
		}
	}
	return false
}

// Package event owns the normalised ticket event model that every source
// (Zendesk, Jira Service Management, Freshdesk, the generic format) is turned
// into, and the generic webhook format itself. It is pure: no I/O, no clock.
package event

import (
	"slices"
	"strings"
	"time"
)

// Type is what happened to a ticket.
type Type string

// Event types of the normalised model (DESIGN §3).
const (
	Created         Type = "created"
	Assigned        Type = "assigned"
	Replied         Type = "replied"
	Note            Type = "note"
	StatusChanged   Type = "status_changed"
	PriorityChanged Type = "priority_changed"
	TagsChanged     Type = "tags_changed"
	// SurveyAnswered is a customer satisfaction answer for the ticket. The
	// survey flow records these; a ticketing system with its own survey may
	// send them in the generic format too.
	SurveyAnswered Type = "survey_answered"
)

// Types lists every event type, in the order used to break ties between
// events with the same timestamp.
var Types = []Type{Created, Assigned, PriorityChanged, TagsChanged, Replied, Note, StatusChanged, SurveyAnswered}

// Rank orders event types that share a timestamp: creation first, the status
// change last among ticket events (so a reply sent with "solve" counts before
// the resolution), survey answers after everything.
func (t Type) Rank() int {
	if i := slices.Index(Types, t); i >= 0 {
		return i
	}
	return len(Types)
}

// ActorKind says who acted.
type ActorKind string

// Actor kinds. Replies by System never count as responses.
const (
	Agent    ActorKind = "agent"
	Customer ActorKind = "customer"
	System   ActorKind = "system"
	// Person is someone the sending system did not say is an agent or a
	// customer (a Jira Data Center comment author, a Zendesk comment
	// without a role). The directory decides when the month is scored: an
	// engineer mapped to the id is an agent, anyone else is not.
	Person ActorKind = "person"
)

// Status is a ticket status.
type Status string

// Ticket statuses.
const (
	StatusNew      Status = "new"
	StatusOpen     Status = "open"
	StatusPending  Status = "pending"
	StatusOnHold   Status = "on_hold"
	StatusResolved Status = "resolved"
	StatusClosed   Status = "closed"
)

// Statuses lists the valid statuses.
var Statuses = []Status{StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusResolved, StatusClosed}

// Done reports whether the status ends the work: resolved or closed.
func (s Status) Done() bool { return s == StatusResolved || s == StatusClosed }

// Priority is a ticket priority; SLA targets are per priority.
type Priority string

// Priorities.
const (
	Urgent Priority = "urgent"
	High   Priority = "high"
	Normal Priority = "normal"
	Low    Priority = "low"
)

// Priorities lists the valid priorities.
var Priorities = []Priority{Urgent, High, Normal, Low}

// Actor is who caused an event, in the source system's own ids.
type Actor struct {
	ID   string    `json:"id"`
	Kind ActorKind `json:"kind"`
}

// CustomerInfo identifies the ticket's requester.
type CustomerInfo struct {
	ID    string `json:"id"`
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
}

// Event is one normalised ticket event. Which fields are set depends on Type.
type Event struct {
	Source     string    // the system's name in the source registry (shared/source): "zendesk", "jira", …
	ID         string    // the source's event id: the dedupe key within Source
	TicketID   string    // the source's ticket id
	Type       Type      //
	OccurredAt time.Time // when it happened in the source system
	Actor      Actor     //

	AssigneeID string        // Assigned; Created may carry the first assignee
	Public     bool          // Replied: a public reply (false: internal)
	Status     Status        // StatusChanged; Created may carry the initial status
	Priority   Priority      // PriorityChanged; Created may carry it
	Tags       []string      // TagsChanged (the full new set, normalised); Created may carry it
	HasTags    bool          // Tags was given (an empty set clears the tags)
	TicketType string        // TagsChanged or Created; "" leaves it unchanged
	Customer   *CustomerInfo // Created, or any event that names the requester

	// Imported: read from the system's API by a history import rather than
	// delivered by a webhook. A resolution imported is never surveyed.
	Imported bool

	Rating  int    // SurveyAnswered: 1–5
	Solved  *bool  // SurveyAnswered: "was your problem solved?", nil if unanswered
	Comment string // SurveyAnswered: the customer's comment
}

// NormalizeTags lower-cases, trims, drops empties and sorts tags uniquely, so
// that tag sets compare equal whatever order or case a source sends.
func NormalizeTags(tags []string) []string {
	if len(tags) == 0 {
		return nil
	}
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Ingested reports what storing a batch of events did.
type Ingested struct {
	Stored     int `json:"stored"`     // new events written
	Duplicates int `json:"duplicates"` // events already stored (redeliveries)
}

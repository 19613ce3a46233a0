package vendorfake

import (
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
)

// FreshdeskFromEvents turns normalised ticket events (the demo generator's,
// one ticket or many) into the tickets FreshdeskHistory serves, as
// Freshdesk would hold the same history:
//
//   - ids: a ticket id's digits make its number ("T-202608-00042" →
//     20260800042; FreshdeskTicketID), a customer's its requester id
//     (FreshdeskRequesterID), an agent goes through agents (generic agent
//     id → Freshdesk agent id) or, when agents has no numeric id for it
//     (the demo's new hire), gets one from its own id (FreshdeskAgentID);
//     conversation ids are the ticket's number × 10 000 plus their rank;
//   - the ticket holds the final priority (low, normal, high, urgent → 1–4;
//     none → 2), type (title-cased: "incident" → "Incident"), tags,
//     responder (the last assignee) and status: new and open → 2 Open,
//     pending → 3 Pending, resolved → 4 Resolved, closed → 5 Closed,
//     on_hold → 7 ("Waiting on Third Party", the custom status the
//     adapter's mapping reads back as on_hold);
//   - stats as Freshdesk keeps them, only the latest of each:
//     status_updated_at at creation and at every change of that numeric
//     status (new → open is none), resolved_at at the last move into 4 (or
//     into 5 from a status not done), closed_at at the last move into 5,
//     reopened_at at the last move from 4 or 5 to any other, pending_since
//     at the last move into 3, first_responded_at and agent_responded_at
//     at the first and last public reply by an agent, requester_responded_at
//     at the customer's last reply; updated_at is the ticket's last event;
//   - conversations: a public reply by an agent (incoming false, private
//     false, source 0), a reply by the customer (incoming true), a note or
//     an internal (non-public) reply by an agent (private true, source 2).
//
// Left out, as Freshdesk's API would not show them: replies and notes by
// system actors (Freshdesk's acknowledgement e-mails are notifications,
// not conversations) and survey answers (not in these APIs). Earlier
// statuses, priorities, types, tags and assignees are not kept: the
// ticket has only their final values. The output is sorted by ticket id
// and depends only on the events (in any order) and agents.
func FreshdeskFromEvents(evs []event.Event, agents map[string]string) []FreshdeskTicket {
	byTicket := map[string][]event.Event{}
	var ids []string
	for _, e := range evs {
		if _, ok := byTicket[e.TicketID]; !ok {
			ids = append(ids, e.TicketID)
		}
		byTicket[e.TicketID] = append(byTicket[e.TicketID], e)
	}
	out := make([]FreshdeskTicket, 0, len(ids))
	for _, id := range ids {
		out = append(out, freshdeskTicketFrom(id, ticket.Canonical(byTicket[id]), agents))
	}
	slices.SortFunc(out, func(a, b FreshdeskTicket) int { return fdCmp(a.ID, b.ID) })
	return out
}

// freshdeskStatus is the Freshdesk status id of a model status.
func freshdeskStatus(s event.Status) int {
	switch s {
	case event.StatusPending:
		return 3
	case event.StatusResolved:
		return 4
	case event.StatusClosed:
		return 5
	case event.StatusOnHold:
		return 7 // Waiting on Third Party
	}
	return 2 // new, open
}

func freshdeskPriority(p event.Priority) int {
	switch p {
	case event.Low:
		return 1
	case event.High:
		return 3
	case event.Urgent:
		return 4
	}
	return 2
}

// freshdeskType title-cases a model ticket type as Freshdesk names types.
func freshdeskType(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// digitsOr is the number the digits of id make when there are 1 to 11 of
// them and it is not 0, else a hash of id in [1e10, 1e11).
func digitsOr(id string) int64 {
	var b strings.Builder
	for _, r := range id {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if s := strings.TrimLeft(b.String(), "0"); s != "" && len(s) <= 11 {
		n, _ := strconv.ParseInt(s, 10, 64)
		return n
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return 10_000_000_000 + int64(h.Sum64()%90_000_000_000)
}

// FreshdeskTicketID is the ticket number FreshdeskFromEvents gives a model
// ticket id: its digits ("T-202608-00042" → 20260800042).
func FreshdeskTicketID(id string) int64 { return digitsOr(id) }

// FreshdeskRequesterID is the requester id FreshdeskFromEvents gives a
// model customer id ("c-00384" → 47000000384).
func FreshdeskRequesterID(id string) int64 {
	if id == "" {
		return 0
	}
	return 47_000_000_000 + digitsOr(id)%1_000_000_000
}

// FreshdeskAgentID is the Freshdesk agent id FreshdeskFromEvents gives a
// model agent id: agents' when it is a positive number, else one derived
// from the id ("ag-1024" → 44000001024), as the agent would have one in
// Freshdesk even where the directory does not know it yet.
func FreshdeskAgentID(agents map[string]string, id string) int64 {
	if id == "" {
		return 0
	}
	if n, err := strconv.ParseInt(agents[id], 10, 64); err == nil && n > 0 {
		return n
	}
	return 44_000_000_000 + digitsOr(id)%1_000_000_000
}

// freshdeskTicketFrom builds one ticket from its events in canonical order.
func freshdeskTicketFrom(id string, evs []event.Event, agents map[string]string) FreshdeskTicket {
	t := FreshdeskTicket{ID: FreshdeskTicketID(id), Subject: "Ticket " + id, Status: 2, Priority: 2, Source: 1}
	created := false
	touch := func(at time.Time) {
		if at.After(t.UpdatedAt) {
			t.UpdatedAt = at
		}
	}
	done := func(s int) bool { return s == 4 || s == 5 }
	setStatus := func(s int, at time.Time) {
		if s == t.Status {
			return
		}
		if done(t.Status) && !done(s) {
			t.Stats.ReopenedAt = at
		}
		switch s {
		case 3:
			t.Stats.PendingSince = at
		case 4:
			t.Stats.ResolvedAt = at
		case 5:
			if t.Status != 4 {
				t.Stats.ResolvedAt = at
			}
			t.Stats.ClosedAt = at
		}
		t.Status, t.Stats.StatusUpdatedAt = s, at
	}
	fields := func(e *event.Event) {
		if e.Priority != "" {
			t.Priority = freshdeskPriority(e.Priority)
		}
		if e.HasTags {
			t.Tags = slices.Clone(e.Tags)
		}
		if e.TicketType != "" {
			t.Type = freshdeskType(e.TicketType)
		}
	}
	user := func(a event.Actor) int64 {
		if a.Kind == event.Customer {
			return FreshdeskRequesterID(a.ID)
		}
		return FreshdeskAgentID(agents, a.ID)
	}
	conv := func(e *event.Event, incoming, private bool) {
		c := FreshdeskConversation{ID: t.ID*10_000 + int64(len(t.Conversations)+1), UserID: user(e.Actor),
			Incoming: incoming, Private: private, Body: e.Comment, CreatedAt: e.OccurredAt.UTC()}
		if private {
			c.Source = 2
		}
		t.Conversations = append(t.Conversations, c)
	}
	for i := range evs {
		e := &evs[i]
		at := e.OccurredAt.UTC()
		if e.Customer != nil && t.RequesterID == 0 {
			t.RequesterID = FreshdeskRequesterID(e.Customer.ID)
			t.RequesterName, t.RequesterEmail = e.Customer.Name, e.Customer.Email
		}
		switch e.Type {
		case event.Created:
			if created {
				break
			}
			created = true
			t.CreatedAt, t.Stats.StatusUpdatedAt = at, at
			t.Status = freshdeskStatus(e.Status)
			switch t.Status {
			case 4:
				t.Stats.ResolvedAt = at
			case 5:
				t.Stats.ResolvedAt, t.Stats.ClosedAt = at, at
			case 3:
				t.Stats.PendingSince = at
			}
			if e.Comment != "" {
				t.Subject = e.Comment
			}
			if e.AssigneeID != "" {
				t.ResponderID = FreshdeskAgentID(agents, e.AssigneeID)
			}
			fields(e)
		case event.Assigned:
			t.ResponderID = FreshdeskAgentID(agents, e.AssigneeID)
		case event.StatusChanged:
			setStatus(freshdeskStatus(e.Status), at)
		case event.PriorityChanged, event.TagsChanged:
			fields(e)
		case event.Replied, event.Note:
			switch {
			case e.Actor.Kind == event.System || e.Actor.ID == "":
				continue // not a conversation in Freshdesk
			case e.Actor.Kind == event.Customer:
				conv(e, true, false)
				t.Stats.RequesterRespondedAt = at
			case e.Type == event.Note || !e.Public:
				conv(e, false, true)
			default:
				conv(e, false, false)
				if t.Stats.FirstRespondedAt.IsZero() {
					t.Stats.FirstRespondedAt = at
				}
				t.Stats.AgentRespondedAt = at
			}
		default:
			continue // survey answers are not in Freshdesk's ticket API
		}
		touch(at)
	}
	if !created && len(evs) > 0 {
		// The creation was not seen: the first event stands for it.
		t.CreatedAt = evs[0].OccurredAt.UTC()
		if t.Stats.StatusUpdatedAt.IsZero() || t.Stats.StatusUpdatedAt.Before(t.CreatedAt) {
			t.Stats.StatusUpdatedAt = t.CreatedAt
		}
	}
	touch(t.CreatedAt)
	return t
}

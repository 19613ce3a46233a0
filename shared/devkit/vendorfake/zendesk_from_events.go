package vendorfake

import (
	"cmp"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"time"

	"scorecard/shared/core/event"
)

// ZendeskFromEvents turns normalised events (the demo generator's, of one
// ticket or many) into the fake's tickets: the history Zendesk would have
// recorded for the same tickets, one audit per event that changed
// something, in event order.
//
// Ids (deterministic; the same events and map always give the same tickets):
//
//   - ticket: the digits of the model id read as one number
//     ("T-202607-00042" → 20260700042); an id without digits, or with more
//     than 18, a hash of it (ZendeskTicketID). Two model ids with the same
//     digits would share a number: the demo's never do.
//   - requester and customer actors: a 13-digit hash of the customer id
//     (ZendeskCustomerID); Zendesk keeps no e-mail or name in the export.
//   - agent actors and assignees: agents[generic id] (a numeric string); an
//     agent missing from the map or mapped to "" or to a non-number (the
//     demo's new hire) the digits of its id ("ag-1015" → 1015), else a hash
//     (ZendeskUserID). A person actor is treated as an agent.
//   - system actors (and events without an actor): updater -1, Zendesk's
//     own user.
//   - audit: ticket number × 100000 + 100 × its position (1-based) in the
//     ticket; child events: the audit id + their position (1-based).
//
// Values: statuses new/open/pending/on_hold/resolved/closed become
// new/open/pending/hold/solved/closed; a ticket type Zendesk does not have
// (anything but question, incident, problem, task, such as the demo's
// "complaint") is recorded as no type (null); survey ratings 4–5 become
// "good" and 1–3 "bad" (Zendesk's satisfaction is binary; "was it solved?"
// has no place), the survey comment a satisfaction_comment.
//
// Events map to audits as Zendesk records updates:
//
//	created          Create children requester_id, subject (the event's
//	                 comment), status, priority, type, tags, assignee_id,
//	                 with the description as a public Comment of the
//	                 requester when the customer opened the ticket
//	replied, note    a Comment child (note and an internal reply: private)
//	assigned, status_changed, priority_changed, tags_changed (tags and type)
//	                 Change children with previous_value, only for values
//	                 that actually change (Zendesk records no no-op)
//	survey_answered  Change satisfaction_score (previous "offered"), and
//	                 satisfaction_comment when there is a comment, by the
//	                 requester
//
// An event that changes nothing Zendesk records gives no audit. Tickets are
// in order of ticket id (number, then model id); audits in event order.
func ZendeskFromEvents(evs []event.Event, agents map[string]string) []ZendeskTicket {
	byTicket := map[string][]event.Event{}
	var order []string
	for _, e := range evs {
		if _, ok := byTicket[e.TicketID]; !ok {
			order = append(order, e.TicketID)
		}
		byTicket[e.TicketID] = append(byTicket[e.TicketID], e)
	}
	slices.SortFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(ZendeskTicketID(a), ZendeskTicketID(b)), cmp.Compare(a, b))
	})
	out := make([]ZendeskTicket, 0, len(order))
	for _, id := range order {
		out = append(out, zdTicketFromEvents(id, byTicket[id], agents))
	}
	return out
}

// zdTicketFromEvents converts one ticket's events, in their order.
func zdTicketFromEvents(id string, evs []event.Event, agents map[string]string) ZendeskTicket {
	num := ZendeskTicketID(id)
	t := ZendeskTicket{ID: num}
	// The requester: the created event's customer, else the first named.
	for _, e := range evs {
		if e.Customer != nil && (t.RequesterID == 0 || e.Type == event.Created) {
			t.RequesterID = zdCustomer(*e.Customer)
			if e.Type == event.Created {
				break
			}
		}
	}
	base := num
	if base <= 0 || base > (math.MaxInt64-100_000)/100_000 {
		base = zdHash(id) % 90_000_000_000_000
	}
	base *= 100_000

	// Zendesk's current values, for previous_value and to skip no-ops.
	var status, priority, ttype, assignee any
	var tags []string
	hasTags := false
	k := 0
	for _, e := range evs {
		updater := ZendeskUserID(e.Actor, agents)
		if e.Actor.Kind == event.Customer && e.Actor.ID == "" && e.Customer != nil {
			updater = zdCustomer(*e.Customer)
		}
		var ch []ZendeskChange
		via := "Web form"
		switch e.Actor.Kind {
		case event.Customer:
			via = "Mail"
		case event.System, "":
			via = "Rule"
		}
		switch e.Type {
		case event.Created:
			if e.Actor.Kind == event.Customer && t.RequesterID != 0 {
				body := e.Comment
				if body == "" {
					body = "(no description)"
				}
				ch = append(ch, ZendeskChange{Kind: "Comment", AuthorID: t.RequesterID, Public: true, Body: body})
				updater = t.RequesterID
			}
			if e.Comment != "" {
				ch = append(ch, ZendeskChange{Kind: "Create", Field: "subject", Value: e.Comment})
			}
			if t.RequesterID != 0 {
				ch = append(ch, ZendeskChange{Kind: "Create", Field: "requester_id", Value: t.RequesterID})
			}
			status = zdStatus(e.Status)
			if status == nil {
				status = "new"
			}
			ch = append(ch, ZendeskChange{Kind: "Create", Field: "status", Value: status})
			if e.Priority != "" {
				priority = string(e.Priority)
			}
			ch = append(ch, ZendeskChange{Kind: "Create", Field: "priority", Value: priority})
			ttype = zdType(e.TicketType)
			ch = append(ch, ZendeskChange{Kind: "Create", Field: "type", Value: ttype})
			if e.HasTags {
				tags, hasTags = zdTags(e.Tags), true
			}
			ch = append(ch, ZendeskChange{Kind: "Create", Field: "tags", Value: slices.Clone(zdTags(tags))})
			if e.AssigneeID != "" {
				assignee = ZendeskUserID(event.Actor{ID: e.AssigneeID, Kind: event.Agent}, agents)
			}
			ch = append(ch, ZendeskChange{Kind: "Create", Field: "assignee_id", Value: assignee})
		case event.Replied, event.Note:
			body := e.Comment
			if body == "" {
				body = "(no text)"
			}
			ch = append(ch, ZendeskChange{Kind: "Comment", AuthorID: updater, Public: e.Type == event.Replied && e.Public, Body: body})
		case event.Assigned:
			var to any
			if e.AssigneeID != "" {
				to = ZendeskUserID(event.Actor{ID: e.AssigneeID, Kind: event.Agent}, agents)
			}
			if to != assignee {
				ch = append(ch, ZendeskChange{Kind: "Change", Field: "assignee_id", Value: to, Previous: assignee})
				assignee = to
			}
		case event.StatusChanged:
			if to := zdStatus(e.Status); to != nil && to != status {
				ch = append(ch, ZendeskChange{Kind: "Change", Field: "status", Value: to, Previous: status})
				status = to
			}
		case event.PriorityChanged:
			if e.Priority != "" && string(e.Priority) != priority {
				ch = append(ch, ZendeskChange{Kind: "Change", Field: "priority", Value: string(e.Priority), Previous: priority})
				priority = string(e.Priority)
			}
		case event.TagsChanged:
			if e.HasTags {
				to := zdTags(e.Tags)
				if !hasTags || !slices.Equal(to, tags) {
					ch = append(ch, ZendeskChange{Kind: "Change", Field: "tags", Value: to, Previous: slices.Clone(zdTags(tags))})
					tags, hasTags = to, true
				}
			}
			if e.TicketType != "" {
				if to := zdType(e.TicketType); to != ttype {
					ch = append(ch, ZendeskChange{Kind: "Change", Field: "type", Value: to, Previous: ttype})
					ttype = to
				}
			}
		case event.SurveyAnswered:
			score := "bad"
			if e.Rating >= 4 {
				score = "good"
			}
			if updater == -1 && t.RequesterID != 0 {
				updater = t.RequesterID
			}
			ch = append(ch, ZendeskChange{Kind: "Change", Field: "satisfaction_score", Value: score, Previous: "offered"})
			if e.Comment != "" {
				ch = append(ch, ZendeskChange{Kind: "Change", Field: "satisfaction_comment", Value: e.Comment})
			}
			via = "Web form"
		}
		if len(ch) == 0 {
			continue // nothing Zendesk would record
		}
		k++
		aid := base + int64(k)*100
		for j := range ch {
			ch[j].ID = aid + int64(j) + 1
		}
		t.Audits = append(t.Audits, ZendeskAudit{
			ID: aid, At: e.OccurredAt.UTC().Truncate(time.Second), UpdaterID: updater, Via: via, Changes: ch,
		})
	}
	return t
}

// ZendeskTicketID is the Zendesk ticket number ZendeskFromEvents gives a
// model ticket id: its digits as one number ("T-202607-00042" →
// 20260700042), or a hash of the id when it has none (or more than 18).
func ZendeskTicketID(id string) int64 {
	if n, ok := zdDigits(id); ok {
		return n
	}
	return 1_000_000_000_000 + zdHash("ticket:"+id)%9_000_000_000_000
}

// ZendeskCustomerID is the Zendesk user id ZendeskFromEvents gives a model
// customer id: a 13-digit hash.
func ZendeskCustomerID(id string) int64 {
	return 1_000_000_000_000 + zdHash("customer:"+id)%9_000_000_000_000
}

// ZendeskUserID is the Zendesk user id ZendeskFromEvents gives an actor:
// -1 for a system actor or none; a customer's ZendeskCustomerID; an agent
// (or person) through agents, else the digits of its id, else a hash.
func ZendeskUserID(a event.Actor, agents map[string]string) int64 {
	switch {
	case a.Kind == event.System || a.ID == "":
		return -1
	case a.Kind == event.Customer:
		return ZendeskCustomerID(a.ID)
	}
	if s, ok := agents[a.ID]; ok {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			return n
		}
	}
	if n, ok := zdDigits(a.ID); ok {
		return n
	}
	return 1_000_000_000_000 + zdHash("agent:"+a.ID)%9_000_000_000_000
}

// zdCustomer is a requester's user id (by id, else by e-mail).
func zdCustomer(c event.CustomerInfo) int64 {
	if c.ID != "" {
		return ZendeskCustomerID(c.ID)
	}
	return ZendeskCustomerID(c.Email)
}

// zdDigits reads the decimal digits of s as one positive number.
func zdDigits(s string) (int64, bool) {
	var d []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	if len(d) == 0 || len(d) > 18 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(d), 10, 64)
	return n, err == nil && n > 0
}

func zdHash(s string) int64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return int64(h.Sum64() >> 1)
}

// zdStatus is Zendesk's name of a status (nil for none or an unknown one).
func zdStatus(s event.Status) any {
	switch s {
	case event.StatusNew, event.StatusOpen, event.StatusPending, event.StatusClosed:
		return string(s)
	case event.StatusOnHold:
		return "hold"
	case event.StatusResolved:
		return "solved"
	}
	return nil
}

// zdType is Zendesk's ticket type (nil: none, or one Zendesk does not have).
func zdType(t string) any {
	switch t {
	case "question", "incident", "problem", "task":
		return t
	}
	return nil
}

// zdTags is a tag set as Zendesk keeps it: normalised, never nil.
func zdTags(tags []string) []string {
	out := event.NormalizeTags(tags)
	if out == nil {
		out = []string{}
	}
	return out
}

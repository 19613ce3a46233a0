package zendesk_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/devkit/vendorfake"
)

// TestHistoryRoundTripDemo is a property of the history import: for every
// ticket of a generated demo month, the history Zendesk would have recorded
// (vendorfake.ZendeskFromEvents), exported by the fake and imported page by
// page (small pages, rate limited, so page boundaries and 429s are
// crossed), reduces to the same state as the generated events, on what the
// export can carry.
//
// The expected side is the generated events with Zendesk's ids
// (vendorfake.ZendeskTicketID, ZendeskUserID, ZendeskCustomerID) and what
// Zendesk cannot record taken out (rtAsZendesk). What the round trip loses,
// and why:
//
//   - the customer's e-mail and name: the export names the requester by
//     user id only (the product looks the person up through the Users API);
//   - the survey rating's scale: Zendesk's satisfaction is binary, so 4–5
//     come back as good (5) and 1–3 as bad (1); the "was it solved?" answer
//     has no place in Zendesk (the survey comment survives);
//   - internal replies: Zendesk has one kind of private comment, which the
//     import reads as a note, so an agent's internal reply (replied, public
//     false) comes back as a note;
//   - ticket types Zendesk does not have: the demo's "complaint" type is no
//     Zendesk type (question, incident, problem, task), so such a ticket
//     comes back without a type (a complaint tag survives);
//   - who the commenters are: the export names no roles, so agents' public
//     replies come back as replies by people (event.Person) and the first
//     response is decided by the directory (State.FirstResponseBy, here with
//     every generated agent's Zendesk id); the customer's comments on a page
//     that does not name the requester also come back as a person's, which
//     the reducer tells from an agent's by the ticket's customer id;
//   - the system actors (auto-reply, routing, automation) all become
//     Zendesk's user -1, and no one but comment authors and raters is
//     carried as an actor: none of that is in the compared state;
//   - sub-second times (the export has whole seconds; the demo has none);
//   - Resolution.Imported is true on the import side by design;
//   - changes that change nothing (Zendesk records no no-op) and the
//     comment bodies: the reducer ignores both.
func TestHistoryRoundTripDemo(t *testing.T) {
	cfg := demo.DefaultConfig()
	// 20 engineers: demo.MinEngineers (12 fails demo.Config.Validate).
	cfg.Months, cfg.TicketsPerMonth, cfg.Engineers = 1, 150, demo.MinEngineers
	org, raw := demo.Generate(cfg)
	evs, err := demo.ModelEvents(raw)
	if err != nil {
		t.Fatal(err)
	}
	agents := org.AgentIDs()["zendesk"]
	tickets := vendorfake.ZendeskFromEvents(evs, agents)
	if again := vendorfake.ZendeskFromEvents(evs, agents); !cmp.Equal(tickets, again) {
		t.Fatal("ZendeskFromEvents is not deterministic")
	}

	original := map[string][]event.Event{}
	since, last := evs[0].OccurredAt, evs[0].OccurredAt
	for _, e := range evs {
		original[e.TicketID] = append(original[e.TicketID], e)
		since, last = minTime(since, e.OccurredAt), maxTime(last, e.OccurredAt)
	}
	if len(tickets) != len(original) || len(original) != cfg.TicketsPerMonth {
		t.Fatalf("%d Zendesk tickets from %d generated (want %d)", len(tickets), len(original), cfg.TicketsPerMonth)
	}

	clk := &clock{t: last.Add(time.Hour)}
	fake := &vendorfake.ZendeskHistory{Tickets: tickets, PerPage: 50, Limit: 10, Window: time.Minute}
	pages, retries := importAll(t, newExport(t, fake, clk, since.Truncate(time.Second)), clk)
	imported := byTicket(pages)
	for _, tevs := range imported {
		for _, e := range tevs {
			checkValid(t, e)
		}
	}
	if len(imported) != len(original) {
		t.Errorf("%d tickets imported, %d generated", len(imported), len(original))
	}

	// Every generated agent's Zendesk id: the directory of the month.
	zdAgents := map[string]bool{}
	for _, e := range evs {
		if e.Actor.Kind == event.Agent {
			zdAgents[rtUser(e.Actor, agents)] = true
		}
		if e.AssigneeID != "" {
			zdAgents[rtUser(event.Actor{ID: e.AssigneeID, Kind: event.Agent}, agents)] = true
		}
	}
	isAgent := func(id string) bool { return zdAgents[id] }

	var ids []string
	for id := range original {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	counts := map[string]int{}
	for _, id := range ids {
		zid := strconv.FormatInt(vendorfake.ZendeskTicketID(id), 10)
		want := ticket.Reduce(rtAsZendesk(original[id], agents))
		got := ticket.Reduce(imported[zid])
		if diff := cmp.Diff(rtViewOf(want, isAgent), rtViewOf(got, isAgent)); diff != "" {
			t.Errorf("ticket %s (Zendesk %s) (-generated +imported):\n%s", id, zid, diff)
		}
		counts["reopened"] += min(len(want.Reopens), 1)
		counts["surveyed"] += min(len(want.Answers), 1)
		counts["resolved"] += min(len(want.Resolutions), 1)
		counts["noted"] += min(len(want.Notes), 1)
		counts["reassigned"] += min(max(len(want.Assignments)-1, 0), 1)
		if want.FirstResponse != nil {
			counts["first response"]++
		}
		if got.Customer != nil && slices.ContainsFunc(imported[zid], func(e event.Event) bool {
			return e.Type == event.Replied && e.Actor.Kind == event.Person && e.Actor.ID == got.Customer.ID
		}) {
			counts["customer comment read as a person's"]++
		}
		if slices.ContainsFunc(original[id], func(e event.Event) bool { return e.Type == event.Replied && !e.Public }) {
			counts["internal reply"]++
		}
		if want.TicketType == "" {
			counts["no type (complaint)"]++
		}
	}
	t.Logf("%d tickets round-tripped (%v) in %d pages, %d retries after 429", len(ids), counts, len(pages), retries)
}

// rtAsZendesk is a ticket's generated events as Zendesk would record them,
// in the model: Zendesk's ids, whole seconds, the customer by id only,
// internal replies as notes, ratings good (5) or bad (1) without
// "solved?", and no ticket type Zendesk does not have.
func rtAsZendesk(evs []event.Event, agents map[string]string) []event.Event {
	out := make([]event.Event, 0, len(evs))
	for _, e := range evs {
		e.TicketID = strconv.FormatInt(vendorfake.ZendeskTicketID(e.TicketID), 10)
		e.OccurredAt = e.OccurredAt.Truncate(time.Second)
		if e.Actor.Kind != "" || e.Actor.ID != "" {
			e.Actor.ID = rtUser(e.Actor, agents)
		}
		if e.AssigneeID != "" {
			e.AssigneeID = rtUser(event.Actor{ID: e.AssigneeID, Kind: event.Agent}, agents)
		}
		if e.Customer != nil {
			e.Customer = &event.CustomerInfo{ID: strconv.FormatInt(vendorfake.ZendeskCustomerID(e.Customer.ID), 10)}
		}
		if e.Type == event.Replied && !e.Public && e.Actor.Kind == event.Agent {
			e.Type = event.Note
		}
		if e.Type == event.SurveyAnswered {
			good := e.Rating >= 4
			e.Rating, e.Solved = 1, nil
			if good {
				e.Rating = 5
			}
		}
		switch e.TicketType {
		case "question", "incident", "problem", "task":
		default:
			e.TicketType = ""
		}
		out = append(out, e)
	}
	return out
}

func rtUser(a event.Actor, agents map[string]string) string {
	return strconv.FormatInt(vendorfake.ZendeskUserID(a, agents), 10)
}

// rtView is what of a ticket's state Zendesk's export carries.
type rtView struct {
	CreatedAt     time.Time
	Customer      string
	Status        event.Status
	Statuses      []ticket.StatusChange
	AssigneeID    string
	Assignments   []ticket.Assignment
	FirstResponse *ticket.Response
	Resolutions   []ticket.Resolution
	Reopens       []time.Time
	Notes         []ticket.Note
	Tags          []string
	Priority      event.Priority
	TicketType    string
	Answers       []rtAnswer
}

type rtAnswer struct {
	At         time.Time
	Good       bool
	Comment    string
	AgentID    string
	Resolution int
}

func rtViewOf(s ticket.State, isAgent func(string) bool) rtView {
	v := rtView{
		CreatedAt: s.CreatedAt.Truncate(time.Second), Status: s.Status, AssigneeID: s.AssigneeID,
		Tags: s.Tags, Priority: s.Priority, TicketType: s.TicketType,
	}
	if s.Customer != nil {
		v.Customer = s.Customer.ID
	}
	for _, c := range s.Statuses {
		c.At = c.At.Truncate(time.Second)
		v.Statuses = append(v.Statuses, c)
	}
	for _, a := range s.Assignments {
		a.At = a.At.Truncate(time.Second)
		v.Assignments = append(v.Assignments, a)
	}
	if r := s.FirstResponseBy(isAgent); r != nil {
		v.FirstResponse = &ticket.Response{At: r.At.Truncate(time.Second), AgentID: r.AgentID}
	}
	for _, r := range s.Resolutions {
		v.Resolutions = append(v.Resolutions, ticket.Resolution{At: r.At.Truncate(time.Second), AgentID: r.AgentID})
	}
	for _, r := range s.Reopens {
		v.Reopens = append(v.Reopens, r.Truncate(time.Second))
	}
	for _, n := range s.Notes {
		n.At = n.At.Truncate(time.Second)
		v.Notes = append(v.Notes, n)
	}
	for _, a := range s.Answers {
		v.Answers = append(v.Answers, rtAnswer{At: a.At.Truncate(time.Second), Good: a.Rating >= 4, Comment: a.Comment, AgentID: a.AgentID, Resolution: a.Resolution})
	}
	return v
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

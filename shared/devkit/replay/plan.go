package replay

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/source"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/generic"
)

// Options configure Replay.
type Options struct {
	// Shares splits tickets over the sources (SourceFor); nil means
	// DefaultShares.
	Shares  map[string]float64
	Secrets Secrets
	// Agents translates agent ids: source → agent id in the events → the
	// agent's id in that system (e.g. a demo engineer's ZendeskID), so that
	// the engineer directory's (source, external id) mapping applies. Ids
	// not listed, and every id sent in the generic format, stay as they are.
	Agents map[string]map[string]string
	// Now is the Zendesk signing time; sign again (Request.Sign) whatever is
	// sent more than a few minutes later.
	Now time.Time
}

// Plan is a replay of many tickets' events.
type Plan struct {
	Requests []Request // every delivery, ordered by the time of its event, then ticket
	// Tickets is the source each ticket went to (its survey answers go
	// to the generic source whatever it is).
	Tickets map[string]string
	// Fallbacks counts, by Reason…, the events that went to the generic
	// source instead of their ticket's share: a ticket that a source cannot
	// carry exactly goes there whole, with all its events.
	Fallbacks map[string]int
}

// Replay encodes the events of many tickets (the generic events of a
// generated month, say) for a mix of sources: each ticket goes to
// SourceFor(ticket, shares) with all its events, so that the store keys
// it as one ticket of that source — unless that source cannot carry one of
// its events exactly, then the whole ticket goes to the generic source.
// Survey answers always go in the generic format. Events are de-duplicated
// by ticket and event id first. Knowing a ticket's history, Replay also
// renders what a source repeats on every event (the ticket's status,
// priority, tags, assignee and requester) and reports a tag change and a
// type change only when they happen, as the systems do.
func Replay(evs []event.Event, o Options) (Plan, error) {
	shares := o.Shares
	if len(shares) == 0 {
		shares = DefaultShares()
	}
	for name := range shares {
		if !knownSource(name) {
			return Plan{}, fmt.Errorf("replay: share for unknown source %q", name)
		}
	}
	byTicket := map[string][]event.Event{}
	for _, e := range evs {
		if e.TicketID == "" || e.ID == "" {
			return Plan{}, fmt.Errorf("replay: event %q of ticket %q: needs an event id and a ticket id", e.ID, e.TicketID)
		}
		byTicket[e.TicketID] = append(byTicket[e.TicketID], e)
	}
	ids := make([]string, 0, len(byTicket))
	for id := range byTicket {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	type timed struct {
		at     time.Time
		ticket string
		seq    int
		r      Request
	}
	var all []timed
	p := Plan{Tickets: make(map[string]string, len(ids)), Fallbacks: map[string]int{}}
	for _, id := range ids {
		tevs := ticket.Canonical(byTicket[id])
		source := SourceFor(id, shares)
		reqs, at, reason, err := encodeTicket(source, tevs, o)
		if err != nil {
			return Plan{}, err
		}
		if reason != "" {
			p.Fallbacks[reason] += len(tevs)
			source = generic.Source
			if reqs, at, _, err = encodeTicket(source, tevs, o); err != nil {
				return Plan{}, err
			}
			for i := range reqs {
				reqs[i].Fallback = reason
			}
		}
		p.Tickets[id] = source
		for i, r := range reqs {
			if r.Fallback == ReasonSurvey {
				p.Fallbacks[ReasonSurvey]++
			}
			all = append(all, timed{at[i], id, i, r})
		}
	}
	slices.SortStableFunc(all, func(a, b timed) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.ticket, b.ticket), cmp.Compare(a.seq, b.seq))
	})
	p.Requests = make([]Request, len(all))
	for i := range all {
		p.Requests[i] = all[i].r
		p.Requests[i].At = all[i].at
	}
	return p, nil
}

// encodeTicket encodes one ticket's events (in canonical order) for source,
// with the time of each request's event; reason is why source cannot carry
// the ticket exactly ("" if it can).
func encodeTicket(source string, evs []event.Event, o Options) (reqs []Request, at []time.Time, reason string, err error) {
	if source == generic.Source {
		for _, e := range evs {
			r, err := genericRequest(e, o.Secrets)
			if err != nil {
				return nil, nil, "", err
			}
			reqs, at = append(reqs, r), append(at, e.OccurredAt)
		}
		return reqs, at, "", nil
	}
	vendor, err := VendorTicketID(source, evs[0].TicketID)
	if err != nil {
		return nil, nil, ReasonTicketID, nil
	}
	agents := o.Agents[source]
	translate := func(id string) string {
		if v := agents[id]; v != "" {
			return v
		}
		return id
	}
	var s snapshot
	owner := make([]int, 0, len(evs)) // the event each request carries
	for i, e := range evs {
		before := s
		s.apply(&e)
		if e.Type == event.SurveyAnswered {
			r, err := genericRequest(creditedAnswer(evs[:i], e), o.Secrets)
			if err != nil {
				return nil, nil, "", err
			}
			r.Fallback = ReasonSurvey
			reqs, at, owner = append(reqs, r), append(at, e.OccurredAt), append(owner, i)
			continue
		}
		c := encoding{e: e, before: before, after: s, history: true, ticket: vendor, agent: translate}
		if reason := expressible(source, &c); reason != "" {
			return nil, nil, reason, nil
		}
		if source == freshdesk.Source && authoredByOther(&e, &before) {
			return nil, nil, ReasonAuthor, nil
		}
		rs, err := vendorRequests(source, &c, o.Secrets, o.Now)
		if err != nil {
			return nil, nil, "", err
		}
		for _, r := range rs {
			reqs, at, owner = append(reqs, r), append(at, e.OccurredAt), append(owner, i)
		}
	}
	same, err := sameTimeOrdered(source, evs, reqs, owner)
	if err != nil || !same {
		return nil, nil, ReasonSameTime, err
	}
	return reqs, at, "", nil
}

// creditedAnswer fills in the engineer a survey answer credits — the
// assignee at the last resolution before it, as ticket.Reduce would — when
// the answer does not name one, so that it credits the right engineer on
// the generic ticket it lands on. The product's own survey flow records
// answers the same way.
func creditedAnswer(before []event.Event, e event.Event) event.Event {
	if e.AssigneeID != "" {
		return e
	}
	s := ticket.Reduce(before)
	e.AssigneeID = s.AssigneeID
	if n := len(s.Resolutions); n > 0 {
		e.AssigneeID = s.Resolutions[n-1].AgentID
	}
	return e
}

// authoredByOther reports a reply or note that counts for its author
// (a public reply or a note by an agent) written by someone other than
// the assignee: the Freshdesk template can only name the assignee.
func authoredByOther(e *event.Event, before *snapshot) bool {
	counts := (e.Type == event.Replied && e.Public) || e.Type == event.Note
	return counts && e.Actor.Kind == event.Agent && e.Actor.ID != before.assignee
}

// parse reads a request back with its source's adapter (default
// settings), to learn the ids the source gives events.
func parse(name string, d event.Delivery) ([]event.Event, error) {
	src, ok := source.Get(name)
	if !ok {
		return nil, fmt.Errorf("replay: unknown source %q", name)
	}
	return src.Parser(policy.Source{})(d)
}

// sameTimeOrdered checks the events that share a timestamp: the model
// folds them by type and then event id, and the source's ids must keep the
// generic ids' order and stay distinct (Freshdesk's dedupe key has only
// the second). Only those events are parsed back, so it costs little.
func sameTimeOrdered(source string, evs []event.Event, reqs []Request, owner []int) (bool, error) {
	for start := 0; start < len(reqs); {
		end := start + 1
		for end < len(reqs) && evs[owner[end]].OccurredAt.Equal(evs[owner[start]].OccurredAt) {
			end++
		}
		if owner[end-1] != owner[start] {
			ok, err := groupOrdered(source, reqs[start:end], owner[start:end])
			if err != nil || !ok {
				return false, err
			}
		}
		start = end
	}
	return true, nil
}

func groupOrdered(source string, reqs []Request, owner []int) (bool, error) {
	type parsed struct {
		e     event.Event
		owner int
	}
	var got []parsed
	seen := map[string]bool{}
	for i, r := range reqs {
		if r.Source != source {
			continue // a survey answer, on its own generic ticket
		}
		es, err := parse(source, event.Delivery{Header: r.Header, Body: r.Body})
		if err != nil {
			return false, fmt.Errorf("replay: %s cannot read its own event for ticket %s: %w", source, r.TicketID, err)
		}
		for _, e := range es {
			if seen[e.ID] {
				return false, nil
			}
			seen[e.ID] = true
			got = append(got, parsed{e, owner[i]})
		}
	}
	slices.SortFunc(got, func(a, b parsed) int { return ticket.Compare(a.e, b.e) })
	return slices.IsSortedFunc(got, func(a, b parsed) int { return cmp.Compare(a.owner, b.owner) }), nil
}

package freshdesk

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/source/vendorapi"
)

// The history import (vendorapi.Exporter) reads Freshdesk's documented API
// v2 (https://developers.freshdesk.com/api/):
//
//	GET /api/v2/tickets?updated_since=…&order_by=updated_at&order_type=asc
//	    &per_page=100&page=N&include=stats,requester     List All Tickets
//	GET /api/v2/tickets/{id}/conversations?per_page=100&page=N
//	                                                      List All Conversations
//
// Freshdesk documents no per-ticket change log: /api/_/tickets/{id}/activities
// is the agent UI's private API, and the Ticket Activities export
// (/api/v2/export/ticket_activities) is an account-wide daily file on a
// signed S3 URL that an admin must first schedule (and whose download is
// not a request to the helpdesk). So the history is derived from what the
// list gives with include=stats:
//
//   - created, at created_at, with the current priority, type, tags and
//     assignee (responder_id) — their earlier values are not in the API; the
//     initial status is the current one when the status never changed
//     (stats.status_updated_at empty or at creation), else Open, Freshdesk's
//     status of a new ticket;
//   - resolved at stats.resolved_at, closed at stats.closed_at, reopened (to
//     open) at stats.reopened_at, and the current status at
//     stats.status_updated_at (which wins a second it shares with another
//     of them) — Freshdesk keeps only the latest of each, so
//     a ticket resolved, reopened and resolved again shows one resolution
//     and no reopen (a reopen counts only when it came after the last
//     resolution); intermediate statuses (pending, custom ones) other than
//     the current one are lost, and so are earlier priorities, types, tags
//     and assignees;
//   - every conversation: a reply by an agent (incoming false, private
//     false; a public note is one too) is a public reply by user_id; an
//     incoming one is the customer's reply; a private one is a note.
//
// Paging: Freshdesk serves at most MaxListPage pages of a list. The export
// never relies on deep pages: after each page it moves updated_since up to
// the last ticket's updated_at (less a second, so a ticket updated in the
// same second is not lost whether the filter is inclusive or not) and
// starts again at page 1, skipping the tickets it has already read at that
// time (their ids and updated_at travel in the cursor). Only when more
// tickets share that second than a page holds does it read page 2, 3 …,
// and at the cap it moves updated_since to that second itself. A ticket
// updated while the export runs moves to the end of the order and is read
// again later, with its new state; none is skipped by the shift.

// MaxListPage is the highest page Freshdesk serves of the ticket list
// (300 pages of 100: 30 000 tickets per updated_since).
const MaxListPage = 300

// Exporter reads a Freshdesk helpdesk's history page by page.
type Exporter struct {
	api   *vendorapi.Client
	set   policy.Source
	since time.Time
	// PerPage is the tickets asked per page (Freshdesk's maximum, 100, by
	// default); PageCap the last page the list serves (MaxListPage).
	PerPage, PageCap int

	// cache keeps the conversations read for the cursor last asked, so
	// that a page retried after a 429 does not spend the budget again.
	cacheCursor string
	cache       map[string][]apiConversation
}

// NewExporter returns an exporter of the tickets updated since since, read
// through api (the helpdesk's URL; user = API key, token "X") and mapped
// under the source's settings (custom statuses).
func NewExporter(api *vendorapi.Client, set policy.Source, since time.Time) *Exporter {
	return &Exporter{api: api, set: set, since: since.UTC().Truncate(time.Second), PerPage: 100, PageCap: MaxListPage}
}

var _ vendorapi.Exporter = (*Exporter)(nil)

// cursor is where the export stands: the list's updated_since and page,
// and the tickets already read at or after updated_since.
type cursor struct {
	Since time.Time  `json:"s"`
	Page  int        `json:"p"`
	Seen  [][2]int64 `json:"k,omitempty"` // ticket id, updated_at (unix seconds)
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Page < 1 || c.Since.IsZero() {
		return cursor{}, fmt.Errorf("freshdesk history: not a cursor of this export")
	}
	return c, nil
}

func (c cursor) seen(id int64, updated time.Time) bool {
	return slices.Contains(c.Seen, [2]int64{id, updated.Unix()})
}

// Next reads the page at cur ("" for the first).
func (x *Exporter) Next(ctx context.Context, cur string) (vendorapi.Page, error) {
	c := cursor{Since: x.since, Page: 1}
	if cur != "" {
		var err error
		if c, err = decodeCursor(cur); err != nil {
			return vendorapi.Page{}, err
		}
	}
	if cur != x.cacheCursor || x.cache == nil {
		x.cacheCursor, x.cache = cur, map[string][]apiConversation{}
	}
	perPage := x.PerPage
	if perPage <= 0 || perPage > 100 {
		perPage = 100
	}
	pageCap := x.PageCap
	if pageCap <= 0 {
		pageCap = MaxListPage
	}
	var page vendorapi.Page
	q := url.Values{
		"updated_since": {c.Since.Format(time.RFC3339)},
		"order_by":      {"updated_at"},
		"order_type":    {"asc"},
		"per_page":      {strconv.Itoa(perPage)},
		"page":          {strconv.Itoa(c.Page)},
		"include":       {"stats,requester"},
	}
	var raw json.RawMessage
	page.Requests++
	if err := x.api.GetJSON(ctx, "/api/v2/tickets", q, &raw); err != nil {
		return vendorapi.Page{Requests: page.Requests}, fmt.Errorf("freshdesk history: tickets page %d since %s: %w", c.Page, c.Since.Format(time.RFC3339), err)
	}
	tickets, err := parseTicketList(raw)
	if err != nil {
		return vendorapi.Page{Requests: page.Requests}, fmt.Errorf("freshdesk history: %w", err)
	}
	for i, t := range tickets {
		if c.seen(t.id, t.updated) {
			continue
		}
		convs, n, err := x.conversations(ctx, t)
		page.Requests += n
		if err != nil {
			return vendorapi.Page{Requests: page.Requests}, fmt.Errorf("freshdesk history: ticket %d: %w", t.id, err)
		}
		evs, err := x.ticketEvents(t, convs, fmt.Sprintf("tickets[%d].", i))
		if err != nil {
			return vendorapi.Page{Requests: page.Requests}, fmt.Errorf("freshdesk history: ticket %d: %w", t.id, err)
		}
		page.Events = append(page.Events, evs...)
		page.Tickets++
	}
	next := c
	if len(tickets) > 0 {
		last := tickets[len(tickets)-1].updated
		next = advance(c, tickets, last, pageCap)
	}
	page.Next = next.encode()
	if len(tickets) < perPage {
		page.Done = true
		page.Through = c.Since
		if len(tickets) > 0 {
			page.Through = tickets[len(tickets)-1].updated
		}
	} else {
		page.Through = next.Since
	}
	return page, nil
}

// advance is the cursor after a page whose last ticket was updated at last.
// The tickets read at or after the next updated_since travel in the cursor,
// so that they are skipped when the list serves them again.
func advance(c cursor, tickets []apiTicket, last time.Time, pageCap int) cursor {
	seen := func(since time.Time) [][2]int64 {
		var out [][2]int64
		for _, s := range c.Seen {
			if s[1] >= since.Unix() {
				out = append(out, s)
			}
		}
		for _, t := range tickets {
			if k := [2]int64{t.id, t.updated.Unix()}; !t.updated.Before(since) && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		return out
	}
	since := last.Truncate(time.Second).Add(-time.Second)
	switch {
	case since.After(c.Since):
		return cursor{Since: since, Page: 1, Seen: seen(since)}
	case c.Page < pageCap:
		// More tickets share these seconds than a page holds: the next
		// page of the same list, remembering what may be served again.
		return cursor{Since: c.Since, Page: c.Page + 1, Seen: seen(since)}
	}
	// At the list's page cap: start at the last ticket's very second
	// (Freshdesk's updated_since includes it) and skip what was read.
	since = last.Truncate(time.Second)
	if !since.After(c.Since) {
		// More tickets in one second than the list serves: the rest of
		// that second cannot be listed.
		since = c.Since.Add(time.Second)
	}
	return cursor{Since: since, Page: 1, Seen: seen(since)}
}

// conversations reads every page of a ticket's conversations; n is the
// requests made.
func (x *Exporter) conversations(ctx context.Context, t apiTicket) (_ []apiConversation, n int, _ error) {
	key := strconv.FormatInt(t.id, 10) + "@" + t.updated.Format(time.RFC3339)
	if cs, ok := x.cache[key]; ok {
		return cs, 0, nil
	}
	const per = 100
	var all []apiConversation
	for p := 1; ; p++ {
		var raw json.RawMessage
		q := url.Values{"per_page": {strconv.Itoa(per)}, "page": {strconv.Itoa(p)}}
		n++
		err := x.api.GetJSON(ctx, "/api/v2/tickets/"+strconv.FormatInt(t.id, 10)+"/conversations", q, &raw)
		if errors.Is(err, vendorapi.ErrNotFound) {
			break // deleted since it was listed
		}
		if err != nil {
			return nil, n, fmt.Errorf("conversations page %d: %w", p, err)
		}
		cs, err := parseConversations(raw)
		if err != nil {
			return nil, n, err
		}
		all = append(all, cs...)
		if len(cs) < per || p >= 1000 {
			break
		}
	}
	x.cache[key] = all
	return all, n, nil
}

// apiTicket is one ticket of the list, as read.
type apiTicket struct {
	id                   int64
	status, priority     string
	ticketType           string
	tags                 []string
	responder            string
	customer             *event.CustomerInfo
	created, updated     time.Time
	hasStats             bool
	statusUpdated        time.Time
	resolved, closed     time.Time
	reopened, firstReply time.Time
}

// wireTicket is a ticket as Freshdesk's API v2 sends it (the members read).
type wireTicket struct {
	ID          event.ID `json:"id"`
	Status      event.ID `json:"status"`
	Priority    event.ID `json:"priority"`
	Type        *string  `json:"type"`
	TicketType  *string  `json:"ticket_type"` // API v1's name, still in some clients' samples
	Tags        []string `json:"tags"`
	RequesterID event.ID `json:"requester_id"`
	ResponderID event.ID `json:"responder_id"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
	Requester   *struct {
		ID    event.ID `json:"id"`
		Name  *string  `json:"name"`
		Email *string  `json:"email"`
	} `json:"requester"`
	Stats *struct {
		FirstRespondedAt *string `json:"first_responded_at"`
		StatusUpdatedAt  *string `json:"status_updated_at"`
		ReopenedAt       *string `json:"reopened_at"`
		ResolvedAt       *string `json:"resolved_at"`
		ClosedAt         *string `json:"closed_at"`
	} `json:"stats"`
}

// parseTicketList reads List All Tickets' answer (a JSON array of
// tickets); an error names the field as "tickets[i].field".
func parseTicketList(b []byte) ([]apiTicket, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '[' {
		return nil, event.Invalid("tickets", "must be a JSON array")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, event.JSONProblem("tickets", err)
	}
	out := make([]apiTicket, 0, len(raws))
	for i, r := range raws {
		t, err := parseTicket(r, fmt.Sprintf("tickets[%d].", i))
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func parseTicket(b []byte, prefix string) (apiTicket, error) {
	var w wireTicket
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return apiTicket{}, event.Invalid(strings.TrimSuffix(prefix, "."), "must be an object")
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return apiTicket{}, event.JSONProblem(prefix, err)
	}
	var t apiTicket
	var err error
	ids, err := event.RequiredID(prefix+"id", string(w.ID))
	if err != nil {
		return t, err
	}
	if t.id, err = strconv.ParseInt(ids, 10, 64); err != nil || t.id <= 0 {
		return t, event.Invalid(prefix+"id", "%q is not a ticket number", event.Clip(ids))
	}
	if t.status, err = event.RequiredID(prefix+"status", string(w.Status)); err != nil {
		return t, err
	}
	t.priority = strings.TrimSpace(string(w.Priority))
	switch {
	case w.Type != nil:
		t.ticketType = strings.ToLower(strings.TrimSpace(*w.Type))
	case w.TicketType != nil:
		t.ticketType = strings.ToLower(strings.TrimSpace(*w.TicketType))
	}
	t.tags = event.NormalizeTags(w.Tags)
	if t.responder, err = event.OptionalID(prefix+"responder_id", string(w.ResponderID)); err != nil {
		return t, err
	}
	cid := string(w.RequesterID)
	var email, name string
	if r := w.Requester; r != nil {
		cid = firstOf(string(r.ID), cid)
		if r.Email != nil {
			email = strings.TrimSpace(*r.Email)
		}
		if r.Name != nil {
			name = strings.TrimSpace(*r.Name)
		}
	}
	if cid, err = event.OptionalID(prefix+"requester_id", cid); err != nil {
		return t, err
	}
	if cid != "" || event.PlausibleEmail(email) {
		t.customer = &event.CustomerInfo{ID: cid, Name: name}
		if event.PlausibleEmail(email) {
			t.customer.Email = email
		}
	}
	if t.created, err = event.ParseTime(prefix+"created_at", w.CreatedAt); err != nil {
		return t, err
	}
	if t.updated, err = event.ParseTime(prefix+"updated_at", w.UpdatedAt); err != nil {
		return t, err
	}
	if s := w.Stats; s != nil {
		t.hasStats = true
		for _, f := range []struct {
			name string
			v    *string
			dst  *time.Time
		}{
			{"status_updated_at", s.StatusUpdatedAt, &t.statusUpdated},
			{"resolved_at", s.ResolvedAt, &t.resolved},
			{"closed_at", s.ClosedAt, &t.closed},
			{"reopened_at", s.ReopenedAt, &t.reopened},
			{"first_responded_at", s.FirstRespondedAt, &t.firstReply},
		} {
			if f.v == nil || strings.TrimSpace(*f.v) == "" {
				continue
			}
			if *f.dst, err = event.ParseTime(prefix+"stats."+f.name, *f.v); err != nil {
				return t, err
			}
		}
	}
	return t, nil
}

// apiConversation is one reply or note of a ticket.
type apiConversation struct {
	id                string
	user              string
	incoming, private bool
	created           time.Time
}

type wireConversation struct {
	ID        event.ID `json:"id"`
	UserID    event.ID `json:"user_id"`
	Incoming  *bool    `json:"incoming"`
	Private   *bool    `json:"private"`
	Source    event.ID `json:"source"`
	CreatedAt string   `json:"created_at"`
}

// parseConversations reads List All Conversations of a Ticket's answer.
func parseConversations(b []byte) ([]apiConversation, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '[' {
		return nil, event.Invalid("conversations", "must be a JSON array")
	}
	var ws []wireConversation
	if err := json.Unmarshal(b, &ws); err != nil {
		return nil, event.JSONProblem("conversations", err)
	}
	out := make([]apiConversation, 0, len(ws))
	for i, w := range ws {
		prefix := fmt.Sprintf("conversations[%d].", i)
		var c apiConversation
		var err error
		if c.id, err = event.RequiredID(prefix+"id", string(w.ID)); err != nil {
			return nil, err
		}
		if c.user, err = event.OptionalID(prefix+"user_id", string(w.UserID)); err != nil {
			return nil, err
		}
		if w.Incoming == nil {
			return nil, event.Invalid(prefix+"incoming", "is required")
		}
		if w.Private == nil {
			return nil, event.Invalid(prefix+"private", "is required")
		}
		c.incoming, c.private = *w.Incoming, *w.Private
		if c.created, err = event.ParseTime(prefix+"created_at", w.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// historyStatus maps a status id or name: the policy's statuses first
// (custom statuses), then Freshdesk's own; any other is a custom status
// nobody mapped, read as open as the webhook parser reads it.
func (x *Exporter) historyStatus(s string) event.Status {
	if st, ok := x.set.Status(s); ok {
		return st
	}
	if st, ok := statuses[strings.ToLower(strings.Join(strings.Fields(s), " "))]; ok {
		return st
	}
	return event.StatusOpen
}

func (x *Exporter) historyPriority(field, s string) (event.Priority, error) {
	if s == "" {
		return "", nil
	}
	if p, ok := x.set.Priority(s); ok {
		return p, nil
	}
	if p, ok := priorities[strings.ToLower(strings.TrimSpace(s))]; ok {
		return p, nil
	}
	return "", event.Invalid(field, "%q is not a Freshdesk priority (1–4)", event.Clip(s))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// ticketEvents derives a ticket's events from the list item and its
// conversations.
func (x *Exporter) ticketEvents(t apiTicket, convs []apiConversation, prefix string) ([]event.Event, error) {
	tid := strconv.FormatInt(t.id, 10)
	base := event.Event{Source: Source, TicketID: tid, Imported: true, Customer: t.customer}
	current := x.historyStatus(t.status)
	prio, err := x.historyPriority(prefix+"priority", t.priority)
	if err != nil {
		return nil, err
	}

	created := base
	created.ID = vendorapi.HistoryID(Source, tid, "created")
	created.Type = event.Created
	created.OccurredAt = t.created
	created.Priority = prio
	created.TicketType = t.ticketType
	created.HasTags, created.Tags = true, t.tags
	created.AssigneeID = t.responder
	// The status at creation: the current one if it never changed.
	changedSince := t.hasStats && t.statusUpdated.After(t.created)
	switch {
	case t.hasStats && !changedSince:
		created.Status = current
	case !t.hasStats && !current.Done():
		created.Status = current
	default:
		created.Status = event.StatusOpen
	}
	evs := []event.Event{created}

	status := func(what string, to event.Status, at time.Time) {
		if at.IsZero() || !at.After(t.created) {
			return
		}
		for _, e := range evs {
			if e.Type == event.StatusChanged && e.OccurredAt.Equal(at) {
				return // the current status, read first, is what it became
			}
		}
		e := base
		e.ID = vendorapi.HistoryID(Source, tid, "status", what, at.Format(time.RFC3339))
		e.Type, e.Status, e.OccurredAt = event.StatusChanged, to, at
		evs = append(evs, e)
	}
	if t.hasStats {
		status("current-"+t.status, current, t.statusUpdated)
		// Freshdesk keeps the latest of each time: when the ticket was done
		// again after its last reopen, a resolved_at or closed_at from
		// before that reopen is stale (closed, reopened, resolved again)
		// and is left out, or it would stand as the last resolution.
		resolved, closed := t.resolved, t.closed
		if !t.reopened.IsZero() && (resolved.After(t.reopened) || closed.After(t.reopened)) {
			if !resolved.After(t.reopened) {
				resolved = time.Time{}
			}
			if !closed.After(t.reopened) {
				closed = time.Time{}
			}
		}
		status("resolved", event.StatusResolved, resolved)
		status("closed", event.StatusClosed, closed)
		// A reopen before the last resolution hides an earlier resolution
		// whose time Freshdesk does not keep: only a later one is a change.
		if done := later(resolved, closed); !done.IsZero() && t.reopened.After(done) {
			status("reopened", event.StatusOpen, t.reopened)
		}
	} else if current.Done() {
		// No stats: the ticket was done by its last update at the latest.
		status("current-"+t.status, current, t.updated)
	}

	for _, c := range convs {
		e := base
		e.ID = vendorapi.HistoryID(Source, tid, "conv", c.id)
		e.OccurredAt = c.created
		switch {
		case c.private:
			e.Type = event.Note
			e.Actor = event.Actor{ID: c.user, Kind: event.Agent}
			if c.incoming {
				e.Actor.Kind = event.Person // a third party's answer to a forward
			}
		case c.incoming:
			e.Type, e.Public = event.Replied, true
			e.Actor = event.Actor{ID: c.user, Kind: event.Customer}
		default:
			e.Type, e.Public = event.Replied, true
			e.Actor = event.Actor{ID: c.user, Kind: event.Agent}
		}
		if e.Actor.ID == "" {
			e.Actor.Kind = event.System
		}
		evs = append(evs, e)
	}
	return evs, nil
}

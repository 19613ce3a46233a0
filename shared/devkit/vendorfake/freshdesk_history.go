package vendorfake

import (
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FreshdeskHistory serves the part of Freshdesk's API v2 a history import
// reads (https://developers.freshdesk.com/api/), from tickets described in
// Go:
//
//	GET /api/v2/tickets                      List All Tickets: updated_since,
//	                                         order_by, order_type, per_page
//	                                         (≤ 100), page (≤ PageCap), include
//	                                         (stats, requester, description)
//	GET /api/v2/tickets/{id}/conversations   List All Conversations of a Ticket
//
// with Freshdesk's authentication (HTTP Basic, the API key as user and "X"
// as password), its per-minute rate limit (X-RateLimit-Total,
// X-RateLimit-Remaining, X-RateLimit-Used-CurrentRequest on every answer;
// 429 with Retry-After once the minute's budget is spent; each include of
// the ticket list costs 2 more credits) and an injectable outage.
type FreshdeskHistory struct {
	Tickets []FreshdeskTicket
	APIKey  string // the Basic user every request must carry ("X" the password)
	// PerMinute is the budget of API credits per minute; 0: unlimited.
	PerMinute int
	Now       func() time.Time // the rate limit's clock; time.Now if nil
	// PageCap is the last page the ticket list serves (Freshdesk: 300);
	// a later page is a 400.
	PageCap int
	// FailOn answers the FailOn-th authenticated request (from 1) with
	// 503, once.
	FailOn int

	mu          sync.Mutex
	n           int
	windowStart time.Time
	used        int
	counts      map[string]int
}

// FreshdeskTicket is one ticket the fake knows. Zero times are null.
type FreshdeskTicket struct {
	ID             int64
	Subject        string
	Status         int // 2 Open, 3 Pending, 4 Resolved, 5 Closed, custom ids from 6
	Priority       int // 1 Low … 4 Urgent
	Source         int // 1 Email, 2 Portal, 3 Phone …
	Type           string
	Tags           []string
	RequesterID    int64
	RequesterName  string
	RequesterEmail string
	ResponderID    int64 // 0: unassigned
	GroupID        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Stats          FreshdeskStats
	Conversations  []FreshdeskConversation
}

// FreshdeskStats are the times include=stats adds.
type FreshdeskStats struct {
	AgentRespondedAt, RequesterRespondedAt, FirstRespondedAt time.Time
	StatusUpdatedAt, ReopenedAt, ResolvedAt, ClosedAt        time.Time
	PendingSince                                             time.Time
}

// FreshdeskConversation is a reply or a note.
type FreshdeskConversation struct {
	ID        int64
	UserID    int64
	Incoming  bool
	Private   bool
	Source    int // 0 Reply, 2 Note …
	Body      string
	CreatedAt time.Time
}

// Requests reports the answers given, by status ("200", "429", …).
func (f *FreshdeskHistory) Requests() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.counts {
		out[k] = v
	}
	return out
}

func (f *FreshdeskHistory) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status := f.serve(w, r)
	f.mu.Lock()
	if f.counts == nil {
		f.counts = map[string]int{}
	}
	f.counts[strconv.Itoa(status)]++
	f.mu.Unlock()
}

func (f *FreshdeskHistory) serve(w http.ResponseWriter, r *http.Request) int {
	user, pass, ok := r.BasicAuth()
	if !ok || user != f.APIKey || pass != "X" {
		return reply(w, http.StatusUnauthorized, map[string]any{"code": "invalid_credentials", "message": "You have to be logged in to perform this action."})
	}
	if r.Method != http.MethodGet {
		return reply(w, http.StatusMethodNotAllowed, fdError("method", "invalid_value", "Method not allowed"))
	}
	q := r.URL.Query()
	cost := 1
	if r.URL.Path == "/api/v2/tickets" && q.Get("include") != "" {
		cost += 2 * len(strings.Split(q.Get("include"), ","))
	}
	f.mu.Lock()
	f.n++
	if f.FailOn > 0 && f.n == f.FailOn {
		f.mu.Unlock()
		return reply(w, http.StatusServiceUnavailable, fdError("", "service_unavailable", "Service unavailable"))
	}
	if wait, limited := f.spend(cost); limited {
		f.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		return reply(w, http.StatusTooManyRequests, map[string]any{"message": "You have exceeded the limit of requests per minute"})
	}
	w.Header().Set("X-RateLimit-Total", strconv.Itoa(f.PerMinute))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(max(f.PerMinute-f.used, 0)))
	w.Header().Set("X-RateLimit-Used-CurrentRequest", strconv.Itoa(cost))
	now := f.now()
	f.mu.Unlock()

	switch p := r.URL.Path; {
	case p == "/api/v2/tickets":
		return f.list(w, r, q, now)
	case strings.HasPrefix(p, "/api/v2/tickets/") && strings.HasSuffix(p, "/conversations"):
		id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(p, "/api/v2/tickets/"), "/conversations"), 10, 64)
		if err != nil {
			w.WriteHeader(http.StatusNotFound)
			return http.StatusNotFound
		}
		return f.conversations(w, r, q, id)
	}
	w.WriteHeader(http.StatusNotFound) // Freshdesk's 404 has no body
	return http.StatusNotFound
}

func (f *FreshdeskHistory) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// spend takes cost credits from the minute's budget; when it is spent it
// reports how long until the minute ends. Called with mu held.
func (f *FreshdeskHistory) spend(cost int) (time.Duration, bool) {
	if f.PerMinute <= 0 {
		return 0, false
	}
	now := f.now()
	if f.windowStart.IsZero() || now.Sub(f.windowStart) >= time.Minute {
		f.windowStart, f.used = now, 0
	}
	if f.used+cost > f.PerMinute {
		return f.windowStart.Add(time.Minute).Sub(now), true
	}
	f.used += cost
	return 0, false
}

// fdPaging reads per_page (default 30, at most 100) and page (from 1).
func fdPaging(q url.Values) (per, page int, problem map[string]any) {
	per, page = 30, 1
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return 0, 0, fdError("per_page", "invalid_value", "It should be a Positive Number less than or equal to 100")
		}
		per = n
	}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, 0, fdError("page", "invalid_value", "It should be a Positive Number")
		}
		page = n
	}
	return per, page, nil
}

func (f *FreshdeskHistory) list(w http.ResponseWriter, r *http.Request, q url.Values, now time.Time) int {
	per, page, problem := fdPaging(q)
	if problem != nil {
		return reply(w, http.StatusBadRequest, problem)
	}
	pageCap := f.PageCap
	if pageCap <= 0 {
		pageCap = 300
	}
	if page > pageCap {
		return reply(w, http.StatusBadRequest, fdError("page", "invalid_value", fmt.Sprintf("You cannot access pages beyond %d", pageCap)))
	}
	include := map[string]bool{}
	if s := q.Get("include"); s != "" {
		for _, v := range strings.Split(s, ",") {
			if v != "stats" && v != "requester" && v != "description" {
				return reply(w, http.StatusBadRequest, fdError("include", "invalid_value", "It should be one/more of: 'requester,description,stats'"))
			}
			include[v] = true
		}
	}
	orderBy, orderType := fdOr(q.Get("order_by"), "created_at"), fdOr(q.Get("order_type"), "desc")
	if !slices.Contains([]string{"created_at", "due_by", "updated_at", "status"}, orderBy) || (orderType != "asc" && orderType != "desc") {
		return reply(w, http.StatusBadRequest, fdError("order_by", "invalid_value", "It should be one of these values: 'created_at,due_by,updated_at,status'"))
	}
	var since time.Time
	var sinceSet bool
	if s := q.Get("updated_since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			if t, err = time.Parse("2006-01-02", s); err != nil {
				return reply(w, http.StatusBadRequest, fdError("updated_since", "invalid_date", "It should be in the 'YYYY-MM-DDTHH:MM:SSZ' format"))
			}
		}
		since, sinceSet = t, true
	}
	f.mu.Lock()
	var sel []FreshdeskTicket
	for _, t := range f.Tickets {
		switch {
		case sinceSet && t.UpdatedAt.Before(since):
		case !sinceSet && t.CreatedAt.Before(now.Add(-30*24*time.Hour)): // by default, the past 30 days' tickets
		default:
			sel = append(sel, t)
		}
	}
	f.mu.Unlock()
	key := func(t FreshdeskTicket) time.Time {
		if orderBy == "updated_at" {
			return t.UpdatedAt
		}
		return t.CreatedAt
	}
	slices.SortStableFunc(sel, func(a, b FreshdeskTicket) int {
		c := key(a).Compare(key(b))
		if c == 0 {
			c = fdCmp(a.ID, b.ID)
		}
		if orderType == "desc" {
			c = -c
		}
		return c
	})
	from := min((page-1)*per, len(sel))
	to := min(from+per, len(sel))
	out := make([]any, 0, to-from)
	for _, t := range sel[from:to] {
		out = append(out, fdTicketJSON(t, include))
	}
	if to-from == per {
		fdLink(w, r, page+1)
	}
	return reply(w, http.StatusOK, out)
}

func (f *FreshdeskHistory) conversations(w http.ResponseWriter, r *http.Request, q url.Values, id int64) int {
	per, page, problem := fdPaging(q)
	if problem != nil {
		return reply(w, http.StatusBadRequest, problem)
	}
	f.mu.Lock()
	i := slices.IndexFunc(f.Tickets, func(t FreshdeskTicket) bool { return t.ID == id })
	var convs []FreshdeskConversation
	if i >= 0 {
		convs = slices.Clone(f.Tickets[i].Conversations)
	}
	f.mu.Unlock()
	if i < 0 {
		w.WriteHeader(http.StatusNotFound)
		return http.StatusNotFound
	}
	from := min((page-1)*per, len(convs))
	to := min(from+per, len(convs))
	out := make([]any, 0, to-from)
	for _, c := range convs[from:to] {
		out = append(out, map[string]any{
			"body": "<div>" + c.Body + "</div>", "body_text": c.Body, "id": c.ID, "incoming": c.Incoming, "private": c.Private,
			"user_id": c.UserID, "support_email": nil, "source": c.Source, "ticket_id": id, "to_emails": []string{},
			"from_email": nil, "cc_emails": []string{}, "bcc_emails": nil, "attachments": []any{},
			"created_at": fdTime(c.CreatedAt), "updated_at": fdTime(c.CreatedAt),
		})
	}
	if to-from == per {
		fdLink(w, r, page+1)
	}
	return reply(w, http.StatusOK, out)
}

// fdTicketJSON is a ticket in API v2's shape.
func fdTicketJSON(t FreshdeskTicket, include map[string]bool) map[string]any {
	m := map[string]any{
		"cc_emails": []string{}, "fwd_emails": []string{}, "reply_cc_emails": []string{}, "ticket_cc_emails": []string{},
		"fr_escalated": false, "spam": false, "email_config_id": nil, "group_id": fdNullID(t.GroupID),
		"priority": t.Priority, "requester_id": t.RequesterID, "responder_id": fdNullID(t.ResponderID), "source": t.Source,
		"company_id": nil, "status": t.Status, "subject": t.Subject, "association_type": nil, "support_email": nil,
		"to_emails": nil, "product_id": nil, "id": t.ID, "type": fdNullString(t.Type),
		"due_by": fdTime(t.CreatedAt.Add(72 * time.Hour)), "fr_due_by": fdTime(t.CreatedAt.Add(24 * time.Hour)),
		"is_escalated": false, "custom_fields": map[string]any{}, "created_at": fdTime(t.CreatedAt),
		"updated_at": fdTime(t.UpdatedAt), "associated_tickets_count": nil, "tags": fdNonNil(t.Tags), "nr_due_by": nil, "nr_escalated": false,
	}
	if include["stats"] {
		s := t.Stats
		m["stats"] = map[string]any{
			"agent_responded_at": fdTime(s.AgentRespondedAt), "requester_responded_at": fdTime(s.RequesterRespondedAt),
			"first_responded_at": fdTime(s.FirstRespondedAt), "status_updated_at": fdTime(s.StatusUpdatedAt),
			"reopened_at": fdTime(s.ReopenedAt), "resolved_at": fdTime(s.ResolvedAt), "closed_at": fdTime(s.ClosedAt),
			"pending_since": fdTime(s.PendingSince),
		}
	}
	if include["requester"] {
		m["requester"] = map[string]any{"id": t.RequesterID, "name": t.RequesterName, "email": fdNullString(t.RequesterEmail), "mobile": nil, "phone": nil}
	}
	if include["description"] {
		m["description"], m["description_text"] = "<div>"+t.Subject+"</div>", t.Subject
	}
	return m
}

// fdLink sets the Link header Freshdesk sends when a next page may exist.
func fdLink(w http.ResponseWriter, r *http.Request, next int) {
	u := *r.URL
	q := u.Query()
	q.Set("page", strconv.Itoa(next))
	u.RawQuery = q.Encode()
	w.Header().Set("Link", "<"+u.String()+`>; rel="next"`)
}

func fdError(field, code, msg string) map[string]any {
	return map[string]any{"description": "Validation failed", "errors": []any{map[string]any{"field": field, "message": msg, "code": code}}}
}

func fdTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func fdNullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func fdNullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func fdNonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func fdOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func fdCmp(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FreshdeskTickets generates n plausible tickets from start, the same for
// the same seed: each created by a customer's e-mail, answered by an agent,
// answered back, noted privately and resolved; some reopened (and resolved
// again, or still open), some closed, some still pending or open, a few
// with more conversations than one page holds.
func FreshdeskTickets(n int, start time.Time, seed int64) []FreshdeskTicket {
	rng := rand.New(rand.NewSource(seed))
	agents := []int64{9001, 9002, 9003, 9004, 9005}
	types := []string{"Question", "Incident", "Problem", "Feature Request", ""}
	tagSets := [][]string{nil, {"billing"}, {"vip"}, {"complaint"}, {"billing", "refund"}}
	out := make([]FreshdeskTicket, 0, n)
	at := start.UTC().Truncate(time.Second)
	conv := int64(5000000)
	for i := range n {
		at = at.Add(time.Duration(1+rng.Intn(40)) * time.Minute)
		req := int64(7000 + rng.Intn(n+1))
		agent := agents[rng.Intn(len(agents))]
		t := FreshdeskTicket{
			ID: int64(i + 1), Subject: fmt.Sprintf("Request %d", i+1), Status: 2, Priority: 1 + rng.Intn(4), Source: 1 + rng.Intn(3),
			Type: types[rng.Intn(len(types))], Tags: tagSets[rng.Intn(len(tagSets))], RequesterID: req,
			RequesterName: fmt.Sprintf("Customer %d", req), RequesterEmail: fmt.Sprintf("customer%d@example.com", req),
			ResponderID: agent, CreatedAt: at,
		}
		clock := at
		step := func() time.Time {
			clock = clock.Add(time.Duration(5+rng.Intn(240)) * time.Minute)
			return clock
		}
		add := func(user int64, incoming, private bool, source int, body string) {
			conv++
			t.Conversations = append(t.Conversations, FreshdeskConversation{ID: conv, UserID: user, Incoming: incoming, Private: private, Source: source, Body: body, CreatedAt: step()})
		}
		add(agent, false, false, 0, "Thanks, looking into it.")
		t.Stats.FirstRespondedAt, t.Stats.AgentRespondedAt = clock, clock
		add(req, true, false, 0, "Here are the details.")
		t.Stats.RequesterRespondedAt = clock
		add(agent, false, true, 2, "Checked the logs.")
		if rng.Intn(25) == 0 { // a long thread
			for range 100 + rng.Intn(60) {
				add(agent, false, rng.Intn(3) == 0, 0, "More.")
			}
		}
		switch r := rng.Intn(10); {
		case r < 6: // resolved
			t.Status, t.Stats.ResolvedAt = 4, step()
			t.Stats.StatusUpdatedAt = clock
		case r < 7: // resolved, then closed
			t.Stats.ResolvedAt = step()
			t.Status, t.Stats.ClosedAt = 5, step()
			t.Stats.StatusUpdatedAt = clock
		case r < 8: // resolved, reopened by the customer, resolved again
			step()
			add(req, true, false, 0, "It is broken again.")
			t.Stats.RequesterRespondedAt, t.Stats.ReopenedAt = clock, clock
			add(agent, false, false, 0, "Fixed for good.")
			t.Stats.AgentRespondedAt = clock
			t.Status, t.Stats.ResolvedAt = 4, step()
			t.Stats.StatusUpdatedAt = clock
		case r < 9: // waiting for the customer
			t.Status, t.Stats.PendingSince = 3, step()
			t.Stats.StatusUpdatedAt = clock
		case rng.Intn(2) == 0: // resolved, reopened by the customer, open again
			t.Stats.ResolvedAt = step()
			add(req, true, false, 0, "That did not help.")
			t.Stats.RequesterRespondedAt, t.Stats.ReopenedAt = clock, clock
			t.Status, t.Stats.StatusUpdatedAt = 2, clock
		default: // still open
		}
		t.UpdatedAt = clock
		out = append(out, t)
	}
	return out
}

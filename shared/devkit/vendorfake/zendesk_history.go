package vendorfake

import (
	"encoding/base64"
	"fmt"
	"math/rand"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ZendeskHistory serves Zendesk's Incremental Ticket Event Export,
//
//	GET /api/v2/incremental/ticket_events.json?start_time=<unix>[&include=comment_events]
//
// from tickets described in Go, in the documented answer shape
// (https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-event-export):
// {"ticket_events": [...], "next_page", "end_time", "end_of_stream",
// "count"}, each ticket event an audit with its child_events (Create and
// Change children naming one field each, Comment children — in full with
// the comment_events sideload, else comment_present/comment_public).
//
// Paging is time-based as Zendesk's: the audits at or after start_time and
// at least a minute old, oldest first, up to PerPage of them and then every
// other audit of the last one's second; end_time is that second, next_page
// the same URL with start_time=end_time (so that second's audits come again
// at the top of the next page, as Zendesk's can), end_of_stream true when
// the page is not full. Limit requests per Window (Zendesk documents 10 a
// minute for the incremental exports) then 429 with Retry-After; FailOn
// answers the Nth request with 503; every request needs HTTP Basic
// User:Token (Zendesk's user is "<e-mail>/token").
type ZendeskHistory struct {
	Tickets []ZendeskTicket

	User, Token string
	// PerPage is the page size (Zendesk: 1000); 0 means 1000.
	PerPage int
	// Limit requests per Window, then 429 with Retry-After until the
	// window ends; 0: no limit. Zendesk: 10 a minute.
	Limit  int
	Window time.Duration
	// Now is the fake's clock (nil: time.Now).
	Now func() time.Time
	// FailOn answers the FailOn-th request (1-based, counting every
	// request) with 503; 0: never.
	FailOn int

	mu       sync.Mutex
	requests int
	win      window
	counts   map[int]int
}

// ZendeskTicket is one ticket of the fake: its id, requester and updates.
type ZendeskTicket struct {
	ID          int64
	RequesterID int64
	Audits      []ZendeskAudit
}

// ZendeskAudit is one update of a ticket: who made it, when, through which
// channel, and what changed.
type ZendeskAudit struct {
	ID        int64
	At        time.Time // second precision in the answer, as Zendesk's
	UpdaterID int64     // -1: Zendesk itself
	Via       string    // "Web form", "Mail", "API", … ("Web form" if empty)
	Changes   []ZendeskChange
}

// ZendeskChange is one child event of an audit.
type ZendeskChange struct {
	ID int64 // 0: the audit id plus its position
	// Kind is "Create", "Change" or "Comment".
	Kind string
	// Field and Value for Create and Change: "status", "priority", "type",
	// "tags" ([]string: the full set), "assignee_id", "requester_id",
	// "subject", "satisfaction_score", "satisfaction_comment", …; nil
	// Value is null. Previous is a Change's previous_value.
	Field    string
	Value    any
	Previous any
	// Comment: its author (0: the audit's updater), visibility and body.
	AuthorID int64
	Public   bool
	Body     string
}

// Requests reports how many requests were answered, by status.
func (z *ZendeskHistory) Requests() map[int]int {
	z.mu.Lock()
	defer z.mu.Unlock()
	out := map[int]int{}
	for k, v := range z.counts {
		out[k] = v
	}
	return out
}

func (z *ZendeskHistory) now() time.Time {
	if z.Now != nil {
		return z.Now()
	}
	return time.Now()
}

// ServeHTTP answers the export; every other path is 404.
func (z *ZendeskHistory) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status := z.serve(w, r)
	z.mu.Lock()
	if z.counts == nil {
		z.counts = map[int]int{}
	}
	z.counts[status]++
	z.mu.Unlock()
}

func (z *ZendeskHistory) serve(w http.ResponseWriter, r *http.Request) int {
	if r.Method != http.MethodGet || r.URL.Path != "/api/v2/incremental/ticket_events.json" {
		return reply(w, http.StatusNotFound, map[string]any{"error": "InvalidEndpoint", "description": "Not found"})
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(z.User+":"+z.Token))
	if r.Header.Get("Authorization") != want {
		return reply(w, http.StatusUnauthorized, map[string]any{"error": "Couldn't authenticate you"})
	}
	z.mu.Lock()
	z.requests++
	if z.FailOn > 0 && z.requests == z.FailOn {
		z.mu.Unlock()
		return reply(w, http.StatusServiceUnavailable, map[string]any{"error": "ServiceUnavailable", "description": "Service unavailable"})
	}
	now := z.now()
	if z.Limit > 0 {
		if now.Sub(z.win.start) >= z.Window {
			z.win = window{start: now}
		}
		z.win.n++
		if z.win.n > z.Limit {
			wait := z.win.start.Add(z.Window).Sub(now)
			z.mu.Unlock()
			w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, "Number of allowed incremental export API requests per minute exceeded")
			return http.StatusTooManyRequests
		}
	}
	z.mu.Unlock()

	q := r.URL.Query()
	start, err := strconv.ParseInt(q.Get("start_time"), 10, 64)
	if err != nil || start < 0 {
		return reply(w, http.StatusBadRequest, map[string]any{"error": "InvalidValue", "description": "start_time is required: a Unix time"})
	}
	sideload := slices.Contains(strings.Split(q.Get("include"), ","), "comment_events")
	page, end, full := z.page(start, now)
	events := make([]any, 0, len(page))
	for _, a := range page {
		events = append(events, a.json(sideload))
	}
	next := *r.URL
	next.Scheme, next.Host = "http", r.Host
	if r.TLS != nil {
		next.Scheme = "https"
	}
	nq := next.Query()
	nq.Set("start_time", strconv.FormatInt(end, 10))
	next.RawQuery = nq.Encode()
	return reply(w, http.StatusOK, map[string]any{
		"ticket_events": events,
		"next_page":     next.String(),
		"count":         len(events),
		"end_time":      end,
		"end_of_stream": !full,
	})
}

// zdAudit is one audit with its ticket.
type zdAudit struct {
	ticket ZendeskTicket
	audit  ZendeskAudit
}

// page selects the audits of one page; end is its end_time, full whether
// it reached PerPage.
func (z *ZendeskHistory) page(start int64, now time.Time) (page []zdAudit, end int64, full bool) {
	horizon := now.Add(-time.Minute).Unix() // the last minute is never exported
	var all []zdAudit
	for _, t := range z.Tickets {
		for _, a := range t.Audits {
			if s := a.At.Unix(); s >= start && s <= horizon {
				all = append(all, zdAudit{t, a})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b zdAudit) int {
		if c := a.audit.At.Unix() - b.audit.At.Unix(); c != 0 {
			if c < 0 {
				return -1
			}
			return 1
		}
		switch {
		case a.audit.ID < b.audit.ID:
			return -1
		case a.audit.ID > b.audit.ID:
			return 1
		}
		return 0
	})
	per := z.PerPage
	if per <= 0 {
		per = 1000
	}
	if len(all) < per {
		end = max(start, min(horizon, now.Unix()))
		if len(all) > 0 {
			end = all[len(all)-1].audit.At.Unix()
		}
		return all, end, false
	}
	n := per
	last := all[n-1].audit.At.Unix()
	for n < len(all) && all[n].audit.At.Unix() == last {
		n++
	}
	return all[:n], last, true
}

// json is the audit as the export shows it.
func (f zdAudit) json(sideload bool) map[string]any {
	a := f.audit
	via := a.Via
	if via == "" {
		via = "Web form"
	}
	children := make([]any, 0, len(a.Changes))
	for i, c := range a.Changes {
		id := c.ID
		if id == 0 {
			id = a.ID + int64(i+1)*20
		}
		child := map[string]any{"id": id, "via": via, "via_reference_id": nil, "event_type": c.Kind}
		switch c.Kind {
		case "Comment":
			author := c.AuthorID
			if author == 0 {
				author = a.UpdaterID
			}
			if sideload {
				child["via"] = map[string]any{"channel": "web", "source": map[string]any{"from": map[string]any{}, "to": map[string]any{}, "rel": nil}}
				child["type"] = "Comment"
				child["author_id"] = author
				child["body"] = c.Body
				child["html_body"] = `<div class="zd-comment" dir="auto">` + c.Body + `</div>`
				child["plain_body"] = c.Body
				child["public"] = c.Public
				child["attachments"] = []any{}
				child["audit_id"] = a.ID
				child["created_at"] = a.At.UTC().Format(time.RFC3339)
			} else {
				child["comment_present"] = true
				child["comment_public"] = c.Public
			}
		default:
			child[c.Field] = c.Value
			if c.Field == "tags" {
				child["added_tags"], child["removed_tags"] = zdTagDiff(c.Previous, c.Value)
			}
			if c.Kind == "Change" {
				child["previous_value"] = c.Previous
			}
		}
		children = append(children, child)
	}
	return map[string]any{
		"id":           a.ID,
		"ticket_id":    f.ticket.ID,
		"timestamp":    a.At.Unix(),
		"created_at":   a.At.UTC().Format(time.RFC3339),
		"updater_id":   a.UpdaterID,
		"via":          via,
		"system":       map[string]any{"client": nil, "location": nil, "latitude": nil, "longitude": nil},
		"event_type":   "Audit",
		"child_events": children,
	}
}

func zdTagDiff(prev, cur any) (added, removed []string) {
	p, _ := prev.([]string)
	c, _ := cur.([]string)
	added, removed = []string{}, []string{}
	for _, t := range c {
		if !slices.Contains(p, t) {
			added = append(added, t)
		}
	}
	for _, t := range p {
		if !slices.Contains(c, t) {
			removed = append(removed, t)
		}
	}
	return added, removed
}

// ZendeskTickets generates n plausible tickets from start, the same for
// the same arguments: each created by its requester with a public
// description (new), assigned and opened by an agent, answered publicly
// (pending), answered by the customer (open again), noted privately, and
// solved with a public reply; about one in five is reopened by the
// customer and solved again, about one in three rated (good or bad, some
// with a comment). Tickets start about 7 minutes apart; ids are 100001…,
// requesters 900001…, agents 361001–361005, audit ids multiples of 1000.
func ZendeskTickets(n int, start time.Time, seed int64) []ZendeskTicket {
	rng := rand.New(rand.NewSource(seed))
	priorities := []any{nil, "low", "normal", "normal", "high", "urgent"}
	types := []any{nil, "question", "incident", "problem", "task"}
	tagPool := []string{"billing", "printer", "vip", "refund", "login", "shipping"}
	out := make([]ZendeskTicket, 0, n)
	auditID := int64(7_000_000_000)
	for i := 0; i < n; i++ {
		t := ZendeskTicket{ID: int64(100001 + i), RequesterID: int64(900001 + i)}
		agent := int64(361001 + rng.Intn(5))
		at := start.Truncate(time.Second).Add(time.Duration(i)*7*time.Minute + time.Duration(rng.Intn(300))*time.Second)
		add := func(by int64, changes ...ZendeskChange) {
			auditID += 1000
			t.Audits = append(t.Audits, ZendeskAudit{ID: auditID, At: at, UpdaterID: by, Changes: changes})
		}
		later := func(min, max int) { at = at.Add(time.Duration(min+rng.Intn(max-min+1)) * time.Minute) }
		tags := []string{tagPool[rng.Intn(len(tagPool))]}
		if rng.Intn(2) == 0 {
			tags = append(tags, tagPool[rng.Intn(len(tagPool))])
		}
		slices.Sort(tags)
		tags = slices.Compact(tags)
		add(t.RequesterID,
			ZendeskChange{Kind: "Comment", Public: true, Body: fmt.Sprintf("Ticket %d: it does not work", t.ID)},
			ZendeskChange{Kind: "Create", Field: "subject", Value: fmt.Sprintf("Help with order %d", t.ID)},
			ZendeskChange{Kind: "Create", Field: "requester_id", Value: t.RequesterID},
			ZendeskChange{Kind: "Create", Field: "status", Value: "new"},
			ZendeskChange{Kind: "Create", Field: "priority", Value: priorities[rng.Intn(len(priorities))]},
			ZendeskChange{Kind: "Create", Field: "type", Value: types[rng.Intn(len(types))]},
			ZendeskChange{Kind: "Create", Field: "tags", Value: tags},
		)
		later(5, 120)
		add(agent,
			ZendeskChange{Kind: "Change", Field: "assignee_id", Value: agent, Previous: nil},
			ZendeskChange{Kind: "Change", Field: "status", Value: "open", Previous: "new"},
		)
		later(1, 60)
		add(agent,
			ZendeskChange{Kind: "Comment", Public: true, Body: "Could you send a photo?"},
			ZendeskChange{Kind: "Change", Field: "status", Value: "pending", Previous: "open"},
		)
		later(30, 600)
		add(t.RequesterID,
			ZendeskChange{Kind: "Comment", Public: true, Body: "Here it is."},
			ZendeskChange{Kind: "Change", Field: "status", Value: "open", Previous: "pending"},
		)
		later(5, 120)
		add(agent, ZendeskChange{Kind: "Comment", Public: false, Body: "Known issue, see the wiki."})
		later(1, 30)
		add(agent,
			ZendeskChange{Kind: "Comment", Public: true, Body: "Fixed, please try again."},
			ZendeskChange{Kind: "Change", Field: "status", Value: "solved", Previous: "open"},
		)
		if rng.Intn(5) == 0 {
			later(60, 2000)
			add(t.RequesterID,
				ZendeskChange{Kind: "Comment", Public: true, Body: "Still broken."},
				ZendeskChange{Kind: "Change", Field: "status", Value: "open", Previous: "solved"},
			)
			later(10, 300)
			add(agent,
				ZendeskChange{Kind: "Comment", Public: true, Body: "Replaced it."},
				ZendeskChange{Kind: "Change", Field: "status", Value: "solved", Previous: "open"},
			)
		}
		if rng.Intn(3) == 0 {
			later(60, 1440)
			score := "good"
			if rng.Intn(4) == 0 {
				score = "bad"
			}
			changes := []ZendeskChange{{Kind: "Change", Field: "satisfaction_score", Value: score, Previous: "offered"}}
			if rng.Intn(2) == 0 {
				changes = append(changes, ZendeskChange{Kind: "Change", Field: "satisfaction_comment", Value: "Thanks", Previous: nil})
			}
			add(t.RequesterID, changes...)
		}
		out = append(out, t)
	}
	return out
}

// Package ticket owns a ticket's state as reduced from its events. The
// reducer is pure and order-independent: any permutation of the same set of
// events, with any duplicates, gives the same State, because events are
// de-duplicated by id and folded in a canonical order (time, then type rank,
// then id). That is what makes at-least-once, unordered webhook delivery safe.
package ticket

import (
	"cmp"
	"container/heap"
	"hash/maphash"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"scorecard/shared/core/calendar"
	"scorecard/shared/core/event"
)

// Assignment is a change of assignee; AgentID "" means unassigned.
type Assignment struct {
	At      time.Time `json:"at"`
	AgentID string    `json:"agent_id"`
}

// StatusChange is an actual change of status (repeats are dropped).
type StatusChange struct {
	At   time.Time    `json:"at"`
	From event.Status `json:"from"`
	To   event.Status `json:"to"`
}

// Response is the first public reply by an agent.
type Response struct {
	At      time.Time `json:"at"`
	AgentID string    `json:"agent_id"`
}

// Resolution is a move into resolved or closed from an unresolved status.
// AgentID is the assignee at that moment: the engineer credited with it.
type Resolution struct {
	At      time.Time `json:"at"`
	AgentID string    `json:"agent_id"`
	// Imported: the move came from a history import, not a webhook.
	Imported bool `json:"imported,omitempty"`
}

// Note is an internal note by an agent; AssigneeID is who the ticket was
// assigned to when it was written (a note on a colleague's ticket is
// collaboration).
type Note struct {
	At         time.Time `json:"at"`
	AgentID    string    `json:"agent_id"`
	AssigneeID string    `json:"assignee_id"`
}

// Answer is a customer's survey answer. AgentID is the engineer credited:
// the one the answer event names (the survey flow records the engineer
// credited at resolution), else the assignee at the last resolution at or
// before the answer (or the assignee at the time, for an answer before any
// resolution). Resolution is
// the index into State.Resolutions it answers (-1: none); a later answer to
// the same resolution replaces an earlier one.
type Answer struct {
	At         time.Time `json:"at"`
	EventID    string    `json:"event_id"`
	Rating     int       `json:"rating"`
	Solved     *bool     `json:"solved,omitempty"`
	Comment    string    `json:"comment,omitempty"`
	AgentID    string    `json:"agent_id"`
	Resolution int       `json:"resolution"`
}

// State is everything the metrics need to know about one ticket.
type State struct {
	Source        string              `json:"source"`
	ID            string              `json:"id"`
	CreatedAt     time.Time           `json:"created_at"` // zero: the created event was never seen
	Customer      *event.CustomerInfo `json:"customer,omitempty"`
	Priority      event.Priority      `json:"priority"`
	Tags          []string            `json:"tags,omitempty"`
	TicketType    string              `json:"ticket_type,omitempty"`
	Status        event.Status        `json:"status"`
	AssigneeID    string              `json:"assignee_id,omitempty"`
	Assignments   []Assignment        `json:"assignments,omitempty"`
	Statuses      []StatusChange      `json:"statuses,omitempty"`
	FirstResponse *Response           `json:"first_response,omitempty"`
	// PersonReplies are the public replies, before FirstResponse, by
	// people their source did not classify (event.Person); FirstResponseBy
	// lets the directory decide which of them were agents.
	PersonReplies []Response   `json:"person_replies,omitempty"`
	Resolutions   []Resolution `json:"resolutions,omitempty"`
	Reopens       []time.Time  `json:"reopens,omitempty"`
	Notes         []Note       `json:"notes,omitempty"`
	Answers       []Answer     `json:"answers,omitempty"`
	Events        int          `json:"events"` // distinct events folded
	LastEventAt   time.Time    `json:"last_event_at"`
}

// Reduce folds a ticket's events into its state. The events must belong to
// one ticket of one source; their order and duplicates do not matter. The
// input slice is not modified.
func Reduce(events []event.Event) State {
	ptrs := make([]*event.Event, len(events))
	for i := range events {
		ptrs[i] = &events[i]
	}
	return fold(canonical(ptrs))
}

// A Reducer reduces one ticket after another, as Reduce does, reusing its
// scratch space from one to the next. The zero value is ready to use; a
// Reducer is not safe for concurrent use (give each goroutine its own).
type Reducer struct {
	ptrs []*event.Event
}

// Reduce folds a ticket's events, given by pointer, into its state, as
// Reduce does. Neither the slice nor the events are modified.
func (r *Reducer) Reduce(events []*event.Event) State {
	r.ptrs = append(r.ptrs[:0], events...)
	s := fold(canonical(r.ptrs))
	clear(r.ptrs) // hold on to no event after the ticket
	return s
}

// Group gathers events into their tickets: each ticket's events, as
// pointers into events in their order there, and the tickets ordered by
// source, then id. Reducing each group in that order (Reducer) gives every
// ticket of the events once, in an order that does not depend on theirs.
// It copies no event (it needs about 20 bytes an event and 80 a ticket),
// and works on every core: the result is the same on any number.
func Group(events []event.Event) [][]*event.Event {
	workers := runtime.GOMAXPROCS(0)
	if len(events) < 1<<15 {
		workers = 1 // not worth the goroutines
	}
	return group(events, workers)
}

// groupKey names a ticket in group.
type groupKey struct{ source, id string }

func compareKeys(a, b groupKey) int {
	if c := strings.Compare(a.source, b.source); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// shard is one part of group's tickets: those whose keys hash to it.
type shard struct {
	events []int32    // the shard's events, by index, in events' order
	keys   []groupKey // its tickets, numbered in order of first event
	counts []int32    // events per ticket
	sorted []int32    // ticket numbers in key order (the merge eats it)
	next   []int32    // where a ticket's next event goes in the result
}

// group is Group on workers goroutines. The tickets are split by a hash
// of their keys into one shard a worker: each worker reads the events in
// order, numbering the tickets of its shard with a map of its own, and
// sorts them; a merge of the sorted shards gives each ticket its place.
// Which shard a ticket lands in, and so the hash's seed, changes nothing
// but who does the work.
func group(events []event.Event, workers int) [][]*event.Event {
	nShards := max(1, workers)
	seed := maphash.MakeSeed()
	shardOf := func(e *event.Event) int32 {
		if nShards == 1 {
			return 0
		}
		return int32((maphash.String(seed, e.TicketID) ^ maphash.String(seed, e.Source)) % uint64(nShards))
	}

	// Each worker takes a run of the events and counts them by shard, then
	// files them, in order, where the counts say.
	runs := nShards
	of := make([]int32, len(events)) // the event's shard, then its ticket's number in the shard
	perRun := make([][]int32, runs)  // counts, then offsets, by shard
	parallel(runs, func(r int) {
		counts := make([]int32, nShards)
		for i := r * len(events) / runs; i < (r+1)*len(events)/runs; i++ {
			sh := shardOf(&events[i])
			of[i] = sh
			counts[sh]++
		}
		perRun[r] = counts
	})
	shards := make([]shard, nShards)
	for sh := range shards {
		n := int32(0)
		for r := range runs {
			c := perRun[r][sh]
			perRun[r][sh] = n
			n += c
		}
		shards[sh].events = make([]int32, n)
	}
	parallel(runs, func(r int) {
		at := perRun[r]
		for i := r * len(events) / runs; i < (r+1)*len(events)/runs; i++ {
			sh := of[i]
			shards[sh].events[at[sh]] = int32(i)
			at[sh]++
		}
	})

	// Each shard numbers its tickets and sorts them.
	parallel(nShards, func(sh int) {
		s := &shards[sh]
		number := map[groupKey]int32{}
		for _, i := range s.events {
			k := groupKey{events[i].Source, events[i].TicketID}
			t, ok := number[k]
			if !ok {
				t = int32(len(s.keys))
				number[k] = t
				s.keys, s.counts = append(s.keys, k), append(s.counts, 0)
			}
			of[i] = t
			s.counts[t]++
		}
		s.sorted = make([]int32, len(s.keys))
		for t := range s.sorted {
			s.sorted[t] = int32(t)
		}
		slices.SortFunc(s.sorted, func(a, b int32) int { return compareKeys(s.keys[a], s.keys[b]) })
		s.next = make([]int32, len(s.keys))
	})

	// The merge: the tickets in key order, each given its place in one
	// backing array.
	tickets := 0
	m := merge{shards: shards}
	for sh := range shards {
		tickets += len(shards[sh].keys)
		if len(shards[sh].keys) > 0 {
			m.live = append(m.live, sh)
		}
	}
	heap.Init(&m)
	flat := make([]*event.Event, len(events))
	groups := make([][]*event.Event, 0, tickets)
	at := int32(0)
	for m.Len() > 0 {
		s := &shards[m.live[0]]
		t := s.sorted[0]
		if s.sorted = s.sorted[1:]; len(s.sorted) == 0 {
			heap.Pop(&m)
		} else {
			heap.Fix(&m, 0)
		}
		n := s.counts[t]
		groups = append(groups, flat[at:at+n:at+n])
		s.next[t] = at
		at += n
	}

	// Each shard files its events in place.
	parallel(nShards, func(sh int) {
		s := &shards[sh]
		for _, i := range s.events {
			t := of[i]
			flat[s.next[t]] = &events[i]
			s.next[t]++
		}
	})
	return groups
}

// merge is a heap of the shards with tickets left to merge, by the key of
// their next ticket (container/heap).
type merge struct {
	shards []shard
	live   []int
}

func (m *merge) head(i int) groupKey {
	s := &m.shards[m.live[i]]
	return s.keys[s.sorted[0]]
}

func (m *merge) Len() int           { return len(m.live) }
func (m *merge) Less(i, j int) bool { return compareKeys(m.head(i), m.head(j)) < 0 }
func (m *merge) Swap(i, j int)      { m.live[i], m.live[j] = m.live[j], m.live[i] }
func (m *merge) Push(x any)         { m.live = append(m.live, x.(int)) }
func (m *merge) Pop() any {
	x := m.live[len(m.live)-1]
	m.live = m.live[:len(m.live)-1]
	return x
}

// parallel calls fn(0), …, fn(n-1) on up to GOMAXPROCS goroutines, and
// returns when all have returned.
func parallel(n int, fn func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

func fold(evs []*event.Event) State {
	var s State
	s.presize(evs)
	for _, e := range evs {
		s.apply(e)
	}
	s.finish()
	return s
}

// presize gives the lists that grow with a ticket's events room for as
// many as its events can add: one allocation each, not one per doubling.
func (s *State) presize(evs []*event.Event) {
	var statuses, assignments, notes int
	for _, e := range evs {
		switch e.Type {
		case event.Created:
			statuses++
			assignments++
		case event.StatusChanged:
			statuses++
		case event.Assigned:
			assignments++
		case event.Note:
			notes++
		}
	}
	if statuses > 0 {
		s.Statuses = make([]StatusChange, 0, statuses)
	}
	if assignments > 0 {
		s.Assignments = make([]Assignment, 0, assignments)
	}
	if notes > 0 {
		s.Notes = make([]Note, 0, notes)
	}
}

// Canonical returns the events de-duplicated by id and in fold order. Of two
// events with the same id the one that sorts first is kept, so even a
// conflicting duplicate cannot make the result depend on arrival order.
func Canonical(events []event.Event) []event.Event {
	ptrs := make([]*event.Event, len(events))
	for i := range events {
		ptrs[i] = &events[i]
	}
	ptrs = canonical(ptrs)
	out := make([]event.Event, len(ptrs))
	for i, e := range ptrs {
		out[i] = *e
	}
	return out
}

// canonical reorders the pointers in place into Canonical's order, without
// the duplicates, and returns them. The events stay where they are: sorting
// pointers moves 8 bytes where sorting events would move a few hundred.
func canonical(evs []*event.Event) []*event.Event {
	slices.SortFunc(evs, func(a, b *event.Event) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return compare(a, b)
	})
	evs = slices.CompactFunc(evs, func(a, b *event.Event) bool { return a.ID == b.ID })
	slices.SortFunc(evs, compare)
	return evs
}

// Compare is the canonical total order of events: time, type rank, id, then
// every other field so that even conflicting duplicates order the same way.
func Compare(a, b event.Event) int { return compare(&a, &b) }

func compare(a, b *event.Event) int {
	if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Type.Rank(), b.Type.Rank()); c != 0 {
		return c
	}
	if c := strings.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	return cmp.Or(
		strings.Compare(string(a.Actor.Kind), string(b.Actor.Kind)),
		strings.Compare(a.Actor.ID, b.Actor.ID),
		strings.Compare(a.AssigneeID, b.AssigneeID),
		boolCompare(a.Public, b.Public),
		strings.Compare(string(a.Status), string(b.Status)),
		strings.Compare(string(a.Priority), string(b.Priority)),
		boolCompare(a.HasTags, b.HasTags),
		slices.Compare(a.Tags, b.Tags),
		strings.Compare(a.TicketType, b.TicketType),
		cmp.Compare(a.Rating, b.Rating),
		cmp.Compare(solvedRank(a.Solved), solvedRank(b.Solved)),
		strings.Compare(a.Comment, b.Comment),
		customerCompare(a.Customer, b.Customer),
		strings.Compare(a.Source, b.Source),
		strings.Compare(a.TicketID, b.TicketID),
	)
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func solvedRank(b *bool) int {
	switch {
	case b == nil:
		return 0
	case !*b:
		return 1
	}
	return 2
}

func customerCompare(a, b *event.CustomerInfo) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Email, b.Email), strings.Compare(a.Name, b.Name))
}

func (s *State) apply(e *event.Event) {
	if s.Events == 0 {
		s.Source, s.ID = e.Source, e.TicketID
	}
	s.Events++
	if e.OccurredAt.After(s.LastEventAt) {
		s.LastEventAt = e.OccurredAt
	}
	if e.Customer != nil && s.Customer == nil {
		c := *e.Customer
		s.Customer = &c
	}
	switch e.Type {
	case event.Created:
		if s.CreatedAt.IsZero() {
			s.CreatedAt = e.OccurredAt
		}
		s.setFields(e)
		if e.AssigneeID != "" {
			s.assign(e.OccurredAt, e.AssigneeID)
		}
		if e.Status != "" {
			s.transition(e, e.Status)
		} else if s.Status == "" {
			s.transition(e, event.StatusNew)
		}
	case event.Assigned:
		s.assign(e.OccurredAt, e.AssigneeID)
	case event.Replied:
		if !e.Public || e.Actor.ID == "" || s.FirstResponse != nil {
			break
		}
		switch {
		case e.Actor.Kind == event.Agent:
			s.FirstResponse = &Response{At: e.OccurredAt, AgentID: e.Actor.ID}
		case e.Actor.Kind == event.Person && (s.Customer == nil || e.Actor.ID != s.Customer.ID):
			s.PersonReplies = append(s.PersonReplies, Response{At: e.OccurredAt, AgentID: e.Actor.ID})
		}
	case event.Note:
		if e.Actor.Kind == event.Agent && e.Actor.ID != "" {
			s.Notes = append(s.Notes, Note{At: e.OccurredAt, AgentID: e.Actor.ID, AssigneeID: s.AssigneeID})
		}
	case event.StatusChanged:
		s.transition(e, e.Status)
	case event.PriorityChanged, event.TagsChanged:
		s.setFields(e)
	case event.SurveyAnswered:
		s.answer(e)
	}
}

func (s *State) setFields(e *event.Event) {
	if e.Priority != "" {
		s.Priority = e.Priority
	}
	if e.HasTags {
		s.Tags = slices.Clone(e.Tags)
	}
	if e.TicketType != "" {
		s.TicketType = e.TicketType
	}
}

func (s *State) assign(at time.Time, agent string) {
	if agent == s.AssigneeID {
		return
	}
	s.AssigneeID = agent
	s.Assignments = append(s.Assignments, Assignment{At: at, AgentID: agent})
}

func (s *State) transition(e *event.Event, to event.Status) {
	at := e.OccurredAt
	from := s.Status
	if from == to || to == "" {
		return
	}
	s.Statuses = append(s.Statuses, StatusChange{At: at, From: from, To: to})
	switch {
	case to.Done() && !from.Done():
		s.Resolutions = append(s.Resolutions, Resolution{At: at, AgentID: s.AssigneeID, Imported: e.Imported})
	case from.Done() && !to.Done():
		s.Reopens = append(s.Reopens, at)
	}
	s.Status = to
}

func (s *State) answer(e *event.Event) {
	idx := len(s.Resolutions) - 1
	agent := s.AssigneeID
	if idx >= 0 {
		agent = s.Resolutions[idx].AgentID
	}
	// The survey flow names the engineer it credited at resolution; that
	// credit stands even if the ticket was reassigned since.
	if e.AssigneeID != "" {
		agent = e.AssigneeID
	}
	a := Answer{At: e.OccurredAt, EventID: e.ID, Rating: e.Rating, Solved: e.Solved, Comment: e.Comment, AgentID: agent, Resolution: idx}
	for i := range s.Answers {
		if s.Answers[i].Resolution == idx {
			s.Answers[i] = a
			return
		}
	}
	s.Answers = append(s.Answers, a)
}

func (s *State) finish() {
	if s.Priority == "" {
		s.Priority = event.Normal
	}
	if s.Status == "" {
		s.Status = event.StatusNew
	}
	// Lists presize made room in that stayed empty are none, as ever.
	if len(s.Statuses) == 0 {
		s.Statuses = nil
	}
	if len(s.Assignments) == 0 {
		s.Assignments = nil
	}
	if len(s.Notes) == 0 {
		s.Notes = nil
	}
}

// FirstResponseBy is the first public reply by an agent, where isAgent
// decides for the replies by people the source did not classify (a mapped
// engineer is an agent): the earliest of FirstResponse and the person
// replies isAgent accepts.
func (s *State) FirstResponseBy(isAgent func(id string) bool) *Response {
	for i := range s.PersonReplies {
		if r := &s.PersonReplies[i]; isAgent(r.AgentID) {
			return r // person replies all precede FirstResponse
		}
	}
	return s.FirstResponse
}

// HasCreation reports whether the created event was seen; time-based
// metrics skip tickets whose creation is unknown.
func (s *State) HasCreation() bool { return !s.CreatedAt.IsZero() }

// FinalResolution is the resolution that stands: the last one, if the ticket
// is resolved or closed now.
func (s *State) FinalResolution() (Resolution, bool) {
	if !s.Status.Done() || len(s.Resolutions) == 0 {
		return Resolution{}, false
	}
	return s.Resolutions[len(s.Resolutions)-1], true
}

// FirstResolution is the first time the ticket was resolved, if ever.
func (s *State) FirstResolution() (Resolution, bool) {
	if len(s.Resolutions) == 0 {
		return Resolution{}, false
	}
	return s.Resolutions[0], true
}

// ReopenedWithin reports whether the ticket was reopened after `at` and no
// later than at+window.
func (s *State) ReopenedWithin(at time.Time, window time.Duration) bool {
	for _, r := range s.Reopens {
		if r.After(at) && !r.After(at.Add(window)) {
			return true
		}
	}
	return false
}

// AssigneeAt is the assignee in force at t ("" if none).
func (s *State) AssigneeAt(t time.Time) string {
	i := sort.Search(len(s.Assignments), func(i int) bool { return s.Assignments[i].At.After(t) })
	if i == 0 {
		return ""
	}
	return s.Assignments[i-1].AgentID
}

// StatusAt is the status in force at t (new before any status was known).
func (s *State) StatusAt(t time.Time) event.Status {
	i := sort.Search(len(s.Statuses), func(i int) bool { return s.Statuses[i].At.After(t) })
	if i == 0 || s.Statuses[i-1].To == "" {
		return event.StatusNew
	}
	return s.Statuses[i-1].To
}

// Working returns the spans from creation during which the engineer's clock
// runs: the ticket is new, open or on hold. It stops while the ticket is
// pending (waiting on the customer) and while it is resolved or closed (a
// reopen starts it again). The last interval is open-ended if the ticket is
// still in a running status. A ticket without a known creation has none.
func (s *State) Working() []calendar.Interval { return s.AppendWorking(nil) }

// AppendWorking appends Working's spans to dst and returns the result: a
// caller measuring ticket after ticket can reuse one buffer.
func (s *State) AppendWorking(dst []calendar.Interval) []calendar.Interval {
	if !s.HasCreation() {
		return dst
	}
	out := dst
	cur := s.StatusAt(s.CreatedAt)
	start := s.CreatedAt
	for _, c := range s.Statuses {
		if !c.At.After(s.CreatedAt) {
			continue
		}
		if running(cur) == running(c.To) {
			cur = c.To
			continue
		}
		if running(cur) {
			out = append(out, calendar.Interval{Start: start, End: c.At})
		} else {
			start = c.At
		}
		cur = c.To
	}
	if running(cur) {
		out = append(out, calendar.Interval{Start: start})
	}
	return out
}

func running(s event.Status) bool {
	return s == event.StatusNew || s == event.StatusOpen || s == event.StatusOnHold || s == ""
}

// HasTag reports whether the ticket carries tag (tags are lower case).
func (s *State) HasTag(tag string) bool {
	_, ok := slices.BinarySearch(s.Tags, tag)
	return ok
}

// Key names a ticket: its source and its id there.
type Key struct{ Source, ID string }

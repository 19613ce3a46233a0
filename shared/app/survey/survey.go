package survey

import (
	"context"
	"sync"
	"time"

	"scorecard/shared/core/errcode"
)

// ChangeWindow: an answer may be changed within 24 h of the first answer.
const ChangeWindow = 24 * time.Hour

// MaxComment is the longest comment accepted, in characters.
const MaxComment = 2000

// Answer is a customer's answer to a survey.
type Answer struct {
	Rating  int       // 1–5
	Solved  *bool     // "was your problem solved?"; nil when not answered
	Comment string    // optional, at most MaxComment characters
	At      time.Time // when this version of the answer was given
	FirstAt time.Time // when the survey was first answered: the change window starts here
}

// Survey is one satisfaction survey, sent once per final resolution of a
// ticket.
type Survey struct {
	ID               string
	Source, TicketID string
	Resolution       int       // which resolution of the ticket (1 for the first; a reopen + re-resolve is 2)
	ResolvedAt       time.Time // the final resolution the survey is about
	EngineerAgentID  string    // credited at resolution, never looked up later
	CustomerKey      string    // a stable key for the customer (source + customer id or lower-cased email)
	CustomerID       string    // the customer's id in the source, for an address the webhooks left out
	CustomerEmail    string    // "" until looked up, when the webhooks carried none
	CustomerName     string
	Locale           string // the customer's language: "zh-CN" or "en" (anything else is English)
	DueAt            time.Time
	SentAt           time.Time
	ExpiresAt        time.Time // the links' expiry (the policy's link validity after sending)
	Answer           *Answer   // nil until answered
}

// Changeable says whether the survey's answer may still be given or changed
// at now: unanswered, or first answered less than ChangeWindow ago.
func (s Survey) Changeable(now time.Time) bool {
	return s.Answer == nil || now.Before(s.Answer.FirstAt.Add(ChangeWindow))
}

// Store is what the survey pages need from storage.
type Store interface {
	// Survey returns the survey; errcode.NotFound when there is none.
	Survey(ctx context.Context, id string) (Survey, error)
	// Answer records the answer, or changes it within ChangeWindow of the
	// first answer, and returns the survey as stored. The store sets
	// a.FirstAt (the first answer's time, or now) and a.At (now).
	// errcode.Conflict when the first answer is ChangeWindow old or older;
	// errcode.NotFound when there is no such survey.
	Answer(ctx context.Context, id string, a Answer, now time.Time) (Survey, error)
	// OptOut records that the customer wants no more surveys. Idempotent:
	// the first time is kept.
	OptOut(ctx context.Context, customerKey string, now time.Time) error
}

var _ Store = (*MemStore)(nil)

// MemStore is a thread-safe in-memory Store, for tests and local use. It
// hands out copies: changing a returned Survey never changes the store.
type MemStore struct {
	mu      sync.Mutex
	surveys map[string]Survey
	optOuts map[string]time.Time
}

// NewMemStore returns a MemStore holding the given surveys.
func NewMemStore(surveys ...Survey) *MemStore {
	m := &MemStore{surveys: map[string]Survey{}, optOuts: map[string]time.Time{}}
	for _, s := range surveys {
		m.Put(s)
	}
	return m
}

// Put adds or replaces a survey.
func (m *MemStore) Put(s Survey) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.surveys == nil {
		m.surveys = map[string]Survey{}
	}
	m.surveys[s.ID] = clone(s)
}

// Survey implements Store.
func (m *MemStore) Survey(_ context.Context, id string) (Survey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.surveys[id]
	if !ok {
		return Survey{}, errcode.Errorf(errcode.NotFound, "survey not found")
	}
	return clone(s), nil
}

// Answer implements Store.
func (m *MemStore) Answer(_ context.Context, id string, a Answer, now time.Time) (Survey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.surveys[id]
	if !ok {
		return Survey{}, errcode.Errorf(errcode.NotFound, "survey not found")
	}
	if !s.Changeable(now) {
		return Survey{}, errcode.Errorf(errcode.Conflict, "already answered")
	}
	a.At, a.FirstAt = now, now
	if s.Answer != nil {
		a.FirstAt = s.Answer.FirstAt
	}
	s.Answer = &a
	s = clone(s)
	m.surveys[id] = s
	return clone(s), nil
}

// OptOut implements Store.
func (m *MemStore) OptOut(_ context.Context, customerKey string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.optOuts == nil {
		m.optOuts = map[string]time.Time{}
	}
	if _, ok := m.optOuts[customerKey]; !ok {
		m.optOuts[customerKey] = now
	}
	return nil
}

// OptedOut says whether, and since when, the customer opted out.
func (m *MemStore) OptedOut(customerKey string) (time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	at, ok := m.optOuts[customerKey]
	return at, ok
}

// clone copies s deeply (the answer and its Solved pointer).
func clone(s Survey) Survey {
	if s.Answer != nil {
		a := *s.Answer
		if a.Solved != nil {
			v := *a.Solved
			a.Solved = &v
		}
		s.Answer = &a
	}
	return s
}

package surveyform

import (
	"context"
	"sync"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/survey"
	"scorecard/shared/devkit/formtest"
)

var _ survey.Store = (*MemStore)(nil)

// MemStore is a thread-safe in-memory Store for the tests. It hands out
// copies: changing a returned Survey never changes the store.
// The zero value is ready to use.
type MemStore struct {
	surveys formtest.Records[survey.Survey]
	mu      sync.Mutex
	optOuts map[string]time.Time
}

func (m *MemStore) table() *formtest.Records[survey.Survey] { return m.surveys.Of("survey", clone) }

// NewMemStore returns a MemStore holding the given surveys.
func NewMemStore(surveys ...survey.Survey) *MemStore {
	m := &MemStore{}
	for _, s := range surveys {
		m.Put(s)
	}
	return m
}

// Put adds or replaces a survey.
func (m *MemStore) Put(s survey.Survey) { m.table().Put(s.ID, s) }

// Survey implements Store.
func (m *MemStore) Survey(_ context.Context, id string) (survey.Survey, error) {
	return m.table().Get(id)
}

// Answer implements Store.
func (m *MemStore) Answer(_ context.Context, id string, a survey.Answer, now time.Time) (survey.Survey, error) {
	return m.table().Update(id, func(s survey.Survey) (survey.Survey, error) {
		if !s.Changeable(now) {
			return survey.Survey{}, errcode.Errorf(errcode.Conflict, "already answered")
		}
		a.At, a.FirstAt = now, now
		if s.Answer != nil {
			a.FirstAt = s.Answer.FirstAt
		}
		s.Answer = &a
		return s, nil
	})
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
func clone(s survey.Survey) survey.Survey {
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

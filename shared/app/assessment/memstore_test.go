package assessment

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/devkit/formtest"
)

var _ Store = (*MemStore)(nil)

// MemStore is a thread-safe in-memory Store for the tests. It hands out
// copies: changing a returned Assessment never changes the store.
// The zero value is ready to use.
type MemStore struct {
	once        sync.Once
	assessments formtest.Records[Assessment]
}

func (m *MemStore) table() *formtest.Records[Assessment] {
	m.once.Do(func() { m.assessments.What, m.assessments.Clone = "assessment", clone })
	return &m.assessments
}

// NewMemStore returns a MemStore holding the given assessments.
func NewMemStore(as ...Assessment) *MemStore {
	m := &MemStore{}
	for _, a := range as {
		m.Put(a)
	}
	return m
}

// Put adds or replaces an assessment.
func (m *MemStore) Put(a Assessment) { m.table().Put(a.ID, a) }

// Assessment implements Store.
func (m *MemStore) Assessment(_ context.Context, id string) (Assessment, error) {
	return m.table().Get(id)
}

// Submit implements Store.
func (m *MemStore) Submit(_ context.Context, id string, answers map[string]Scores, now time.Time) (Assessment, error) {
	return m.table().Update(id, func(a Assessment) (Assessment, error) {
		if !a.Open(now) {
			return Assessment{}, errcode.Errorf(errcode.Gone, "the assessment is closed")
		}
		if err := a.CheckAnswers(answers); err != nil {
			return Assessment{}, err
		}
		a.Answers = maps.Clone(answers)
		a.SubmittedAt = now
		return a, nil
	})
}

// clone copies a deeply (engineers and answers).
func clone(a Assessment) Assessment {
	a.Engineers = slices.Clone(a.Engineers)
	a.Answers = maps.Clone(a.Answers)
	return a
}

package assessmentform

import (
	"context"
	"maps"
	"slices"
	"time"

	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
	"scorecard/shared/devkit/formtest"
)

var _ assessment.Store = (*MemStore)(nil)

// MemStore is a thread-safe in-memory Store for the tests. It hands out
// copies: changing a returned Assessment never changes the store.
// The zero value is ready to use.
type MemStore struct {
	assessments formtest.Records[assessment.Assessment]
}

func (m *MemStore) table() *formtest.Records[assessment.Assessment] {
	return m.assessments.Of("assessment", clone)
}

// NewMemStore returns a MemStore holding the given assessments.
func NewMemStore(as ...assessment.Assessment) *MemStore {
	m := &MemStore{}
	for _, a := range as {
		m.Put(a)
	}
	return m
}

// Put adds or replaces an assessment.
func (m *MemStore) Put(a assessment.Assessment) { m.table().Put(a.ID, a) }

// Assessment implements Store.
func (m *MemStore) Assessment(_ context.Context, id string) (assessment.Assessment, error) {
	return m.table().Get(id)
}

// Submit implements Store.
func (m *MemStore) Submit(_ context.Context, id string, answers map[string]assessment.Scores, now time.Time) (assessment.Assessment, error) {
	return m.table().Update(id, func(a assessment.Assessment) (assessment.Assessment, error) {
		if !a.Open(now) {
			return assessment.Assessment{}, errcode.Errorf(errcode.Gone, "the assessment is closed")
		}
		if err := a.CheckAnswers(answers); err != nil {
			return assessment.Assessment{}, err
		}
		a.Answers = maps.Clone(answers)
		a.SubmittedAt = now
		return a, nil
	})
}

// clone copies a deeply (engineers and answers).
func clone(a assessment.Assessment) assessment.Assessment {
	a.Engineers = slices.Clone(a.Engineers)
	a.Answers = maps.Clone(a.Answers)
	return a
}

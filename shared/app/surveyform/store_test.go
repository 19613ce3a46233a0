package surveyform_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"scorecard/shared/app/surveyform"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/survey"
)

func TestMemStore(t *testing.T) {
	ctx := context.Background()
	t.Run("the first answer sets both times, a change keeps the first", func(t *testing.T) {
		m := surveyform.NewMemStore(sample("en"))
		got, err := m.Answer(ctx, surveyID, survey.Answer{Rating: 2}, now)
		if err != nil || !got.Answer.FirstAt.Equal(now) || !got.Answer.At.Equal(now) {
			t.Fatalf("%+v %v", got.Answer, err)
		}
		later := now.Add(survey.ChangeWindow - time.Second)
		got, err = m.Answer(ctx, surveyID, survey.Answer{Rating: 4, FirstAt: later}, later)
		if err != nil || got.Answer.Rating != 4 || !got.Answer.FirstAt.Equal(now) || !got.Answer.At.Equal(later) {
			t.Fatalf("%+v %v", got.Answer, err)
		}
		if _, err := m.Answer(ctx, surveyID, survey.Answer{Rating: 1}, now.Add(survey.ChangeWindow)); errcode.Code(err) != errcode.Conflict {
			t.Errorf("after the window: %v", err)
		}
		if s, _ := m.Survey(ctx, surveyID); s.Answer.Rating != 4 {
			t.Errorf("a refused change changed the answer: %+v", s.Answer)
		}
	})
	t.Run("callers get copies", func(t *testing.T) {
		m := surveyform.NewMemStore(answered("en", now))
		s, _ := m.Survey(ctx, surveyID)
		s.Answer.Rating = 1
		*s.Answer.Solved = true
		again, _ := m.Survey(ctx, surveyID)
		if again.Answer.Rating != 3 || *again.Answer.Solved {
			t.Errorf("the stored answer changed through a copy: %+v", again.Answer)
		}
	})
	t.Run("opting out is idempotent and keeps the first time", func(t *testing.T) {
		var m surveyform.MemStore // the zero value works
		if _, ok := m.OptedOut("k"); ok {
			t.Fatal("opted out before asking")
		}
		m.OptOut(ctx, "k", now)
		m.OptOut(ctx, "k", now.Add(time.Hour))
		if at, ok := m.OptedOut("k"); !ok || !at.Equal(now) {
			t.Errorf("opted out %v at %v", ok, at)
		}
		m.Put(sample("en"))
		if _, err := m.Survey(ctx, surveyID); err != nil {
			t.Error(err)
		}
	})
	t.Run("concurrent answers are safe", func(t *testing.T) {
		m := surveyform.NewMemStore(sample("en"))
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.Answer(ctx, surveyID, survey.Answer{Rating: i%5 + 1}, now.Add(time.Duration(i)*time.Second))
				m.Survey(ctx, surveyID)
				m.OptOut(ctx, "k", now)
			}()
		}
		wg.Wait()
		if s, _ := m.Survey(ctx, surveyID); s.Answer == nil || !s.Changeable(now) {
			t.Errorf("%+v", s.Answer)
		}
	})
}

package assessmentform_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/assessmentform"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
)

func TestID(t *testing.T) {
	id := assessment.ID(october, assessment.Lead, "zhou.min@example.com")
	if len(id) != 16 || strings.ContainsAny(id, "+/=") {
		t.Errorf("id %q is not 16 base64url characters", id)
	}
	if got := assessment.ID(october, assessment.Lead, "zhou.min@example.com"); got != id {
		t.Errorf("not stable: %q, %q", id, got)
	}
	if got := assessment.ID(october, assessment.Lead, " Zhou.Min@Example.COM "); got != id {
		t.Errorf("a lead's e-mail is compared lower-cased and trimmed: %q, %q", id, got)
	}
	others := map[string]string{
		"another month":    assessment.ID(october.Add(1), assessment.Lead, "zhou.min@example.com"),
		"another kind":     assessment.ID(october, assessment.Self, "zhou.min@example.com"),
		"another assessor": assessment.ID(october, assessment.Lead, "li.na@example.com"),
	}
	for name, other := range others {
		if other == id {
			t.Errorf("%s has the same id", name)
		}
	}
	if assessment.ID(october, assessment.Self, "e014") == assessment.ID(october, assessment.Self, "E014") {
		t.Error("engineer ids are not case-folded")
	}
	// A known value, so that a changed derivation cannot go unnoticed:
	// base64url(sha256("2026-10|self|E014"))[:16].
	if got, want := assessment.ID(october, assessment.Self, "E014"), "8IwyMYnXg9RplCJE"; got != want {
		t.Errorf("ID = %q, want %q", got, want)
	}
}

func TestMemStore(t *testing.T) {
	ctx := context.Background()
	t.Run("submitting stores the answers and the time; again replaces them", func(t *testing.T) {
		m := assessmentform.NewMemStore(lead("en"))
		got, err := m.Submit(ctx, leadID, fixtureAnswers, now)
		if err != nil || !got.Submitted() || !got.SubmittedAt.Equal(now) {
			t.Fatalf("%+v %v", got.Answers, err)
		}
		if diff := cmp.Diff(fixtureAnswers, got.Answers); diff != "" {
			t.Error(diff)
		}
		later := deadline.Add(-time.Second)
		again := submitted("en", now).Answers
		got, err = m.Submit(ctx, leadID, again, later)
		if err != nil || !got.SubmittedAt.Equal(later) {
			t.Fatalf("%v %v", got.SubmittedAt, err)
		}
		stored, _ := m.Assessment(ctx, leadID)
		if diff := cmp.Diff(again, stored.Answers); diff != "" {
			t.Error(diff)
		}
	})
	t.Run("at the deadline it is gone and nothing changes", func(t *testing.T) {
		m := assessmentform.NewMemStore(submitted("en", now))
		if _, err := m.Submit(ctx, leadID, fixtureAnswers, deadline); errcode.Code(err) != errcode.Gone {
			t.Errorf("Submit: %v", err)
		}
		stored, _ := m.Assessment(ctx, leadID)
		if diff := cmp.Diff(submitted("en", now).Answers, stored.Answers); diff != "" {
			t.Error(diff)
		}
	})
	t.Run("answers that do not fit are refused", func(t *testing.T) {
		// change edits one engineer's scores.
		change := func(id string, edit func(*assessment.Scores)) func(map[string]assessment.Scores) {
			return func(a map[string]assessment.Scores) { s := a[id]; edit(&s); a[id] = s }
		}
		for name, edit := range map[string]func(map[string]assessment.Scores){
			"an engineer missing":         func(a map[string]assessment.Scores) { delete(a, "E015") },
			"someone not on the form":     func(a map[string]assessment.Scores) { a["E099"] = assessment.Scores{} },
			"a score over 100":            change("E014", func(s *assessment.Scores) { s.Collaboration = 100.5 }),
			"a negative score":            change("E014", func(s *assessment.Scores) { s.Attitude = -1 }),
			"two decimals":                change("E016", func(s *assessment.Scores) { s.ProblemSolving = 80.25 }),
			"not a number":                change("E016", func(s *assessment.Scores) { s.ProblemSolving = math.NaN() }),
			"a comment over 2000":         change("E016", func(s *assessment.Scores) { s.Comment = strings.Repeat("x", 2001) }),
			"a comment that is not UTF-8": change("E016", func(s *assessment.Scores) { s.Comment = "\xff" }),
		} {
			t.Run(name, func(t *testing.T) {
				m := assessmentform.NewMemStore(lead("en"))
				answers := map[string]assessment.Scores{}
				for k, v := range fixtureAnswers {
					answers[k] = v
				}
				edit(answers)
				if _, err := m.Submit(ctx, leadID, answers, now); errcode.Code(err) != errcode.Invalid {
					t.Errorf("Submit: %v", err)
				}
				if stored, _ := m.Assessment(ctx, leadID); stored.Submitted() {
					t.Error("refused answers were stored")
				}
			})
		}
	})
	t.Run("callers get copies", func(t *testing.T) {
		m := assessmentform.NewMemStore(submitted("en", now))
		a, _ := m.Assessment(ctx, leadID)
		a.Engineers[0].Name = "changed"
		a.Answers["E014"] = assessment.Scores{}
		again, _ := m.Assessment(ctx, leadID)
		if again.Engineers[0].Name != "Li Wei" || again.Answers["E014"].Attitude != 70 {
			t.Errorf("the stored assessment changed through a copy: %+v", again)
		}
		answers := map[string]assessment.Scores{}
		for k, v := range fixtureAnswers {
			answers[k] = v
		}
		if _, err := m.Submit(ctx, leadID, answers, now); err != nil {
			t.Fatal(err)
		}
		answers["E014"] = assessment.Scores{}
		if again, _ := m.Assessment(ctx, leadID); again.Answers["E014"].Attitude != 88 {
			t.Error("the stored answers changed through the caller's map")
		}
	})
	t.Run("the zero value works and is safe for concurrent use", func(t *testing.T) {
		var m assessmentform.MemStore
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := self("en")
				a.ID = fmt.Sprintf("a%d", i)
				m.Put(a)
				if _, err := m.Submit(ctx, a.ID, map[string]assessment.Scores{"E014": {Attitude: 1, ProblemSolving: 2, Collaboration: 3}}, now); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if a, err := m.Assessment(ctx, "a7"); err != nil || !a.Submitted() {
			t.Errorf("%v %v", a, err)
		}
	})
}

func TestOpen(t *testing.T) {
	a := lead("en")
	if !a.Open(deadline.Add(-time.Nanosecond)) || a.Open(deadline) || a.Open(deadline.Add(time.Hour)) {
		t.Error("the form is open while now < Deadline")
	}
}

// Printing an assessment names it without the assessor: %v in a log line
// cannot leak an e-mail address or a score.
func TestStringNamesNobody(t *testing.T) {
	a := submitted("en", now)
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%+v", a), fmt.Sprintf("%v", []assessment.Assessment{a})} {
		if strings.Contains(strings.ToLower(s), "zhou") || strings.Contains(s, "Needs to document") || !strings.Contains(s, leadID) {
			t.Errorf("printed as %q", s)
		}
	}
	if got, want := a.String(), leadID+" (lead 2026-10)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

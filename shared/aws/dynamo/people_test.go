package dynamo_test

import (
	"context"
	"testing"
	"time"

	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/records"
)

func TestRecordsAreUpsertedByID(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	oct := month.Month{Year: 2026, Month: time.October}
	recs := []records.Record{
		{ID: "a", Kind: records.Training, EngineerID: "E1", Date: time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC), Hours: 2},
		{ID: "b", Kind: records.Knowledge, EngineerID: "E1", Date: time.Date(2026, 10, 4, 0, 0, 0, 0, time.UTC), Score: 80},
		{ID: "c", Kind: records.Knowledge, EngineerID: "E1", Date: time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC), Score: 70},
	}
	for range 2 {
		if err := s.PutRecords(ctx, recs); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Records(ctx, oct)
	if err != nil || len(got) != 2 {
		t.Fatalf("October: %d records, %v", len(got), err)
	}
}

func TestAssessmentClosesAtItsDeadline(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	oct := month.Month{Year: 2026, Month: time.October}
	deadline := time.Date(2026, 10, 31, 21, 0, 0, 0, time.UTC)
	a := assessment.Assessment{ID: assessment.ID(oct, assessment.Self, "E1"), Month: oct, Kind: assessment.Self, AssessorKey: "E1",
		Engineers: []assessment.Engineer{{ID: "E1", Name: "Ann"}}, Deadline: deadline}
	if created, err := s.PutAssessment(ctx, a); err != nil || !created {
		t.Fatalf("%v %v", created, err)
	}
	if created, _ := s.PutAssessment(ctx, a); created {
		t.Error("a round started twice created the assessment again")
	}
	answers := map[string]assessment.Scores{"E1": {Attitude: 90, ProblemSolving: 80, Collaboration: 70}}
	if _, err := s.Submit(ctx, a.ID, answers, deadline.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, a.ID, map[string]assessment.Scores{}, deadline.Add(-time.Minute)); errcode.Code(err) != errcode.Invalid {
		t.Errorf("answers missing an engineer: %v", err)
	}
	if _, err := s.Submit(ctx, a.ID, answers, deadline); errcode.Code(err) != errcode.Gone {
		t.Errorf("at the deadline: %v", err)
	}
	list, err := s.Assessments(ctx, oct)
	if err != nil || len(list) != 1 || list[0].Answers["E1"].Attitude != 90 {
		t.Errorf("listed %+v %v", list, err)
	}
}

package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/quality"
)

// TestReviewsOnDynamoDBLocal: a month's assignments stand as first drawn;
// each reviewer reviews a ticket once; reviews read back whole.
func TestReviewsOnDynamoDBLocal(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	oct := month.Month{Year: 2026, Month: time.October}
	pick := func(ticket string, double bool) quality.Pick {
		return quality.Pick{Candidate: quality.Candidate{Source: "jira", TicketID: ticket, EngineerID: "E#1", Reopened: true}, Drawn: quality.DrawnInformative, Double: double}
	}
	first := []quality.Assignment{{Pick: pick("10042", true), Reviewers: []string{"lee@example.com", "sue@example.com"}}, {Pick: pick("10043", false), Reviewers: []string{"lee@example.com"}}}
	if err := st.PutReviewAssignments(ctx, oct, first); err != nil {
		t.Fatal(err)
	}
	again := []quality.Assignment{{Pick: pick("10042", false), Reviewers: []string{"wu@example.com"}}}
	if err := st.PutReviewAssignments(ctx, oct, again); err != nil {
		t.Fatal(err)
	}
	got, err := st.ReviewAssignments(ctx, oct)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}

	r := quality.Review{Month: oct, EngineerID: "E#1", Team: "north", Source: "jira", TicketID: "10042", Reviewer: "lee@example.com",
		Ratings: quality.Ratings{"solution": 0, "diagnosis": 3}, Comments: map[string]string{"solution": "Wrong firmware"}, Score: 0, Failed: []string{"solution"},
		At: time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC)}
	if err := st.PutReview(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := st.PutReview(ctx, r); errcode.Code(err) != errcode.Conflict {
		t.Errorf("the same review again: %v, want a conflict", err)
	}
	other := r
	other.Reviewer, other.Score, other.Failed, other.Ratings = "sue@example.com", 70, nil, quality.Ratings{"solution": 3, "diagnosis": 2}
	if err := st.PutReview(ctx, other); err != nil {
		t.Fatal(err)
	}
	reviews, err := st.Reviews(ctx, oct)
	if err != nil || len(reviews) != 2 {
		t.Fatalf("%d reviews, %v", len(reviews), err)
	}
	byWho := map[string]quality.Review{}
	for _, x := range reviews {
		byWho[x.Reviewer] = x
	}
	if diff := cmp.Diff(r, byWho["lee@example.com"]); diff != "" {
		t.Errorf("Lee's review (-want +got):\n%s", diff)
	}
}

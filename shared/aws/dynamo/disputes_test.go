package dynamo_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

func openDispute(m month.Month, eng, ticket string, at time.Time) dispute.Dispute {
	return dispute.Dispute{ID: dispute.ID(m, eng, metric.CompletionRate, "zendesk", ticket), Month: m, EngineerID: eng,
		Metric: metric.CompletionRate, Source: "zendesk", TicketID: ticket, Reason: dispute.Duplicate, Comment: "twice",
		OpenedAt: at, Arbiter: "lee@example.com", Status: dispute.Open}
}

// TestDisputeLifecycle on DynamoDB Local: opened once, settled once, an
// accepted dispute's exclusion written with it, the audit trail complete.
func TestDisputeLifecycle(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	oct := month.Month{Year: 2026, Month: time.October}
	opened := time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC)
	a, b := openDispute(oct, "E1", "41", opened), openDispute(oct, "E1", "42", opened.Add(time.Minute))
	for _, d := range []dispute.Dispute{a, b} {
		if err := st.OpenDispute(ctx, d, 5); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.OpenDispute(ctx, a, 5); errcode.Code(err) != errcode.Conflict {
		t.Errorf("the same place again: %v, want a conflict", err)
	}
	got, err := st.Disputes(ctx, oct)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dispute.Dispute{a, b}, got); diff != "" {
		t.Errorf("disputes (-want +got):\n%s", diff)
	}

	acc, err := dispute.Settle(a, dispute.Decision{Accept: true, By: "lee@example.com", Answer: "merged", At: opened.Add(time.Hour)}, "e1@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SettleDispute(ctx, acc); err != nil {
		t.Fatal(err)
	}
	rej, _ := dispute.Settle(a, dispute.Decision{Accept: false, By: "lee@example.com", Answer: "replayed", At: opened.Add(2 * time.Hour)}, "e1@example.com")
	if err := st.SettleDispute(ctx, rej); errcode.Code(err) != errcode.Conflict {
		t.Errorf("settling a settled dispute: %v, want a conflict", err)
	}
	again, err := st.Dispute(ctx, oct, "E1", a.ID)
	if err != nil || again.Status != dispute.Accepted || again.Answer != "merged" {
		t.Errorf("after a replay: %+v, %v", again, err)
	}
	xs, err := st.Exclusions(ctx, oct)
	if err != nil || len(xs) != 1 || xs[0].Key() != metric.ExclusionKey("E1", metric.CompletionRate, "zendesk", "41") || xs[0].By != "lee@example.com" {
		t.Errorf("exclusions %+v, %v", xs, err)
	}
	if err := st.MarkDisputeApplied(ctx, again); err != nil {
		t.Fatal(err)
	}
	if d, _ := st.Dispute(ctx, oct, "E1", a.ID); !d.Applied {
		t.Error("not marked applied")
	}
	if err := st.MarkDisputeApplied(ctx, b); err == nil {
		t.Error("an open dispute marked applied")
	}
	if _, err := st.Dispute(ctx, oct, "E2", a.ID); errcode.Code(err) != errcode.NotFound {
		t.Errorf("another engineer's key: %v", err)
	}
	if n := auditSteps(t, st, oct); n != 3 {
		t.Errorf("%d dispute audit entries, want 3 (two opened, one accepted)", n)
	}
}

// TestDisputeLimitUnderRace: ten forms posted at once open exactly the
// policy's limit of disputes; the rest are conflicts, nothing half-written.
func TestDisputeLimitUnderRace(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	oct := month.Month{Year: 2026, Month: time.October}
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.OpenDispute(ctx, openDispute(oct, "E1", fmt.Sprint(100+i), time.Date(2026, 11, 3, 2, 0, i, 0, time.UTC)), 3)
		}()
	}
	wg.Wait()
	opened := 0
	for _, err := range errs {
		switch {
		case err == nil:
			opened++
		case errcode.Code(err) != errcode.Conflict && errcode.Code(err) != errcode.Unavailable:
			t.Errorf("unexpected %v", err)
		}
	}
	got, err := st.Disputes(ctx, oct)
	if err != nil {
		t.Fatal(err)
	}
	if opened > 3 || len(got) != opened || opened == 0 {
		t.Errorf("%d opened, %d stored; the limit is 3", opened, len(got))
	}
}

func auditSteps(t *testing.T, st *dynamo.Store, m month.Month) int {
	t.Helper()
	entries, err := st.Audit(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Dispute != nil && e.Step != "" {
			n++
		}
	}
	return n
}

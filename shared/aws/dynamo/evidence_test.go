package dynamo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

// TestEvidenceRoundTrip: chunks written in any order come back whole, in
// chunk order, on DynamoDB Local; a rerun's evidence (another as-of) stands
// apart from the first run's; another engineer's is not mixed in.
func TestEvidenceRoundTrip(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	oct := month.Month{Year: 2026, Month: time.October}
	first, rerun := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	mk := func(eng string, n, from int) []metric.Contribution {
		var out []metric.Contribution
		for i := range n {
			out = append(out, metric.Contribution{EngineerID: eng, Metric: metric.ResolutionSLARate, Source: "zendesk",
				TicketID: fmt.Sprint(from + i), Den: 1, Hours: float64(i) / 4, Limit: 8, Priority: "high"})
		}
		return out
	}
	ann := mk("E1", 2*metric.MaxChunk+5, 1000)
	chunks := []metric.Chunk{
		{EngineerID: "E1", Seq: 2, Items: ann[2*metric.MaxChunk:]},
		{EngineerID: "E2", Seq: 0, Items: mk("E2", 3, 1)},
		{EngineerID: "E1", Seq: 0, Items: ann[:metric.MaxChunk]},
		{EngineerID: "E1", Seq: 1, Items: ann[metric.MaxChunk : 2*metric.MaxChunk]},
	}
	if err := st.PutEvidence(ctx, oct, first, chunks); err != nil {
		t.Fatal(err)
	}
	if err := st.PutEvidence(ctx, oct, rerun, []metric.Chunk{{EngineerID: "E1", Items: mk("E1", 1, 7)}}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Evidence(ctx, oct, "E1", first)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ann, got); diff != "" {
		t.Errorf("E1's evidence of the first run (-put +read):\n%.2000s", diff)
	}
	if got, err := st.Evidence(ctx, oct, "E1", rerun); err != nil || len(got) != 1 || got[0].TicketID != "7" {
		t.Errorf("the rerun's evidence: %v, %v", got, err)
	}
	if got, err := st.Evidence(ctx, oct.Add(-1), "E1", first); err != nil || len(got) != 0 {
		t.Errorf("another month's evidence: %d, %v", len(got), err)
	}
	if err := st.PutEvidence(ctx, oct, first, []metric.Chunk{{EngineerID: "E3", Items: mk("E3", metric.MaxChunk+1, 0)}}); err == nil {
		t.Error("a chunk over the limit was stored")
	}
}

// TestExclusionsRoundTrip: an exclusion is stored with its audit entry and
// read back for its month only; one without its reason is refused.
func TestExclusionsRoundTrip(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	oct := month.Month{Year: 2026, Month: time.October}
	x := metric.Exclusion{EngineerID: "E2", Metric: metric.ResolutionSLARate, Source: "zendesk", TicketID: "51#50",
		By: "lead@example.com", Reason: "a duplicate", At: time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)}
	if err := st.PutExclusion(ctx, oct, x); err != nil {
		t.Fatal(err)
	}
	got, err := st.Exclusions(ctx, oct)
	if err != nil || len(got) != 1 || got[0] != x {
		t.Fatalf("exclusions %+v, %v", got, err)
	}
	if got, err := st.Exclusions(ctx, oct.Add(1)); err != nil || len(got) != 0 {
		t.Errorf("another month's: %+v, %v", got, err)
	}
	x.Reason = ""
	if err := st.PutExclusion(ctx, oct, x); err == nil {
		t.Error("an exclusion without a reason was stored")
	}
}

package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/checkin"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
)

// TestCheckInsKeepTheFirstOfTheDay on DynamoDB Local: what a check-in said
// is stored per engineer and day; a rerun the same day (other figures)
// leaves the first, the one mailed; another day adds its own.
func TestCheckInsKeepTheFirstOfTheDay(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	oct := month.Month{Year: 2026, Month: time.October}
	said := func(day string, hour int, composite float64) []checkin.Said {
		at := time.Date(2026, 10, 10, hour, 0, 0, 0, time.UTC)
		return []checkin.Said{
			{Month: oct, Day: day, AsOf: at, Gone: 0.3, PolicyVersion: "2026.1", Engineer: checkin.Engineer{EngineerID: "E1", Tickets: 9, Composite: &composite, Below: composite < 80, Mail: true,
				Outlooks: []checkin.Outlook{{Metric: "resolution_sla_rate", Num: 7, Den: 9, Rest: 21, State: checkin.Cannot, Best: 28.0 / 30}}}},
			{Month: oct, Day: day, AsOf: at, Gone: 0.3, PolicyVersion: "2026.1", Engineer: checkin.Engineer{EngineerID: "E#2", Tickets: 0, Quiet: checkin.QuietOnLeave}},
		}
	}
	first := said("2026-10-10", 1, 71.5)
	if err := st.PutCheckIns(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := st.PutCheckIns(ctx, said("2026-10-10", 3, 90)); err != nil {
		t.Fatal(err)
	}
	later := said("2026-10-20", 1, 82)
	if err := st.PutCheckIns(ctx, later); err != nil {
		t.Fatal(err)
	}
	got, err := st.CheckIns(ctx, oct)
	if err != nil {
		t.Fatal(err)
	}
	want := []checkin.Said{first[1], first[0], later[1], later[0]} // by day, then engineer ("E%232" < "E1")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored check-ins (-want +got):\n%s", diff)
	}
	if err := st.PutCheckIns(ctx, []checkin.Said{{Month: oct, Engineer: checkin.Engineer{EngineerID: "E1"}}}); errcode.Code(err) != errcode.Invalid {
		t.Errorf("a check-in without a day: %v", err)
	}

	// The day's mark: absent, then the first one kept, and not a check-in.
	if _, done, err := st.CheckInDone(ctx, oct, "2026-10-10"); err != nil || done {
		t.Fatalf("before the mark: done %v, %v", done, err)
	}
	for _, summary := range []string{`{"told":1}`, `{"told":2}`} {
		if err := st.MarkCheckInDone(ctx, oct, "2026-10-10", []byte(summary)); err != nil {
			t.Fatal(err)
		}
	}
	if b, done, err := st.CheckInDone(ctx, oct, "2026-10-10"); err != nil || !done || string(b) != `{"told":1}` {
		t.Errorf("the mark: %s, done %v, %v; want the first", b, done, err)
	}
	if _, done, _ := st.CheckInDone(ctx, oct, "2026-10-20"); done {
		t.Error("another day is marked")
	}
	if got, err := st.CheckIns(ctx, oct); err != nil || len(got) != 4 {
		t.Errorf("check-ins with the mark stored: %d, %v; want the 4", len(got), err)
	}
	if err := st.MarkCheckInDone(ctx, oct, "", nil); errcode.Code(err) != errcode.Invalid {
		t.Errorf("a mark without a day: %v", err)
	}
}

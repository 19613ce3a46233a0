package monthly_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"scorecard/shared/app/monthly"
	"scorecard/shared/core/checkin"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
)

// TestCheckInsOnTheirDays: Bob was below standard in August and September
// (warned); his October is as bad. The daily tick checks October in on the
// policy's days (the 10th and 20th, Shanghai): Bob is told, in his language,
// what moves his composite most; Ann, on track, and Cat, with two tickets,
// are not; the lead's summary says Bob is heading for a position
// adjustment — which the month-end run then brings. A rerun the same day
// sends nothing; other days nothing happens; nothing of it is a result.
func TestCheckInsOnTheirDays(t *testing.T) {
	st, ml, r := setup(t)
	ctx := context.Background()
	loc := r.Policy.Location()
	st.engineers = append(st.engineers, directory.Engineer{ID: "E3", Name: "Cat", Email: "cat@example.com", Team: "north", ManagerEmail: "lead@example.com",
		HireDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Locale: "en", External: map[string]string{"generic": "a3"}})
	st.tickets[oct] = append(st.tickets[oct], tickets(loc, oct, "a3", 2, true)...)
	for _, m := range []string{aug.String(), sep.String()} {
		if _, err := r.Run(ctx, monthly.Request{Month: m}); err != nil {
			t.Fatal(err)
		}
	}
	ml.sent = nil
	at := func(day, hour int) { r.Now = func() time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, loc) } }

	for _, tc := range []struct {
		name             string
		day, hour        int
		checkIn          bool
		sent, skipped    int
		mailedToBob      bool
		summaryToTheLead bool
		readsMonth       bool
	}{
		{"the 9th is no check-in day", 9, 9, false, 0, 0, false, false, false},
		{"the 10th: Bob and the lead", 10, 9, true, 2, 0, true, true, true},
		{"the 10th again: nothing new, the month not read", 10, 15, true, 0, 2, false, false, false},
		{"the 11th: nothing", 11, 9, false, 0, 0, false, false, false},
		{"the 20th: Bob and the lead again", 20, 9, true, 2, 0, true, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at(tc.day, tc.hour)
			before, reads := len(ml.sent), st.monthReads
			sum, err := r.CheckInTick(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if (sum.Day != "") != tc.checkIn || sum.Sent != tc.sent || sum.Skipped != tc.skipped {
				t.Fatalf("%s; want check-in %v, %d sent, %d skipped", sum, tc.checkIn, tc.sent, tc.skipped)
			}
			if read := st.monthReads > reads; read != tc.readsMonth {
				t.Errorf("the month read: %v, want %v", read, tc.readsMonth)
			}
			if tc.checkIn && (sum.Engineers != 3 || sum.Told != 1 || sum.Quiet != 2) {
				t.Errorf("summary %s; want 3 engineers, 1 told, 2 quiet", sum)
			}
			sent := strings.Join(ml.sent[before:], "\n")
			if strings.Contains(sent, "bob@") != tc.mailedToBob || strings.Contains(sent, "lead@") != tc.summaryToTheLead {
				t.Errorf("mails:\n%s", sent)
			}
			if strings.Contains(sent, "ann@") || strings.Contains(sent, "cat@") {
				t.Errorf("Ann (on track) or Cat (two tickets) was mailed:\n%s", sent)
			}
			if tc.mailedToBob && !strings.Contains(sent, "bob@example.com | 本月进度") {
				t.Errorf("Bob's check-in is not in Chinese:\n%s", sent)
			}
		})
	}

	said := st.said["2026-10-10 E2"]
	if !said.Mail || said.Heading != consequence.PositionAdjustment || said.Streak != 3 || said.StreakBefore != 2 || len(said.Top(3)) == 0 {
		t.Errorf("what the 10th said of Bob: %+v", said)
	}
	if cat := st.said["2026-10-10 E3"]; cat.Mail || cat.Quiet != checkin.QuietFewTickets {
		t.Errorf("what the 10th said of Cat: %+v", cat)
	}
	if ann := st.said["2026-10-10 E1"]; ann.Mail || ann.Quiet != checkin.QuietOnTrack {
		t.Errorf("what the 10th said of Ann: %+v", ann)
	}
	if len(st.results[oct]) != 0 || st.runs[oct].State != "" {
		t.Errorf("a check-in stored results (%d) or a run (%q)", len(st.results[oct]), st.runs[oct].State)
	}

	// The month ends as it was heading: Bob's position adjustment.
	r.Now = func() time.Time { return oct.End(loc).Add(time.Hour) }
	if _, err := r.Run(ctx, monthly.Request{Month: oct.String()}); err != nil {
		t.Fatal(err)
	}
	for _, c := range st.results[oct] {
		if c.EngineerID == "E2" && !strings.Contains(strings.Join(kinds(c.Consequences), " "), string(consequence.PositionAdjustment)) {
			t.Errorf("October's run: Bob %v", kinds(c.Consequences))
		}
	}
}

// A check-in whose mail failed is not marked done: the rerun that day
// reads the month again and sends only the mail that is missing.
func TestACheckInThatFailedRunsAgain(t *testing.T) {
	st, ml, r := setup(t)
	ctx := context.Background()
	loc := r.Policy.Location()
	for _, m := range []string{aug.String(), sep.String()} {
		if _, err := r.Run(ctx, monthly.Request{Month: m}); err != nil {
			t.Fatal(err)
		}
	}
	ml.sent, ml.failAfter = nil, 2 // Bob's mail goes, the lead's fails
	r.Now = func() time.Time { return time.Date(2026, 10, 10, 9, 0, 0, 0, loc) }
	if sum, err := r.CheckInTick(ctx); err == nil || sum.Sent != 1 || sum.Failed != 1 {
		t.Fatalf("%s, %v; want 1 sent, 1 failed and an error", sum, err)
	}
	if _, done, _ := st.CheckInDone(ctx, oct, "2026-10-10"); done {
		t.Fatal("a check-in with a failed mail was marked done")
	}
	ml.failAfter = 0
	r.Now = func() time.Time { return time.Date(2026, 10, 10, 10, 0, 0, 0, loc) }
	reads := st.monthReads
	sum, err := r.CheckInTick(ctx)
	if err != nil || sum.Sent != 1 || sum.Skipped != 1 || st.monthReads == reads {
		t.Fatalf("the rerun: %s, %v, month read %v; want 1 sent, 1 already sent, the month read", sum, err, st.monthReads > reads)
	}
	if len(ml.sent) != 2 || !strings.HasPrefix(ml.sent[1], "lead@") {
		t.Errorf("mails: %q", ml.sent)
	}
	if _, done, _ := st.CheckInDone(ctx, oct, "2026-10-10"); !done {
		t.Error("the rerun that sent the rest was not marked done")
	}
}

// A check-in looks at a month from inside it.
func TestCheckInAsOfOutsideTheMonth(t *testing.T) {
	_, _, r := setup(t)
	_, _, err := r.CheckIn(context.Background(), monthly.CheckInRequest{Month: oct.String(), AsOf: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)})
	if err == nil || !strings.Contains(err.Error(), "is not in 2026-10") {
		t.Errorf("err %v", err)
	}
}

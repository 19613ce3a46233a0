package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/checkin"
	"scorecard/shared/core/month"
	"scorecard/shared/devkit/dynamotest"
)

// TestCheckInFromTheCLI on DynamoDB Local and the SES server: Ann and Bob's
// October posted through the gateway, checked in on the 10th at noon. The
// preview prints the projection and mails nothing; the check-in mails Bob
// (below the pass mark) what his metrics need and the lead the team's
// outlook, once — a rerun that day sends nothing — and stores what it said.
func TestCheckInFromTheCLI(t *testing.T) {
	_, store, table, good, slow, lead := octoberOfTwo(t, "-checkin")
	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint(), "SES_ENDPOINT": sesEndpoint()}
	cli := func(args ...string) (int, string, string) {
		var o, e bytes.Buffer
		code := runWith(&o, &e, func(k string) string { return vars[k] }, args...)
		return code, o.String(), e.String()
	}

	code, preview, stderr := cli("check-in", "2026-10", "--as-of", "2026-10-10 12:00", "--no-mail", "--local")
	if code != 0 {
		t.Fatalf("preview: exit %d\n%s\n%s", code, preview, stderr)
	}
	for _, want := range []string{
		"2026-10 check-in as of 2026-10-10 12:00 (Asia/Shanghai): 31 % of the month gone",
		"E2 Bob (north)", "mailed",
		// Bob's 4 resolved tickets, all late, and a fifth past its SLA:
		// 0/5 so far; at 5 in the 9.5 days gone, round(5 × 21.5 / 9.5) = 11
		// to come in the 21.5 left; at best 11/16 = 68.75 %.
		"resolution_sla_rate", "cannot reach 95.0 % this month; the most it can reach is 68.8 %",
		"E1 Ann (north)", "not mailed: on_track",
	} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview misses %q:\n%s", want, preview)
		}
	}
	if n := len(mailsTo(t, good, slow, lead)); n != 0 {
		t.Fatalf("the preview mailed %d", n)
	}

	code, out, stderr := cli("check-in", "2026-10", "--as-of", "2026-10-10 12:00", "--local")
	if code != 0 || !strings.Contains(out, "2026-10-10 check-in of 2026-10: 2 engineers, 1 told, 1 quiet") || !strings.Contains(out, "mails 2 sent, 0 already sent") {
		t.Fatalf("check-in: exit %d\n%s\n%s", code, out, stderr)
	}
	bob, leads, ann := mailsTo(t, slow), mailsTo(t, lead), mailsTo(t, good)
	if len(bob) != 1 || len(leads) != 1 || len(ann) != 0 {
		t.Fatalf("mails: Bob %d, the lead %d, Ann %d; want 1, 1, 0", len(bob), len(leads), len(ann))
	}
	if !strings.Contains(bob[0].Subject, "Your month so far — October 2026") || !strings.Contains(bob[0].Body.Text, "cannot reach 100.0 % this month; the most it can reach is 68.8 %") {
		t.Errorf("Bob's check-in: %s\n%s", bob[0].Subject, bob[0].Body.Text)
	}
	if !strings.Contains(leads[0].Body.Text, "- Bob |") || !strings.Contains(leads[0].Body.Text, "below the pass mark (1st month)") || !strings.Contains(leads[0].Body.Text, "Doing well: Ann (") {
		t.Errorf("the lead's summary:\n%s", leads[0].Body.Text)
	}

	// Later that day: the same mails are not sent again.
	if code, out, _ := cli("check-in", "2026-10", "--as-of", "2026-10-10 18:00", "--local"); code != 0 || !strings.Contains(out, "mails 0 sent, 2 already sent") {
		t.Errorf("the rerun: exit %d\n%s", code, out)
	}
	said, err := store.CheckIns(context.Background(), month.Month{Year: 2026, Month: time.October})
	if err != nil || len(said) != 2 {
		t.Fatalf("stored check-ins: %d, %v", len(said), err)
	}
	for _, s := range said {
		if s.Day != "2026-10-10" || s.AsOf.UTC().Hour() != 4 || (s.EngineerID == "E2") != s.Mail || (s.EngineerID == "E1" && s.Quiet != checkin.QuietOnTrack) {
			t.Errorf("stored: %s %s as of %s, mail %v, quiet %q", s.Day, s.EngineerID, s.AsOf, s.Mail, s.Quiet)
		}
	}

	// What was said, as stored: the 10th's first check-in.
	if code, out, stderr := cli("check-in", "2026-10", "--said", "--local"); code != 0 || strings.Count(out, "check-in as of 2026-10-10 12:00") != 1 ||
		!strings.Contains(out, "cannot reach 100.0 % this month; the most it can reach is 68.8 %") {
		t.Errorf("--said: exit %d\n%s\n%s", code, out, stderr)
	}
	// A moment outside the month is refused, naming the flag.
	if code, _, stderr := cli("check-in", "2026-10", "--as-of", "2026-11-02", "--no-mail", "--local"); code == 0 || !strings.Contains(stderr, "--as-of") {
		t.Errorf("as of November: exit %d, %s", code, stderr)
	}
}

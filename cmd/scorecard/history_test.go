package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/devkit/vendorfake"
)

// TestHistoryImportThenScore: July imported from a fake of Zendesk's
// incremental export through the CLI (an outage on the way, waited out),
// then scored by run-month: every engineer has a card, marked from
// history. A second import finds nothing more to do.
func TestHistoryImportThenScore(t *testing.T) {
	ctx := context.Background()
	db := dynamotest.Client(t)
	table := dynamotest.Table(t, db)
	store := dynamo.New(db, table, dynamo.Options{})
	var engs []directory.Engineer
	for i := range 5 {
		engs = append(engs, directory.Engineer{ID: fmt.Sprintf("E%d", i+1), Name: fmt.Sprintf("Agent %d", i+1), Team: "north",
			ManagerEmail: "lead@example.com", HireDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			External: map[string]string{"zendesk": fmt.Sprint(361001 + i)}})
	}
	if err := store.PutEngineers(ctx, engs); err != nil {
		t.Fatal(err)
	}
	july := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	fake := &vendorfake.ZendeskHistory{Tickets: vendorfake.ZendeskTickets(120, july, 7), User: "agent@acme.com/token", Token: "zd-token", PerPage: 300, FailOn: 2}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint(), "SES_ENDPOINT": "http://127.0.0.1:1", "SCORECARD_API_TOKEN": "zd-token"}
	runCLI := func(args ...string) (int, string, string) {
		var o, e bytes.Buffer
		code := runWith(&o, &e, func(k string) string { return vars[k] }, args...)
		return code, o.String(), e.String()
	}
	code, out, errOut := runCLI("history", "import", "zendesk", "--since", "2026-07-01", "--base-url", srv.URL, "--user", "agent@acme.com/token", "--local")
	if code != 0 || !strings.Contains(out, "1 waits") || !strings.Contains(out, "left done") || !strings.Contains(errOut, "left 5") && !strings.Contains(errOut, "left ") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := runCLI("history", "status", "--local"); code != 0 || !strings.Contains(out, "zendesk: through 2026-07-") || !strings.Contains(out, "jira: no import") {
		t.Errorf("status: exit %d\n%s", code, out)
	}
	// Done: running it again reads nothing more.
	if code, out, errOut := runCLI("history", "import", "zendesk", "--base-url", srv.URL, "--user", "agent@acme.com/token", "--local"); code != 0 || !strings.Contains(out, "left done") {
		t.Errorf("again: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI("history", "import", "jira", "--local", "--base-url", srv.URL, "--token", "x"); code != 2 || !strings.Contains(errOut, "--since") {
		t.Errorf("a first import without --since: exit %d %s", code, errOut)
	}

	if code, out, errOut := runCLI("run-month", "2026-07", "--local", "--no-mail", "--out", ""); code != 0 || !strings.Contains(out, "scored from imported history") {
		t.Fatalf("run-month: exit %d\n%s\n%s", code, out, errOut)
	}
	cards, err := store.Results(ctx, month.Month{Year: 2026, Month: time.July})
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 5 {
		t.Fatalf("%d cards, want the 5 engineers'", len(cards))
	}
	for _, c := range cards {
		if !c.FromHistory || c.Tickets == 0 {
			t.Errorf("%s: from history %v, %d tickets", c.EngineerID, c.FromHistory, c.Tickets)
		}
	}
	// The evidence behind a card: one contribution per ticket in each
	// metric, as many as the card counted.
	e1 := cards[0]
	code, out, errOut = runCLI("evidence", e1.EngineerID, "2026-07", "--metric", "avg_handle_hours", "--json", "--local")
	var contributions []metric.Contribution
	if code != 0 || json.Unmarshal([]byte(out), &contributions) != nil {
		t.Fatalf("evidence: exit %d\n%.300s\n%s", code, out, errOut)
	}
	if n := e1.Metrics["avg_handle_hours"].N; n == 0 || len(contributions) != n {
		t.Errorf("%s's handle-time evidence: %d tickets, the card counted %d", e1.EngineerID, len(contributions), n)
	}
	if code, out, _ := runCLI("evidence", e1.EngineerID, "2026-07", "--local"); code != 0 || !strings.Contains(out, "first_response_1h_rate") {
		t.Errorf("evidence table: exit %d\n%.500s", code, out)
	}
}

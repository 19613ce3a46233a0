package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/source"
	"scorecard/shared/source/generic"
)

// gateway starts the local gateway of `scorecard serve` on a fresh table.
func gateway(t *testing.T) (*httptest.Server, *dynamo.Store, string) {
	t.Helper()
	db := dynamotest.Client(t)
	table := dynamotest.Table(t, db)
	pol := policy.Default()
	store := dynamo.New(db, table, dynamo.Options{Location: pol.Location()})
	be := &backend{policy: pol, store: store}
	srv := httptest.NewServer(newMux(be, secrets.Dev(), slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now, "http://127.0.0.1"))
	t.Cleanup(srv.Close)
	return srv, store, table
}

func post(t *testing.T, url string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature", generic.Sign([]byte("dev-generic-secret"), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The events of one ticket, from the demo's generic format.
func ticketEvents(t testing.TB) []event.Event {
	b, err := os.ReadFile("testdata/october.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var evs []event.Event
	if err := event.ReadJSONL(bytes.NewReader(b), func(_ int, e event.Event) error {
		if e.TicketID == "T-2" {
			evs = append(evs, e)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return evs
}

func wire(e event.Event) []byte {
	b, _ := json.Marshal(event.ToGeneric(e))
	return b
}

// Shuffled and duplicated deliveries over HTTP store the in-order state.
func TestServeShuffledDeliveries(t *testing.T) {
	srv, store, _ := gateway(t)
	base := ticketEvents(t)
	// Each check is a dozen HTTP round trips into DynamoDB Local; 30 random
	// orders keep the test quick and still catch order dependence.
	checks := flag.Lookup("rapid.checks")
	old := checks.Value.String()
	checks.Value.Set("30")
	defer checks.Value.Set(old)
	n := 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		evs := make([]event.Event, len(base))
		for i, e := range base {
			e.TicketID = fmt.Sprintf("T-2-%d", n)
			evs[i] = e
		}
		var sends []event.Event
		for _, e := range evs {
			for range rapid.IntRange(1, 3).Draw(rt, "copies") {
				sends = append(sends, e)
			}
		}
		for _, e := range rapid.Permutation(sends).Draw(rt, "order") {
			if code, body := post(t, srv.URL+"/webhooks/generic", wire(e)); code != 200 {
				rt.Fatalf("status %d: %s", code, body)
			}
		}
		got, _, err := store.Ticket(context.Background(), "generic", evs[0].TicketID)
		if err != nil {
			rt.Fatal(err)
		}
		if diff := cmp.Diff(ticket.Reduce(evs), got); diff != "" {
			rt.Fatalf("stored state differs from the in-order result (-want +got):\n%s", diff)
		}
	})
}

func TestServeContract(t *testing.T) {
	srv, _, _ := gateway(t)
	good := wire(ticketEvents(t)[0])
	tests := []struct {
		name   string
		send   func() (*http.Response, error)
		status int
	}{
		{"signed event", func() (*http.Response, error) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/generic", bytes.NewReader(good))
			req.Header.Set("X-Signature", generic.Sign([]byte("dev-generic-secret"), good))
			return http.DefaultClient.Do(req)
		}, 200},
		{"unsigned event", func() (*http.Response, error) {
			return http.Post(srv.URL+"/webhooks/generic", "application/json", bytes.NewReader(good))
		}, 401},
		{"unknown source", func() (*http.Response, error) {
			return http.Post(srv.URL+"/webhooks/nope", "application/json", bytes.NewReader(good))
		}, 400},
		{"GET is not a route", func() (*http.Response, error) { return http.Get(srv.URL + "/webhooks/generic") }, 405},
		{"a body over the gateway's limit", func() (*http.Response, error) {
			return http.Post(srv.URL+"/webhooks/generic", "application/json", strings.NewReader(strings.Repeat("x", 11<<20)))
		}, 413},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := tc.send()
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
}

// `scorecard ticket` and `scorecard import engineers` against the local
// DynamoDB, through the CLI's own wiring (TABLE_NAME, DYNAMODB_ENDPOINT).
func TestTicketAndImportCommands(t *testing.T) {
	srv, _, table := gateway(t)
	for _, e := range ticketEvents(t) {
		if code, body := post(t, srv.URL+"/webhooks/generic", wire(e)); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
	}
	env := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint()}
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := runWith(&out, &errOut, func(k string) string { return env[k] }, args...)
		return code, out.String(), errOut.String()
	}
	code, out, errOut := run("ticket", "generic", "T-2", "--json", "--local")
	if code != 0 {
		t.Fatalf("ticket: %d %s", code, errOut)
	}
	var st ticket.State
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Status != event.StatusResolved || st.AssigneeID != "ag-2" {
		t.Errorf("ticket state %+v %v", st, err)
	}
	if code, _, errOut := run("ticket", "generic", "nope", "--local"); code != 1 || !strings.Contains(errOut, "no ticket nope") {
		t.Errorf("missing ticket: %d %s", code, errOut)
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,name,email,team,manager_email,hire_date,base_bonus,zendesk_id,freshdesk_id,jira_account_id,generic_id\nE1,Ann,ann@example.com,t,m@example.com,2024-01-01,100,,,,ag-1\nE2,Bob,bob@,t,m@example.com,2024/01/01,x,,,,ag-2\n"), 0o644)
	code, _, errOut = run("import", "engineers", bad, "--local")
	if code != 2 || !strings.Contains(errOut, "line 3: email") || !strings.Contains(errOut, "line 3: hire_date") || !strings.Contains(errOut, "line 3: base_bonus") {
		t.Errorf("bad CSV: %d %s", code, errOut)
	}
	db := dynamotest.Client(t)
	if engs, _ := dynamo.New(db, table, dynamo.Options{}).Engineers(context.Background()); len(engs) != 0 {
		t.Errorf("a rejected file imported %d engineers", len(engs))
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("id,name,email,team,manager_email,hire_date,base_bonus,zendesk_id,freshdesk_id,jira_account_id,generic_id\nE1,Ann,ann@example.com,t,m@example.com,2024-01-01,100,,,,ag-1\nE2,Bob,bob@example.com,t,m@example.com,2024-01-01,100,,,,ag-2\n"), 0o644)
	for range 2 {
		if code, out, errOut := run("import", "engineers", good, "--local"); code != 0 || !strings.Contains(out, "imported 2 engineers") {
			t.Fatalf("good CSV: %d %s %s", code, out, errOut)
		}
	}
	if engs, _ := dynamo.New(db, table, dynamo.Options{}).Engineers(context.Background()); len(engs) != 2 {
		t.Errorf("imported twice: %d engineers", len(engs))
	}
	code, out, errOut = run("export", "engineers", "--local")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	back, err := source.Directory().ParseCSV(strings.NewReader(out))
	if err != nil || len(back) != 2 || back[1].Email != "bob@example.com" {
		t.Errorf("export does not read back: %v %+v", err, back)
	}
}

// `scorecard serve --local` itself: it creates its table, answers over HTTP
// and shuts down cleanly when interrupted.
func TestServeCommand(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	table := fmt.Sprintf("serve-cmd-%d", time.Now().UnixNano())
	vars := map[string]string{"TABLE_NAME": table, "DYNAMODB_ENDPOINT": dynamotest.Endpoint()}
	t.Cleanup(func() {
		dynamotest.Client(t).DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &table})
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var out, errOut bytes.Buffer
	go func() {
		done <- run(ctx, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}, []string{"serve", "--local", "--addr", addr})
	}()
	url := "http://" + addr + "/webhooks/generic"
	var code int
	var body string
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			code, body = post(t, url, wire(ticketEvents(t)[0]))
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code != 200 || !strings.Contains(body, `"stored":1`) {
		t.Errorf("POST through serve: %d %s (stderr %s)", code, body, errOut.String())
	}
	cancel()
	if c := <-done; c != 0 {
		t.Errorf("serve exited %d: %s", c, errOut.String())
	}
}

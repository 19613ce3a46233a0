package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"scorecard/shared/dynamo/dynamotest"
	"scorecard/shared/generic"
	"scorecard/shared/jira"
	"scorecard/shared/zendesk"
)

// A corpus of hostile requests for every route, each answered with its
// documented 4xx and a JSON or HTML error, and nothing stored.
func TestHostileRequestsAreRefusedAndStoreNothing(t *testing.T) {
	srv, _, table := gateway(t)
	good := []byte(`{"event_id":"e1","ticket_id":"T-1","type":"created","occurred_at":"2026-10-05T01:00:00Z"}`)
	gsig := func(b []byte) map[string]string {
		return map[string]string{"X-Signature": generic.Sign([]byte("dev-generic-secret"), b), "Content-Type": "application/json"}
	}
	nested := []byte(strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000))
	huge := []byte(`{"event_id":"e1","ticket_id":"T-1","type":"created","occurred_at":"2026-10-05T01:00:00Z","comment":"` + strings.Repeat("x", 300<<10) + `"}`)
	old := time.Now().Add(-10 * time.Minute).UTC().Format(time.RFC3339)
	zbody := []byte(`{"id":"z1","type":"zen:event-type:ticket.created","time":"2026-10-05T01:00:00Z","subject":"zen:ticket:1","detail":{"id":"1","status":"NEW"}}`)
	tests := []struct {
		name    string
		method  string
		path    string
		body    []byte
		headers map[string]string
		status  int
	}{
		{"generic without a signature", "POST", "/webhooks/generic", good, map[string]string{"Content-Type": "application/json"}, 401},
		{"generic with another secret's signature", "POST", "/webhooks/generic", good, map[string]string{"X-Signature": generic.Sign([]byte("guess"), good)}, 401},
		{"generic with a signature of another body", "POST", "/webhooks/generic", good, map[string]string{"X-Signature": generic.Sign([]byte("dev-generic-secret"), []byte("{}"))}, 401},
		{"zendesk replayed with a stale timestamp", "POST", "/webhooks/zendesk", zbody, map[string]string{
			"X-Zendesk-Webhook-Signature-Timestamp": old, "X-Zendesk-Webhook-Signature": zendesk.Sign([]byte("dev-zendesk-secret"), old, zbody)}, 401},
		{"jira with a sha1 signature", "POST", "/webhooks/jira", good, map[string]string{"X-Hub-Signature": "sha1=" + strings.Repeat("0", 40)}, 401},
		{"jira signed with the generic secret", "POST", "/webhooks/jira", good, map[string]string{"X-Hub-Signature": jira.Sign([]byte("dev-generic-secret"), good)}, 401},
		{"freshdesk with a wrong bearer", "POST", "/webhooks/freshdesk", good, map[string]string{"Authorization": "Bearer dev-freshdesk-secreT"}, 401},
		{"records unsigned", "POST", "/webhooks/records", []byte(`{"records":[]}`), nil, 401},
		{"truncated JSON, signed", "POST", "/webhooks/generic", good[:40], gsig(good[:40]), 400},
		{"deeply nested JSON, signed", "POST", "/webhooks/generic", nested, gsig(nested), 400},
		{"invalid UTF-8 in an id, signed", "POST", "/webhooks/generic", []byte("{\"event_id\":\"e\xff\",\"ticket_id\":\"T\",\"type\":\"created\",\"occurred_at\":\"2026-10-05T01:00:00Z\"}"), gsig([]byte("{\"event_id\":\"e\xff\",\"ticket_id\":\"T\",\"type\":\"created\",\"occurred_at\":\"2026-10-05T01:00:00Z\"}")), 400},
		{"a body over 256 KB, signed", "POST", "/webhooks/generic", huge, gsig(huge), 413},
		{"XML, signed", "POST", "/webhooks/generic", []byte("<event/>"), map[string]string{"X-Signature": generic.Sign([]byte("dev-generic-secret"), []byte("<event/>")), "Content-Type": "application/xml"}, 415},
		{"a form post to a webhook", "POST", "/webhooks/generic", good, map[string]string{"X-Signature": generic.Sign([]byte("dev-generic-secret"), good), "Content-Type": "application/x-www-form-urlencoded"}, 415},
		{"an unknown source", "POST", "/webhooks/hubspot", good, gsig(good), 400},
		{"a path traversal as source", "POST", "/webhooks/..%2f..%2fetc", good, gsig(good), 400},
		{"a survey link that is garbage", "GET", "/s/not-a-token", nil, nil, 404},
		{"a survey link of 600 characters", "GET", "/s/" + strings.Repeat("A", 600), nil, nil, 404},
		{"a survey post without its form", "POST", "/s/" + strings.Repeat("A", 80), []byte("rating=5"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 404},
		{"an assessment link with script", "GET", "/a/%3Cscript%3Ealert(1)%3C%2Fscript%3E", nil, nil, 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, bytes.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.200s", resp.StatusCode, tc.status, b)
			}
			if strings.HasPrefix(tc.path, "/webhooks/") && !bytes.HasPrefix(b, []byte(`{"error":"`)) {
				t.Errorf("not a JSON error: %.200s", b)
			}
			if bytes.Contains(b, []byte("<script>")) {
				t.Errorf("the page echoes markup: %.200s", b)
			}
		})
	}
	out, err := dynamotest.Client(t).Scan(context.Background(), &dynamodb.ScanInput{TableName: &table})
	if err != nil {
		t.Fatal(err)
	}
	if out.Count != 0 {
		t.Errorf("%d items stored from refused requests", out.Count)
	}
}

package webhook_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/webhook"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/devkit/formtest"
	"scorecard/shared/source/generic"
)

var secret = []byte("dev-generic-secret")

// memStore is an in-memory store for unit tests of the handler.
type memStore struct {
	mu     sync.Mutex
	events map[string]event.Event
	fail   error
}

func (m *memStore) Ingest(_ context.Context, evs []event.Event) (event.Ingested, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return event.Ingested{}, m.fail
	}
	var r event.Ingested
	for _, e := range evs {
		if _, ok := m.events[e.Source+"/"+e.ID]; ok {
			r.Duplicates++
			continue
		}
		m.events[e.Source+"/"+e.ID] = e
		r.Stored++
	}
	return r, nil
}

func handler(store webhook.Store) *webhook.Handler {
	return &webhook.Handler{
		Store:   store,
		Sources: map[string]webhook.Source{"generic": {Name: "generic", Verify: generic.Verify, Parse: generic.Parse}},
		Secrets: map[string][]byte{"generic": secret},
		Now:     func() time.Time { return time.Date(2026, 10, 5, 1, 0, 5, 0, time.UTC) },
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// request builds an API Gateway v2 event from the real payload in testdata.
func request(t *testing.T, source, body, signature string) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/apigw-generic.json")
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	req.Body = body
	req.PathParameters["source"] = source
	req.RawPath = "/webhooks/" + source
	if signature == "" {
		delete(req.Headers, "x-signature")
	} else {
		req.Headers["x-signature"] = signature
	}
	b, _ := json.Marshal(req)
	return b
}

// invoke runs the handler through the Lambda JSON layer.
func invoke(t *testing.T, h *webhook.Handler, payload []byte) events.APIGatewayV2HTTPResponse {
	t.Helper()
	return formtest.Invoke(t, h.Handle, payload)
}

func batch(t *testing.T) string {
	b, err := os.ReadFile("testdata/generic-batch.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestResponses(t *testing.T) {
	good := batch(t)
	huge := `{"event_id":"e","ticket_id":"T","type":"created","occurred_at":"2026-10-05T01:00:00Z","customer":{"id":"c","name":"` + strings.Repeat("x", webhook.MaxBody) + `"}}`
	tests := []struct {
		name      string
		source    string
		body      string
		signature string
		want      int
		errorHas  string
	}{
		{"a signed batch is stored", "generic", good, generic.Sign(secret, []byte(good)), 200, ""},
		{"a missing signature is 401", "generic", good, "", 401, "X-Signature header is missing"},
		{"a wrong signature is 401", "generic", good, generic.Sign([]byte("other"), []byte(good)), 401, "does not match"},
		{"a malformed signature is 401", "generic", good, "md5=abc", 401, "sha256=<hex>"},
		{"a body changed after signing is 401", "generic", good + " ", generic.Sign(secret, []byte(good)), 401, "does not match"},
		{"malformed JSON is 400", "generic", `{"event_id":`, generic.Sign(secret, []byte(`{"event_id":`)), 400, "JSON"},
		{"a missing ticket id is 400 naming it", "generic", `{"event_id":"e","type":"created","occurred_at":"2026-10-05T01:00:00Z"}`, generic.Sign(secret, []byte(`{"event_id":"e","type":"created","occurred_at":"2026-10-05T01:00:00Z"}`)), 400, "ticket_id: is required"},
		{"a bad timestamp is 400 naming it", "generic", `{"event_id":"e","ticket_id":"T","type":"created","occurred_at":"yesterday"}`, generic.Sign(secret, []byte(`{"event_id":"e","ticket_id":"T","type":"created","occurred_at":"yesterday"}`)), 400, "occurred_at"},
		{"an unknown source is 400", "hubspot", good, generic.Sign(secret, []byte(good)), 400, "unknown source"},
		{"a body over 256 KB is 413", "generic", huge, generic.Sign(secret, []byte(huge)), 413, "over 256 KB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := &memStore{events: map[string]event.Event{}}
			resp := invoke(t, handler(store), request(t, tc.source, tc.body, tc.signature))
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.want, resp.Body)
			}
			if resp.Headers["Content-Type"] != "application/json" {
				t.Errorf("content type %q", resp.Headers["Content-Type"])
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
				t.Fatalf("body is not JSON: %s", resp.Body)
			}
			if tc.want != 200 {
				if msg, _ := body["error"].(string); !strings.Contains(msg, tc.errorHas) {
					t.Errorf("error %q, want it to mention %q", msg, tc.errorHas)
				}
				if len(store.events) != 0 {
					t.Errorf("a rejected request stored %d events", len(store.events))
				}
			} else if body["stored"] != float64(4) {
				t.Errorf("body %v", body)
			}
		})
	}
}

func TestBase64BodiesAreDecoded(t *testing.T) {
	store := &memStore{events: map[string]event.Event{}}
	good := batch(t)
	payload := request(t, "generic", base64.StdEncoding.EncodeToString([]byte(good)), generic.Sign(secret, []byte(good)))
	var req map[string]any
	json.Unmarshal(payload, &req)
	req["isBase64Encoded"] = true
	payload, _ = json.Marshal(req)
	if resp := invoke(t, handler(store), payload); resp.StatusCode != 200 || len(store.events) != 4 {
		t.Errorf("status %d, stored %d: %s", resp.StatusCode, len(store.events), resp.Body)
	}
}

func TestStorageFaultIs503AndHidesTheCause(t *testing.T) {
	store := &memStore{events: map[string]event.Event{}, fail: errcode.Wrap(errcode.Unavailable, errors.New("dial tcp 10.1.2.3:443: i/o timeout"), "storage unavailable; retry")}
	good := batch(t)
	resp := invoke(t, handler(store), request(t, "generic", good, generic.Sign(secret, []byte(good))))
	if resp.StatusCode != http.StatusServiceUnavailable || strings.Contains(resp.Body, "10.1.2.3") || resp.Headers["Retry-After"] == "" {
		t.Errorf("status %d body %s headers %v", resp.StatusCode, resp.Body, resp.Headers)
	}
}

// The handler on the real local DynamoDB: stored once, redelivery is a
// duplicate, storage down is 503 with nothing written.
func TestHandlerOnDynamoDB(t *testing.T) {
	db := dynamotest.Client(t)
	table := dynamotest.Table(t, db)
	store := dynamo.New(db, table, dynamo.Options{})
	good := batch(t)
	payload := request(t, "generic", good, generic.Sign(secret, []byte(good)))
	if resp := invoke(t, handler(store), payload); resp.StatusCode != 200 || !strings.Contains(resp.Body, `"stored":4`) {
		t.Fatalf("first delivery: %d %s", resp.StatusCode, resp.Body)
	}
	if resp := invoke(t, handler(store), payload); resp.StatusCode != 200 || !strings.Contains(resp.Body, `"duplicates":4`) {
		t.Fatalf("redelivery: %d %s", resp.StatusCode, resp.Body)
	}
	state, _, err := store.Ticket(context.Background(), "generic", "T-1")
	if err != nil || state.Status != event.StatusResolved || state.FirstResponse == nil {
		t.Fatalf("state %+v %v", state, err)
	}

	otherTable := dynamotest.Table(t, db)
	down := dynamo.New(dynamotest.ClientAt(t, "http://127.0.0.1:1"), otherTable, dynamo.Options{})
	if resp := invoke(t, handler(down), payload); resp.StatusCode != 503 {
		t.Fatalf("storage down: %d %s", resp.StatusCode, resp.Body)
	}
	if _, _, err := dynamo.New(db, otherTable, dynamo.Options{}).Ticket(context.Background(), "generic", "T-1"); errcode.Code(err) != errcode.NotFound {
		t.Errorf("storage down wrote something: %v", err)
	}
}

// A source may have several secrets, one per line (a Zendesk account signs
// each of its webhooks with a secret of its own): a request signed with
// any of them is accepted, one signed with none is not.
func TestSeveralSecretsPerSource(t *testing.T) {
	h := handler(&memStore{events: map[string]event.Event{}})
	h.Secrets["generic"] = []byte("first-secret\n" + string(secret) + "\n")
	body := `{"event_id":"e1","ticket_id":"T","type":"created","occurred_at":"2026-10-05T01:00:00Z"}`
	for _, tc := range []struct {
		name   string
		key    string
		status int
	}{
		{"signed with the first", "first-secret", 200},
		{"signed with the second", string(secret), 200},
		{"signed with neither", "other", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := invoke(t, h, request(t, "generic", body, generic.Sign([]byte(tc.key), []byte(body))))
			if resp.StatusCode != tc.status {
				t.Errorf("%d %s, want %d", resp.StatusCode, resp.Body, tc.status)
			}
		})
	}
}

func TestCheckPolicyNamesAnUnknownSource(t *testing.T) {
	p, err := policy.Parse([]byte("base: default\nversion: t\nsources:\n  zendsk: {ticket_url: \"https://x/{id}\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := webhook.CheckPolicy(p); err == nil || !strings.Contains(err.Error(), "sources.zendsk") {
		t.Errorf("err = %v", err)
	}
	if err := webhook.CheckPolicy(policy.Default()); err != nil {
		t.Errorf("the default policy: %v", err)
	}
}

// switchovers records what the handler says of first webhooks.
type switchovers struct {
	mu    sync.Mutex
	calls []string
	fail  int
}

func (s *switchovers) MarkSwitchover(_ context.Context, source string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, source+" "+at.UTC().Format(time.RFC3339))
	if s.fail > 0 {
		s.fail--
		return errcode.Errorf(errcode.Unavailable, "table unavailable")
	}
	return nil
}

// TestTheFirstWebhookIsRecorded: a source's first stored webhook is
// recorded once per process, at its events' time when they are minutes
// old, at its arrival when they are older (a creation time an update
// repeats); a failure to record is retried by the next delivery and does
// not fail the webhook.
func TestTheFirstWebhookIsRecorded(t *testing.T) {
	body := func(id, at string) string {
		return `{"event_id":"` + id + `","ticket_id":"T","type":"created","occurred_at":"` + at + `"}`
	}
	for _, tc := range []struct {
		name   string
		at     string // the first delivery's event time; the clock is 01:00:05
		fail   int
		want   []string
		status int
	}{
		{"minutes-old events", "2026-10-05T00:58:00Z", 0, []string{"generic 2026-10-05T00:58:00Z"}, 200},
		{"an old creation time", "2026-09-01T00:00:00Z", 0, []string{"generic 2026-10-05T01:00:05Z"}, 200},
		{"a failure, then the next delivery", "2026-10-05T01:00:00Z", 1, []string{"generic 2026-10-05T01:00:00Z", "generic 2026-10-05T01:00:05Z"}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sw := &switchovers{fail: tc.fail}
			h := handler(&memStore{events: map[string]event.Event{}})
			h.Switchovers = sw
			for i, b := range []string{body("e1", tc.at), body("e2", "2026-10-05T01:00:05Z"), body("e3", "2026-10-05T01:00:05Z")} {
				if r := invoke(t, h, request(t, "generic", b, generic.Sign(secret, []byte(b)))); r.StatusCode != tc.status {
					t.Fatalf("delivery %d: %d %s", i+1, r.StatusCode, r.Body)
				}
			}
			if diff := cmp.Diff(tc.want, sw.calls); diff != "" {
				t.Errorf("recorded (-want +got):\n%s", diff)
			}
		})
	}
}

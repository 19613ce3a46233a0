package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/core/event"
	"scorecard/shared/source/generic"
)

// nullStore accepts everything: the benchmark measures the handler alone.
type nullStore struct{}

func (nullStore) Ingest(_ context.Context, evs []event.Event) (event.Ingested, error) {
	return event.Ingested{Stored: len(evs)}, nil
}

// BenchmarkHandle is the handler's CPU per event without I/O: size check,
// HMAC verification, parsing and normalising, for single events and for
// batches of 100.
func BenchmarkHandle(b *testing.B) {
	one := `{"event_id":"evt-%d","ticket_id":"T-%d","type":"replied","occurred_at":"2026-10-05T01:20:00Z","actor":{"id":"ag-1","kind":"agent"},"public":true}`
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			var body string
			if n == 1 {
				body = fmt.Sprintf(one, 1, 1)
			} else {
				var evs []json.RawMessage
				for i := range n {
					evs = append(evs, json.RawMessage(fmt.Sprintf(one, i, i%10)))
				}
				raw, _ := json.Marshal(map[string]any{"events": evs})
				body = string(raw)
			}
			req := events.APIGatewayV2HTTPRequest{
				RawPath:        "/webhooks/generic",
				PathParameters: map[string]string{"source": "generic"},
				Headers:        map[string]string{"content-type": "application/json", "x-signature": generic.Sign(secret, []byte(body))},
				Body:           body,
				RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST"}},
			}
			h := handler(nullStore{})
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				resp, _ := h.Handle(ctx, req)
				if resp.StatusCode != 200 {
					b.Fatal(resp.Body)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/event")
		})
	}
}

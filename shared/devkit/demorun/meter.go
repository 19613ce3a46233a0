package demorun

import (
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"scorecard/shared/devkit/cost"
)

// Memory of each function as the stack deploys it (infra/functions.go).
var memoryMB = map[string]int{"webhook": 256, "forms": 256, "notifier": 512, "monthly": 1769}

// recordsPerInvocation is how many stream records the notifier is assumed
// to get per invocation: the stack's batching window is 5 s and its batch
// size 100, so a busy table fills batches and a quiet one sends few.
const recordsPerInvocation = 10

// meter counts what a run would use on AWS: requests through the API and
// the time the function behind each took, mails, and (from the store's
// client) DynamoDB request units.
type meter struct {
	mu          sync.Mutex
	invocations map[string]int64
	millis      map[string]float64
	mails       atomic.Int64
	attached    atomic.Int64
	records     atomic.Int64 // stream records the notifier would read
}

func newMeter() *meter {
	return &meter{invocations: map[string]int64{}, millis: map[string]float64{}}
}

// add books one invocation of fn lasting d, billed by the millisecond.
func (m *meter) add(fn string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.invocations[fn]++
	m.millis[fn] += math.Ceil(float64(d) / float64(time.Millisecond))
}

// addTime books time without an invocation (a batch's later records).
func (m *meter) addTime(fn string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.millis[fn] += float64(d) / float64(time.Millisecond)
}

// RoundTrip times each gateway request as an invocation of its function.
type meteredTransport struct {
	next  http.RoundTripper
	meter *meter
}

func (t meteredTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	fn := "forms"
	if strings.HasPrefix(req.URL.Path, "/webhooks/") {
		fn = "webhook"
	}
	t0 := time.Now()
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		t.meter.add(fn, time.Since(t0))
	}
	return resp, err
}

// usage is the metered use so far, with DynamoDB's units from the store's
// client.
func (m *meter) usage(read, write float64) cost.Usage {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := cost.Usage{ReadUnits: read, WriteUnits: write, Mails: m.mails.Load(), AttachmentBytes: m.attached.Load()}
	// The webhooks come through the webhook function's URL (the stack's
	// default webhookEndpoint), the forms through the HTTP API.
	u.APIRequests, u.URLRequests = m.invocations["forms"], m.invocations["webhook"]
	inv := make(map[string]int64, len(m.invocations)+1)
	for fn, n := range m.invocations {
		inv[fn] = n
	}
	inv["notifier"] = (m.records.Load() + recordsPerInvocation - 1) / recordsPerInvocation
	for _, fn := range []string{"webhook", "forms", "notifier", "monthly"} {
		if inv[fn] == 0 && m.millis[fn] == 0 {
			continue
		}
		u.Functions = append(u.Functions, cost.Function{Name: fn, MemoryMB: memoryMB[fn], Invocations: inv[fn], Millis: m.millis[fn]})
	}
	return u
}

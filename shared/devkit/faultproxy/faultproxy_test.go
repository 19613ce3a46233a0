package faultproxy_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/devkit/faultproxy"
)

// backend is the target of the unit tests: it echoes the request and counts
// what reached it.
type backend struct {
	URL  string
	hits atomic.Int64
}

func newBackend(t *testing.T) *backend {
	t.Helper()
	b := &backend{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.hits.Add(1)
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Echo-Path", r.URL.RequestURI())
		w.Header().Set("X-Echo-Host", r.Host)
		w.Header().Set("X-Echo-Header", r.Header.Get("X-Test"))
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	b.URL = srv.URL
	return b
}

// outcome is what a client saw of one request.
type outcome struct {
	status int // 0: no response
	header http.Header
	body   string
	err    error
}

// post sends a POST (which an HTTP client never resends by itself) on a
// connection of its own.
func post(t *testing.T, url, body string) outcome {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/some/path?q=1", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Test", "kept")
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return outcome{status: resp.StatusCode, header: resp.Header, body: string(b), err: err}
}

// only is a rate of 1 for one kind.
func only(k faultproxy.Kind) faultproxy.Rates {
	var r faultproxy.Rates
	switch k {
	case faultproxy.Throttle:
		r.Throttle = 1
	case faultproxy.Error:
		r.Error = 1
	case faultproxy.Unavailable:
		r.Unavailable = 1
	case faultproxy.Drop:
		r.Drop = 1
	case faultproxy.Slow:
		r.Slow = 1
	}
	return r
}

func TestEachKindDoesWhatItSays(t *testing.T) {
	const delay = 30 * time.Millisecond
	awsError := func(status int, code string) func(t *testing.T, o outcome) {
		return func(t *testing.T, o outcome) {
			if o.err != nil || o.status != status {
				t.Fatalf("got %d %v, want %d", o.status, o.err, status)
			}
			if got := o.header.Get("x-amzn-ErrorType"); got != code {
				t.Errorf("x-amzn-ErrorType %q, want %q", got, code)
			}
			var body struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal([]byte(o.body), &body); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, o.body)
			}
			if body.Type != "com.amazonaws.dynamodb.v20120810#"+code || body.Message == "" {
				t.Errorf("body %+v, want __type ...#%s and a message", body, code)
			}
		}
	}
	forwarded := func(t *testing.T, o outcome) {
		if o.err != nil || o.status != 200 {
			t.Fatalf("got %d %v, want 200", o.status, o.err)
		}
		if o.body != "payload" || o.header.Get("X-Echo-Path") != "/some/path?q=1" || o.header.Get("X-Echo-Header") != "kept" {
			t.Errorf("the target got %q at %q with X-Test %q; want the request unchanged", o.body, o.header.Get("X-Echo-Path"), o.header.Get("X-Echo-Header"))
		}
	}
	tests := []struct {
		name     string
		kind     faultproxy.Kind
		reaches  bool
		check    func(t *testing.T, o outcome)
		minDelay time.Duration
	}{
		{"throttling is DynamoDB's 400 ThrottlingException and never reaches the target", faultproxy.Throttle, false,
			awsError(400, "ThrottlingException"), 0},
		{"an error is a 500 InternalServerError and never reaches the target", faultproxy.Error, false,
			awsError(500, "InternalServerError"), 0},
		{"unavailable is a 503 and never reaches the target", faultproxy.Unavailable, false,
			awsError(503, "ServiceUnavailable"), 0},
		{"a dropped connection has no response and never reaches the target", faultproxy.Drop, false,
			func(t *testing.T, o outcome) {
				if o.err == nil {
					t.Fatalf("got %d %q, want a connection error", o.status, o.body)
				}
			}, 0},
		{"a slow request reaches the target whole, after the delay", faultproxy.Slow, true, forwarded, delay},
		{"without a fault the request reaches the target unchanged", faultproxy.Forward, true, forwarded, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBackend(t)
			p := faultproxy.Start(t, b.URL, faultproxy.Config{Seed: 1, Rates: only(tc.kind), Delay: delay})
			start := time.Now()
			o := post(t, p.URL, "payload")
			// A lower bound only: the delay is a sleep, never a speed claim.
			if took := time.Since(start); took < tc.minDelay {
				t.Errorf("answered after %v, before the delay of %v", took, tc.minDelay)
			}
			tc.check(t, o)
			wantHits := int64(0)
			if tc.reaches {
				wantHits = 1
			}
			if got := b.hits.Load(); got != wantHits {
				t.Errorf("the target got %d requests, want %d", got, wantHits)
			}
			c := p.Counts()
			if c.Requests != 1 || c.Of(tc.kind) != 1 || c.Forwarded() != wantHits {
				t.Errorf("counts %v (%v), want 1 request of kind %v", c, c.ByKind, tc.kind)
			}
		})
	}
}

// The rates are respected over many requests, and the counters agree with
// what the clients saw and what reached the target.
func TestRatesAndCounters(t *testing.T) {
	const n = 2000
	rates := faultproxy.Rates{Throttle: 0.10, Error: 0.05, Unavailable: 0.05, Drop: 0.10, Slow: 0.05}
	b := newBackend(t)
	p := faultproxy.Start(t, b.URL, faultproxy.Config{Seed: 42, Rates: rates, Delay: time.Millisecond})
	seen := map[string]int64{}
	for range n {
		o := post(t, p.URL, "x")
		switch {
		case o.err != nil:
			seen["dropped"]++
		default:
			seen[o.header.Get("x-amzn-ErrorType")+"/"+http.StatusText(o.status)]++
		}
	}
	c := p.Counts()
	t.Logf("%d requests: %v", n, c)
	if c.Requests != n {
		t.Errorf("%d requests counted, %d sent", c.Requests, n)
	}
	for _, r := range []struct {
		kind faultproxy.Kind
		rate float64
		seen string
	}{
		{faultproxy.Throttle, rates.Throttle, "ThrottlingException/Bad Request"},
		{faultproxy.Error, rates.Error, "InternalServerError/Internal Server Error"},
		{faultproxy.Unavailable, rates.Unavailable, "ServiceUnavailable/Service Unavailable"},
		{faultproxy.Drop, rates.Drop, "dropped"},
		{faultproxy.Slow, rates.Slow, ""},
	} {
		got := c.Of(r.kind)
		mean, sd := n*r.rate, math.Sqrt(n*r.rate*(1-r.rate))
		if math.Abs(float64(got)-mean) > 4*sd {
			t.Errorf("%v: %d of %d, want about %.0f (±%.0f)", r.kind, got, n, mean, 4*sd)
		}
		if r.seen != "" && seen[r.seen] != got {
			t.Errorf("%v: counted %d, clients saw %d", r.kind, got, seen[r.seen])
		}
	}
	if ok := seen["/OK"]; ok != c.Forwarded() || b.hits.Load() != c.Forwarded() {
		t.Errorf("forwarded %d, clients got %d 200s, the target %d requests", c.Forwarded(), ok, b.hits.Load())
	}
	if c.Failed()+c.Forwarded() != n {
		t.Errorf("failed %d + forwarded %d != %d", c.Failed(), c.Forwarded(), n)
	}
}

// One seed, one sequence of outcomes.
func TestTheSeedFixesTheOutcomes(t *testing.T) {
	b := newBackend(t)
	rates := faultproxy.Rates{Throttle: 0.2, Error: 0.1, Unavailable: 0.1, Drop: 0.1}
	run := func(seed uint64) []int {
		p := faultproxy.Start(t, b.URL, faultproxy.Config{Seed: seed, Rates: rates})
		var out []int
		for range 200 {
			out = append(out, post(t, p.URL, "x").status)
		}
		return out
	}
	first := run(7)
	if d := cmp.Diff(first, run(7)); d != "" {
		t.Errorf("the same seed gave other outcomes (-first +second):\n%s", d)
	}
	if cmp.Equal(first, run(8)) {
		t.Error("another seed gave the same 200 outcomes")
	}
}

func TestSetRatesTurnsFaultsOffAndOn(t *testing.T) {
	b := newBackend(t)
	p := faultproxy.Start(t, b.URL, faultproxy.Config{Rates: only(faultproxy.Error)})
	if o := post(t, p.URL, "x"); o.status != 500 {
		t.Fatalf("status %d, want 500", o.status)
	}
	if err := p.SetRates(faultproxy.Rates{}); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if o := post(t, p.URL, "x"); o.status != 200 {
			t.Fatalf("with faults off: %d %v", o.status, o.err)
		}
	}
	if err := p.SetRates(faultproxy.Rates{Throttle: 0.7, Drop: 0.7}); err == nil {
		t.Error("rates adding up to 1.4 were taken")
	}
	if err := p.SetRates(only(faultproxy.Unavailable)); err != nil {
		t.Fatal(err)
	}
	if o := post(t, p.URL, "x"); o.status != 503 {
		t.Errorf("faults on again: status %d, want 503", o.status)
	}
	if c := p.Counts(); c.Requests != 52 || c.Of(faultproxy.Forward) != 50 || b.hits.Load() != 50 {
		t.Errorf("counts %v, target hits %d", c, b.hits.Load())
	}
}

func TestNewRefusesABadConfig(t *testing.T) {
	tests := []struct {
		name   string
		target string
		rates  faultproxy.Rates
	}{
		{"a relative target", "127.0.0.1:8000", faultproxy.Rates{}},
		{"a negative rate", "http://127.0.0.1:8000", faultproxy.Rates{Drop: -0.1}},
		{"a rate that is not a number", "http://127.0.0.1:8000", faultproxy.Rates{Error: math.NaN()}},
		{"rates over 1 together", "http://127.0.0.1:8000", faultproxy.Rates{Throttle: 0.5, Error: 0.3, Slow: 0.3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := faultproxy.New(tc.target, faultproxy.Config{Rates: tc.rates}); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// Every failing fault reaches an AWS SDK client as an error its standard
// retryer retries, and throttling as DynamoDB's ThrottlingException.
func TestTheSDKRetriesEveryFault(t *testing.T) {
	b := newBackend(t)
	for _, k := range []faultproxy.Kind{faultproxy.Throttle, faultproxy.Error, faultproxy.Unavailable, faultproxy.Drop} {
		t.Run(k.String(), func(t *testing.T) {
			p := faultproxy.Start(t, b.URL, faultproxy.Config{Rates: only(k)})
			db := dynamodb.New(dynamodb.Options{
				Region: "us-east-1", BaseEndpoint: aws.String(p.URL), Retryer: aws.NopRetryer{},
				Credentials: credentials.NewStaticCredentialsProvider("dummykey", "dummysecret", ""),
			})
			_, err := db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String("t"),
				Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "x"}}})
			if err == nil {
				t.Fatal("no error")
			}
			if !retry.NewStandard().IsErrorRetryable(err) {
				t.Errorf("the standard retryer would not retry %v", err)
			}
			var api smithy.APIError
			if k == faultproxy.Throttle && (!errors.As(err, &api) || api.ErrorCode() != "ThrottlingException") {
				t.Errorf("throttling read as %v", err)
			}
			if b.hits.Load() != 0 {
				t.Errorf("%d requests reached the target", b.hits.Load())
			}
		})
	}
}

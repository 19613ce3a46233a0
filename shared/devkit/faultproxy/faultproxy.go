// Package faultproxy owns the fault-injecting HTTP proxy the fault tests put
// between the product and its AWS dependencies (DynamoDB Local, the local
// SES server): it forwards requests to a target and, at chosen rates drawn
// from a seeded math/rand/v2 source, answers some of them itself with a
// fault — DynamoDB-style throttling, a 500, a 503, a dropped connection —
// or forwards them late.
//
// Every fault that fails a request is injected BEFORE the request is
// forwarded: a failed call never reaches the server, so the server's state
// is exactly what the calls that succeeded made it. A test can therefore
// demand exactly-once results (one stored event, one sent mail) of a client
// that retries. Faults that happen after the server acted (a lost response)
// are a different promise, which this proxy does not test.
//
// The proxy counts every request and every fault by kind (atomically), and
// its rates can be changed while it runs (SetRates; Rates{} turns faults
// off). With one sender the sequence of outcomes is fixed by the seed; with
// concurrent senders the same outcomes are dealt to the requests in their
// order of arrival.
package faultproxy

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Kind is what the proxy does with one request.
type Kind int

// The outcomes of a request.
const (
	Forward     Kind = iota // passed to the target unchanged
	Throttle                // 400 ThrottlingException in DynamoDB's JSON error shape
	Error                   // 500 InternalServerError
	Unavailable             // 503 ServiceUnavailable
	Drop                    // the connection is closed without a response
	Slow                    // passed to the target after Config.Delay
	numKinds
)

var kindNames = [numKinds]string{"forwarded", "throttled", "500", "503", "dropped", "slow"}

func (k Kind) String() string {
	if k < 0 || k >= numKinds {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// Fails reports whether the kind fails the request (and so never forwards it).
func (k Kind) Fails() bool { return k == Throttle || k == Error || k == Unavailable || k == Drop }

// Rates are the shares of requests that get each fault, each in [0, 1] and
// together at most 1; the rest are forwarded at once.
type Rates struct {
	Throttle    float64
	Error       float64
	Unavailable float64
	Drop        float64
	Slow        float64
}

// Total is the share of requests that get any fault, slow ones included.
func (r Rates) Total() float64 { return r.Throttle + r.Error + r.Unavailable + r.Drop + r.Slow }

func (r Rates) validate() error {
	for _, v := range []float64{r.Throttle, r.Error, r.Unavailable, r.Drop, r.Slow} {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("faultproxy: rate %v is not in [0, 1]", v)
		}
	}
	if t := r.Total(); t > 1+1e-9 {
		return fmt.Errorf("faultproxy: rates add up to %v, more than 1", t)
	}
	return nil
}

// Config configures a Proxy.
type Config struct {
	Seed  uint64
	Rates Rates
	// Delay is how late a Slow request is forwarded; 0 means 50 ms.
	Delay time.Duration
}

// Counts is a snapshot of what the proxy did.
type Counts struct {
	Requests int64 // every request received
	ByKind   [numKinds]int64
}

// Of is how many requests got kind k.
func (c Counts) Of(k Kind) int64 { return c.ByKind[k] }

// Failed is how many requests the proxy failed (never forwarded).
func (c Counts) Failed() int64 {
	return c.ByKind[Throttle] + c.ByKind[Error] + c.ByKind[Unavailable] + c.ByKind[Drop]
}

// Forwarded is how many requests reached the target, slow ones included.
func (c Counts) Forwarded() int64 { return c.ByKind[Forward] + c.ByKind[Slow] }

func (c Counts) String() string {
	return fmt.Sprintf("%d requests, %d failed (throttled %d, 500 %d, 503 %d, dropped %d), %d slow, %d forwarded",
		c.Requests, c.Failed(), c.ByKind[Throttle], c.ByKind[Error], c.ByKind[Unavailable], c.ByKind[Drop], c.ByKind[Slow], c.Forwarded())
}

// Proxy forwards requests to a target, failing some of them first.
type Proxy struct {
	// URL is where clients reach the proxy; Start sets it.
	URL string

	target *url.URL
	rp     *httputil.ReverseProxy
	delay  time.Duration

	mu    sync.Mutex // guards rng and rates
	rng   *rand.Rand
	rates Rates

	requests atomic.Int64
	kinds    [numKinds]atomic.Int64
}

// New returns a proxy to target (a base URL such as http://127.0.0.1:8000).
func New(target string, cfg Config) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("faultproxy: target %q is not an absolute URL", target)
	}
	if err := cfg.Rates.validate(); err != nil {
		return nil, err
	}
	if cfg.Delay <= 0 {
		cfg.Delay = 50 * time.Millisecond
	}
	p := &Proxy{target: u, delay: cfg.Delay, rng: rand.New(rand.NewPCG(cfg.Seed, 0x6661756c74)), rates: cfg.Rates}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(u)
			// AWS clients sign the Host header: keep the one they signed.
			r.Out.Host = r.In.Host
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			// The target itself failed: a 502, which no fault produces.
			http.Error(w, "faultproxy: target: "+err.Error(), http.StatusBadGateway)
		},
	}
	return p, nil
}

// Start runs a proxy to target on a loopback test server, closed when the
// test ends.
func Start(t testing.TB, target string, cfg Config) *Proxy {
	t.Helper()
	p, err := New(target, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// SetRates changes the rates from the next request on; Rates{} turns faults
// off.
func (p *Proxy) SetRates(r Rates) error {
	if err := r.validate(); err != nil {
		return err
	}
	p.mu.Lock()
	p.rates = r
	p.mu.Unlock()
	return nil
}

// Counts returns what the proxy has done so far.
func (p *Proxy) Counts() Counts {
	c := Counts{Requests: p.requests.Load()}
	for k := range numKinds {
		c.ByKind[k] = p.kinds[k].Load()
	}
	return c
}

// next draws the outcome of one request.
func (p *Proxy) next() Kind {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.rng.Float64()
	for _, c := range []struct {
		k    Kind
		rate float64
	}{{Throttle, p.rates.Throttle}, {Error, p.rates.Error}, {Unavailable, p.rates.Unavailable}, {Drop, p.rates.Drop}, {Slow, p.rates.Slow}} {
		if u < c.rate {
			return c.k
		}
		u -= c.rate
	}
	return Forward
}

// ServeHTTP decides the request's outcome, then fails it or forwards it.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	k := p.next()
	p.kinds[k].Add(1)
	if k.Fails() {
		// The whole request is read, as the server would have, so that the
		// client sees the fault and not a half-written request.
		io.Copy(io.Discard, r.Body)
	}
	switch k {
	case Throttle:
		awsError(w, http.StatusBadRequest, "ThrottlingException", "Rate of requests exceeds the allowed throughput (injected by faultproxy).")
	case Error:
		awsError(w, http.StatusInternalServerError, "InternalServerError", "Internal server error (injected by faultproxy).")
	case Unavailable:
		awsError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "Service unavailable (injected by faultproxy).")
	case Drop:
		drop(w)
	case Slow:
		select {
		case <-r.Context().Done():
			return
		case <-time.After(p.delay):
		}
		p.rp.ServeHTTP(w, r)
	default:
		p.rp.ServeHTTP(w, r)
	}
}

// awsError answers in the JSON error shape of DynamoDB (awsJson1_0), whose
// type the AWS SDKs also read from x-amzn-ErrorType for the REST-JSON
// services such as SES v2.
func awsError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("x-amzn-ErrorType", code)
	w.Header().Set("x-amzn-RequestId", "faultproxy")
	w.WriteHeader(status)
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{"com.amazonaws.dynamodb.v20120810#" + code, message})
	w.Write(b)
}

// drop closes the connection without a response.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// HTTP/2 cannot hijack; aborting the handler resets the stream.
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

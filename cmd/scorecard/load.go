package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/awsenv"
	"scorecard/shared/demo"
	"scorecard/shared/dynamo"
	"scorecard/shared/errcode"
	"scorecard/shared/event"
	"scorecard/shared/generic"
	"scorecard/shared/month"
	"scorecard/shared/policy"
	"scorecard/shared/secrets"
	"scorecard/shared/ticket"
)

// countingDB counts the item writes the store makes.
type countingDB struct {
	*dynamodb.Client
	items atomic.Int64
}

func (c *countingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	out, err := c.Client.TransactWriteItems(ctx, in, o...)
	if err == nil {
		c.items.Add(int64(len(in.TransactItems)))
	}
	return out, err
}

// load measures ingestion through the local gateway into DynamoDB Local:
// concurrent senders post signed generic events (shuffled, with
// duplicates) over HTTP, bounded in count and time, on loopback only.
func load(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	senders := fs.Int("senders", 8, "concurrent senders")
	duration := fs.Duration("duration", 20*time.Second, "stop sending after this long")
	tickets := fs.Int("tickets", 1500, "tickets to generate (about 12 events each)")
	dupShare := fs.Float64("duplicates", 0.05, "share of events sent twice")
	table := fs.String("table", "scorecard-load", "table to load (dropped and recreated)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *senders < 1 || *tickets < 1 {
		return errcode.Errorf(errcode.Invalid, "usage: scorecard load [--senders N] [--duration D] [--tickets N]")
	}
	ae := awsenv.FromEnv(e.getenv, true)
	ae.Table = *table
	cfg, err := ae.Config(ctx, e.getenv)
	if err != nil {
		return err
	}
	client := ae.DynamoDB(cfg)
	client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(*table)})
	if err := dynamo.CreateTable(ctx, client, *table); err != nil {
		return errcode.Wrap(errcode.Unavailable, err, "cannot reach the local DynamoDB at "+ae.DynamoDBEndpoint+"; start it with `make up`")
	}
	pol := policy.Default()
	db := &countingDB{Client: client}
	store := dynamo.New(db, *table, dynamo.Options{Location: pol.Location()})
	mux := newMux(&backend{env: ae, policy: pol, store: store}, secrets.Dev(), slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now, "http://127.0.0.1")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/webhooks/generic"

	cfgDemo := demo.DefaultConfig()
	cfgDemo.Months, cfgDemo.TicketsPerMonth = 1, *tickets
	cfgDemo.Start = month.Month{Year: 2026, Month: time.October}
	_, evs := demo.Generate(cfgDemo)
	bodies := make([][]byte, 0, len(evs))
	for _, ev := range evs {
		b, _ := json.Marshal(ev)
		bodies = append(bodies, b)
	}
	// Tickets go out in blocks of 25: within a block every event and its
	// duplicates are shuffled (out of order, redelivered), so that when
	// time runs out only the last block is partly sent and every earlier
	// ticket can be checked whole.
	r := rand.New(rand.NewPCG(7, 7))
	byID := map[string][][]byte{}
	var ids []string
	for i, ev := range evs {
		if _, ok := byID[ev.TicketID]; !ok {
			ids = append(ids, ev.TicketID)
		}
		byID[ev.TicketID] = append(byID[ev.TicketID], bodies[i])
	}
	var sends [][]byte
	for start := 0; start < len(ids); start += 25 {
		var block [][]byte
		for _, id := range ids[start:min(len(ids), start+25)] {
			for _, b := range byID[id] {
				block = append(block, b)
				if r.Float64() < *dupShare {
					block = append(block, b)
				}
			}
		}
		r.Shuffle(len(block), func(i, j int) { block[i], block[j] = block[j], block[i] })
		sends = append(sends, block...)
	}

	fmt.Fprintf(e.stdout, "load: %d events of %d tickets (+%d duplicates), %d senders, at most %s, into %s on %s\n",
		len(bodies), *tickets, len(sends)-len(bodies), *senders, *duration, *table, ae.DynamoDBEndpoint)
	secret := secrets.Dev().Webhook["generic"]
	httpc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *senders}, Timeout: 30 * time.Second}
	var (
		next      atomic.Int64
		stored    atomic.Int64
		dups      atomic.Int64
		retries   atomic.Int64
		failures  atomic.Int64
		mu        sync.Mutex
		latencies []time.Duration
		sent      = make([]bool, len(sends))
		wg        sync.WaitGroup
	)
	deadline := time.Now().Add(*duration)
	start := time.Now()
	for range *senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) && ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(sends) {
					break
				}
				for attempt := 0; attempt < 5; attempt++ {
					req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(sends[i]))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set(generic.SignatureHeader, generic.Sign(secret, sends[i]))
					t0 := time.Now()
					resp, err := httpc.Do(req)
					if err != nil {
						failures.Add(1)
						break
					}
					var res event.Ingested
					json.NewDecoder(resp.Body).Decode(&res)
					resp.Body.Close()
					mine = append(mine, time.Since(t0))
					if resp.StatusCode == http.StatusServiceUnavailable {
						retries.Add(1)
						continue
					}
					if resp.StatusCode != http.StatusOK {
						failures.Add(1)
						break
					}
					stored.Add(int64(res.Stored))
					dups.Add(int64(res.Duplicates))
					sent[i] = true
					break
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	requests := len(latencies)
	fmt.Fprintf(e.stdout, "  requests      %d in %s: %.0f events/s\n", requests, elapsed.Round(time.Millisecond), float64(requests)/elapsed.Seconds())
	fmt.Fprintf(e.stdout, "  latency       p50 %s  p99 %s  max %s\n", pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	fmt.Fprintf(e.stdout, "  stored        %d new, %d duplicates dropped, %d retried after 503, %d failed\n", stored.Load(), dups.Load(), retries.Load(), failures.Load())
	if stored.Load() > 0 {
		fmt.Fprintf(e.stdout, "  item writes   %.2f per stored event (%d in all)\n", float64(db.items.Load())/float64(stored.Load()), db.items.Load())
	}

	// Every ticket whose events were all sent must hold the state computed
	// offline from those events.
	byTicket := map[dynamo.TicketKey][]event.Event{}
	complete := map[dynamo.TicketKey]bool{}
	for i, b := range sends {
		ev, err := event.ParseGenericEvent(b)
		if err != nil {
			return err
		}
		k := dynamo.TicketKey{Source: ev.Source, ID: ev.TicketID}
		if _, ok := complete[k]; !ok {
			complete[k] = true
		}
		if !sent[i] {
			complete[k] = false
		}
		byTicket[k] = append(byTicket[k], ev)
	}
	var keys []dynamo.TicketKey
	for k, ok := range complete {
		if ok {
			keys = append(keys, k)
		}
	}
	mismatched, checked := 0, 0
	for st, err := range store.Tickets(ctx, keys) {
		if err != nil {
			return err
		}
		checked++
		if !cmp.Equal(ticket.Reduce(byTicket[dynamo.TicketKey{Source: st.Source, ID: st.ID}]), *st) {
			mismatched++
		}
	}
	fmt.Fprintf(e.stdout, "  verified      %d fully sent tickets: %d stored states differ from the offline result\n", checked, mismatched)
	if mismatched > 0 || checked != len(keys) || failures.Load() > 0 {
		return fmt.Errorf("load: %d mismatched, %d of %d tickets read, %d failed requests", mismatched, checked, len(keys), failures.Load())
	}
	return nil
}

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/logging"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/webhook"
	"scorecard/shared/aws/awsconfig"
	"scorecard/shared/aws/awsenv"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/devkit/replay"
	"scorecard/shared/source"
	"scorecard/shared/source/generic"
)

// countingDB counts the items the store writes (a put refused by its
// condition writes none).
type countingDB struct {
	*dynamodb.Client
	items atomic.Int64
}

func (c *countingDB) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	out, err := c.Client.PutItem(ctx, in, o...)
	if err == nil {
		c.items.Add(1)
	}
	return out, err
}

func (c *countingDB) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	out, err := c.Client.BatchWriteItem(ctx, in, o...)
	if err == nil {
		n := 0
		for table, reqs := range in.RequestItems {
			n += len(reqs) - len(out.UnprocessedItems[table])
		}
		c.items.Add(int64(n))
	}
	return out, err
}

func (c *countingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	out, err := c.Client.TransactWriteItems(ctx, in, o...)
	if err == nil {
		c.items.Add(int64(len(in.TransactItems)))
	}
	return out, err
}

// loadBlock is how many tickets go out together: within a block every
// request and its redeliveries are shuffled, so when time runs out only the
// last block is partly sent and every ticket before it can be checked whole.
const loadBlock = 25

// loadAttempts bounds the deliveries of one request answered 503.
const loadAttempts = 8

// load measures ingestion as the ticketing systems deliver: concurrent
// senders post a generated month's tickets as signed Zendesk, Jira Service
// Management, Freshdesk and generic webhooks (package replay) through the
// local gateway into DynamoDB Local, out of order and with redeliveries,
// bounded in count and time, on loopback only. Afterwards every distinct
// event must be stored exactly once and every fully sent ticket must hold
// the state of the events it was generated with.
func load(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	senders := fs.Int("senders", 8, "concurrent senders")
	duration := fs.Duration("duration", 60*time.Second, "stop sending after this long")
	tickets := fs.Int("tickets", 5000, "tickets to generate (about 12 events each)")
	dupShare := fs.Float64("duplicates", 0.05, "share of requests delivered twice")
	table := fs.String("table", "scorecard-load", "table to load (dropped and recreated)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *senders < 1 || *tickets < 1 || *duration <= 0 || *dupShare < 0 || *dupShare > 1 {
		return errcode.Errorf(errcode.Invalid, "usage: scorecard load [--senders N] [--duration D] [--tickets N] [--duplicates 0..1] [--table NAME]")
	}
	ae := awsenv.FromEnv(e.getenv, true)
	ae.Table = *table
	if !loopback(ae.DynamoDBEndpoint) {
		return errcode.Errorf(errcode.Invalid, "load drops and recreates its table, so it runs only against a DynamoDB on loopback, not %q", ae.DynamoDBEndpoint)
	}
	cfg, err := awsconfig.Load(ctx, ae, e.getenv)
	if err != nil {
		return err
	}
	cfg.Logger = logging.Nop{} // the SDK's notes on connection reuse under load are not the measurement's
	var capacity dynamo.Capacity
	client := ae.DynamoDB(cfg, capacity.Option())
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
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	lr, err := planLoad(*tickets, *dupShare)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "load: %d tickets, %d events in %d requests (+%d redeliveries), %d senders, at most %s, into %s on %s\n",
		len(lr.order), lr.events, len(lr.plan.Requests), len(lr.sends)-len(lr.plan.Requests), *senders, *duration, *table, ae.DynamoDBEndpoint)
	lr.send(ctx, "http://"+ln.Addr().String(), *senders, *duration)
	failed := lr.report(e.stdout, db.items.Load(), &capacity)

	raw, err := countRawEvents(ctx, client, *table)
	if err != nil {
		return err
	}
	v := lr.verify(ctx, store, *senders, e.stderr)
	fmt.Fprintf(e.stdout, "  store         %d event items; the %d fully sent tickets hold %d events of the %d sent them, in %d tickets of the store\n",
		raw, v.tickets, v.held, v.want, v.keys)
	fmt.Fprintf(e.stdout, "  verified      %d fully sent tickets: %d mismatches\n", v.tickets, v.mismatches)

	var problems []string
	if failed > 0 {
		problems = append(problems, fmt.Sprintf("%d failed requests", failed))
	}
	if v.mismatches > 0 {
		problems = append(problems, fmt.Sprintf("%d tickets differ from their events", v.mismatches))
	}
	if lr.stored != lr.distinct {
		problems = append(problems, fmt.Sprintf("%d events stored of %d distinct sent", lr.stored, lr.distinct))
	}
	if lr.stored+lr.dropped != lr.delivered {
		problems = append(problems, fmt.Sprintf("%d stored + %d dropped of %d events delivered", lr.stored, lr.dropped, lr.delivered))
	}
	if raw != lr.distinct {
		problems = append(problems, fmt.Sprintf("%d event items for %d distinct events", raw, lr.distinct))
	}
	if v.held != v.want {
		problems = append(problems, fmt.Sprintf("fully sent tickets hold %d events of %d", v.held, v.want))
	}
	if len(problems) > 0 {
		return fmt.Errorf("load: %s", strings.Join(problems, "; "))
	}
	return nil
}

// loopback reports whether endpoint is a URL on the loopback interface.
func loopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// loadRun is one load: the plan, the order of delivery and what came back.
type loadRun struct {
	plan   replay.Plan
	orig   map[string][]event.Event // the generated events by ticket
	agents map[string]map[string]string
	order  []string         // tickets in the order they go out
	reqsOf map[string][]int // ticket → its requests (indexes into plan.Requests)
	sends  []int            // deliveries in order: indexes into plan.Requests
	events int              // events in the plan

	// Filled in by send; results[i] is the delivery sends[i].
	results   []delivery
	latencies []time.Duration
	retries   int64
	elapsed   time.Duration
	failures  []string

	// Summed from the results by report.
	delivered, distinct, stored, dropped int
}

type delivery struct {
	ok  bool
	got event.Ingested
}

// planLoad generates a month of tickets, replays them across the sources
// and orders the deliveries: blocks of loadBlock tickets, each shuffled
// with its redeliveries.
func planLoad(tickets int, dupShare float64) (*loadRun, error) {
	cfg := demo.DefaultConfig()
	cfg.Months, cfg.TicketsPerMonth = 1, tickets
	cfg.Start = month.Month{Year: 2026, Month: time.October}
	org, raw := demo.Generate(cfg)
	evs, err := demo.ModelEvents(raw)
	if err != nil {
		return nil, err
	}
	agents := org.AgentIDs()
	plan, err := replay.Replay(evs, replay.Options{Secrets: replay.Secrets(secrets.Dev().Webhook), Agents: agents, Now: time.Now()})
	if err != nil {
		return nil, err
	}
	lr := &loadRun{plan: plan, orig: map[string][]event.Event{}, agents: agents, reqsOf: map[string][]int{}}
	for _, ev := range evs {
		lr.orig[ev.TicketID] = append(lr.orig[ev.TicketID], ev)
	}
	for i, r := range plan.Requests {
		if _, ok := lr.reqsOf[r.TicketID]; !ok {
			lr.order = append(lr.order, r.TicketID)
		}
		lr.reqsOf[r.TicketID] = append(lr.reqsOf[r.TicketID], i)
		lr.events += r.Events
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for start := 0; start < len(lr.order); start += loadBlock {
		var block []int
		for _, id := range lr.order[start:min(len(lr.order), start+loadBlock)] {
			for _, i := range lr.reqsOf[id] {
				block = append(block, i)
				if rng.Float64() < dupShare {
					block = append(block, i)
				}
			}
		}
		rng.Shuffle(len(block), func(i, j int) { block[i], block[j] = block[j], block[i] })
		lr.sends = append(lr.sends, block...)
	}
	return lr, nil
}

// send delivers lr.sends in order with senders workers until all are sent
// or duration has passed. Each delivery is signed just before it goes out
// (Zendesk checks its timestamp) and retried on 503, as the systems do.
func (lr *loadRun) send(ctx context.Context, base string, senders int, duration time.Duration) {
	sec := replay.Secrets(secrets.Dev().Webhook)
	httpc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}, Timeout: 30 * time.Second}
	lr.results = make([]delivery, len(lr.sends))
	var (
		next    atomic.Int64
		retries atomic.Int64
		mu      sync.Mutex
		wg      sync.WaitGroup
	)
	fail := func(msg string) {
		mu.Lock()
		lr.failures = append(lr.failures, msg)
		mu.Unlock()
	}
	deadline := time.Now().Add(duration)
	start := time.Now()
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) && ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(lr.sends) {
					break
				}
				r := lr.plan.Requests[lr.sends[i]]
				for attempt := 1; ; attempt++ {
					r.Header = r.Header.Clone()
					if err := r.Sign(sec, time.Now()); err != nil {
						fail(err.Error())
						break
					}
					req, err := r.NewHTTPRequest(ctx, base)
					if err != nil {
						fail(err.Error())
						break
					}
					t0 := time.Now()
					resp, err := httpc.Do(req)
					if err != nil {
						fail(fmt.Sprintf("%s %s: %v", r.Source, r.VendorTicketID, err))
						break
					}
					body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
					resp.Body.Close()
					mine = append(mine, time.Since(t0))
					if resp.StatusCode == http.StatusServiceUnavailable && attempt < loadAttempts {
						retries.Add(1)
						time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
						continue
					}
					var got event.Ingested
					if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &got) != nil {
						fail(fmt.Sprintf("%s %s: %d %s", r.Source, r.VendorTicketID, resp.StatusCode, strings.TrimSpace(string(body))))
						break
					}
					lr.results[i] = delivery{ok: true, got: got}
					break
				}
			}
			mu.Lock()
			lr.latencies = append(lr.latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	lr.elapsed = time.Since(start)
	lr.retries = retries.Load()
}

// report sums the deliveries, prints them and returns the failed requests.
func (lr *loadRun) report(w io.Writer, itemWrites int64, capacity *dynamo.Capacity) int {
	bySource := map[string]int{}
	done := make([]bool, len(lr.plan.Requests))
	deliveries := 0
	for i, res := range lr.results {
		if !res.ok {
			continue
		}
		r := &lr.plan.Requests[lr.sends[i]]
		deliveries++
		bySource[r.Source]++
		lr.delivered += r.Events
		lr.stored += res.got.Stored
		lr.dropped += res.got.Duplicates
		if !done[lr.sends[i]] {
			done[lr.sends[i]] = true
			lr.distinct += r.Events
		}
	}
	var parts []string
	for _, s := range source.Names() {
		parts = append(parts, fmt.Sprintf("%s %d", s, bySource[s]))
	}
	secs := lr.elapsed.Seconds()
	slices.Sort(lr.latencies)
	pct := func(p float64) time.Duration {
		if len(lr.latencies) == 0 {
			return 0
		}
		return lr.latencies[min(len(lr.latencies)-1, int(p*float64(len(lr.latencies))))].Round(10 * time.Microsecond)
	}
	fmt.Fprintf(w, "  requests      %s: %d of %d deliveries in %s\n", strings.Join(parts, ", "), deliveries, len(lr.sends), lr.elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "  events        %d sent, %d distinct, %d duplicates sent\n", lr.delivered, lr.distinct, lr.delivered-lr.distinct)
	fmt.Fprintf(w, "  stored        %d new, %d duplicates dropped, %d retried after 503, %d failed\n", lr.stored, lr.dropped, lr.retries, len(lr.failures))
	fmt.Fprintf(w, "  throughput    %.0f events/s, %.0f requests/s; latency p50 %s  p99 %s  max %s\n",
		float64(lr.delivered)/secs, float64(deliveries)/secs, pct(0.50), pct(0.99), pct(1))
	if lr.stored > 0 {
		fmt.Fprintf(w, "  item writes   %.2f per stored event (%d in all)\n", float64(itemWrites)/float64(lr.stored), itemWrites)
		// Request units as on-demand DynamoDB bills them: a write one unit
		// per KB of its item, a redelivery's refused put as much.
		fmt.Fprintf(w, "  capacity      %.2f write and %.2f read units per stored event, %.2f write units per delivery\n",
			capacity.Write()/float64(lr.stored), capacity.Read()/float64(lr.stored), capacity.Write()/float64(max(1, deliveries)))
	}
	for _, f := range lr.failures[:min(len(lr.failures), 3)] {
		fmt.Fprintf(w, "  failed        %.300s\n", f)
	}
	return len(lr.failures)
}

// loadCheck is what verify found.
type loadCheck struct {
	tickets, keys, mismatches int
	held, want                int // events the fully sent tickets hold, and were sent
}

// verify reads every fully sent ticket back. The store keys a ticket by
// (source, vendor id), and a vendor ticket's survey answers sit on the
// generic ticket of its original id; each of those must hold exactly the
// state of the events its requests carry, and together, with vendor ids
// mapped back, the state of the generated events — blind, as package
// replay defines it, to what a source cannot carry (its name, its count
// of events, the requester's name or e-mail).
func (lr *loadRun) verify(ctx context.Context, store *dynamo.Store, workers int, diffs io.Writer) loadCheck {
	sent := make([]bool, len(lr.plan.Requests))
	for i, res := range lr.results {
		if res.ok {
			sent[lr.sends[i]] = true
		}
	}
	var full []string
	for _, id := range lr.order {
		if !slices.ContainsFunc(lr.reqsOf[id], func(i int) bool { return !sent[i] }) {
			full = append(full, id)
		}
	}
	inv := replay.Inverse(lr.agents)
	parsers := webhook.Sources(nil)

	var (
		mu    sync.Mutex
		total loadCheck
		next  atomic.Int64
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := int(next.Add(1) - 1)
				if n >= len(full) {
					return
				}
				c, diff := lr.checkTicket(ctx, store, parsers, inv, full[n])
				mu.Lock()
				total.tickets++
				total.keys += c.keys
				total.held += c.held
				total.want += c.want
				if c.mismatches > 0 {
					total.mismatches++
					if total.mismatches <= 3 {
						fmt.Fprintf(diffs, "load: ticket %s: %s\n", full[n], diff)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return total
}

// checkTicket verifies one fully sent ticket; diff says how it differs.
func (lr *loadRun) checkTicket(ctx context.Context, store *dynamo.Store, parsers map[string]webhook.Source, inv map[string]map[string]string, id string) (loadCheck, string) {
	var c loadCheck
	byKey := map[dynamo.TicketKey][]event.Event{}
	for _, i := range lr.reqsOf[id] {
		r := &lr.plan.Requests[i]
		evs, err := parsers[r.Source].Parse(event.Delivery{Header: r.Header, Body: r.Body})
		if err != nil {
			return loadCheck{mismatches: 1}, fmt.Sprintf("%s cannot read its own request: %v", r.Source, err)
		}
		k := dynamo.TicketKey{Source: r.Source, ID: r.VendorTicketID}
		byKey[k] = append(byKey[k], evs...)
		c.want += r.Events
	}
	src := lr.plan.Tickets[id]
	var merged, main []event.Event
	for _, k := range slices.SortedFunc(maps.Keys(byKey), func(a, b dynamo.TicketKey) int {
		return strings.Compare(a.Source+"/"+a.ID, b.Source+"/"+b.ID)
	}) {
		c.keys++
		st, evs, err := store.Ticket(ctx, k.Source, k.ID)
		if err != nil {
			c.mismatches++
			return c, fmt.Sprintf("%s/%s: %v", k.Source, k.ID, err)
		}
		c.held += st.Events
		if d := cmp.Diff(ticket.Reduce(byKey[k]), st); d != "" {
			c.mismatches++
			return c, fmt.Sprintf("%s/%s differs from the events sent (-sent +stored):\n%s", k.Source, k.ID, d)
		}
		for _, ev := range evs {
			ev = replay.Back(ev, inv)
			merged = append(merged, ev)
			if k.Source == src {
				main = append(main, ev)
			}
		}
	}
	orig := lr.orig[id]
	if d := cmp.Diff(replay.SourceBlind(ticket.Reduce(orig), src), replay.SourceBlind(ticket.Reduce(merged), src)); d != "" {
		c.mismatches++
		return c, fmt.Sprintf("via %s differs from the generated events (-generated +stored):\n%s", src, d)
	}
	if src != generic.Source {
		noSurvey := slices.DeleteFunc(slices.Clone(orig), func(e event.Event) bool { return e.Type == event.SurveyAnswered })
		if d := cmp.Diff(replay.SourceBlind(ticket.Reduce(noSurvey), src), replay.SourceBlind(ticket.Reduce(main), src)); d != "" {
			c.mismatches++
			return c, fmt.Sprintf("the %s ticket differs from the generated events but its survey answers (-generated +stored):\n%s", src, d)
		}
	}
	return c, ""
}

// countRawEvents counts the event items in the load's own table.
func countRawEvents(ctx context.Context, db *dynamodb.Client, table string) (int, error) {
	in := &dynamodb.ScanInput{
		TableName:                 aws.String(table),
		Select:                    types.SelectCount,
		FilterExpression:          aws.String("begins_with(#sk, :evt)"),
		ExpressionAttributeNames:  map[string]string{"#sk": dynamo.AttrSK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":evt": &types.AttributeValueMemberS{Value: dynamo.EventSKPrefix}},
	}
	n := 0
	for p := dynamodb.NewScanPaginator(db, in); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			return 0, errcode.Wrap(errcode.Unavailable, err, "count the stored events")
		}
		n += int(out.Count)
	}
	return n, nil
}

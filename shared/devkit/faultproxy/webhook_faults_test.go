package faultproxy_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/webhook"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/devkit/faultproxy"
	"scorecard/shared/devkit/replay"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

// A generated month POSTed to the webhook routes while a fifth of the
// store's DynamoDB calls fail (throttling, 500s, dropped connections) and
// the SDK does not retry them: every failed delivery is a 503 with a JSON
// error, never a 500 or a 200 that lost events; senders that retry until
// 200 leave every event stored exactly once and every ticket in the state
// its events reduce to.
func TestWebhooksUnderDynamoDBFaults(t *testing.T) {
	endpoint := needDynamoDB(t)
	ctx := context.Background()
	pol := policy.Default()
	direct := dynamotest.Client(t)
	table := dynamotest.Table(t, direct)
	proxy := faultproxy.Start(t, endpoint, faultproxy.Config{Seed: 20, Rates: faultproxy.Rates{Throttle: 0.08, Error: 0.06, Drop: 0.06}})
	store := dynamo.New(dynamoAt(t, proxy.URL, noRetries), table, dynamo.Options{Location: pol.Location()})

	// The gateway as `scorecard serve` wires it.
	sec := secrets.Dev()
	wh := &webhook.Handler{Store: store, Records: store, Sources: webhook.Sources(nil), Secrets: sec.Webhook, Now: time.Now, Log: discard}
	mux := http.NewServeMux()
	httpapi.Route(mux, "POST /webhooks/{source}", wh.Handle)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	org, evs := demoMonths(t, pol, 1, ticketsPerMonth(t, 100))
	deliveries := plan(t, org, evs, sec)
	want := expected(t, deliveries)

	// Eight senders; every tenth delivery is made twice (delivery is at
	// least once), each retried on 503 until it is answered 200.
	var (
		mu    sync.Mutex
		stats struct{ requests, ok, unavailable, retries, stored, duplicates, answered int }
		wg    sync.WaitGroup
		work  = make(chan replay.Request)
	)
	send := func(r replay.Request) {
		for attempt := 0; ; attempt++ {
			if err := r.Sign(replay.Secrets(sec.Webhook), time.Now()); err != nil {
				t.Error(err)
				return
			}
			req, err := r.NewHTTPRequest(ctx, srv.URL)
			if err != nil {
				t.Error(err)
				return
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("%s %s: %v", r.Source, r.TicketID, err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			mu.Lock()
			stats.requests++
			if attempt > 0 {
				stats.retries++
			}
			mu.Unlock()
			switch resp.StatusCode {
			case http.StatusOK:
				var got event.Ingested
				if err := json.Unmarshal(body, &got); err != nil {
					t.Errorf("200 with %q: %v", body, err)
				}
				if got.Stored+got.Duplicates != r.Events {
					t.Errorf("%s delivery of %d events answered %+v: events lost", r.Source, r.Events, got)
				}
				mu.Lock()
				stats.ok++
				stats.stored += got.Stored
				stats.duplicates += got.Duplicates
				stats.answered += r.Events
				mu.Unlock()
				return
			case http.StatusServiceUnavailable:
				var e struct {
					Error string `json:"error"`
				}
				if err := json.Unmarshal(body, &e); err != nil || e.Error == "" || resp.Header.Get("Retry-After") == "" {
					t.Errorf("503 without a JSON error or Retry-After: %q %v", body, resp.Header)
				}
				if strings.Contains(string(body), "Throttling") || strings.Contains(string(body), "faultproxy") {
					t.Errorf("the 503 tells the cause: %s", body)
				}
				mu.Lock()
				stats.unavailable++
				mu.Unlock()
				if attempt == 200 {
					t.Errorf("%s %s: still 503 after %d attempts", r.Source, r.TicketID, attempt)
					return
				}
				// Retry-After says seconds; the test keeps to milliseconds.
				time.Sleep(time.Duration(1+attempt%4) * time.Millisecond)
			default:
				t.Errorf("%s %s: status %d: %s", r.Source, r.TicketID, resp.StatusCode, body)
				return
			}
		}
	}
	start := time.Now()
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				send(r)
			}
		}()
	}
	for i, d := range deliveries {
		work <- d
		if i%10 == 0 {
			work <- d
		}
	}
	close(work)
	wg.Wait()
	took := time.Since(start)
	faults := proxy.Counts()
	if err := proxy.SetRates(faultproxy.Rates{}); err != nil {
		t.Fatal(err)
	}
	if t.Failed() {
		t.FailNow()
	}

	// Every distinct event once, as an item in its ticket.
	distinct := 0
	for _, evs := range want {
		distinct += len(evs)
	}
	items, tickets := countEvents(t, direct, table)
	if items != distinct {
		t.Errorf("%d event items stored, %d distinct events sent", items, distinct)
	}
	if tickets != len(want) {
		t.Errorf("%d tickets stored, %d sent", tickets, len(want))
	}
	if stats.stored > distinct || stats.stored+stats.duplicates != stats.answered {
		t.Errorf("the 200s report %d stored and %d duplicates of %d events answered, %d distinct", stats.stored, stats.duplicates, stats.answered, distinct)
	}
	reader := dynamo.New(direct, table, dynamo.Options{Location: pol.Location()})
	differ := 0
	for k, evs := range want {
		state, stored, err := reader.Ticket(ctx, k.Source, k.ID)
		if err != nil {
			t.Errorf("ticket %s/%s: %v", k.Source, k.ID, err)
			continue
		}
		if d := cmp.Diff(ids(evs), ids(stored)); d != "" {
			differ++
			t.Errorf("ticket %s/%s holds other events (-sent +stored):\n%s", k.Source, k.ID, d)
			continue
		}
		if d := cmp.Diff(ticket.Reduce(evs), state); d != "" {
			differ++
			if differ <= 5 {
				t.Errorf("ticket %s/%s: stored state is not the reduction of its events (-want +got):\n%s", k.Source, k.ID, d)
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d tickets differ", differ, len(want))
	}
	t.Logf("%d tickets, %d distinct events in %d deliveries (+%d redelivered), %d webhook requests in %v: %d answered 503 and retried (%d retries), %d 200s; events stored %d (+%d in attempts that failed), duplicates dropped %d",
		len(want), distinct, len(deliveries), (len(deliveries)+9)/10, stats.requests, took.Round(time.Millisecond), stats.unavailable, stats.retries, stats.ok,
		stats.stored, distinct-stats.stored, stats.duplicates)
	t.Logf("DynamoDB through the proxy: %v", faults)
}

// plan turns a month into deliveries: its vendor tickets as Replay encodes
// them, one request per event, and its generic tickets' events in signed
// batches of five.
func plan(t *testing.T, org demo.Org, evs []event.Event, sec secrets.Secrets) []replay.Request {
	t.Helper()
	agents := map[string]map[string]string{zendesk.Source: {}, jira.Source: {}, freshdesk.Source: {}}
	for _, e := range org.Engineers {
		agents[zendesk.Source][e.GenericID] = e.ZendeskID
		agents[jira.Source][e.GenericID] = e.JiraID
		agents[freshdesk.Source][e.GenericID] = e.FreshdeskID
	}
	p, err := replay.Replay(evs, replay.Options{
		Shares:  map[string]float64{generic.Source: 0.6, zendesk.Source: 0.15, jira.Source: 0.15, freshdesk.Source: 0.1},
		Secrets: replay.Secrets(sec.Webhook), Agents: agents, Now: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []replay.Request
	var batch []event.Event
	flush := func() {
		if len(batch) == 0 {
			return
		}
		r, err := replay.Batch(batch, replay.Secrets(sec.Webhook))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
		batch = nil
	}
	for _, r := range p.Requests {
		if r.Source != generic.Source {
			out = append(out, r)
			continue
		}
		got, err := generic.Parse(event.Delivery{Header: r.Header, Body: r.Body})
		if err != nil {
			t.Fatal(err)
		}
		if batch = append(batch, got...); len(batch) >= 5 {
			flush()
		}
	}
	flush()
	return out
}

// expected reads the deliveries with the adapters the routes run: the
// distinct events each stored ticket must end up with.
func expected(t *testing.T, deliveries []replay.Request) map[dynamo.TicketKey][]event.Event {
	t.Helper()
	sources := webhook.Sources(nil)
	seen := map[dynamo.TicketKey]map[string]event.Event{}
	for _, r := range deliveries {
		evs, err := sources[r.Source].Parse(event.Delivery{Header: r.Header, Body: r.Body, Received: time.Now()})
		if err != nil {
			t.Fatalf("%s: %v", r.Source, err)
		}
		for _, e := range evs {
			k := dynamo.TicketKey{Source: e.Source, ID: e.TicketID}
			if seen[k] == nil {
				seen[k] = map[string]event.Event{}
			}
			seen[k][e.ID] = e
		}
	}
	out := map[dynamo.TicketKey][]event.Event{}
	for k, m := range seen {
		for _, e := range m {
			out[k] = append(out[k], e)
		}
	}
	return out
}

func ids(evs []event.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	slices.Sort(out)
	return out
}

// countEvents counts the table's event items and the tickets (partitions)
// they are in.
func countEvents(t *testing.T, db *dynamodb.Client, table string) (items, tickets int) {
	t.Helper()
	p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{
		TableName: aws.String(table), ProjectionExpression: aws.String("pk"),
		FilterExpression:          aws.String("begins_with(sk, :e)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":e": &types.AttributeValueMemberS{Value: dynamo.EventSKPrefix}},
	})
	seen := map[string]bool{}
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range page.Items {
			items++
			seen[item["pk"].(*types.AttributeValueMemberS).Value] = true
		}
	}
	return items, len(seen)
}

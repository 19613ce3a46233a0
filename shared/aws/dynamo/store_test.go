package dynamo_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"scorecard/shared/app/monthly"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// counting counts the items the store writes (a put whose condition
// fails writes none).
type counting struct {
	*dynamodb.Client
	items atomic.Int64
}

func (c *counting) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	out, err := c.Client.PutItem(ctx, in, o...)
	if err == nil {
		c.items.Add(1)
	}
	return out, err
}

func (c *counting) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	out, err := c.Client.BatchWriteItem(ctx, in, o...)
	if err == nil {
		for table, reqs := range in.RequestItems {
			c.items.Add(int64(len(reqs) - len(out.UnprocessedItems[table])))
		}
	}
	return out, err
}

func (c *counting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.items.Add(int64(len(in.TransactItems)))
	return c.Client.TransactWriteItems(ctx, in, o...)
}

func newStore(t *testing.T) (*dynamo.Store, *counting) {
	t.Helper()
	db := dynamotest.Client(t)
	table := dynamotest.Table(t, db)
	c := &counting{Client: db}
	return dynamo.New(c, table, dynamo.Options{Location: shanghai, Shards: 4, Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }}), c
}

var t0 = time.Date(2026, 10, 5, 1, 0, 0, 0, time.UTC)

func life(source, id string) []event.Event {
	at := func(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }
	e := func(n int, h float64, typ event.Type, mod func(*event.Event)) event.Event {
		ev := event.Event{Source: source, ID: fmt.Sprintf("%s-e%d", id, n), TicketID: id, Type: typ, OccurredAt: at(h)}
		if mod != nil {
			mod(&ev)
		}
		return ev
	}
	return []event.Event{
		e(1, 0, event.Created, func(e *event.Event) {
			e.Priority, e.Tags, e.HasTags = event.High, []string{"vip"}, true
			e.Customer = &event.CustomerInfo{ID: "c-1", Email: "ann@example.com"}
		}),
		e(2, 0.1, event.Assigned, func(e *event.Event) { e.AssigneeID = "ag-1" }),
		e(3, 0.5, event.Replied, func(e *event.Event) { e.Public, e.Actor = true, event.Actor{ID: "ag-1", Kind: event.Agent} }),
		e(4, 1, event.StatusChanged, func(e *event.Event) { e.Status = event.StatusPending }),
		e(5, 3, event.StatusChanged, func(e *event.Event) { e.Status = event.StatusOpen }),
		e(6, 4, event.Note, func(e *event.Event) { e.Actor = event.Actor{ID: "ag-2", Kind: event.Agent} }),
		e(7, 5, event.StatusChanged, func(e *event.Event) { e.Status = event.StatusResolved }),
		e(8, 6, event.SurveyAnswered, func(e *event.Event) { e.Rating = 4; s := true; e.Solved = &s }),
	}
}

func TestIngestStoresOnceAndKeepsState(t *testing.T) {
	s, c := newStore(t)
	ctx := context.Background()
	evs := life("zendesk", "101")
	got, err := s.Ingest(ctx, evs)
	if err != nil {
		t.Fatal(err)
	}
	if got != (event.Ingested{Stored: 8}) {
		t.Errorf("first delivery: %+v", got)
	}
	// One item per event and the ticket's entry in October's index.
	if n := c.items.Load(); n != int64(len(evs))+1 {
		t.Errorf("%d item writes for %d events of one month, want %d", n, len(evs), len(evs)+1)
	}
	c.items.Store(0)
	again, err := s.Ingest(ctx, evs)
	if err != nil || again != (event.Ingested{Duplicates: 8}) {
		t.Errorf("redelivery: %+v, %v", again, err)
	}
	if n := c.items.Load(); n != 0 {
		t.Errorf("a redelivery wrote %d items", n)
	}
	state, stored, err := s.Ticket(ctx, "zendesk", "101")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ticket.Reduce(evs), state); diff != "" {
		t.Errorf("stored state differs from the reduced events (-want +got):\n%s", diff)
	}
	if len(stored) != 8 {
		t.Errorf("%d events stored with the ticket", len(stored))
	}
	raw, err := s.Event(ctx, "zendesk", "101", "101-e3")
	if err != nil || raw.Type != event.Replied || raw.TicketID != "101" {
		t.Errorf("raw event: %+v, %v", raw, err)
	}
}

func TestNotFound(t *testing.T) {
	s, _ := newStore(t)
	if _, _, err := s.Ticket(context.Background(), "zendesk", "nope"); errcode.Code(err) != errcode.NotFound {
		t.Errorf("missing ticket: %v", err)
	}
	if _, err := s.Event(context.Background(), "zendesk", "101", "nope"); errcode.Code(err) != errcode.NotFound {
		t.Errorf("missing event: %v", err)
	}
}

// Any split into deliveries, any order, any duplicates: the same state —
// for deliveries of a few events (one conditional put each) and of many
// (batches).
func TestIngestOrderAndDuplicatesDoNotMatter(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	n := 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		id := fmt.Sprintf("T%d", n)
		evs := life("generic", id)
		for i := range rapid.SampledFrom([]int{0, 40}).Draw(rt, "notes") {
			evs = append(evs, event.Event{Source: "generic", ID: fmt.Sprintf("%s-n%02d", id, i), TicketID: id, Type: event.Note,
				OccurredAt: t0.Add(time.Duration(i) * time.Minute), Actor: event.Actor{ID: "ag-1", Kind: event.Agent}})
		}
		var deliveries [][]event.Event
		pool := rapid.Permutation(append(append([]event.Event{}, evs...), evs[:rapid.IntRange(0, len(evs)).Draw(rt, "dups")]...)).Draw(rt, "order")
		for len(pool) > 0 {
			k := rapid.IntRange(1, len(pool)).Draw(rt, "batch")
			deliveries = append(deliveries, pool[:k])
			pool = pool[k:]
		}
		total := event.Ingested{}
		for _, d := range deliveries {
			got, err := s.Ingest(ctx, d)
			if err != nil {
				rt.Fatal(err)
			}
			total.Stored += got.Stored
			total.Duplicates += got.Duplicates
		}
		if total.Stored != len(evs) {
			rt.Fatalf("stored %d of %d distinct events", total.Stored, len(evs))
		}
		state, _, err := s.Ticket(ctx, "generic", id)
		if err != nil {
			rt.Fatal(err)
		}
		if diff := cmp.Diff(ticket.Reduce(evs), state); diff != "" {
			rt.Fatalf("state depends on delivery (-want +got):\n%s", diff)
		}
	})
}

// Concurrent deliveries of one ticket's events lose nothing.
func TestConcurrentDeliveries(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	evs := life("jira", "SUP-1")
	var wg sync.WaitGroup
	var stored atomic.Int64
	for i := range evs {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := s.Ingest(ctx, evs[i:i+1])
				if err != nil {
					t.Error(err)
				}
				stored.Add(int64(got.Stored))
			}()
		}
	}
	wg.Wait()
	if stored.Load() != int64(len(evs)) {
		t.Errorf("stored %d, want %d", stored.Load(), len(evs))
	}
	state, _, err := s.Ticket(ctx, "jira", "SUP-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ticket.Reduce(evs), state); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLargeBatchOfOneTicket(t *testing.T) {
	s, c := newStore(t)
	var evs []event.Event
	evs = append(evs, event.Event{Source: "generic", ID: "c", TicketID: "big", Type: event.Created, OccurredAt: t0})
	for i := range 250 {
		evs = append(evs, event.Event{Source: "generic", ID: fmt.Sprintf("n%03d", i), TicketID: "big", Type: event.Note, OccurredAt: t0.Add(time.Duration(i) * time.Minute), Actor: event.Actor{ID: "ag-1", Kind: event.Agent}})
	}
	got, err := s.Ingest(context.Background(), evs)
	if err != nil || got.Stored != 251 {
		t.Fatalf("%+v %v", got, err)
	}
	// 251 events (in batches) and one month index entry; again, nothing.
	if n := c.items.Load(); n != 251+1 {
		t.Errorf("%d item writes, want %d", n, 251+1)
	}
	again, err := s.Ingest(context.Background(), evs)
	if err != nil || again.Duplicates != 251 || again.Stored != 0 || c.items.Load() != 251+1 {
		t.Errorf("the batch again: %+v %v, %d item writes", again, err, c.items.Load())
	}
	state, _, _ := s.Ticket(context.Background(), "generic", "big")
	if len(state.Notes) != 250 {
		t.Errorf("%d notes", len(state.Notes))
	}
}

func TestKeysCannotCollide(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	a := event.Event{Source: "generic", ID: "x#EVT", TicketID: "a#b", Type: event.Created, OccurredAt: t0}
	b := event.Event{Source: "generic", ID: "x%23EVT", TicketID: "a%23b", Type: event.Created, OccurredAt: t0}
	if _, err := s.Ingest(ctx, []event.Event{a, b}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a#b", "a%23b"} {
		if st, _, err := s.Ticket(ctx, "generic", id); err != nil || st.ID != id {
			t.Errorf("ticket %q: %+v %v", id, st.ID, err)
		}
	}
}

func TestTicketsInMonth(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	mk := func(id string, at time.Time, typ event.Type, status event.Status) event.Event {
		return event.Event{Source: "generic", ID: id + string(typ), TicketID: id, Type: typ, OccurredAt: at, Status: status}
	}
	sep := time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC)
	oct := time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC)
	nov := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	// 30 Sep 17:00 UTC is 1 Oct in Shanghai: an October event.
	edge := time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC)
	_, err := s.Ingest(ctx, []event.Event{
		mk("sep-done", sep, event.Created, ""), mk("sep-done", sep.Add(time.Hour), event.StatusChanged, event.StatusResolved),
		mk("sep-open", sep, event.Created, ""), // unresolved: its deadline may fall in October
		mk("oct", oct, event.Created, ""), mk("oct", oct.Add(time.Hour), event.StatusChanged, event.StatusResolved),
		mk("span", sep, event.Created, ""), mk("span", oct, event.StatusChanged, event.StatusResolved),
		mk("edge", edge, event.Created, ""), mk("edge", edge.Add(time.Hour), event.StatusChanged, event.StatusClosed),
		mk("nov", nov, event.Created, ""), mk("nov", nov.Add(time.Hour), event.StatusChanged, event.StatusResolved),
	})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := s.TicketsInMonth(ctx, month.Month{Year: 2026, Month: time.October})
	if err != nil {
		t.Fatal(err)
	}
	want := []dynamo.TicketKey{{Source: "generic", ID: "edge"}, {Source: "generic", ID: "oct"}, {Source: "generic", ID: "sep-open"}, {Source: "generic", ID: "span"}}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("October's tickets (-want +got):\n%s", diff)
	}
	var ids []string
	for st, err := range s.Tickets(ctx, keys) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, st.ID)
	}
	if len(ids) != 4 {
		t.Errorf("read %v", ids)
	}
}

func TestStorageDownIsUnavailableAndWritesNothing(t *testing.T) {
	db := dynamotest.Client(t)
	table := dynamotest.Table(t, db)
	down := dynamotest.ClientAt(t, "http://127.0.0.1:1")
	s := dynamo.New(down, table, dynamo.Options{})
	_, err := s.Ingest(context.Background(), life("generic", "T1"))
	if errcode.Code(err) != errcode.Unavailable {
		t.Fatalf("want unavailable, got %v", err)
	}
	if errcode.Message(err) != "storage unavailable; retry" {
		t.Errorf("message leaks internals: %q", errcode.Message(err))
	}
	live := dynamo.New(db, table, dynamo.Options{})
	if _, _, err := live.Ticket(context.Background(), "generic", "T1"); errcode.Code(err) != errcode.NotFound {
		t.Errorf("something was written: %v", err)
	}
}

func TestDirectoryRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	var engs []directory.Engineer
	for i := range 60 {
		engs = append(engs, directory.Engineer{ID: fmt.Sprintf("E%03d", i), Name: "N", Email: fmt.Sprintf("e%d@example.com", i), Team: "t",
			ManagerEmail: "m@example.com", HireDate: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), BaseBonus: 100,
			External: map[string]string{"zendesk": fmt.Sprint(1000 + i)}})
	}
	if err := s.PutEngineers(ctx, engs); err != nil {
		t.Fatal(err)
	}
	if err := s.PutEngineers(ctx, engs[:10]); err != nil { // an idempotent re-import
		t.Fatal(err)
	}
	got, err := s.Engineers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(engs, got); diff != "" {
		t.Errorf("directory (-want +got):\n%s", diff)
	}
}

// Senders that number events per ticket reuse ids across tickets: each
// ticket keeps its own.
func TestEventIDsAreScopedToTheirTicket(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	a := event.Event{Source: "generic", ID: "evt-1", TicketID: "T-1", Type: event.Created, OccurredAt: t0}
	b := a
	b.TicketID = "T-2"
	for _, e := range []event.Event{a, b} {
		if got, err := s.Ingest(ctx, []event.Event{e}); err != nil || got.Stored != 1 {
			t.Fatalf("%s: %+v %v", e.TicketID, got, err)
		}
	}
}

// The month index holds one entry per ticket and month, not one per event.
func TestMonthIndexIsSparse(t *testing.T) {
	db := dynamotest.Client(t)
	table := dynamotest.Table(t, db)
	s := dynamo.New(db, table, dynamo.Options{Location: shanghai, Shards: 2, Now: func() time.Time { return time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC) }})
	ctx := context.Background()
	evs := life("generic", "T1") // 8 events in October
	late := evs[len(evs)-1]
	late.ID, late.OccurredAt = "late", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	for _, e := range append(evs, late) { // one at a time, out of order
		if _, err := s.Ingest(ctx, []event.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: &table, FilterExpression: aws.String("begins_with(pk, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "EVM#"}}})
	if err != nil {
		t.Fatal(err)
	}
	// October and November; nothing in gsi1.
	if out.Count != 2 {
		t.Errorf("%d index entries for one ticket over two months, want 2", out.Count)
	}
	gsi, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: &table, IndexName: aws.String(dynamo.IndexGSI1)})
	if err != nil || gsi.Count != 0 {
		t.Errorf("%d gsi1 entries (%v), want none", gsi.Count, err)
	}
}

var _ monthly.Store = (*dynamo.Store)(nil)

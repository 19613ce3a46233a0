package dynamo_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
)

// The capacity a ticket's life consumes, as DynamoDB Local reports it:
// every event one conditional put of an item under 1 KB (one unit), the
// ticket's month index entry one more the first time. The entry is read
// first (an eventually consistent read, half a unit) unless the delivery
// creates the ticket; a warm process reads it no more. A duplicate's put
// fails its condition, which DynamoDB bills as the write it refused.
func TestCapacityCountsUnits(t *testing.T) {
	var c dynamo.Capacity
	db := dynamotest.Client(t, c.Option())
	table := dynamotest.Table(t, db)
	opt := dynamo.Options{Location: shanghai, Shards: 4}
	store := dynamo.New(db, table, opt)
	ctx := context.Background()
	evs := life("generic", "T-cap")
	ingest := func(s *dynamo.Store, evs ...event.Event) event.Ingested {
		t.Helper()
		got, err := s.Ingest(ctx, evs)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	// use runs f and returns the units it consumed.
	use := func(f func()) (write, read float64) {
		w, r := c.Write(), c.Read()
		f()
		return c.Write() - w, c.Read() - r
	}
	check := func(name string, write, read, wantWrite, wantRead float64) {
		t.Helper()
		if write != wantWrite || read != wantRead {
			t.Errorf("%s: %.2f write and %.2f read units, want %.2f and %.2f", name, write, read, wantWrite, wantRead)
		}
	}

	w, r := use(func() { ingest(store, evs[0]) })
	check("the creation (event, index entry; nothing read: a new ticket has no entry)", w, r, 2, 0)
	w, r = use(func() {
		for _, e := range evs[1:] {
			ingest(store, e)
		}
	})
	check("the later events, one unit each (the process knows the entry)", w, r, float64(len(evs)-1), 0)
	w, r = use(func() {
		for range 2 {
			if got := ingest(store, evs[0]); got.Duplicates != 1 {
				t.Fatalf("redelivery: %+v", got)
			}
		}
	})
	check("two redeliveries (the refused puts)", w, r, 2, 0)

	cold := dynamo.New(db, table, opt) // another function instance
	w, r = use(func() { ingest(cold, evs[3]) })
	check("a later event redelivered to a cold process (the entry read, found)", w, r, 1, 0.5)
	cold = dynamo.New(db, table, opt)
	w, r = use(func() { ingest(cold, evs[0]) })
	check("the creation redelivered to a cold process (the same entry written again)", w, r, 2, 0)

	other := life("generic", "T-cap-2")
	w, r = use(func() { ingest(store, other[2]) })
	check("a ticket first seen by a later event (its entry read, missing, written)", w, r, 2, 0.5)

	var many []event.Event
	for i := range 30 {
		many = append(many, life("generic", fmt.Sprintf("T-cap-b%d", i))[1:3]...)
	}
	before := c.Calls()
	w, r = use(func() { ingest(store, many...) })
	calls := c.Calls() - before
	check("a batch of 30 tickets' events (entries and events each read and written)", w, r, 90, 0.5*30+0.5*60)
	if calls > 12 {
		t.Errorf("the batch took %d calls; its 30 entries and 60 events are read 100 and written 25 to a call", calls)
	}
	t.Logf("%.1f write units, %.1f read units in %d calls", c.Write(), c.Read(), c.Calls())
}

// Ticket items of the layout before event items, written before their
// events were compressed (plain JSON) or after, still read, and the
// compressed form is a fraction of the JSON.
func TestEventsEncodingReadsBothForms(t *testing.T) {
	evs := life("generic", "T-enc")
	packed, err := dynamo.EncodeEventsForTest(evs)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := dynamo.PlainEventsForTest(evs)
	if err != nil {
		t.Fatal(err)
	}
	if len(packed)*2 > len(plain) {
		t.Errorf("compressed %d bytes, JSON %d", len(packed), len(plain))
	}
	for name, b := range map[string][]byte{"compressed": packed, "plain JSON": plain} {
		st, err := dynamo.DecodeTicket("generic", b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := ticket.Reduce(evs); !cmp.Equal(*st, want) {
			t.Errorf("%s: %s", name, cmp.Diff(want, *st))
		}
	}
	if _, err := dynamo.DecodeTicket("generic", append([]byte{1}, "not deflate"...)); err == nil {
		t.Error("a corrupt item decoded")
	}
}

// Keys a BatchGetItem found no item for are billed, as DynamoDB does and
// DynamoDB Local does not: by the read's consistency; unprocessed keys
// were not read.
func TestMissedBatchReadsAreBilled(t *testing.T) {
	keys := func(n int) []map[string]types.AttributeValue {
		out := make([]map[string]types.AttributeValue, n)
		for i := range out {
			out[i] = map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: fmt.Sprint(i)}}
		}
		return out
	}
	for _, tc := range []struct {
		name                      string
		asked, found, unprocessed int
		consistent                bool
		want                      uint64 // thousandths of a unit
	}{
		{"all found", 10, 10, 0, false, 0},
		{"none found, eventually consistent", 10, 0, 0, false, 5000},
		{"none found, strongly consistent", 10, 0, 0, true, 10000},
		{"some found, some unprocessed", 10, 3, 4, false, 1500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"t": {Keys: keys(tc.asked), ConsistentRead: aws.Bool(tc.consistent)}}}
			out := &dynamodb.BatchGetItemOutput{Responses: map[string][]map[string]types.AttributeValue{"t": keys(tc.found)}}
			if tc.unprocessed > 0 {
				out.UnprocessedKeys = map[string]types.KeysAndAttributes{"t": {Keys: keys(tc.unprocessed)}}
			}
			if got := dynamo.MissedReadsForTest(in, out); got != tc.want {
				t.Errorf("%d thousandths of a unit, want %d", got, tc.want)
			}
		})
	}
}

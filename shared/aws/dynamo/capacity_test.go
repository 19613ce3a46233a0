package dynamo_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
)

// The capacity a ticket's life consumes, as DynamoDB Local reports it:
// every event one conditional put of an item under 1 KB (one unit), the
// ticket's month index entry one more the first time, read with one
// eventually consistent read per delivery (half a unit); a duplicate's put
// fails its condition, which DynamoDB bills as the write it refused.
func TestCapacityCountsUnits(t *testing.T) {
	var c dynamo.Capacity
	db := dynamotest.Client(t, c.Option())
	table := dynamotest.Table(t, db)
	store := dynamo.New(db, table, dynamo.Options{Location: shanghai, Shards: 4})
	ctx := context.Background()
	evs := life("generic", "T-cap")
	if _, err := store.Ingest(ctx, evs[:1]); err != nil {
		t.Fatal(err)
	}
	if w, r := c.Write(), c.Read(); w != 2 || r != 0.5 {
		t.Errorf("the first event: %.2f write and %.2f read units, want 2 (event, index entry) and 0.5 (the index entry)", w, r)
	}
	for _, e := range evs[1:] {
		if _, err := store.Ingest(ctx, []event.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	write, read := c.Write()-2, c.Read()-0.5
	if perEvent := write / float64(len(evs)-1); perEvent != 1 {
		t.Errorf("%.2f write units per later event, want 1", perEvent)
	}
	if read != 0 {
		t.Errorf("%.2f read units for the later events; the process knows the ticket is indexed", read)
	}
	before := c.Write()
	for range 2 { // redelivered
		if got, err := store.Ingest(ctx, evs[:1]); err != nil || got.Duplicates != 1 {
			t.Fatalf("%+v %v", got, err)
		}
	}
	if w := c.Write() - before; w != 2 {
		t.Errorf("two redeliveries: %.2f write units, want 2 (the refused puts)", w)
	}
	t.Logf("%d events: %.1f write units, %.1f read units in %d calls; a redelivery %.1f write units", len(evs), c.Write(), c.Read(), c.Calls(), (c.Write()-before)/2)
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

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
// every event a transactional write of the raw event and the ticket (two
// units per item of up to 1 KB), read back with a strongly consistent read
// first; a duplicate costs the read only.
func TestCapacityCountsUnits(t *testing.T) {
	var c dynamo.Capacity
	db := dynamotest.Client(t, c.Option())
	table := dynamotest.Table(t, db)
	store := dynamo.New(db, table, dynamo.Options{Location: shanghai, Shards: 4})
	ctx := context.Background()
	evs := life("generic", "T-cap")
	for range 3 { // delivered three times
		if _, err := store.Ingest(ctx, evs[:1]); err != nil {
			t.Fatal(err)
		}
	}
	read, write := c.Read(), c.Write()
	if write < 4 || read <= 0 {
		t.Fatalf("one stored event and its redeliveries: %.1f write and %.1f read units", write, read)
	}
	for _, e := range evs[1:] {
		if _, err := store.Ingest(ctx, []event.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	perEvent := (c.Write() - write) / float64(len(evs)-1)
	if perEvent < 4 {
		t.Errorf("%.2f write units per stored event, want at least 4 (two items, transactional)", perEvent)
	}
	t.Logf("%d events: %.1f write units (%.2f per event after the first), %.1f read units in %d calls", len(evs), c.Write(), perEvent, c.Read(), c.Calls())
}

// Ticket items written before their events were compressed (plain JSON)
// still read, and the compressed form is a fraction of the JSON.
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

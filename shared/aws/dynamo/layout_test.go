package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
)

var (
	october  = month.Month{Year: 2026, Month: time.October}
	november = month.Month{Year: 2026, Month: time.November}
)

func created(id string, at time.Time) event.Event {
	return event.Event{Source: "generic", ID: id + "-c", TicketID: id, Type: event.Created, OccurredAt: at}
}

func resolved(id string, at time.Time) event.Event {
	return event.Event{Source: "generic", ID: id + "-r", TicketID: id, Type: event.StatusChanged, Status: event.StatusResolved, OccurredAt: at}
}

func listed(t *testing.T, s *dynamo.Store, m month.Month) []string {
	t.Helper()
	keys, err := s.TicketsInMonth(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, k := range keys {
		ids = append(ids, k.ID)
	}
	return ids
}

// A table written by the layout before event items needs no conversion:
// its tickets read with the events added since, its month index and open
// list still list them, and its raw events still read.
func TestLegacyTablesStillRead(t *testing.T) {
	db := dynamotest.Client(t)
	table := dynamotest.Table(t, db)
	s := dynamo.New(db, table, dynamo.Options{Location: shanghai, Shards: 2, Now: func() time.Time { return time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC) }})
	ctx := context.Background()
	sep := time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC)
	old := life("zendesk", "OLD")[:4] // October, unresolved
	for _, evs := range [][]event.Event{old, {created("LONG", sep)}, {created("DONE", sep), resolved("DONE", sep.Add(time.Hour))}} {
		if err := s.WriteLegacyForTest(ctx, evs); err != nil {
			t.Fatal(err)
		}
	}
	// The rest of OLD's life arrives after the upgrade, a duplicate too.
	rest := life("zendesk", "OLD")[3:]
	got, err := s.Ingest(ctx, rest)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stored != len(rest) {
		t.Errorf("%+v: the event the old layout stored is stored again and read once", got)
	}
	st, evs, err := s.Ticket(ctx, "zendesk", "OLD")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ticket.Reduce(life("zendesk", "OLD")), st); diff != "" {
		t.Errorf("old and new items together (-want +got):\n%s", diff)
	}
	if len(evs) != 8 {
		t.Errorf("%d events, want 8", len(evs))
	}
	raw, err := s.Event(ctx, "zendesk", "OLD", "OLD-e2")
	if err != nil || raw.Type != event.Assigned {
		t.Errorf("an old raw event: %+v %v", raw, err)
	}
	// October lists OLD (old and new index) and LONG (the old open list),
	// not DONE; so does November, in which none of them has an event: the
	// old open list still holds OLD, which the old layout last wrote
	// unresolved, and is read in every month (a resolved ticket read
	// costs a read and counts for nothing).
	if diff := cmp.Diff([]string{"LONG", "OLD"}, listed(t, s, october)); diff != "" {
		t.Errorf("October (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"LONG", "OLD"}, listed(t, s, november)); diff != "" {
		t.Errorf("November (-want +got):\n%s", diff)
	}
}

// A ticket open at a month's end is read in the months after it, with or
// without an event there: the monthly run carries it over, and if no run
// did, the first read of the month does.
func TestOpenTicketsAreCarriedOver(t *testing.T) {
	db := dynamotest.Client(t)
	table := dynamotest.Table(t, db)
	now := time.Date(2026, 10, 31, 10, 0, 0, 0, time.UTC)
	s := dynamo.New(db, table, dynamo.Options{Location: time.UTC, Shards: 2, Now: func() time.Time { return now }})
	ctx := context.Background()
	oct := time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC)
	if _, err := s.Ingest(ctx, []event.Event{
		created("OPEN", oct),
		created("SHUT", oct), resolved("SHUT", oct.Add(time.Hour)),
	}); err != nil {
		t.Fatal(err)
	}
	// The run of October, on 1 November, carries OPEN over.
	if err := s.CarryOpen(ctx, november, []dynamo.TicketKey{{Source: "generic", ID: "OPEN"}}); err != nil {
		t.Fatal(err)
	}
	// On 2 November an October event arrives late, reopening SHUT.
	now = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	late := event.Event{Source: "generic", ID: "SHUT-o", TicketID: "SHUT", Type: event.StatusChanged, Status: event.StatusOpen, OccurredAt: oct.Add(48 * time.Hour)}
	if _, err := s.Ingest(ctx, []event.Event{late}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"OPEN", "SHUT"}, listed(t, s, november)); diff != "" {
		t.Errorf("November (-want +got):\n%s", diff)
	}
	// No run carried November over: the first read of December does, and
	// a second store (another process) finds the mark.
	now = time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	if diff := cmp.Diff([]string{"OPEN", "SHUT"}, listed(t, s, month.Month{Year: 2026, Month: time.December})); diff != "" {
		t.Errorf("December (-want +got):\n%s", diff)
	}
	other := dynamo.New(db, table, dynamo.Options{Location: time.UTC, Shards: 2, Now: func() time.Time { return now }})
	if diff := cmp.Diff([]string{"OPEN", "SHUT"}, listed(t, other, month.Month{Year: 2026, Month: time.December})); diff != "" {
		t.Errorf("December from another process (-want +got):\n%s", diff)
	}
	// A month with no index before it has nothing to carry.
	if got := listed(t, s, month.Month{Year: 2026, Month: time.March}); len(got) != 0 {
		t.Errorf("March: %v", got)
	}
}

package history_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"scorecard/shared/app/history"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/imports"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/source/vendorapi"
)

const src = "generic"

var t0 = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

// life is one ticket's events as its webhooks would deliver them (ids
// "w-…"); its history twin has the same events under "hist:…" ids.
func life(id string, start time.Time) []event.Event {
	at := func(h int) time.Time { return start.Add(time.Duration(h) * time.Hour) }
	mk := func(n int, e event.Event) event.Event {
		e.Source, e.TicketID, e.ID = src, id, fmt.Sprintf("w-%s-%d", id, n)
		return e
	}
	return []event.Event{
		mk(1, event.Event{Type: event.Created, OccurredAt: at(0), Status: event.StatusNew, Priority: event.High, Customer: &event.CustomerInfo{ID: "c-" + id}}),
		mk(2, event.Event{Type: event.Assigned, OccurredAt: at(1), AssigneeID: "a1"}),
		mk(3, event.Event{Type: event.Replied, OccurredAt: at(2), Public: true, Actor: event.Actor{ID: "a1", Kind: event.Agent}}),
		mk(4, event.Event{Type: event.StatusChanged, OccurredAt: at(3), Status: event.StatusPending}),
		mk(5, event.Event{Type: event.Replied, OccurredAt: at(30), Public: true, Actor: event.Actor{ID: "c-" + id, Kind: event.Customer}}),
		mk(6, event.Event{Type: event.StatusChanged, OccurredAt: at(31), Status: event.StatusOpen}),
		mk(7, event.Event{Type: event.Note, OccurredAt: at(32), Actor: event.Actor{ID: "a2", Kind: event.Agent}}),
		mk(8, event.Event{Type: event.StatusChanged, OccurredAt: at(40), Status: event.StatusResolved}),
	}
}

func imported(evs []event.Event) []event.Event {
	out := make([]event.Event, len(evs))
	for i, e := range evs {
		e.ID = vendorapi.HistoryID(src, strings.TrimPrefix(e.ID, "w-"))
		e.Imported = true
		out[i] = e
	}
	return out
}

// script is an exporter that serves fixed pages, the cursor being the
// page's number; fail maps a call number to an error it answers instead.
type script struct {
	pages []vendorapi.Page
	fail  map[int]error
	calls int
	read  []string // cursors asked for
}

func (s *script) Next(_ context.Context, cursor string) (vendorapi.Page, error) {
	s.calls++
	s.read = append(s.read, cursor)
	if err := s.fail[s.calls]; err != nil {
		return vendorapi.Page{Requests: 1}, err
	}
	i := 0
	if cursor != "" {
		fmt.Sscan(cursor, &i)
	}
	p := s.pages[i]
	p.Next = fmt.Sprint(i + 1)
	p.Done = i == len(s.pages)-1
	return p, nil
}

// pages puts n tickets' history on pages of per tickets each, in the order
// of their starts.
func pages(n, per int) ([]vendorapi.Page, map[string][]event.Event) {
	var out []vendorapi.Page
	all := map[string][]event.Event{}
	for i := 0; i < n; i += per {
		var p vendorapi.Page
		for j := i; j < min(i+per, n); j++ {
			id := fmt.Sprintf("T%03d", j)
			start := t0.Add(time.Duration(j) * 6 * time.Hour)
			all[id] = life(id, start)
			p.Events = append(p.Events, imported(all[id])...)
			p.Tickets++
			p.Through = start.Add(40 * time.Hour)
		}
		p.Requests = 2
		out = append(out, p)
	}
	return out, all
}

func newStore(t testing.TB) *dynamo.Store {
	t.Helper()
	db := dynamotest.Client(t)
	return dynamo.New(db, dynamotest.Table(t, db), dynamo.Options{})
}

func importer(st history.Store, ex vendorapi.Exporter) (*history.Importer, *[]time.Duration) {
	var waits []time.Duration
	return &history.Importer{
		Store: st, Source: src, Exporter: ex, Since: t0,
		Now:   func() time.Time { return t0.Add(90 * 24 * time.Hour) },
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
		Log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, &waits
}

// stateOf is a stored ticket's state with the marks of where its events
// came from left out, for comparing history with webhooks.
func stateOf(t *testing.T, st *dynamo.Store, id string) ticket.State {
	t.Helper()
	s, _, err := st.Ticket(context.Background(), src, id)
	if err != nil {
		t.Fatalf("ticket %s: %v", id, err)
	}
	return s
}

var ignoreOrigin = cmpopts.IgnoreFields(ticket.Resolution{}, "Imported")

// TestImportStoresWhatTheWebhooksWould: every ticket imported equals the
// same ticket from its webhooks, resolutions marked imported.
func TestImportStoresWhatTheWebhooksWould(t *testing.T) {
	st := newStore(t)
	ps, all := pages(12, 5)
	im, _ := importer(st, &script{pages: ps})
	var lines []string
	im.Progress = func(p history.Progress) { lines = append(lines, p.String()) }
	got, err := im.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !got.Done || got.Pages != 3 || got.Tickets != 12 || got.Events != 96 || got.Stored != 96 || got.Duplicates != 0 || got.Requests != 6 {
		t.Errorf("state %+v", got)
	}
	for id, evs := range all {
		want := ticket.Reduce(evs)
		s := stateOf(t, st, id)
		if diff := cmp.Diff(want, s, ignoreOrigin); diff != "" {
			t.Errorf("%s: imported state differs from the webhooks' (-webhooks +imported):\n%s", id, diff)
		}
		if r, ok := s.FinalResolution(); !ok || !r.Imported {
			t.Errorf("%s: the resolution is not marked imported: %+v", id, s.Resolutions)
		}
	}
	if len(lines) != 3 || !strings.Contains(lines[2], "12 tickets, 96 events (96 new") {
		t.Errorf("progress lines %q", lines)
	}
}

// flaky fails PutImportState once, after the page's events are stored: the
// import dies between the two writes, the worst place.
type flaky struct {
	*dynamo.Store
	failOn, n int
}

func (f *flaky) PutImportState(ctx context.Context, s imports.State) error {
	f.n++
	if f.n == f.failOn {
		return errcode.Errorf(errcode.Unavailable, "table unavailable")
	}
	return f.Store.PutImportState(ctx, s)
}

// TestAnInterruptedImportResumes: killed after storing page 2's events but
// before its state, rerun: page 2 is read again, its events count as
// duplicates, and the end is the same as one clean run: no duplicates, no
// gaps.
func TestAnInterruptedImportResumes(t *testing.T) {
	st := newStore(t)
	ps, all := pages(15, 5)
	ex := &script{pages: ps}
	im, _ := importer(&flaky{Store: st, failOn: 2}, ex)
	if _, err := im.Run(context.Background()); errcode.Code(err) != errcode.Unavailable {
		t.Fatalf("first run: %v, want the table's fault", err)
	}
	im.Since = time.Time{} // a rerun needs no first day: it resumes
	got, err := im.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"", "1", "1", "2"}, ex.read); diff != "" {
		t.Errorf("pages read (-want +got):\n%s", diff)
	}
	if got.Duplicates != 40 || !got.Done {
		t.Errorf("state %+v: want page 2's 40 events counted again, and done", got)
	}
	for id, evs := range all {
		_, stored, err := st.Ticket(context.Background(), src, id)
		if err != nil || len(stored) != len(evs) {
			t.Errorf("%s: %d events stored, want %d (%v)", id, len(stored), len(evs), err)
		}
	}
}

// TestTheImportWaitsOutLimitsAndOutages: a 429 is waited out for its
// Retry-After, a 5xx with a growing pause; too many failures in a row stop
// the import, which a rerun continues.
func TestTheImportWaitsOutLimitsAndOutages(t *testing.T) {
	st := newStore(t)
	ps, _ := pages(10, 5)
	limited := &vendorapi.RetryLater{Status: 429, After: 45 * time.Second}
	down := &vendorapi.RetryLater{Status: 503}
	ex := &script{pages: ps, fail: map[int]error{2: limited, 3: down, 4: down}}
	im, waits := importer(st, ex)
	got, err := im.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{45 * time.Second, 2 * time.Second, 4 * time.Second}, *waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if got.Waits != 3 || got.Stored != 80 || !got.Done {
		t.Errorf("state %+v", got)
	}

	st2 := newStore(t)
	fail := map[int]error{}
	for i := 2; i < 2+history.MaxFailures; i++ {
		fail[i] = down
	}
	im2, _ := importer(st2, &script{pages: ps, fail: fail})
	if _, err := im2.Run(context.Background()); errcode.Code(err) != errcode.Unavailable || !strings.Contains(err.Error(), "run the import again") {
		t.Fatalf("a long outage: %v", err)
	}
	im2.Since = time.Time{}
	if got, err := im2.Run(context.Background()); err != nil || got.Stored != 80 {
		t.Errorf("rerun after the outage: %+v, %v", got, err)
	}
}

// TestSwitchOver: webhooks started at S, in the middle of the tickets'
// lives. History stores only what happened before S, the webhooks deliver
// the rest, and each ticket ends as it would from its webhooks alone.
func TestSwitchOver(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	ps, all := pages(10, 5)
	s := t0.Add(40 * time.Hour)
	if err := st.MarkSwitchover(ctx, src, s); err != nil {
		t.Fatal(err)
	}
	// A later first webhook changes nothing: the first one wins.
	if err := st.MarkSwitchover(ctx, src, s.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var fromWebhooks []event.Event
	for _, evs := range all {
		for _, e := range evs {
			if !e.OccurredAt.Before(s) {
				fromWebhooks = append(fromWebhooks, e)
			}
		}
	}
	if _, err := st.Ingest(ctx, fromWebhooks); err != nil {
		t.Fatal(err)
	}
	im, _ := importer(st, &script{pages: ps})
	got, err := im.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Until.Equal(s) || got.Skipped != len(fromWebhooks) || got.Stored != 80-len(fromWebhooks) || !got.Done {
		t.Errorf("state %+v; %d events came from webhooks", got, len(fromWebhooks))
	}
	for id, evs := range all {
		if diff := cmp.Diff(ticket.Reduce(evs), stateOf(t, st, id), ignoreOrigin); diff != "" {
			t.Errorf("%s: history + webhooks differ from webhooks alone (-webhooks +both):\n%s", id, diff)
		}
	}
	deployed, ok, err := st.DeployedAt(ctx)
	if err != nil || !ok || !deployed.Equal(s) {
		t.Errorf("deployed at %v %v %v, want the first webhook %v (before the import's first run)", deployed, ok, err, s)
	}
}

// TestWebhooksThatComeLater: an import done before any webhook, then
// webhooks switched on later: a rerun continues from where the export
// stopped up to the first webhook.
func TestWebhooksThatComeLater(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	ps, _ := pages(10, 5)
	first := &script{pages: ps[:1]}
	im, _ := importer(st, first)
	got, err := im.Run(ctx)
	if err != nil || !got.Done || !got.Until.IsZero() {
		t.Fatalf("first import: %+v, %v", got, err)
	}
	if err := st.MarkSwitchover(ctx, src, t0.Add(90*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	rest := &script{pages: ps}
	im.Exporter, im.Since = rest, time.Time{}
	got, err = im.Run(ctx)
	if err != nil || !got.Done || got.Stored != 80 {
		t.Fatalf("after the first webhook: %+v, %v", got, err)
	}
	if rest.read[0] != "1" {
		t.Errorf("the rerun started at %q, want where the first stopped", rest.read[0])
	}
}

func TestRunWithoutAFirstDay(t *testing.T) {
	im, _ := importer(newStore(t), &script{})
	im.Since = time.Time{}
	if _, err := im.Run(context.Background()); errcode.Code(err) != errcode.Invalid {
		t.Errorf("got %v", err)
	}
}

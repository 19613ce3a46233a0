// Package history imports a ticketing system's past from its own API on day
// one: page by page through the source's exporter (vendorapi.Exporter),
// storing the same normalised events its webhooks would have, through the
// same store path (Ingest: idempotent, order-independent), and the import's
// state after every page so that an interrupted import resumes where it
// stopped.
//
// A ticket that spans the switch-over is counted once: history covers only
// what happened before the source's first stored webhook (or, before any,
// before the import started), and events from then on are the webhooks'.
// An imported resolution is never surveyed (event.Event.Imported).
package history

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/imports"
	"scorecard/shared/source/vendorapi"
)

// Store is what an import reads and writes.
type Store interface {
	Ingest(ctx context.Context, events []event.Event) (event.Ingested, error)
	Switchover(ctx context.Context, source string) (time.Time, bool, error)
	ImportState(ctx context.Context, source string) (imports.State, error)
	PutImportState(ctx context.Context, st imports.State) error
}

// MaxFailures is how many times in a row a page may fail (5xx, network)
// before the import stops; rate limits do not count, they are waited out.
const MaxFailures = 8

// Importer imports one source.
type Importer struct {
	Store    Store
	Source   string
	Exporter vendorapi.Exporter
	// Since is the first day to import; on a rerun the stored state's wins
	// unless Restart.
	Since   time.Time
	Restart bool
	Now     func() time.Time
	// Sleep waits (a rate limit, an outage); time.Sleep under ctx if nil.
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress hears after every page; nil: nothing.
	Progress func(Progress)
	Log      *slog.Logger
}

// Progress is where an import stands.
type Progress struct {
	imports.State
	// Left estimates the time to read up to the present at the pace so
	// far; 0 when unknown or done.
	Left time.Duration
}

// String is the progress line.
func (p Progress) String() string {
	left := "?"
	switch {
	case p.Done:
		left = "done"
	case p.Left > 0:
		left = p.Left.Round(time.Second).String()
	}
	return fmt.Sprintf("%s: through %s, %d tickets, %d events (%d new, %d again, %d left to webhooks), %d requests, %d waits, left %s",
		p.Source, p.Through.UTC().Format("2006-01-02 15:04"), p.Tickets, p.Events, p.Stored, p.Duplicates, p.Skipped, p.Requests, p.Waits, left)
}

// Run imports until the export catches up with the present and returns
// the final state. An interrupted Run (ctx cancelled, a failure) leaves the
// state of the last page stored; the next Run continues from there.
func (im *Importer) Run(ctx context.Context) (imports.State, error) {
	now := im.Now
	if now == nil {
		now = time.Now
	}
	sleep := im.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	st, err := im.Store.ImportState(ctx, im.Source)
	switch {
	case errcode.Code(err) == errcode.NotFound || (err == nil && im.Restart):
		if im.Since.IsZero() {
			return imports.State{}, errcode.Errorf(errcode.Invalid, "%s: no import to resume; give the first day to import", im.Source)
		}
		started := st.Started
		st = imports.State{Source: im.Source, Since: im.Since, Started: started}
		if st.Started.IsZero() {
			st.Started = now()
		}
	case err != nil:
		return st, err
	}
	// The cut is the source's first webhook: from then on events are the
	// webhooks'. Before any webhook there is no cut (the API has only the
	// past); it is looked at again before every page, so that webhooks
	// switched on during an import cut it from the next page on, and a done
	// import run again continues up to a first webhook that came later.
	if err := im.cut(ctx, &st); err != nil {
		return st, err
	}
	if st.Done {
		im.report(st)
		return st, nil
	}
	failures := 0
	started, startThrough := now(), st.Through
	for !st.Done {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if err := im.cut(ctx, &st); err != nil {
			return st, err
		}
		page, err := im.Exporter.Next(ctx, st.Next)
		st.Requests += page.Requests
		var later *vendorapi.RetryLater
		if errors.As(err, &later) {
			st.Waits++
			wait := later.After
			if later.Status != 429 {
				failures++
				if failures >= MaxFailures {
					return st, errcode.Wrap(errcode.Unavailable, err, fmt.Sprintf("%s: the API failed %d times in a row; run the import again to continue", im.Source, failures))
				}
				wait = max(wait, time.Duration(1<<min(failures, 6))*time.Second)
			}
			wait = max(wait, time.Second)
			if im.Log != nil {
				im.Log.Info("waiting for the vendor API", "source", im.Source, "wait", wait.String(), "status", later.Status)
			}
			if err := sleep(ctx, wait); err != nil {
				return st, err
			}
			continue
		}
		if err != nil {
			return st, fmt.Errorf("%s history: %w", im.Source, err)
		}
		failures = 0
		var keep []event.Event
		for _, e := range page.Events {
			if e.OccurredAt.Before(st.Since) {
				continue // a change before the first day asked for
			}
			if !st.Until.IsZero() && !e.OccurredAt.Before(st.Until) {
				st.Skipped++
				continue
			}
			e.Imported = true
			keep = append(keep, e)
		}
		got, err := im.Store.Ingest(ctx, keep)
		if err != nil {
			return st, err
		}
		st.Pages++
		st.Tickets += page.Tickets
		st.Events += len(page.Events)
		st.Stored += got.Stored
		st.Duplicates += got.Duplicates
		if page.Through.After(st.Through) {
			st.Through = page.Through
		}
		st.Next = page.Next
		// Not done at Until: a ticket changed after the cut may still
		// have events before it (an export ordered by ticket update).
		st.Done = page.Done
		st.Updated = now()
		if err := im.Store.PutImportState(ctx, st); err != nil {
			return st, err
		}
		im.progress(st, started, startThrough, now)
	}
	return st, nil
}

// cut sets Until to the source's first webhook, once there is one.
func (im *Importer) cut(ctx context.Context, st *imports.State) error {
	at, ok, err := im.Store.Switchover(ctx, im.Source)
	if err != nil || !ok || at.Equal(st.Until) {
		return err
	}
	if st.Until.IsZero() && st.Done {
		st.Done = false // done up to then; webhooks came later
	}
	st.Until = at
	return nil
}

func (im *Importer) report(st imports.State) {
	if im.Progress != nil {
		im.Progress(Progress{State: st})
	}
}

// progress estimates the time left from the pace of this run: the span of
// change time read per second of wall time.
func (im *Importer) progress(st imports.State, started, from time.Time, now func() time.Time) {
	if im.Progress == nil {
		return
	}
	p := Progress{State: st}
	if from.IsZero() {
		from = st.Since
	}
	read, spent := st.Through.Sub(from), now().Sub(started)
	// The export runs to the present, whatever the cut.
	until := now()
	if !st.Done && read > 0 && spent > 0 && until.After(st.Through) {
		p.Left = time.Duration(float64(until.Sub(st.Through)) / float64(read) * float64(spent))
	}
	im.Progress(p)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

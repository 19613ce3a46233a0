package demorun

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"scorecard/shared/aws/dynamo"
	"scorecard/shared/core/event"
	"scorecard/shared/devkit/replay"
)

// batchEvents is how many events the generic sender packs into a request:
// well under the 256 KB body limit with comments.
const batchEvents = 200

// ingest delivers the ticket events of [from, to) through the gateway, as
// the ticketing systems would by the end of that period, and returns the
// tickets they touched that were resolved or closed in it (the ones whose
// survey the notifier considers, as it does for each event that can bear
// on one).
func (r *runner) ingest(ctx context.Context, from, to time.Time, ms *MonthSummary) ([]dynamo.TicketKey, error) {
	r.cfg.Clock.Set(to.Add(-time.Minute))
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	touched := map[dynamo.TicketKey]string{} // → the ticket's id in the generated events
	var reqs []replay.Request
	for _, q := range r.plan.Requests {
		if !in(q.At) || q.Source == "generic" {
			continue // generic tickets go in batches below
		}
		reqs = append(reqs, q)
		touched[dynamo.TicketKey{Source: q.Source, ID: q.VendorTicketID}] = q.TicketID
	}
	ids := make([]string, 0, len(r.events))
	for id := range r.events {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var batch []event.Event
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		q, err := replay.Batch(batch, replay.Secrets(r.cfg.Secrets.Webhook))
		if err != nil {
			return err
		}
		reqs = append(reqs, q)
		batch = nil
		return nil
	}
	for _, id := range ids {
		var evs []event.Event
		for _, e := range r.events[id] {
			if in(e.OccurredAt) {
				evs = append(evs, e)
			}
		}
		if len(evs) == 0 {
			continue
		}
		touched[dynamo.TicketKey{Source: "generic", ID: id}] = id
		if len(batch)+len(evs) > batchEvents {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		batch = append(batch, evs...)
	}
	if err := flush(); err != nil {
		return nil, err
	}

	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		next     = make(chan replay.Request)
	)
	for range r.cfg.Senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range next {
				res, retries, err := r.deliver(ctx, q)
				mu.Lock()
				ms.Requests[q.Source]++
				ms.Events += q.Events
				ms.Retries += retries
				ms.Duplicates += res.Duplicates
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, q := range reqs {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed || ctx.Err() != nil {
			break
		}
		next <- q
	}
	close(next)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	keys := make([]dynamo.TicketKey, 0, len(touched))
	for k, id := range touched {
		if slices.ContainsFunc(r.resolving[id], in) {
			keys = append(keys, k)
		}
	}
	return keys, firstErr
}

// deliver posts one webhook request, signed at the clock's time, and
// retries as a ticketing system does when the answer is 503 or the
// connection fails; any other answer but 200 is a failure of the demo.
func (r *runner) deliver(ctx context.Context, q replay.Request) (event.Ingested, int, error) {
	retries := 0
	for attempt := 1; ; attempt++ {
		if err := q.Sign(replay.Secrets(r.cfg.Secrets.Webhook), r.cfg.Clock.Now()); err != nil {
			return event.Ingested{}, retries, err
		}
		hreq, err := q.NewHTTPRequest(ctx, r.cfg.Gateway)
		if err != nil {
			return event.Ingested{}, retries, err
		}
		resp, err := r.http.Do(hreq)
		if err != nil {
			if attempt >= 5 || ctx.Err() != nil {
				return event.Ingested{}, retries, fmt.Errorf("%s webhook for ticket %s: %w", q.Source, q.VendorTicketID, err)
			}
			retries++
			time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
			continue
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			var res event.Ingested
			if err := json.Unmarshal(body, &res); err != nil {
				return res, retries, fmt.Errorf("%s webhook: unreadable answer %q", q.Source, body)
			}
			return res, retries, nil
		case http.StatusServiceUnavailable, http.StatusTooManyRequests:
			if attempt >= 10 {
				return event.Ingested{}, retries, fmt.Errorf("%s webhook for ticket %s: still %d after %d attempts", q.Source, q.VendorTicketID, resp.StatusCode, attempt)
			}
			retries++
			time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
		default:
			return event.Ingested{}, retries, fmt.Errorf("%s webhook for ticket %s: %d %s", q.Source, q.VendorTicketID, resp.StatusCode, body)
		}
	}
}

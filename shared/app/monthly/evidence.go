package monthly

import (
	"context"
	"slices"
	"time"

	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

// EvidenceBuffer is how many contributions the run holds, by default,
// before it writes the largest engineers' out: the evidence is every
// ticket's part, so it grows with tickets, and the run's memory must not.
const EvidenceBuffer = 20000

// evidenceSink collects the run's contributions by engineer and writes
// them in chunks as they pile up, then the rest at the end. The writes run
// on a goroutine of their own, one batch at a time, so that storing the
// evidence overlaps reading and scoring the tickets; at most one batch
// waits behind the one being written.
type evidenceSink struct {
	batches chan []metric.Chunk
	done    chan error

	ctx     context.Context
	put     func(ctx context.Context, m month.Month, asOf time.Time, chunks []metric.Chunk) error
	m       month.Month
	asOf    time.Time
	by      map[string][]metric.Contribution
	seq     map[string]int
	held    int
	limit   int
	stopped bool
	Wrote   int // contributions written
}

func newEvidenceSink(ctx context.Context, put func(context.Context, month.Month, time.Time, []metric.Chunk) error, m month.Month, asOf time.Time, limit int) *evidenceSink {
	if limit <= 0 {
		limit = EvidenceBuffer
	}
	s := &evidenceSink{ctx: ctx, put: put, m: m, asOf: asOf, by: map[string][]metric.Contribution{}, seq: map[string]int{}, limit: limit,
		batches: make(chan []metric.Chunk, 1), done: make(chan error, 1)}
	go func() {
		var first error
		for b := range s.batches {
			if first == nil {
				first = s.put(s.ctx, s.m, s.asOf, b)
			}
		}
		s.done <- first
	}()
	return s
}

// add is the engine's Evidence callback.
func (s *evidenceSink) add(c metric.Contribution) {
	s.by[c.EngineerID] = append(s.by[c.EngineerID], c)
	s.held++
	if len(s.by[c.EngineerID]) >= metric.MaxChunk {
		s.flush([]string{c.EngineerID})
		return
	}
	if s.held >= s.limit {
		// The largest engineers' first: fewer, fuller items.
		ids := make([]string, 0, len(s.by))
		for id := range s.by {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b string) int { return len(s.by[b]) - len(s.by[a]) })
		s.flush(ids[:max(1, len(ids)/4)])
	}
}

// flush writes the engineers' held contributions.
func (s *evidenceSink) flush(ids []string) {
	var chunks []metric.Chunk
	for _, id := range ids {
		items := s.by[id]
		for len(items) > 0 {
			n := min(len(items), metric.MaxChunk)
			chunks = append(chunks, metric.Chunk{EngineerID: id, Seq: s.seq[id], Items: items[:n]})
			s.seq[id]++
			s.held -= n
			s.Wrote += n
			items = items[n:]
		}
		delete(s.by, id)
	}
	if len(chunks) > 0 {
		s.batches <- chunks
	}
}

// close writes what is left and reports the first failure.
func (s *evidenceSink) close() error {
	ids := make([]string, 0, len(s.by))
	for id := range s.by {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	s.flush(ids)
	return s.stop()
}

// stop ends the writer after what it was given and reports its first
// failure; a second call does nothing (the run stops it when it fails
// before close).
func (s *evidenceSink) stop() error {
	if s.stopped {
		return nil
	}
	s.stopped = true
	close(s.batches)
	return <-s.done
}

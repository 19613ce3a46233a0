package calendar

import (
	"slices"
	"time"
)

// Interval is a stretch of time during which a clock runs, such as an SLA
// clock between pauses. End.IsZero() means it is still running (open-ended).
type Interval struct{ Start, End time.Time }

func (iv Interval) open() bool { return iv.End.IsZero() }

// Total is the working time within the given intervals, each clipped to end
// at until (open-ended ones run to until). Intervals may come in any order
// and may overlap: time covered twice counts once, so a duplicated interval
// changes nothing.
func Total(c *Calendar, running []Interval, until time.Time) time.Duration {
	var buf [4]Interval // most tickets' clocks stop a few times at most: no allocation
	clipped := buf[:0]
	for _, iv := range running {
		if iv.open() || iv.End.After(until) {
			iv.End = until
		}
		clipped = append(clipped, iv)
	}
	var total time.Duration
	for _, iv := range normalize(clipped) {
		total += c.Working(iv.Start, iv.End)
	}
	return total
}

// Deadline returns the instant at which the working time accumulated over the
// running intervals reaches target, and true; or false if the intervals all
// end before target is reached. An open-ended interval runs forever, so the
// deadline is always found there. The instant is the earliest one: if target
// is reached at a closed interval's end, in non-working time, it is the end of
// the last working span before that. A target <= 0 is reached at the start of
// the first interval. Intervals are expected in order and disjoint; any
// others are sorted and merged first, as in Total.
func Deadline(c *Calendar, running []Interval, target time.Duration) (time.Time, bool) {
	remaining := target
	for _, iv := range normalize(running) {
		if !iv.open() {
			w := c.Working(iv.Start, iv.End)
			if w < remaining {
				remaining -= w
				continue
			}
		}
		return c.Advance(iv.Start, remaining), true
	}
	return time.Time{}, false
}

// normalize returns the non-empty intervals sorted by start with overlapping
// and touching ones merged; an open-ended interval absorbs every later one.
// Input that is already in that form is returned as is, without copying.
func normalize(ivs []Interval) []Interval {
	if isNormal(ivs) {
		return ivs
	}
	sorted := slices.Clone(ivs)
	slices.SortStableFunc(sorted, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	out := sorted[:0]
	for _, iv := range sorted {
		if !iv.open() && !iv.End.After(iv.Start) {
			continue
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.open() {
				continue
			}
			if !iv.Start.After(last.End) {
				if iv.open() || iv.End.After(last.End) {
					last.End = iv.End
				}
				continue
			}
		}
		out = append(out, iv)
	}
	return out
}

func isNormal(ivs []Interval) bool {
	for i, iv := range ivs {
		if !iv.open() && !iv.End.After(iv.Start) {
			return false
		}
		if i > 0 && (ivs[i-1].open() || !iv.Start.After(ivs[i-1].End)) {
			return false
		}
	}
	return true
}

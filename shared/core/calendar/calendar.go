// Package calendar owns working-time calendars: which instants count towards
// an SLA clock, a response time or a handle time (DESIGN §3 "SLA"). A calendar
// is either 24×7, where all wall-clock time counts, or business hours in a
// time zone, minus holidays, plus make-up working days. The package measures
// working time between instants, moves forward by an amount of working time,
// and does both over the running intervals of a paused-and-resumed clock.
// It is pure: no I/O beyond loading the time zone, no clock.
package calendar

import (
	"time"
)

// Calendar says which instants are working time. Build one with New or
// TwentyFourSeven. The zero value, and a nil *Calendar, count all time (24×7),
// so that a policy without a calendar needs no special case. A Calendar is
// immutable and safe for concurrent use.
type Calendar struct {
	business bool
	loc      *time.Location
	week     [7][]span // by time.Weekday; sorted, disjoint, non-touching
	holidays map[date]bool
	workdays map[date]bool
}

// span is a working span of one local day, as offsets from local midnight on
// the wall clock; 0 <= start < end <= 24h.
type span struct{ start, end time.Duration }

// date is a civil (local calendar) date, counted in days since 1970-01-01.
type date int64

const day = 24 * time.Hour

// maxDays bounds how far Advance searches: 20 years of local days. New
// guarantees a working span every week, but holidays can remove them and a
// span can be a minute long, so without a bound the search could run for
// centuries.
const maxDays = 20*366 + 1

// farFuture is what Advance returns when maxDays pass without reaching the
// target: an instant that no deadline check will ever see pass.
var farFuture = time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)

// TwentyFourSeven returns the calendar in which all time is working time.
func TwentyFourSeven() *Calendar { return &Calendar{} }

// Is24x7 reports whether all time is working time.
func (c *Calendar) Is24x7() bool { return c == nil || !c.business }

// Working returns the working time inside [from, to); 0 if to is not after
// from. The result is exact to the nanosecond.
func (c *Calendar) Working(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if c.Is24x7() {
		return to.Sub(from)
	}
	var total time.Duration
	for it := c.days(dateOf(from.In(c.loc))); ; it.next() {
		k := it.k
		// Day d's spans all end by the start of day d+1, so the first day
		// starting at or after to contributes nothing, nor does any later one.
		if !k.start.Before(to) {
			return total
		}
		for _, sp := range c.spansOn(k.d) {
			s, e := k.at(sp.start), k.at(sp.end)
			if s.Before(from) {
				s = from
			}
			if e.After(to) {
				e = to
			}
			if e.After(s) {
				total += e.Sub(s)
			}
		}
	}
}

// Advance returns the earliest instant t at or after from such that
// Working(from, t) == d: the moment d of working time has elapsed. The result
// is inside a working span or at its end, and is expressed in from's
// location. If d <= 0 it returns from unchanged. If the target is not reached
// within 20 years of local days (holidays blanking out every working day, or
// a sliver of working time a week against a large d), it returns a
// far-future instant in the year 9999, which no deadline check sees pass.
func (c *Calendar) Advance(from time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return from
	}
	if c.Is24x7() {
		return from.Add(d)
	}
	remaining := d
	it := c.days(dateOf(from.In(c.loc)))
	for range maxDays {
		k := it.k
		for _, sp := range c.spansOn(k.d) {
			e := k.at(sp.end)
			if !e.After(from) {
				continue
			}
			s := k.at(sp.start)
			if s.Before(from) {
				s = from
			}
			n := e.Sub(s)
			if n <= 0 {
				continue // a span swallowed by a spring-forward gap
			}
			if remaining <= n {
				return s.Add(remaining).In(from.Location())
			}
			remaining -= n
		}
		it.next()
	}
	return farFuture
}

// spansOn returns the working spans of local date d.
func (c *Calendar) spansOn(d date) []span {
	switch {
	case c.holidays[d]:
		return nil
	case c.workdays[d]:
		return c.week[time.Monday]
	default:
		return c.week[d.weekday()]
	}
}

// dayClock turns wall-clock offsets of one local date into instants.
type dayClock struct {
	c      *Calendar
	d      date
	start  time.Time // the first instant of the local date
	linear bool      // one UTC offset from start through start+24h
}

func (k dayClock) at(w time.Duration) time.Time {
	if k.linear {
		return k.start.Add(w)
	}
	return k.c.at(k.d, w)
}

// dayIter walks local dates one by one. Zone lookups cost more than the rest
// of a day's work, so while a UTC offset lasts it moves by plain addition.
type dayIter struct {
	c       *Calendar
	k       dayClock
	zoneEnd time.Time // end of the zone period containing k.start, if k.linear
}

func (c *Calendar) days(first date) dayIter {
	it := dayIter{c: c}
	it.load(first)
	return it
}

func (it *dayIter) next() {
	d := it.k.d + 1
	if it.k.linear {
		start := it.k.start.Add(day)
		if it.zoneEnd.IsZero() || it.zoneEnd.After(start.Add(day)) {
			it.k = dayClock{c: it.c, d: d, start: start, linear: true}
			return
		}
	}
	it.load(d)
}

func (it *dayIter) load(d date) {
	k := dayClock{c: it.c, d: d, start: it.c.at(d, 0)}
	// The common day has no transition: offsets map to instants by addition.
	// It must begin at midnight of d itself: a zone that skips a whole day
	// (Pacific/Apia, 2011-12-30) starts that day at the next day's midnight.
	if h, m, s := k.start.Clock(); h == 0 && m == 0 && s == 0 && k.start.Nanosecond() == 0 && dateOf(k.start) == d {
		_, it.zoneEnd = k.start.ZoneBounds()
		k.linear = it.zoneEnd.IsZero() || it.zoneEnd.After(k.start.Add(day))
	}
	it.k = k
}

// at returns the first instant at which the local clock reads the date d and
// the time of day w, or later. This is the instant of a span boundary. It is
// monotone in (d, w), which time.Date is not: inside a spring-forward gap
// time.Date can return an instant later than that of a later wall time. So:
//   - a wall time skipped by spring-forward maps to the instant of the jump,
//     and a span inside the gap has no working time;
//   - a wall time repeated by fall-back maps to its first occurrence.
func (c *Calendar) at(d date, w time.Duration) time.Time {
	wall := d.wall().Add(w) // a UTC time whose clock reads the wanted wall time
	// UTC offsets lie within ±26h, so the local clock reads earlier than
	// wall at this instant; walk forward zone period by zone period.
	t := wall.Add(-26 * time.Hour).In(c.loc)
	for range 64 {
		_, off := t.Zone()
		cand := wall.Add(-time.Duration(off) * time.Second) // reads wall under off
		if cand.Before(t) {
			// The clock jumped past wall when this period began at t.
			return t
		}
		_, end := t.ZoneBounds()
		if end.IsZero() || cand.Before(end) {
			return cand.In(c.loc)
		}
		t = end
	}
	// Unreachable with real zone data (64 transitions within 52 hours).
	y, m, dd := d.wall().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, c.loc).Add(w)
}

func dateOf(t time.Time) date {
	y, m, d := t.Date()
	return civil(y, m, d)
}

func civil(y int, m time.Month, d int) date {
	return date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// wall returns midnight of d as a UTC time.
func (d date) wall() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// weekday: 1970-01-01 was a Thursday.
func (d date) weekday() time.Weekday {
	return time.Weekday(((int64(d)+int64(time.Thursday))%7 + 7) % 7)
}

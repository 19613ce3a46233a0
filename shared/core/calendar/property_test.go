package calendar_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"scorecard/shared/core/calendar"
)

// Zones with awkward histories: DST at midnight (Santiago), a 30-minute DST
// (Lord Howe), a 2-hour DST (Troll), a skipped day (Apia, 2011-12-30),
// quarter-hour offsets (Kathmandu, St John's), Ramadan switches (Casablanca).
var propZones = []string{
	"UTC", "Europe/Berlin", "America/New_York", "America/Santiago",
	"Australia/Lord_Howe", "Antarctica/Troll", "Pacific/Apia", "Asia/Kathmandu",
	"America/St_Johns", "Africa/Casablanca", "Asia/Shanghai",
}

var (
	windowStart = time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC)
	windowEnd   = time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
)

// zoneData is each zone and its transitions inside the window.
type zoneData struct {
	loc         *time.Location
	transitions []time.Time
}

func loadZones(t *testing.T) map[string]zoneData {
	t.Helper()
	out := map[string]zoneData{}
	for _, name := range propZones {
		loc := zone(t, name)
		var tr []time.Time
		for at := windowStart.In(loc); ; {
			_, end := at.ZoneBounds()
			if end.IsZero() || end.After(windowEnd) {
				break
			}
			tr = append(tr, end)
			at = end
		}
		out[name] = zoneData{loc, tr}
	}
	return out
}

// world is a random business calendar and a moment around which to probe it,
// often a zone transition.
type world struct {
	spec   calendar.Spec
	loc    *time.Location
	cal    *calendar.Calendar
	anchor time.Time
}

func drawWorld(t *rapid.T, zones map[string]zoneData) world {
	name := rapid.SampledFrom(propZones).Draw(t, "zone")
	z := zones[name]
	var anchor time.Time
	if len(z.transitions) > 0 && rapid.Bool().Draw(t, "near a transition") {
		anchor = rapid.SampledFrom(z.transitions).Draw(t, "transition")
	} else {
		s := rapid.Int64Range(windowStart.Unix(), windowEnd.Unix()).Draw(t, "anchor")
		anchor = time.Unix(s, 0)
	}
	spec := drawSpec(t, name, anchor.In(z.loc))
	c, err := calendar.New(spec)
	if err != nil {
		t.Fatalf("New(%+v): %v", spec, err)
	}
	return world{spec, z.loc, c, anchor}
}

func drawSpec(t *rapid.T, zoneName string, anchor time.Time) calendar.Spec {
	unit := rapid.SampledFrom([]int{1, 15, 30, 60}).Draw(t, "minutes per slot")
	spec := calendar.Spec{Kind: "business", TimeZone: zoneName, Hours: map[string][]string{}}
	for _, key := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		if !rapid.Bool().Draw(t, key+" works") {
			continue
		}
		n := rapid.IntRange(1, 3).Draw(t, key+" spans")
		bounds := rapid.SliceOfNDistinct(rapid.IntRange(0, 1440/unit), 2*n, 2*n, rapid.ID[int]).Draw(t, key+" bounds")
		slices.Sort(bounds)
		for i := 0; i < len(bounds); i += 2 {
			spec.Hours[key] = append(spec.Hours[key], hhmm(bounds[i]*unit)+"-"+hhmm(bounds[i+1]*unit))
		}
	}
	if len(spec.Hours) == 0 {
		spec.Hours["mon"] = []string{"09:00-17:00"}
	}
	near := func(label string) string {
		days := rapid.IntRange(-10, 10).Draw(t, label)
		return anchor.AddDate(0, 0, days).Format(time.DateOnly)
	}
	for i := range rapid.IntRange(0, 4).Draw(t, "holidays") {
		spec.Holidays = append(spec.Holidays, near(fmt.Sprint("holiday ", i)))
	}
	for i := range rapid.IntRange(0, 2).Draw(t, "workdays") {
		d := near(fmt.Sprint("workday ", i))
		if len(spec.Hours["mon"]) > 0 && !slices.Contains(spec.Holidays, d) {
			spec.Workdays = append(spec.Workdays, d)
		}
	}
	return spec
}

func hhmm(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// instant draws a time within ten days of the anchor, to the nanosecond or,
// to hit span boundaries, to the minute.
func (w world) instant(t *rapid.T, label string) time.Time {
	off := rapid.Int64Range(-int64(10*24*time.Hour), int64(10*24*time.Hour)).Draw(t, label)
	at := w.anchor.Add(time.Duration(off))
	if rapid.Bool().Draw(t, label+" on a minute") {
		at = at.Truncate(time.Minute)
	}
	return at
}

func TestPropWorkingIsAdditiveAndBounded(t *testing.T) {
	zones := loadZones(t)
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t, zones)
		ts := []time.Time{w.instant(t, "a"), w.instant(t, "b"), w.instant(t, "c")}
		slices.SortFunc(ts, time.Time.Compare)
		a, b, c := ts[0], ts[1], ts[2]
		ab, bc, ac := w.cal.Working(a, b), w.cal.Working(b, c), w.cal.Working(a, c)
		if ac != ab+bc {
			t.Fatalf("Working(a, c) = %v, but Working(a, b) + Working(b, c) = %v + %v", ac, ab, bc)
		}
		if ab < 0 || ab > b.Sub(a) {
			t.Fatalf("Working(a, b) = %v outside [0, %v]", ab, b.Sub(a))
		}
		if got := w.cal.Working(c, a); got != 0 {
			t.Fatalf("Working(c, a) = %v for c after a, want 0", got)
		}
	})
}

func TestPropAdvanceInvertsWorking(t *testing.T) {
	zones := loadZones(t)
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t, zones)
		from := w.instant(t, "from")
		d := time.Duration(rapid.OneOf(
			rapid.Int64Range(1, int64(time.Hour)),
			rapid.Int64Range(1, int64(400*time.Hour)),
		).Draw(t, "d"))
		got := w.cal.Advance(from, d)
		if got.Year() == 9999 {
			// The search gave up after 20 years: right only if they hold
			// less than d (a calendar with a minute a week, say).
			if wk := w.cal.Working(from, from.AddDate(20, 0, 0)); wk >= d {
				t.Fatalf("Advance(%v, %v) gave up, but 20 years hold %v", from, d, wk)
			}
			return
		}
		if got.Before(from) {
			t.Fatalf("Advance(%v, %v) = %v, before from", from, d, got)
		}
		if wk := w.cal.Working(from, got); wk != d {
			t.Fatalf("Working(from, Advance(from, %v)) = %v", d, wk)
		}
		// The earliest such instant: the nanosecond before it is working time.
		if last := w.cal.Working(got.Add(-1), got); last != 1 {
			t.Fatalf("Advance(%v, %v) = %v is not inside or at the end of a working span", from, d, got)
		}
	})
}

// An instant is working time when its local clock reading falls in a span
// of its local date. This oracle reads the clock directly; it is skipped for
// readings that occur twice (a fall-back's repeated hour), where the calendar
// counts a span boundary at its first occurrence.
func TestPropWorkingMatchesTheLocalClock(t *testing.T) {
	zones := loadZones(t)
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t, zones)
		at := w.instant(t, "at")
		if readsTwice(at, w.loc) {
			return // the local clock reads this twice: no single answer to compare
		}
		want := onTheClock(w.spec, at.In(w.loc))
		got := w.cal.Working(at, at.Add(1)) == 1
		if got != want {
			t.Fatalf("instant %v (local %v): working = %v, the clock says %v", at.UTC(), at.In(w.loc), got, want)
		}
	})
}

func readsTwice(at time.Time, loc *time.Location) bool {
	const layout = "2006-01-02 15:04:05.999999999"
	reading := at.In(loc).Format(layout)
	for k := -12; k <= 12; k++ {
		if k != 0 && at.Add(time.Duration(k)*15*time.Minute).In(loc).Format(layout) == reading {
			return true
		}
	}
	return false
}

func onTheClock(spec calendar.Spec, local time.Time) bool {
	date := local.Format(time.DateOnly)
	if slices.Contains(spec.Holidays, date) {
		return false
	}
	key := strings.ToLower(local.Weekday().String()[:3])
	if slices.Contains(spec.Workdays, date) {
		key = "mon"
	}
	h, m, s := local.Clock()
	tod := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second + time.Duration(local.Nanosecond())
	for _, sp := range spec.Hours[key] {
		if clock(sp[:5]) <= tod && tod < clock(sp[6:]) {
			return true
		}
	}
	return false
}

func clock(hhmm string) time.Duration {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
}

func TestProp24x7EqualsWallClock(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		instant := func(label string) time.Time {
			s := rapid.Int64Range(-2e9, 7e9).Draw(t, label+" s")
			ns := rapid.Int64Range(0, 999999999).Draw(t, label+" ns")
			return time.Unix(s, ns)
		}
		a, b := instant("a"), instant("b")
		d := time.Duration(rapid.Int64Range(1, int64(10*365*24*time.Hour)).Draw(t, "d"))
		want := max(b.Sub(a), 0)
		for _, c := range []*calendar.Calendar{calendar.TwentyFourSeven(), nil} {
			if got := c.Working(a, b); got != want {
				t.Fatalf("Working(%v, %v) = %v, want %v", a, b, got, want)
			}
			if got := c.Advance(a, d); !got.Equal(a.Add(d)) {
				t.Fatalf("Advance(%v, %v) = %v, want %v", a, d, got, a.Add(d))
			}
		}
	})
}

// Running intervals as an SLA clock produces them: in order, with pauses,
// the last one possibly still running.
func drawRunning(t *rapid.T, w world) []calendar.Interval {
	n := rapid.IntRange(0, 4).Draw(t, "intervals")
	ts := make([]time.Time, 0, 2*n)
	for i := range 2 * n {
		ts = append(ts, w.instant(t, fmt.Sprint("t", i)))
	}
	slices.SortFunc(ts, time.Time.Compare)
	var running []calendar.Interval
	for i := 0; i < len(ts); i += 2 {
		running = append(running, calendar.Interval{Start: ts[i], End: ts[i+1]})
	}
	if n > 0 && rapid.Bool().Draw(t, "still running") {
		running[n-1].End = time.Time{}
	}
	return running
}

func TestPropTotalIsTheSumOfClippedIntervals(t *testing.T) {
	zones := loadZones(t)
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t, zones)
		running := drawRunning(t, w)
		until := w.instant(t, "until")
		var want time.Duration
		for _, iv := range running {
			end := iv.End
			if end.IsZero() || end.After(until) {
				end = until
			}
			want += w.cal.Working(iv.Start, end)
		}
		if got := calendar.Total(w.cal, running, until); got != want {
			t.Fatalf("Total = %v, want %v", got, want)
		}
	})
}

func TestPropTotalAndDeadlineIgnoreOrderAndDuplicates(t *testing.T) {
	zones := loadZones(t)
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t, zones)
		running := drawRunning(t, w)
		if len(running) == 0 {
			return // nothing to reorder
		}
		messy := rapid.Permutation(running).Draw(t, "order")
		messy = append(messy, rapid.SampledFrom(running).Draw(t, "duplicate"))
		until := w.instant(t, "until")
		target := time.Duration(rapid.Int64Range(0, int64(100*time.Hour)).Draw(t, "target"))

		if got, want := calendar.Total(w.cal, messy, until), calendar.Total(w.cal, running, until); got != want {
			t.Fatalf("Total of reordered intervals = %v, want %v", got, want)
		}
		gotAt, gotOK := calendar.Deadline(w.cal, messy, target)
		wantAt, wantOK := calendar.Deadline(w.cal, running, target)
		if gotOK != wantOK || !gotAt.Equal(wantAt) {
			t.Fatalf("Deadline of reordered intervals = %v %v, want %v %v", gotAt, gotOK, wantAt, wantOK)
		}
	})
}

func TestPropDeadlineIsWhenTotalReachesTarget(t *testing.T) {
	zones := loadZones(t)
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t, zones)
		running := drawRunning(t, w)
		target := time.Duration(rapid.Int64Range(1, int64(100*time.Hour)).Draw(t, "target"))
		at, ok := calendar.Deadline(w.cal, running, target)
		if !ok {
			if n := len(running); n > 0 && running[n-1].End.IsZero() {
				t.Fatalf("no deadline although the last interval is still running")
			}
			var end time.Time
			if n := len(running); n > 0 {
				end = running[n-1].End
			}
			if got := calendar.Total(w.cal, running, end); got >= target {
				t.Fatalf("no deadline, but the intervals hold %v of working time, target %v", got, target)
			}
			return
		}
		if at.Year() == 9999 {
			return // holidays exhausted the search: no deadline to compare
		}
		if got := calendar.Total(w.cal, running, at); got != target {
			t.Fatalf("Total up to the deadline %v = %v, want %v", at, got, target)
		}
		if got := calendar.Total(w.cal, running, at.Add(-1)); got >= target {
			t.Fatalf("Total up to just before the deadline %v = %v, want less than %v", at, got, target)
		}
	})
}

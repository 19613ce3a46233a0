package calendar_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/calendar"
)

func TestTotal(t *testing.T) {
	f := newFixtures(t)
	b := f.berlin
	iv := func(start, end string) calendar.Interval {
		i := calendar.Interval{Start: at(t, b, start)}
		if end != "" {
			i.End = at(t, b, end)
		}
		return i
	}
	tests := []struct {
		name    string
		cal     *calendar.Calendar
		running []calendar.Interval
		until   string
		want    time.Duration
	}{
		{"no intervals count nothing", f.office, nil, "2026-10-12 18:00", 0},
		{"closed interval counts its working time", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 11:00")}, "2026-10-12 18:00", 2 * time.Hour},
		{"pause between intervals does not count", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 11:00", "2026-10-12 12:00")},
			"2026-10-13 00:00", 2 * time.Hour},
		{"open-ended interval runs to until", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "")}, "2026-10-12 15:00", 5 * time.Hour},
		{"closed interval is clipped at until", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 18:00")}, "2026-10-12 10:30", 90 * time.Minute},
		{"interval starting after until counts nothing", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 14:00", "")},
			"2026-10-12 12:00", time.Hour},
		{"pause over the weekend does not count", f.office,
			[]calendar.Interval{iv("2026-10-09 16:00", "2026-10-09 17:00"), iv("2026-10-12 10:00", "")},
			"2026-10-12 11:00", 2 * time.Hour},
		{"overlapping intervals count once", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 11:00"), iv("2026-10-12 10:00", "2026-10-12 12:00")},
			"2026-10-12 18:00", 3 * time.Hour},
		{"a duplicated interval counts once", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 09:00", "2026-10-12 10:00")},
			"2026-10-12 18:00", time.Hour},
		{"intervals may come in any order", f.office,
			[]calendar.Interval{iv("2026-10-12 11:00", "2026-10-12 12:00"), iv("2026-10-12 09:00", "2026-10-12 10:00")},
			"2026-10-12 18:00", 2 * time.Hour},
		{"reversed interval counts nothing", f.office,
			[]calendar.Interval{iv("2026-10-12 10:00", "2026-10-12 09:00")}, "2026-10-12 18:00", 0},
		{"open-ended interval absorbs later ones", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", ""), iv("2026-10-12 10:00", "2026-10-12 11:00")},
			"2026-10-12 12:00", 3 * time.Hour},
		{"nil calendar counts wall-clock time between pauses", nil,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 11:00", "")},
			"2026-10-12 13:00", 3 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := calendar.Total(tc.cal, tc.running, at(t, b, tc.until))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Total mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeadline(t *testing.T) {
	f := newFixtures(t)
	b := f.berlin
	iv := func(start, end string) calendar.Interval {
		i := calendar.Interval{Start: at(t, b, start)}
		if end != "" {
			i.End = at(t, b, end)
		}
		return i
	}
	type result struct {
		At    time.Time
		Found bool
	}
	found := func(s string) result { return result{at(t, b, s), true} }
	notFound := result{}
	tests := []struct {
		name    string
		cal     *calendar.Calendar
		running []calendar.Interval
		target  time.Duration
		want    result
	}{
		{"no intervals never reach the target", f.office, nil, time.Hour, notFound},
		{"zero target with no intervals is never reached", f.office, nil, 0, notFound},
		{"zero target is reached at the first start", f.office,
			[]calendar.Interval{iv("2026-10-12 10:00", "2026-10-12 11:00")}, 0, found("2026-10-12 10:00")},
		{"reached inside an open-ended interval", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "")}, 2 * time.Hour, found("2026-10-12 11:00")},
		{"pause pushes the deadline later", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 14:00", "")},
			2 * time.Hour, found("2026-10-12 15:00")},
		{"target reached exactly at the last interval's end", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 14:00", "2026-10-12 15:00")},
			2 * time.Hour, found("2026-10-12 15:00")},
		{"target reached exactly at a pause is the pause's start", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 14:00", "")},
			time.Hour, found("2026-10-12 10:00")},
		{"interval ending in non-working time gives the end of its last span", f.office,
			[]calendar.Interval{iv("2026-10-09 17:00", "2026-10-10 12:00")}, time.Hour, found("2026-10-09 18:00")},
		{"closed intervals ending before the target never reach it", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 14:00", "2026-10-12 15:00")},
			3 * time.Hour, notFound},
		{"open-ended last interval always reaches the target", f.office,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-13 09:00", "")},
			10 * time.Hour, found("2026-10-14 10:00")},
		{"normal 24h SLA paused over the weekend", f.office,
			[]calendar.Interval{iv("2026-10-09 09:00", "2026-10-09 17:00"), iv("2026-10-12 09:00", "")},
			24 * time.Hour, found("2026-10-14 10:00")},
		{"unordered and overlapping intervals are merged first", f.office,
			[]calendar.Interval{iv("2026-10-12 14:00", ""), iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 09:30", "2026-10-12 10:00")},
			2 * time.Hour, found("2026-10-12 15:00")},
		{"24x7 counts the pause out and everything else in", nil,
			[]calendar.Interval{iv("2026-10-12 09:00", "2026-10-12 10:00"), iv("2026-10-12 14:00", "")},
			4 * time.Hour, found("2026-10-12 17:00")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at, ok := calendar.Deadline(tc.cal, tc.running, tc.target)
			if diff := cmp.Diff(tc.want, result{at, ok}); diff != "" {
				t.Errorf("Deadline mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

package calendar_test

import (
	"testing"
	"time"

	"scorecard/shared/core/calendar"
)

// A month of office hours, across the October fall-back and a holiday.
func BenchmarkWorkingBusiness(b *testing.B) {
	f := newFixtures(b)
	from := at(b, f.berlin, "2026-10-01 09:30")
	to := from.AddDate(0, 0, 30)
	want := f.office.Working(from, to)
	b.ReportAllocs()
	for b.Loop() {
		if f.office.Working(from, to) != want {
			b.Fatal("unstable result")
		}
	}
}

func BenchmarkAdvanceBusiness(b *testing.B) {
	f := newFixtures(b)
	from := at(b, f.berlin, "2026-10-01 09:30")
	b.ReportAllocs()
	for b.Loop() {
		f.office.Advance(from, 160*time.Hour) // a month of working time
	}
}

// A low-priority ticket (72 h SLA on office hours), paused three times while
// pending, still open.
func BenchmarkDeadline(b *testing.B) {
	f := newFixtures(b)
	t := func(s string) time.Time { return at(b, f.berlin, s) }
	running := []calendar.Interval{
		{Start: t("2026-10-01 10:15"), End: t("2026-10-02 11:00")},
		{Start: t("2026-10-05 14:00"), End: t("2026-10-07 09:30")},
		{Start: t("2026-10-08 16:45"), End: t("2026-10-12 10:00")},
		{Start: t("2026-10-14 08:00")},
	}
	if _, ok := calendar.Deadline(f.office, running, 72*time.Hour); !ok {
		b.Fatal("no deadline")
	}
	b.ReportAllocs()
	for b.Loop() {
		calendar.Deadline(f.office, running, 72*time.Hour)
	}
}

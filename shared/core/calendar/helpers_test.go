package calendar_test

import (
	"strings"
	"testing"
	"time"

	// The tests must not depend on the host's zone database.
	_ "time/tzdata"

	"scorecard/shared/core/calendar"
)

func mustNew(tb testing.TB, spec calendar.Spec) *calendar.Calendar {
	tb.Helper()
	c, err := calendar.New(spec)
	if err != nil {
		tb.Fatalf("New(%+v): %v", spec, err)
	}
	return c
}

func zone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// at reads "2026-10-09 17:00", "2026-10-09 17:00:00.5" in loc, or an RFC 3339
// time with its own offset (for the repeated hour of a fall-back).
func at(tb testing.TB, loc *time.Location, s string) time.Time {
	tb.Helper()
	var t time.Time
	var err error
	switch {
	case strings.Contains(s, "T"):
		t, err = time.Parse(time.RFC3339Nano, s)
	case len(s) == len("2006-01-02 15:04"):
		t, err = time.ParseInLocation("2006-01-02 15:04", s, loc)
	default:
		t, err = time.ParseInLocation(time.DateTime, s, loc)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func every(days []string, spans ...string) map[string][]string {
	m := map[string][]string{}
	for _, d := range days {
		m[d] = spans
	}
	return m
}

var weekdays = []string{"mon", "tue", "wed", "thu", "fri"}

// fixtures are the calendars the example-based tests share.
type fixtures struct {
	berlin, shanghai, newYork, santiago, lordHowe, apia *time.Location

	office      *calendar.Calendar // Berlin, Mon–Fri 09–12 and 13–18, Christmas off
	berlinSun   *calendar.Calendar // Berlin, Sundays 00:00–24:00
	berlinNight *calendar.Calendar // Berlin, Sundays 00:30–01:30, 02:15–02:45, 04:00–05:00
	shanghai9   *calendar.Calendar // Shanghai, Mon–Fri 09–18, National Day week off, two make-up days
	nyNight     *calendar.Calendar // New York, Sundays 01:30–02:30
	santiagoWE  *calendar.Calendar // Santiago (DST changes at midnight), weekends 00:00–24:00
	lordHoweSun *calendar.Calendar // Lord Howe (30-minute DST), Sundays 00:00–24:00
	apiaDays    *calendar.Calendar // Apia, which skipped 2011-12-30, every day 09:00–17:00
}

func newFixtures(tb testing.TB) fixtures {
	tb.Helper()
	return fixtures{
		berlin:   zone(tb, "Europe/Berlin"),
		shanghai: zone(tb, "Asia/Shanghai"),
		newYork:  zone(tb, "America/New_York"),
		santiago: zone(tb, "America/Santiago"),
		lordHowe: zone(tb, "Australia/Lord_Howe"),
		apia:     zone(tb, "Pacific/Apia"),
		office: mustNew(tb, calendar.Spec{
			Kind: "business", TimeZone: "Europe/Berlin",
			Hours:    every(weekdays, "09:00-12:00", "13:00-18:00"),
			Holidays: []string{"2026-12-24", "2026-12-25", "2026-10-03"},
		}),
		berlinSun: mustNew(tb, calendar.Spec{
			Kind: "business", TimeZone: "Europe/Berlin",
			Hours: every([]string{"sun"}, "00:00-24:00"),
		}),
		berlinNight: mustNew(tb, calendar.Spec{
			Kind: "business", TimeZone: "Europe/Berlin",
			Hours: map[string][]string{"sun": {"00:30-01:30", "02:15-02:45", "04:00-05:00"}},
		}),
		shanghai9: mustNew(tb, calendar.Spec{
			Kind: "business", TimeZone: "Asia/Shanghai",
			Hours: every(weekdays, "09:00-18:00"),
			Holidays: []string{"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
				"2026-10-05", "2026-10-06", "2026-10-07"},
			Workdays: []string{"2026-09-27", "2026-10-10"},
		}),
		nyNight: mustNew(tb, calendar.Spec{
			Kind: "business", TimeZone: "America/New_York",
			Hours: map[string][]string{"sun": {"01:30-02:30"}},
		}),
		santiagoWE: mustNew(tb, calendar.Spec{
			Kind: "business", TimeZone: "America/Santiago",
			Hours: every([]string{"sat", "sun"}, "00:00-24:00"),
		}),
		lordHoweSun: mustNew(tb, calendar.Spec{
			Kind: "business", TimeZone: "Australia/Lord_Howe",
			Hours: every([]string{"sun"}, "00:00-24:00"),
		}),
		apiaDays: mustNew(tb, calendar.Spec{
			Kind: "business", TimeZone: "Pacific/Apia",
			Hours: every([]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "09:00-17:00"),
		}),
	}
}

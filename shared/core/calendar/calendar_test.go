package calendar_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/calendar"
)

func TestWorking(t *testing.T) {
	f := newFixtures(t)
	b, sh, ny := f.berlin, f.shanghai, f.newYork
	tests := []struct {
		name     string
		cal      *calendar.Calendar
		from, to time.Time
		want     time.Duration
	}{
		{"24x7 counts wall-clock time", calendar.TwentyFourSeven(),
			at(t, b, "2026-10-09 17:00"), at(t, b, "2026-10-12 10:00"), 65 * time.Hour},
		{"nil calendar counts wall-clock time", nil,
			at(t, b, "2026-10-09 17:00"), at(t, b, "2026-10-09 17:00:00.000000007"), 7},
		{"24x7 across fall-back counts the repeated hour", calendar.TwentyFourSeven(),
			at(t, b, "2026-10-25 00:00"), at(t, b, "2026-10-26 00:00"), 25 * time.Hour},
		{"to before from is zero", f.office,
			at(t, b, "2026-10-12 11:00"), at(t, b, "2026-10-12 10:00"), 0},
		{"to equal to from is zero", f.office,
			at(t, b, "2026-10-12 11:00"), at(t, b, "2026-10-12 11:00"), 0},
		{"office day counts its spans without lunch", f.office,
			at(t, b, "2026-10-12 00:00"), at(t, b, "2026-10-13 00:00"), 8 * time.Hour},
		{"lunch break has no working time", f.office,
			at(t, b, "2026-10-12 12:00"), at(t, b, "2026-10-12 13:00"), 0},
		{"weekend has no working time", f.office,
			at(t, b, "2026-10-10 00:00"), at(t, b, "2026-10-12 00:00"), 0},
		{"office week counts 40h", f.office,
			at(t, b, "2026-10-12 00:00"), at(t, b, "2026-10-19 00:00"), 40 * time.Hour},
		{"holiday has no working time", f.office,
			at(t, b, "2026-12-24 00:00"), at(t, b, "2026-12-26 00:00"), 0},
		{"holiday on a Saturday changes nothing", f.office,
			at(t, b, "2026-09-28 00:00"), at(t, b, "2026-10-05 00:00"), 40 * time.Hour},
		{"range is clipped to the nanosecond", f.office,
			at(t, b, "2026-10-12 11:30:00.5"), at(t, b, "2026-10-12 13:15"), 44*time.Minute + 59500*time.Millisecond},
		{"one nanosecond inside a span counts", f.office,
			at(t, b, "2026-10-12 10:00"), at(t, b, "2026-10-12 10:00:00.000000001"), 1},
		{"range in UTC counts the calendar's local hours", f.office,
			at(t, nil, "2026-10-12T07:00:00Z"), at(t, nil, "2026-10-12T16:00:00Z"), 8 * time.Hour},
		{"a year counts every weekday but the holidays", f.office,
			at(t, b, "2026-01-01 00:00"), at(t, b, "2027-01-01 00:00"), 259 * 8 * time.Hour},
		{"office hours around a fall-back weekend are unchanged", f.office,
			at(t, b, "2026-10-23 09:00"), at(t, b, "2026-10-26 18:00"), 16 * time.Hour},
		{"ordinary Sunday counts 24h", f.berlinSun,
			at(t, b, "2026-10-03 12:00"), at(t, b, "2026-10-05 12:00"), 24 * time.Hour},
		{"DST spring-forward day in Europe/Berlin counts 1h less for a 00:00-24:00 span", f.berlinSun,
			at(t, b, "2026-03-28 12:00"), at(t, b, "2026-03-30 12:00"), 23 * time.Hour},
		{"DST fall-back day in Europe/Berlin counts 1h more for a 00:00-24:00 span", f.berlinSun,
			at(t, b, "2026-10-24 12:00"), at(t, b, "2026-10-26 12:00"), 25 * time.Hour},
		{"span inside the spring-forward gap has no working time", f.berlinNight,
			at(t, b, "2026-03-29 00:00"), at(t, b, "2026-03-30 00:00"), 2 * time.Hour},
		{"span in the repeated hour counts its first occurrence", f.berlinNight,
			at(t, b, "2026-10-25 00:00"), at(t, b, "2026-10-26 00:00"), 2*time.Hour + 30*time.Minute},
		{"span ending in the spring-forward gap ends at the jump", f.nyNight,
			at(t, ny, "2026-03-08 00:00"), at(t, ny, "2026-03-09 00:00"), 30 * time.Minute},
		{"span ending after the repeated hour includes both occurrences", f.nyNight,
			at(t, ny, "2026-11-01 00:00"), at(t, ny, "2026-11-02 00:00"), 2 * time.Hour},
		{"midnight fall-back in Santiago gives Saturday 25h", f.santiagoWE,
			at(t, f.santiago, "2026-04-03 12:00"), at(t, f.santiago, "2026-04-06 12:00"), 49 * time.Hour},
		{"midnight spring-forward in Santiago gives Sunday 23h", f.santiagoWE,
			at(t, f.santiago, "2026-09-04 12:00"), at(t, f.santiago, "2026-09-07 12:00"), 47 * time.Hour},
		{"half-hour spring-forward on Lord Howe counts 23.5h", f.lordHoweSun,
			at(t, f.lordHowe, "2026-10-03 12:00"), at(t, f.lordHowe, "2026-10-05 12:00"), 23*time.Hour + 30*time.Minute},
		{"half-hour fall-back on Lord Howe counts 24.5h", f.lordHoweSun,
			at(t, f.lordHowe, "2026-04-04 12:00"), at(t, f.lordHowe, "2026-04-06 12:00"), 24*time.Hour + 30*time.Minute},
		{"a local day the zone skipped has no working time", f.apiaDays,
			at(t, f.apia, "2011-12-29 00:00"), at(t, f.apia, "2012-01-01 00:00"), 16 * time.Hour},
		{"make-up Saturday counts", f.shanghai9,
			at(t, sh, "2026-10-10 00:00"), at(t, sh, "2026-10-11 00:00"), 9 * time.Hour},
		{"make-up Sunday counts with Monday's hours", f.shanghai9,
			at(t, sh, "2026-09-27 00:00"), at(t, sh, "2026-09-28 00:00"), 9 * time.Hour},
		{"national holiday week has no working time", f.shanghai9,
			at(t, sh, "2026-10-01 00:00"), at(t, sh, "2026-10-08 00:00"), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cal.Working(tc.from, tc.to)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Working(%v, %v) mismatch (-want +got):\n%s", tc.from, tc.to, diff)
			}
		})
	}
}

func TestAdvance(t *testing.T) {
	f := newFixtures(t)
	b, sh, ny := f.berlin, f.shanghai, f.newYork
	tests := []struct {
		name string
		cal  *calendar.Calendar
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"friday 17:00 plus 2h lands monday 10:00", f.office,
			at(t, b, "2026-10-09 17:00"), 2 * time.Hour, at(t, b, "2026-10-12 10:00")},
		{"zero duration returns from unchanged, even outside working time", f.office,
			at(t, b, "2026-10-10 10:00"), 0, at(t, b, "2026-10-10 10:00")},
		{"negative duration returns from unchanged", f.office,
			at(t, b, "2026-10-12 10:00"), -time.Hour, at(t, b, "2026-10-12 10:00")},
		{"24x7 adds wall-clock time", calendar.TwentyFourSeven(),
			at(t, b, "2026-10-09 17:00"), 1000 * time.Hour, at(t, b, "2026-10-09 17:00").Add(1000 * time.Hour)},
		{"nil calendar adds wall-clock time", nil,
			at(t, b, "2026-10-09 17:00"), time.Hour, at(t, b, "2026-10-09 18:00")},
		{"from outside working time starts at the next span", f.office,
			at(t, b, "2026-10-10 10:00"), 30 * time.Minute, at(t, b, "2026-10-12 09:30")},
		{"filling a span exactly ends at the span end, not the next start", f.office,
			at(t, b, "2026-10-12 09:00"), 3 * time.Hour, at(t, b, "2026-10-12 12:00")},
		{"lunch break is skipped", f.office,
			at(t, b, "2026-10-12 11:00"), 2 * time.Hour, at(t, b, "2026-10-12 14:00")},
		{"one nanosecond from lunch lands just after 13:00", f.office,
			at(t, b, "2026-10-12 12:30"), 1, at(t, b, "2026-10-12 13:00:00.000000001")},
		{"a working week ends friday 18:00", f.office,
			at(t, b, "2026-10-12 09:00"), 40 * time.Hour, at(t, b, "2026-10-16 18:00")},
		{"a working week and a nanosecond starts the next monday", f.office,
			at(t, b, "2026-10-12 09:00"), 40*time.Hour + 1, at(t, b, "2026-10-19 09:00:00.000000001")},
		{"holidays are skipped", f.office,
			at(t, b, "2026-12-23 17:00"), 2 * time.Hour, at(t, b, "2026-12-28 10:00")},
		{"office hours after a fall-back weekend are local", f.office,
			at(t, b, "2026-10-23 17:00"), 2 * time.Hour, at(t, b, "2026-10-26 10:00")},
		{"a local day the zone skipped is skipped", f.apiaDays,
			at(t, f.apia, "2011-12-29 16:00"), 2 * time.Hour, at(t, f.apia, "2011-12-31 10:00")},
		{"make-up Saturday counts", f.shanghai9,
			at(t, sh, "2026-10-09 17:00"), 2 * time.Hour, at(t, sh, "2026-10-10 10:00")},
		{"make-up Sunday counts", f.shanghai9,
			at(t, sh, "2026-09-26 10:00"), time.Hour, at(t, sh, "2026-09-27 10:00")},
		{"national holiday week pushes past it", f.shanghai9,
			at(t, sh, "2026-09-30 17:00"), 2 * time.Hour, at(t, sh, "2026-10-08 10:00")},
		{"3h into the spring-forward Sunday reads 04:00", f.berlinSun,
			at(t, b, "2026-03-28 12:00"), 3 * time.Hour, at(t, b, "2026-03-29 04:00")},
		{"the whole spring-forward Sunday ends at Monday 00:00 after 23h", f.berlinSun,
			at(t, b, "2026-03-28 12:00"), 23 * time.Hour, at(t, b, "2026-03-30 00:00")},
		{"3h into the fall-back Sunday reads 02:00 for the second time", f.berlinSun,
			at(t, b, "2026-10-24 12:00"), 3 * time.Hour, at(t, nil, "2026-10-25T02:00:00+01:00")},
		{"span swallowed by the spring-forward gap is skipped", f.berlinNight,
			at(t, b, "2026-03-29 01:15"), 30 * time.Minute, at(t, b, "2026-03-29 04:15")},
		{"span in the repeated hour is its first occurrence", f.berlinNight,
			at(t, b, "2026-10-25 01:00"), 45 * time.Minute, at(t, nil, "2026-10-25T02:30:00+02:00")},
		{"an hour into the fall-back night reads 01:30 again", f.nyNight,
			at(t, ny, "2026-11-01 01:30"), time.Hour, at(t, nil, "2026-11-01T01:30:00-05:00")},
		{"a day after Santiago's Saturday starts reads 01:00 on Sunday", f.santiagoWE,
			at(t, f.santiago, "2026-09-05 00:00"), 24 * time.Hour, at(t, f.santiago, "2026-09-06 01:00")},
		{"Lord Howe's short Sunday ends at Monday 00:00 after 23.5h", f.lordHoweSun,
			at(t, f.lordHowe, "2026-10-03 12:00"), 23*time.Hour + 30*time.Minute, at(t, f.lordHowe, "2026-10-05 00:00")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cal.Advance(tc.from, tc.d)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Advance(%v, %v) mismatch (-want +got):\n%s", tc.from, tc.d, diff)
			}
		})
	}
}

func TestAdvanceKeepsTheLocationOfFrom(t *testing.T) {
	f := newFixtures(t)
	from := at(t, f.berlin, "2026-10-09 17:00").UTC()
	got := f.office.Advance(from, 2*time.Hour)
	if diff := cmp.Diff(time.UTC.String(), got.Location().String()); diff != "" {
		t.Errorf("location mismatch (-want +got):\n%s", diff)
	}
}

// A calendar whose only working day is Monday, with every Monday from 2026
// to lastYear a holiday.
func mondaysOffUntil(t *testing.T, lastYear int) *calendar.Calendar {
	t.Helper()
	var holidays []string
	for d := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC); d.Year() <= lastYear; d = d.AddDate(0, 0, 7) {
		holidays = append(holidays, d.Format(time.DateOnly))
	}
	return mustNew(t, calendar.Spec{
		Kind: "business", TimeZone: "UTC",
		Hours: map[string][]string{"mon": {"09:00-10:00"}}, Holidays: holidays,
	})
}

func TestAdvanceSearchIsBounded(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		lastYear int
		want     time.Time
	}{
		{"holidays for 19 years are skipped", 2044, time.Date(2045, 1, 2, 10, 0, 0, 0, time.UTC)},
		{"holidays for 25 years give up with the far future", 2050, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mondaysOffUntil(t, tc.lastYear).Advance(from, time.Hour)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Advance mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIs24x7(t *testing.T) {
	f := newFixtures(t)
	var zero calendar.Calendar
	tests := []struct {
		name string
		cal  *calendar.Calendar
		want bool
	}{
		{"TwentyFourSeven is 24x7", calendar.TwentyFourSeven(), true},
		{"an empty spec is 24x7", mustNew(t, calendar.Spec{}), true},
		{"a nil calendar is 24x7", nil, true},
		{"the zero calendar is 24x7", &zero, true},
		{"a business calendar is not 24x7", f.office, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.cal.Is24x7()); diff != "" {
				t.Errorf("Is24x7 mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func ExampleCalendar_Advance() {
	office, err := calendar.New(calendar.Spec{
		Kind:     "business",
		TimeZone: "Europe/Berlin",
		Hours: map[string][]string{
			"mon": {"09:00-18:00"}, "tue": {"09:00-18:00"}, "wed": {"09:00-18:00"},
			"thu": {"09:00-18:00"}, "fri": {"09:00-18:00"},
		},
		Holidays: []string{"2026-12-25"},
	})
	if err != nil {
		panic(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	created := time.Date(2026, 12, 24, 16, 0, 0, 0, berlin)
	deadline := office.Advance(created, 4*time.Hour) // a 4 h urgent SLA
	fmt.Println(deadline.Format("Mon 2006-01-02 15:04"))
	fmt.Println(office.Working(created, deadline))
	// Output:
	// Mon 2026-12-28 11:00
	// 4h0m0s
}

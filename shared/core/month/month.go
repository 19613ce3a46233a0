// Package month owns the calendar month used everywhere results are
// attributed: "2026-10" in the policy's time zone.
package month

import (
	"fmt"
	"time"
)

// Month is a calendar month. The zero value is not a valid month.
type Month struct {
	Year  int
	Month time.Month
}

// Parse reads "YYYY-MM".
func Parse(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 {
		return Month{}, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return Month{Year: t.Year(), Month: t.Month()}, nil
}

// Of returns the month that contains t in loc.
func Of(t time.Time, loc *time.Location) Month {
	t = t.In(loc)
	return Month{Year: t.Year(), Month: t.Month()}
}

// String formats as "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// IsZero reports whether m is the zero value.
func (m Month) IsZero() bool { return m.Year == 0 && m.Month == 0 }

// Start is the first instant of the month in loc.
func (m Month) Start(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, loc)
}

// End is the first instant of the next month in loc (exclusive end).
func (m Month) End(loc *time.Location) time.Time { return m.Add(1).Start(loc) }

// Contains reports whether t falls in the month in loc.
func (m Month) Contains(t time.Time, loc *time.Location) bool {
	return !t.Before(m.Start(loc)) && t.Before(m.End(loc))
}

// Add returns the month n months later (n may be negative).
func (m Month) Add(n int) Month {
	t := time.Date(m.Year, m.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	return Month{Year: t.Year(), Month: t.Month()}
}

// Index counts months since year 0, so that differences are month counts.
func (m Month) Index() int { return m.Year*12 + int(m.Month) - 1 }

// Before reports whether m is earlier than o.
func (m Month) Before(o Month) bool { return m.Index() < o.Index() }

// Days is the number of days in the month.
func (m Month) Days() int { return m.End(time.UTC).Add(-time.Hour).Day() }

// MarshalText implements encoding.TextMarshaler.
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *Month) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*m = p
	return nil
}

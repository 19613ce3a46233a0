package month_test

import (
	"testing"
	"time"

	"scorecard/shared/core/month"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want month.Month
		ok   bool
	}{
		{"2026-10", month.Month{Year: 2026, Month: time.October}, true},
		{"2026-01", month.Month{Year: 2026, Month: time.January}, true},
		{"2026-13", month.Month{}, false},
		{"2026-1", month.Month{}, false},
		{"Oct 2026", month.Month{}, false},
		{"", month.Month{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := month.Parse(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("Parse(%q) = %v, %v", tc.in, got, err)
			}
		})
	}
}

func TestBoundariesAreInTheGivenZone(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	m := month.Month{Year: 2026, Month: time.October}
	// 2026-09-30 16:30 UTC is 2026-10-01 00:30 in Shanghai.
	t1 := time.Date(2026, 9, 30, 16, 30, 0, 0, time.UTC)
	if !m.Contains(t1, sh) || m.Contains(t1, time.UTC) {
		t.Errorf("month membership depends on the zone")
	}
	if month.Of(t1, sh) != m || month.Of(t1, time.UTC) != m.Add(-1) {
		t.Errorf("Of: %v %v", month.Of(t1, sh), month.Of(t1, time.UTC))
	}
	if !m.End(sh).Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, sh)) || !m.Contains(m.End(sh).Add(-time.Nanosecond), sh) || m.Contains(m.End(sh), sh) {
		t.Error("End is the exclusive first instant of the next month")
	}
}

func TestArithmetic(t *testing.T) {
	dec := month.Month{Year: 2026, Month: time.December}
	if dec.Add(1) != (month.Month{Year: 2027, Month: time.January}) || dec.Add(-12) != (month.Month{Year: 2025, Month: time.December}) {
		t.Errorf("Add across years: %v %v", dec.Add(1), dec.Add(-12))
	}
	if dec.Add(3).Index()-dec.Index() != 3 || !dec.Before(dec.Add(1)) || dec.Before(dec) {
		t.Error("Index/Before")
	}
	for m, days := range map[string]int{"2026-02": 28, "2028-02": 29, "2026-10": 31, "2026-11": 30} {
		p, _ := month.Parse(m)
		if p.Days() != days {
			t.Errorf("%s has %d days, got %d", m, days, p.Days())
		}
	}
	if dec.String() != "2026-12" || !(month.Month{}).IsZero() || dec.IsZero() {
		t.Error("String/IsZero")
	}
}

func TestText(t *testing.T) {
	var m month.Month
	if err := m.UnmarshalText([]byte("2026-07")); err != nil || m.String() != "2026-07" {
		t.Errorf("UnmarshalText: %v %v", m, err)
	}
	if err := m.UnmarshalText([]byte("July")); err == nil {
		t.Error("UnmarshalText accepted July")
	}
	b, _ := m.MarshalText()
	if string(b) != "2026-07" {
		t.Errorf("MarshalText %s", b)
	}
}

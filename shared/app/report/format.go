package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"scorecard/shared/core/metric"
)

// Numbers as the mails print them: rates as percentages with one decimal
// ("95.0 %"), hours and points with one decimal, counts whole. A nil value
// prints as the catalog's "—", never as a Go nil.

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func itoa(i int) string { return strconv.Itoa(i) }

// one formats with one decimal; -0.0 prints as 0.0.
func one(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if s == "-0.0" {
		return "0.0"
	}
	return s
}

// composite formats a composite or points value (0–100) with one decimal.
func (m *messages) score(f *float64) string {
	if f == nil || math.IsNaN(*f) {
		return m.NA
	}
	return one(*f)
}

// change formats a composite difference with its sign.
func change(d float64) string {
	s := one(d)
	switch {
	case s == "0.0":
		return "±0.0"
	case d > 0:
		return "+" + s
	}
	return s
}

// value formats a metric value in its unit.
func (m *messages) value(id string, f *float64) string {
	if f == nil || math.IsNaN(*f) {
		return m.NA
	}
	d, _ := metric.Lookup(metric.ID(id))
	return m.unit(d.Unit, *f)
}

func (m *messages) unit(unit string, f float64) string {
	switch unit {
	case "rate":
		return one(f*100) + " %"
	case "hours":
		return sprintf(m.UnitHoursF, one(f))
	case "per_week":
		return sprintf(m.UnitPerWeekF, one(f))
	case "count":
		return trimNum(math.Round(f*10) / 10)
	}
	return one(f)
}

// target formats a metric's target with its direction: "≥ 95.0 %",
// "≤ 24.0 h", or "100.0 %" for a rate whose target is the whole.
func (m *messages) target(id string, t *float64) string {
	if t == nil {
		return m.NA
	}
	d, _ := metric.Lookup(metric.ID(id))
	v := m.unit(d.Unit, *t)
	switch {
	case d.Lower:
		return "≤ " + v
	case d.Unit == "rate" && *t >= 1:
		return v
	}
	return "≥ " + v
}

// trimNum formats a number without trailing zeros: 1.5, 1, 0.
func trimNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// money formats an amount with thousands separators and cents only when
// there are any: 5,800 or 1,234.50.
func money(f float64) string {
	neg := f < 0
	f = math.Abs(math.Round(f*100) / 100)
	whole := math.Floor(f)
	cents := int(math.Round((f - whole) * 100))
	s := strconv.FormatFloat(whole, 'f', 0, 64)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if cents != 0 {
		out += sprintf(".%02d", cents)
	}
	if neg {
		out = "-" + out
	}
	return out
}

package consequence

import (
	"time"

	"scorecard/shared/core/month"
)

// mo parses "YYYY-MM" or fails the test run.
func mo(s string) month.Month {
	m, err := month.Parse(s)
	if err != nil {
		panic(err)
	}
	return m
}

func ptr[T any](v T) *T { return &v }

// scored is a month as scoring computes it under the default rules.
func scored(m string, composite float64, missed ...string) Record {
	r := DefaultRules()
	return Record{
		Month:         mo(m),
		Composite:     ptr(composite),
		Grade:         r.GradeFor(composite),
		MeetsStandard: ptr(composite >= r.PassMark),
		MissedMetrics: missed,
	}
}

// insufficient is a month with too little data to score (leave, no tickets).
func insufficient(m string) Record { return Record{Month: mo(m)} }

// overridden returns rec with a manager's override to grade.
func overridden(rec Record, grade, reason string) Record {
	rec.Override = &Override{Grade: grade, Reason: reason, By: "lead@example.com", At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	return rec
}

// deepCopy copies a history down to the pointers, so a test can tell whether
// Apply changed anything.
func deepCopy(history []Record) []Record {
	out := make([]Record, len(history))
	for i, rec := range history {
		c := rec
		if rec.Composite != nil {
			c.Composite = ptr(*rec.Composite)
		}
		if rec.MeetsStandard != nil {
			c.MeetsStandard = ptr(*rec.MeetsStandard)
		}
		if rec.MissedMetrics != nil {
			c.MissedMetrics = append([]string(nil), rec.MissedMetrics...)
		}
		if rec.Override != nil {
			o := *rec.Override
			c.Override = &o
		}
		out[i] = c
	}
	return out
}

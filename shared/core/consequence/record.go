package consequence

import (
	"time"

	"scorecard/shared/core/month"
)

// Override is a manager's decision to replace a month's grade. The Record it
// belongs to keeps its computed fields; consequences use the override.
type Override struct {
	Grade  string    `json:"grade"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Record is one engineer-month as computed by scoring, before consequences.
type Record struct {
	Month         month.Month `json:"month"`
	Composite     *float64    `json:"composite"`      // nil when no dimension had data
	Grade         string      `json:"grade"`          // "" when data was insufficient
	MeetsStandard *bool       `json:"meets_standard"` // nil when data was insufficient (leave, too few tickets)
	MissedMetrics []string    `json:"missed_metrics"` // metric ids below target this month
	Override      *Override   `json:"override,omitempty"`
}

// Effective returns the grade and meets-standard that consequences use.
//
// With an override of grade G it is (G, GradeMeets(G)), whatever was
// computed, so an override also makes an insufficient month count. Without
// one, a month whose MeetsStandard is nil or whose Grade is empty is
// insufficient and gives ("", nil). The returned pointer is never the
// record's own, so callers cannot change the record through it.
func (rec Record) Effective(rules Rules) (grade string, meets *bool) {
	if rec.Override != nil {
		m := rules.GradeMeets(rec.Override.Grade)
		return rec.Override.Grade, &m
	}
	if rec.MeetsStandard == nil || rec.Grade == "" {
		return "", nil
	}
	m := *rec.MeetsStandard
	return rec.Grade, &m
}

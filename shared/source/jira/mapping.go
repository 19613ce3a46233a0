package jira

import (
	"strings"

	"scorecard/shared/core/event"
)

// statusNames maps Jira Service Management status names (lower case,
// spaces collapsed) to the model. The package doc shows the table.
var statusNames = map[string]event.Status{
	"open":                     event.StatusOpen,
	"to do":                    event.StatusOpen,
	"waiting for support":      event.StatusOpen,
	"in progress":              event.StatusOpen,
	"work in progress":         event.StatusOpen,
	"reopened":                 event.StatusOpen,
	"under investigation":      event.StatusOpen,
	"investigating":            event.StatusOpen,
	"in review":                event.StatusOpen,
	"under review":             event.StatusOpen,
	"backlog":                  event.StatusOpen,
	"selected for development": event.StatusOpen,
	"waiting for customer":     event.StatusPending,
	"waiting for reporter":     event.StatusPending,
	"awaiting customer":        event.StatusPending,
	"pending":                  event.StatusPending,
	"escalated":                event.StatusOnHold,
	"on hold":                  event.StatusOnHold,
	"waiting for third party":  event.StatusOnHold,
	"waiting for vendor":       event.StatusOnHold,
	"resolved":                 event.StatusResolved,
	"done":                     event.StatusResolved,
	"completed":                event.StatusResolved,
	"fixed":                    event.StatusResolved,
	"closed":                   event.StatusClosed,
	"canceled":                 event.StatusClosed,
	"cancelled":                event.StatusClosed,
	"declined":                 event.StatusClosed,
	"rejected":                 event.StatusClosed,
	"won't do":                 event.StatusClosed,
}

// mapStatus maps a Jira status name: the policy's statuses for this source
// first, then its status category when Jira sent one (category done is
// always resolved or closed, and new or indeterminate never is), then the
// table. A name known to none of them is read as open, with a warning.
func (p *parser) mapStatus(field, name, cat string) (event.Status, error) {
	if st, ok := p.set.Status(name); ok {
		return st, nil
	}
	s, known := statusNames[strings.ToLower(strings.Join(strings.Fields(name), " "))]
	switch cat {
	case "done":
		if known && s.Done() {
			return s, nil
		}
		return event.StatusResolved, nil
	case "new", "indeterminate":
		if known && !s.Done() {
			return s, nil
		}
		return event.StatusOpen, nil
	}
	if !known {
		p.d.Warnf(field, "%q is a status the policy does not map (sources.jira.statuses) and no statusCategory was sent: read as open", event.Clip(name))
		return event.StatusOpen, nil
	}
	return s, nil
}

// priorityNames maps Jira priority names (lower case), including the
// classic Blocker…Trivial scheme.
var priorityNames = map[string]event.Priority{
	"highest":  event.Urgent,
	"blocker":  event.Urgent,
	"critical": event.Urgent,
	"urgent":   event.Urgent,
	"high":     event.High,
	"major":    event.High,
	"medium":   event.Normal,
	"normal":   event.Normal,
	"low":      event.Low,
	"lowest":   event.Low,
	"minor":    event.Low,
	"trivial":  event.Low,
}

// mapPriority maps a priority name in any letter case: the policy's
// priorities for this source, then the table; another scheme's name is read
// as normal, with a warning. Empty stays empty.
func (p *parser) mapPriority(field, name string) (event.Priority, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return "", nil
	}
	if pr, ok := p.set.Priority(name); ok {
		return pr, nil
	}
	pr, ok := priorityNames[n]
	if !ok {
		p.d.Warnf(field, "%q is a priority the policy does not map (sources.jira.priorities): read as normal", event.Clip(name))
		return event.Normal, nil
	}
	return pr, nil
}

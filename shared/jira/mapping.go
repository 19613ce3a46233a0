package jira

import (
	"strings"

	"scorecard/shared/event"
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

// mapStatus maps a Jira status name, using its status category when Jira
// sent one: category done is always resolved or closed, and new or
// indeterminate never is. Without a category an unknown name is an error.
func mapStatus(field, name, cat string) (event.Status, error) {
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
		return "", event.Invalid(field, "%q is not a known Jira status and no statusCategory was sent", event.Clip(name))
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

// mapPriority maps a priority name in any letter case; empty stays empty.
func mapPriority(field, name string) (event.Priority, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return "", nil
	}
	p, ok := priorityNames[n]
	if !ok {
		return "", event.Invalid(field, "%q is not a known Jira priority (Highest, High, Medium, Low, Lowest, Blocker, Critical, Major, Minor, Trivial)", event.Clip(name))
	}
	return p, nil
}

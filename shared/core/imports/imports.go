// Package imports owns the record of a history import: how far reading a
// ticketing system's API has come, so that an interrupted import resumes
// where it stopped, and when the product started receiving each system's
// webhooks, which bounds what history may add. It is data only.
package imports

import "time"

// State is one source's history import, stored after every page.
type State struct {
	Source string    `json:"source"`
	Since  time.Time `json:"since"` // the first day asked for
	// Until is the source's first webhook: events at or after it are the
	// webhooks', not history's. Zero while no webhook has come.
	Until time.Time `json:"until"`
	// Next is the exporter's cursor of the next page to read.
	Next string `json:"next"`
	// Through: every change up to this time has been read.
	Through time.Time `json:"through"`
	// Done: the export reached Until (or caught up) and stopped.
	Done bool `json:"done"`

	Started time.Time `json:"started"` // the first run
	Updated time.Time `json:"updated"` // the last page stored

	Pages      int `json:"pages"`
	Tickets    int `json:"tickets"`
	Events     int `json:"events"`     // read from the API, before the cut at Until
	Stored     int `json:"stored"`     // new events stored
	Duplicates int `json:"duplicates"` // already stored (a page read again)
	Skipped    int `json:"skipped"`    // at or after Until: left to the webhooks
	Requests   int `json:"requests"`
	Waits      int `json:"waits"` // rate-limit and outage waits
}

package vendorapi

import (
	"context"
	"time"

	"scorecard/shared/core/event"
)

// Page is one step of a history export: what a ticketing system's API gave
// for a stretch of its tickets, as the same normalised events its webhooks
// would have produced.
type Page struct {
	// Events are the page's events: Source set, Imported true, and IDs that
	// are the same every time the page is read ("hist:" and the vendor's
	// own ids), so that reading a page again stores nothing twice.
	Events []event.Event
	// Tickets is how many tickets the page covered; Requests how many
	// HTTP requests reading it took (follow-up pages of a ticket's
	// changelog or conversations included).
	Tickets, Requests int
	// Next is the cursor of the page after this one.
	Next string
	// Through is how far the export has read: every change to a ticket up
	// to this time is in this page or an earlier one.
	Through time.Time
	// Done: the export has caught up; Next may still be kept to continue
	// later.
	Done bool
}

// Exporter reads a ticketing system's history page by page.
// Next(ctx, "") reads the first page (from the time the exporter was made
// for); Next(ctx, p.Next) the one after p. An error wrapping *RetryLater
// (429, 5xx, a network fault) means: wait, then call again with the same
// cursor; the page is read again whole.
type Exporter interface {
	Next(ctx context.Context, cursor string) (Page, error)
}

// HistoryID is the id of an imported event: "hist:" and the parts that make
// it unique within the source (the vendor's own ids), never the id a
// webhook's event has.
func HistoryID(parts ...string) string {
	id := "hist"
	for _, p := range parts {
		id += ":" + p
	}
	return id
}

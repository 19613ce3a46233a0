package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/source"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

// Request is one webhook delivery.
type Request struct {
	Source string      // "zendesk", "jira", "freshdesk", "generic"
	Path   string      // "/webhooks/<source>"
	Body   []byte      //
	Header http.Header // Content-Type and the source's authentication headers
	Events int         // how many normalised events the adapter reads from it

	TicketID       string    // the ticket's id in the events that were encoded
	VendorTicketID string    // its id in Source: the store keys the ticket by (Source, VendorTicketID)
	Fallback       string    // why the event went to the generic source instead of its ticket's (a Reason…); "" if it did not
	At             time.Time // when the event it carries happened (set by Replay)
}

// Secrets holds each source's webhook secret, e.g. the dev secrets
// "dev-<source>-secret".
type Secrets map[string][]byte

// Sign sets the request's authentication headers as its source does. Only
// Zendesk signs a time (the receiver accepts ±5 minutes), so a request
// encoded in advance must be signed again shortly before it is sent; the
// body does not change, so a re-signed redelivery is still a duplicate.
func (r *Request) Sign(secrets Secrets, now time.Time) error {
	secret := secrets[r.Source]
	if len(secret) == 0 {
		return fmt.Errorf("replay: no secret for %s", r.Source)
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	src, ok := source.Get(r.Source)
	if !ok {
		return fmt.Errorf("replay: unknown source %q", r.Source)
	}
	src.Sign(r.Header, secret, r.Body, now)
	return nil
}

// NewHTTPRequest is the request as an *http.Request to baseURL (the API's
// URL, without /webhooks).
func (r *Request) NewHTTPRequest(ctx context.Context, baseURL string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(baseURL, "/")+r.Path, bytes.NewReader(r.Body))
	if err != nil {
		return nil, fmt.Errorf("replay: %s request: %w", r.Source, err)
	}
	req.Header = r.Header.Clone()
	return req, nil
}

// newRequest builds and signs a request of source name carrying events
// events.
func newRequest(name string, body []byte, events int, secrets Secrets, now time.Time) (Request, error) {
	r := Request{Source: name, Path: "/webhooks/" + name, Body: body, Events: events,
		Header: http.Header{"Content-Type": {"application/json"}}}
	if src, _ := source.Get(name); src.UserAgent != "" {
		r.Header.Set("User-Agent", src.UserAgent)
	}
	if err := r.Sign(secrets, now); err != nil {
		return Request{}, err
	}
	return r, nil
}

// Encode turns one event of the model (as the demo generator produces it,
// in the generic format) into the request source would send for it. The
// ticket keeps its id (see VendorTicketID), type and fields; vendor event
// ids are derived from the ticket and event ids, so encoding the same
// event again gives the same body (a redelivery stays a duplicate) and
// distinct events get distinct ids.
//
// Encode sees one event, not the ticket: an event the source cannot carry
// exactly goes to the generic source instead (Request.Fallback says why),
// where it lands on a ticket of its own. Replay encodes whole tickets and
// avoids that. now is the Zendesk signing time; the payload's own time is
// the event's.
func Encode(source string, e event.Event, secrets Secrets, now time.Time) (Request, error) {
	c := encoding{e: e, after: snapshotOf(&e)}
	return encodeOne(source, &c, secrets, now)
}

// encodeOne encodes one event for source, or for the generic source when
// the event cannot go there; Replay has checked the ticket-wide rules.
func encodeOne(source string, c *encoding, secrets Secrets, now time.Time) (Request, error) {
	if !knownSource(source) {
		return Request{}, fmt.Errorf("replay: unknown source %q: use zendesk, jira, freshdesk or generic", source)
	}
	if c.e.TicketID == "" || c.e.ID == "" {
		return Request{}, fmt.Errorf("replay: event %q of ticket %q: needs an event id and a ticket id", c.e.ID, c.e.TicketID)
	}
	if source != generic.Source {
		vendor, err := VendorTicketID(source, c.e.TicketID)
		reason := ReasonTicketID
		if err == nil {
			c.ticket = vendor
			reason = expressible(source, c)
		}
		if reason == "" {
			reqs, err := vendorRequests(source, c, secrets, now)
			if err != nil {
				return Request{}, err
			}
			if len(reqs) == 1 {
				return reqs[0], nil
			}
			// Zendesk reports a change of tags and type as two events;
			// Replay sends both, Encode cannot tell which happened.
			reason = ReasonTagsAndType
		}
		r, err := genericRequest(c.e, secrets)
		r.Fallback = reason
		return r, err
	}
	return genericRequest(c.e, secrets)
}

// vendorRequests renders one event for a ticketing system: one request,
// or two for a Zendesk change of both tags and type.
func vendorRequests(source string, c *encoding, secrets Secrets, now time.Time) ([]Request, error) {
	var bodies [][]byte
	var err error
	switch source {
	case zendesk.Source:
		bodies, err = zendeskBodies(c)
	case jira.Source:
		var b []byte
		b, err = jiraPayload(c)
		bodies = [][]byte{b}
	default:
		var b []byte
		b, err = freshdeskPayload(c)
		bodies = [][]byte{b}
	}
	if err != nil {
		return nil, fmt.Errorf("replay: encode %s event %s: %w", source, c.e.ID, err)
	}
	out := make([]Request, 0, len(bodies))
	for _, body := range bodies {
		r, err := newRequest(source, body, 1, secrets, now)
		if err != nil {
			return nil, err
		}
		if source == jira.Source {
			// One delivery, one identifier, kept across Jira's retries.
			r.Header.Set(jira.IdentifierHeader, uuidFor(jira.Source, "delivery", c.ticket, c.e.ID))
			if c.e.Type == event.TagsChanged {
				tags, typ := tagsChange(&c.e, c.beforeSnap())
				if tags && typ {
					r.Events = 2 // one changelog, two items
				}
			}
		}
		r.TicketID, r.VendorTicketID = c.e.TicketID, c.ticket
		out = append(out, r)
	}
	return out, nil
}

// genericRequest is one event in the generic format.
func genericRequest(e event.Event, secrets Secrets) (Request, error) {
	body, err := json.Marshal(event.ToGeneric(e))
	if err != nil {
		return Request{}, fmt.Errorf("replay: encode generic event %s: %w", e.ID, err)
	}
	r, err := newRequest(generic.Source, body, 1, secrets, time.Time{})
	r.TicketID, r.VendorTicketID = e.TicketID, e.TicketID
	return r, err
}

// Batch encodes events as one generic request {"events": [...]}, at most
// event.MaxBatch of them, in the order given. Its TicketID is empty when the
// events belong to several tickets.
func Batch(evs []event.Event, secrets Secrets) (Request, error) {
	switch {
	case len(evs) == 0:
		return Request{}, fmt.Errorf("replay: an empty batch")
	case len(evs) > event.MaxBatch:
		return Request{}, fmt.Errorf("replay: %d events in one batch; at most %d", len(evs), event.MaxBatch)
	}
	wire := struct {
		Events []event.GenericEvent `json:"events"`
	}{Events: make([]event.GenericEvent, len(evs))}
	for i, e := range evs {
		if e.TicketID == "" || e.ID == "" {
			return Request{}, fmt.Errorf("replay: events[%d]: needs an event id and a ticket id", i)
		}
		wire.Events[i] = event.ToGeneric(e)
	}
	body, err := json.Marshal(wire)
	if err != nil {
		return Request{}, fmt.Errorf("replay: encode batch: %w", err)
	}
	r, err := newRequest(generic.Source, body, len(evs), secrets, time.Time{})
	if oneTicket := !slices.ContainsFunc(evs, func(e event.Event) bool { return e.TicketID != evs[0].TicketID }); oneTicket {
		r.TicketID, r.VendorTicketID = evs[0].TicketID, evs[0].TicketID
	}
	return r, err
}

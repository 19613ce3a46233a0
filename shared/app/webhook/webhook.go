// Package webhook owns ticket-webhook ingestion: POST /webhooks/{source}
// is size-checked, verified with the source's secret, parsed into normalised
// events and stored, answering with the contract of DESIGN §3 (401, 400,
// 413 with a JSON error; 503 when storage fails so the sender retries).
// Nothing from a rejected request is stored.
package webhook

import (
	"bytes"
	"context"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/records"
	"scorecard/shared/source"
)

// MaxBody is the largest body accepted (256 KB).
const MaxBody = 256 << 10

// Store keeps events; duplicates are counted, not stored again.
type Store interface {
	Ingest(ctx context.Context, events []event.Event) (event.Ingested, error)
}

// Source is one ticketing system's adapter.
type Source struct {
	Name   string
	Verify func(secret []byte, h http.Header, body []byte, now time.Time) error
	Parse  func(d event.Delivery) ([]event.Event, error)
}

// RecordStore keeps people records (training, knowledge, collaboration,
// renewals) that an LMS or HR system posts to /webhooks/records.
type RecordStore interface {
	PutRecords(ctx context.Context, recs []records.Record) error
}

// Switchovers records when each source's webhooks started (the first
// write wins): a history import stops there (shared/app/history).
type Switchovers interface {
	MarkSwitchover(ctx context.Context, source string, at time.Time) error
}

// Handler serves POST /webhooks/{source}.
type Handler struct {
	Store   Store
	Records RecordStore
	// Switchovers, when set, hears of each source's first stored events,
	// once per source and process.
	Switchovers Switchovers
	marked      sync.Map // source name → true once recorded
	Sources     map[string]Source
	Secrets     map[string][]byte // per source name
	Now         func() time.Time
	Log         *slog.Logger
}

// Handle is the Lambda entry point for API Gateway HTTP API (v2) events.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	got, err := h.ingest(ctx, req)
	if err != nil {
		return httpapi.Error(h.Log, err), nil
	}
	return httpapi.JSON(http.StatusOK, got), nil
}

func (h *Handler) ingest(ctx context.Context, req events.APIGatewayV2HTTPRequest) (event.Ingested, error) {
	if m := req.RequestContext.HTTP.Method; m != "" && m != http.MethodPost {
		return event.Ingested{}, errcode.Errorf(errcode.Invalid, "method %s: webhooks are POSTed", m)
	}
	name := req.PathParameters["source"]
	if name == "" {
		name = strings.TrimPrefix(req.RawPath, "/webhooks/")
	}
	src, ok := h.Sources[name]
	secret := h.Secrets[name]
	if !ok || len(secret) == 0 {
		return event.Ingested{}, errcode.Errorf(errcode.Invalid, "unknown source %q: use %s", clip(name), strings.Join(source.Names(), ", "))
	}
	// API Gateway delivers base64 for binary bodies; the limit applies to
	// the decoded bytes, checked before decoding a huge string.
	if len(req.Body) > MaxBody*4/3+4 {
		return event.Ingested{}, errcode.Errorf(errcode.TooLarge, "body is over %d KB", MaxBody>>10)
	}
	body, err := httpapi.Body(req)
	if err != nil {
		return event.Ingested{}, err
	}
	if len(body) > MaxBody {
		return event.Ingested{}, errcode.Errorf(errcode.TooLarge, "body is over %d KB", MaxBody>>10)
	}
	headers := httpapi.Headers(req)
	if err := jsonContent(headers); err != nil {
		return event.Ingested{}, err
	}
	if err := verifyAny(src, secret, headers, body, h.Now()); err != nil {
		return event.Ingested{}, err
	}
	if name == records.Source {
		return h.ingestRecords(ctx, body)
	}
	evs, err := src.Parse(event.Delivery{Header: headers, Body: body, Received: h.Now().UTC(), Warn: func(field, problem string) {
		h.Log.Warn("webhook value read by default", "source", name, "field", field, "problem", problem)
	}})
	if err != nil {
		return event.Ingested{}, err
	}
	if len(evs) == 0 {
		return event.Ingested{}, nil // an event type we do not use: accepted, nothing to store
	}
	res, err := h.Store.Ingest(ctx, evs)
	if err != nil {
		return res, err
	}
	h.Log.Info("webhook stored", "source", name, "events", len(evs), "stored", res.Stored, "duplicates", res.Duplicates)
	h.markSwitchover(ctx, name, evs)
	return res, nil
}

// switchoverSlack is how long before its delivery an event of the first
// webhook may have happened and still move the switch-over back to it:
// enough for a delivery's own events, too little for an old time a payload
// repeats (a ticket's creation in an update).
const switchoverSlack = 10 * time.Minute

// markSwitchover records the source's first webhook, once per process (the
// store keeps the first record and ignores the rest), at its delivery or
// the earliest of its events in the minutes before. A failure is logged,
// not returned: the events are stored, and the next delivery records it.
func (h *Handler) markSwitchover(ctx context.Context, name string, evs []event.Event) {
	if h.Switchovers == nil {
		return
	}
	if _, done := h.marked.Load(name); done {
		return
	}
	now := h.Now().UTC()
	at := now
	for _, e := range evs {
		if e.OccurredAt.Before(at) && e.OccurredAt.After(now.Add(-switchoverSlack)) {
			at = e.OccurredAt
		}
	}
	if err := h.Switchovers.MarkSwitchover(ctx, name, at); err != nil {
		h.Log.Warn("first webhook not recorded; the next delivery tries again", "source", name, "err", err)
		return
	}
	h.marked.Store(name, true)
}

// ingestRecords stores a records batch; records of engineers not in the
// directory yet are kept and count once the engineer exists.
func (h *Handler) ingestRecords(ctx context.Context, body []byte) (event.Ingested, error) {
	recs, err := records.ParseWebhook(body)
	if err != nil {
		return event.Ingested{}, err
	}
	if h.Records == nil {
		return event.Ingested{}, errcode.Errorf(errcode.Invalid, "unknown source %q", records.Source)
	}
	if err := h.Records.PutRecords(ctx, recs); err != nil {
		return event.Ingested{}, err
	}
	h.Log.Info("records stored", "records", len(recs))
	return event.Ingested{Stored: len(recs)}, nil
}

// verifyAny accepts a request signed with any of the source's secrets, one
// per line: a Zendesk account signs each webhook with its own secret (the
// event subscription's, the satisfaction trigger's).
func verifyAny(src Source, secret []byte, headers http.Header, body []byte, now time.Time) error {
	var first error
	for _, s := range bytes.Split(secret, []byte("\n")) {
		if s = bytes.TrimSpace(s); len(s) == 0 {
			continue
		}
		err := src.Verify(s, headers, body, now)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		return src.Verify(nil, headers, body, now)
	}
	return first
}

// jsonContent refuses a body declared as anything but JSON (every source
// sends application/json); a request without a Content-Type is read as JSON.
func jsonContent(h http.Header) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return errcode.Errorf(errcode.Unsupported, "Content-Type %q: send application/json", event.Clip(ct))
	}
	return nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

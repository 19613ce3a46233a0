package dynamo

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
)

// The layout before one-item-per-event (to 2026-12) kept each ticket as
// one item, TKT#<source>#<ticket> / STATE, holding all its events
// compressed and rewritten with every event, beside a raw event item per
// event (EVT#… / EVT, expiring) whose first of each month carried the
// month index in gsi1, and an OPEN#<shard> gsi1 entry on the ticket item
// while it was unresolved. A table written that way needs no conversion:
// a ticket's partition query returns its STATE item with the new event
// items and the reader merges them by event id (ticketEvents), and
// TicketsInMonth still queries gsi1's month and open partitions.

// ticketItem is a ticket as stored in one item (legacyTicketSK).
type ticketItem struct {
	PK       string `dynamodbav:"pk"`
	SK       string `dynamodbav:"sk"`
	Source   string `dynamodbav:"source"`
	TicketID string `dynamodbav:"ticket_id"`
	Version  int64  `dynamodbav:"v"`
	Events   []byte `dynamodbav:"events"` // the generic wire form in canonical order, compressed (encodeEvents)
	Count    int    `dynamodbav:"event_count"`
	Status   string `dynamodbav:"status,omitempty"`
	Assignee string `dynamodbav:"assignee_id,omitempty"`
	Updated  string `dynamodbav:"updated_at"`
	GSI1PK   string `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK   string `dynamodbav:"gsi1sk,omitempty"`
}

// A STATE item holds its events as the JSON list of their generic wire
// form, compressed with DEFLATE behind a one-byte marker; items stored as
// plain JSON, which starts with '[', are read as they are. A single event
// item's body uses the same marker when compressing pays.
const (
	eventsDeflate   = 0x01
	maxEventsDecode = 64 << 20 // a bound on what one item may inflate to
)

var (
	deflaters = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(io.Discard, flate.DefaultCompression)
		return w
	}}
	// inflaters keep the monthly run, which reads every ticket of the
	// month, from allocating a decompressor per ticket.
	inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}
)

func encodeEvents(evs []event.Event) ([]byte, error) {
	wire := make([]event.GenericEvent, len(evs))
	for i, e := range evs {
		wire[i] = event.ToGeneric(e)
	}
	js, err := json.Marshal(wire)
	if err != nil {
		return nil, err
	}
	return deflate(eventsDeflate, js)
}

// deflate compresses js after the marker byte (none when marker is 0).
func deflate(marker byte, js []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(js)/3 + 16)
	if marker != 0 {
		buf.WriteByte(marker)
	}
	w := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(js); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// inflate decompresses b, refusing more than maxEventsDecode bytes.
func inflate(b []byte) ([]byte, error) {
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
		return nil, err
	}
	js, err := io.ReadAll(io.LimitReader(r, maxEventsDecode+1))
	if err != nil {
		return nil, err
	}
	if len(js) > maxEventsDecode {
		return nil, fmt.Errorf("over %d bytes", maxEventsDecode)
	}
	return js, nil
}

// unmarker returns b's JSON, inflating it when it carries the marker.
func unmarker(b []byte) ([]byte, error) {
	if len(b) > 0 && b[0] == eventsDeflate {
		js, err := inflate(b[1:])
		if err != nil {
			return nil, fmt.Errorf("inflate events: %w", err)
		}
		return js, nil
	}
	return b, nil
}

func decodeEvents(source string, b []byte) ([]event.Event, error) {
	b, err := unmarker(b)
	if err != nil {
		return nil, err
	}
	var wire []event.GenericEvent
	if err := json.Unmarshal(b, &wire); err != nil {
		return nil, err
	}
	out := make([]event.Event, len(wire))
	for i, g := range wire {
		e, err := g.Normalize("")
		if err != nil {
			return nil, err
		}
		e.Source = source
		out[i] = e
	}
	return out, nil
}

// legacyEvent reads a raw event item of the layout before event items.
func (s *Store) legacyEvent(ctx context.Context, source, ticketID, id string) (event.Event, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(legacyEventPK(source, ticketID, id), legacyEventSK)})
	if err != nil {
		return event.Event{}, unavailable("read event", err)
	}
	if out.Item == nil {
		return event.Event{}, errcode.Errorf(errcode.NotFound, "no event %s in %s", id, source)
	}
	var raw struct {
		Body []byte `dynamodbav:"body"`
	}
	if err := attributevalue.UnmarshalMap(out.Item, &raw); err != nil {
		return event.Event{}, fmt.Errorf("unmarshal event: %w", err)
	}
	return decodeEvent(source, raw.Body)
}

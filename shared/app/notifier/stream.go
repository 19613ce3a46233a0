package notifier

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/core/ticket"
)

// Namer names the ticket a stream record's new image is an event of; ok
// is false for any other item. The store knows its items' shape
// (dynamo.TicketOf); the notifier does not.
type Namer func(img map[string]events.DynamoDBAttributeValue) (source, ticketID string, ok bool)

// Loader reads a ticket's state as stored now (strongly consistent, so
// that it holds the event the record announced).
type Loader func(ctx context.Context, source, ticketID string) (ticket.State, error)

// StreamHandler is the Lambda entry point for the table's stream: every
// ticket an event was stored for is read and considered for a survey,
// once per batch however many of its events the batch holds. A record
// that cannot be handled is reported as a batch item failure, so only it
// (and the records after it) are retried (bisect-on-error and the
// dead-letter queue do the rest).
type StreamHandler struct {
	Notifier *Notifier
	Name     Namer
	Load     Loader
}

// Handle handles one batch of stream records.
func (h *StreamHandler) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	type key struct{ source, id string }
	done := map[key]error{}
	for _, rec := range ev.Records {
		source, id, ok := h.Name(rec.Change.NewImage)
		if !ok {
			continue
		}
		k := key{source, id}
		err, seen := done[k]
		if !seen {
			var st ticket.State
			st, err = h.Load(ctx, source, id)
			if err == nil {
				err = h.Notifier.Consider(ctx, &st)
			}
			done[k] = err
		}
		if err != nil {
			h.Notifier.Log.Error("stream record failed", "event_id", rec.EventID, "err", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		}
	}
	return resp, nil
}

package notifier

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/core/ticket"
)

// Decoder reads the ticket in a stream record's new image; ok is false for
// an item that is not a ticket. The store knows its items' shape
// (dynamo.TicketImage); the notifier does not.
type Decoder func(img map[string]events.DynamoDBAttributeValue) (st *ticket.State, ok bool, err error)

// StreamHandler is the Lambda entry point for the table's stream: every new
// image of a ticket item is considered for a survey. A record that cannot be
// handled is reported as a batch item failure, so only it is retried
// (bisect-on-error and the dead-letter queue do the rest).
type StreamHandler struct {
	Notifier *Notifier
	Decode   Decoder
}

// Handle handles one batch of stream records.
func (h *StreamHandler) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	for _, rec := range ev.Records {
		st, ok, err := h.Decode(rec.Change.NewImage)
		if err == nil && !ok {
			continue
		}
		if err == nil {
			err = h.Notifier.Consider(ctx, st)
		}
		if err != nil {
			h.Notifier.Log.Error("stream record failed", "event_id", rec.EventID, "err", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		}
	}
	return resp, nil
}

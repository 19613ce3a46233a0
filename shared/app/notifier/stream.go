package notifier

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/core/ticket"
)

// Decoder reads a ticket back from a stored ticket item's source and
// events attributes (the store's own encoding).
type Decoder func(source string, events []byte) (*ticket.State, error)

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
		img := rec.Change.NewImage
		if img == nil || !strings.HasPrefix(attrString(img, "pk"), "TKT#") {
			continue
		}
		st, err := h.Decode(attrString(img, "source"), attrBinary(img, "events"))
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

func attrString(img map[string]events.DynamoDBAttributeValue, name string) string {
	if v, ok := img[name]; ok && v.DataType() == events.DataTypeString {
		return v.String()
	}
	return ""
}

func attrBinary(img map[string]events.DynamoDBAttributeValue, name string) []byte {
	if v, ok := img[name]; ok && v.DataType() == events.DataTypeBinary {
		return v.Binary()
	}
	return nil
}

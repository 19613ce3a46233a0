package dynamo

import (
	"fmt"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/core/ticket"
)

// TicketImage reads the ticket in a stream record's new image; ok is false
// when the image is not of a ticket item (a raw event, a survey, …). The
// notifier's stream handler is given it, so that the attribute names and
// the events' encoding stay the store's alone.
func TicketImage(img map[string]events.DynamoDBAttributeValue) (st *ticket.State, ok bool, err error) {
	if _, isTicket := parseTicketPK(imageString(img, AttrPK)); !isTicket || imageString(img, AttrSK) != ticketSK {
		return nil, false, nil
	}
	// The attribute names are ticketItem's.
	st, err = decodeTicket(imageString(img, "source"), imageBinary(img, "events"))
	return st, true, err
}

func imageString(img map[string]events.DynamoDBAttributeValue, name string) string {
	if v, ok := img[name]; ok && v.DataType() == events.DataTypeString {
		return v.String()
	}
	return ""
}

func imageBinary(img map[string]events.DynamoDBAttributeValue, name string) []byte {
	if v, ok := img[name]; ok && v.DataType() == events.DataTypeBinary {
		return v.Binary()
	}
	return nil
}

// decodeTicket reads a ticket item's events attribute back into its state;
// the notifier uses it on stream images.
func decodeTicket(source string, b []byte) (*ticket.State, error) {
	evs, err := decodeEvents(source, b)
	if err != nil {
		return nil, fmt.Errorf("decode ticket: %w", err)
	}
	st := ticket.Reduce(evs)
	return &st, nil
}

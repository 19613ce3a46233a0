package dynamo

import (
	"errors"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"scorecard/shared/core/event"
)

// EventImage reads the event a stream record's new image holds; ok is
// false when the image is not an event item (a month index entry, a
// survey, …). The notifier's stream handler is given it, so that the
// store's keys and encoding stay the store's alone; the notifier then
// reads the event's ticket itself (Store.TicketState), since an event item
// holds one event, not the ticket.
func EventImage(img map[string]events.DynamoDBAttributeValue) (e event.Event, ok bool, err error) {
	k, isTicket := parseTicketPK(imageString(img, AttrPK))
	if !isTicket || !strings.HasPrefix(imageString(img, AttrSK), eventSKPrefix) {
		return event.Event{}, false, nil
	}
	var body []byte
	if v, has := img["b"]; has && v.DataType() == events.DataTypeBinary {
		body = v.Binary()
	}
	e, err = decodeEvent(k.Source, body)
	if err == nil && e.TicketID != k.ID {
		err = errTicketMismatch
	}
	return e, true, err
}

var errTicketMismatch = errors.New("event item holds another ticket's event")

func imageString(img map[string]events.DynamoDBAttributeValue, name string) string {
	if v, ok := img[name]; ok && v.DataType() == events.DataTypeString {
		return v.String()
	}
	return ""
}

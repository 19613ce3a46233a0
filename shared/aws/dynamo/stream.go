package dynamo

import (
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// TicketOf names the ticket a stream record's new image is an event of;
// ok is false when the image is not an event item (a month index entry, a
// survey, …). The notifier's stream handler is given it, so that the
// store's keys stay the store's alone; it reads the ticket itself
// (Store.Ticket), since an event item holds one event, not the ticket.
func TicketOf(img map[string]events.DynamoDBAttributeValue) (source, ticketID string, ok bool) {
	k, isTicket := parseTicketPK(imageString(img, AttrPK))
	if !isTicket || !strings.HasPrefix(imageString(img, AttrSK), eventSKPrefix) {
		return "", "", false
	}
	return k.Source, k.ID, true
}

func imageString(img map[string]events.DynamoDBAttributeValue, name string) string {
	if v, ok := img[name]; ok && v.DataType() == events.DataTypeString {
		return v.String()
	}
	return ""
}

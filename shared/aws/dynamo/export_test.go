package dynamo

import (
	"encoding/json"

	"scorecard/shared/core/event"
)

// EncodeEventsForTest is encodeEvents, for the external tests.
var EncodeEventsForTest = encodeEvents

// PlainEventsForTest is how ticket items stored their events before they
// were compressed.
func PlainEventsForTest(evs []event.Event) ([]byte, error) {
	wire := make([]event.GenericEvent, len(evs))
	for i, e := range evs {
		wire[i] = event.ToGeneric(e)
	}
	return json.Marshal(wire)
}

// DecodeTicket is decodeTicket, for the capacity test.
var DecodeTicket = decodeTicket

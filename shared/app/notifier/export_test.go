package notifier_test

import (
	"encoding/json"

	"scorecard/shared/core/event"
)

// encode writes events as the store keeps them on a ticket item.
func encode(evs []event.Event) ([]byte, error) {
	wire := make([]event.GenericEvent, len(evs))
	for i, e := range evs {
		wire[i] = event.ToGeneric(e)
	}
	return json.Marshal(wire)
}

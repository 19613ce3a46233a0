package ticket

import "scorecard/shared/core/event"

// GroupOn is Group on the given number of workers.
func GroupOn(events []event.Event, workers int) [][]*event.Event { return group(events, workers) }

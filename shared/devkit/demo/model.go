package demo

import (
	"encoding/json"
	"fmt"

	"scorecard/shared/core/event"
)

// ModelEvents reads generated events as the product does: each through the
// generic format's parser into the normalised model.
func ModelEvents(raw []Event) ([]event.Event, error) {
	out := make([]event.Event, 0, len(raw))
	for i := range raw {
		b, err := json.Marshal(&raw[i])
		if err != nil {
			return nil, err
		}
		e, err := event.ParseGenericEvent(b)
		if err != nil {
			return nil, fmt.Errorf("generated event %s: %w", raw[i].EventID, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// AgentIDs is each engineer's id in each ticketing system, by the agent id
// of the generated events: source → generic agent id → that system's id
// (empty for the new hire, who has none yet). It is what a replay of the
// events across systems translates agent ids with.
func (o Org) AgentIDs() map[string]map[string]string {
	a := map[string]map[string]string{"zendesk": {}, "jira": {}, "freshdesk": {}}
	for _, e := range o.Engineers {
		a["zendesk"][e.GenericID] = e.ZendeskID
		a["jira"][e.GenericID] = e.JiraID
		a["freshdesk"][e.GenericID] = e.FreshdeskID
	}
	return a
}

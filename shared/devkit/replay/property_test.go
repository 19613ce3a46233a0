package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"scorecard/shared/core/event"
	"scorecard/shared/core/ticket"
	"scorecard/shared/source/generic"
)

// Pools the generators draw from: realistic values and the awkward ones
// some source cannot carry.
var (
	agentPool    = []string{"ag-1001", "ag-1002", "ag-1003", "8447388090494", "-1"}
	customerPool = []event.CustomerInfo{
		{ID: "c-00001", Email: "ann@example.com", Name: "Ann Customer"},
		{ID: "80013571234", Email: "bo@example.com"},
		{Email: "only-mail@example.com", Name: "No Id"},
		{ID: "c-00009"},
	}
	tagPool    = []string{"billing", "vip", "complaint", "no-survey", "follow-up", "known issue", "a,b", "Firmware "}
	typePool   = []string{"incident", "question", "problem", "task", "complaint", "service request"}
	systemPool = []string{"sys-autoreply", "sys-routing"}
)

// normalise passes an event through the generic wire format, as the demo's
// events arrive: ids trimmed, tags normalised, types lower-cased.
func normalise(t *rapid.T, e event.Event) event.Event {
	b, err := json.Marshal(event.ToGeneric(e))
	if err != nil {
		t.Fatal(err)
	}
	n, err := event.ParseGenericEvent(b)
	if err != nil {
		t.Fatalf("generated an invalid event: %v\n%s", err, b)
	}
	return n
}

// genTicket draws one ticket's events in the model: a creation and up to 14
// more of every kind, at times that often coincide (ties are where the
// sources' ids could reorder events); sub-second times only if fractions.
func genTicket(t *rapid.T, ticketID string, fractions, distinct bool) []event.Event {
	base := time.Date(2026, 8, 3, 9, 0, 0, 0, time.UTC)
	n := rapid.IntRange(0, 14).Draw(t, "events")
	used := map[time.Duration]bool{}
	at := func(label string) time.Time {
		for {
			d := time.Duration(rapid.IntRange(0, 40).Draw(t, label+".at")) * 37 * time.Second
			if fractions && rapid.IntRange(0, 3).Draw(t, label+".frac?") == 0 {
				d += time.Duration(rapid.SampledFrom([]int{1, 1000, 1_000_000, 500_000_000}).Draw(t, label+".frac"))
			}
			if !distinct || !used[d] {
				used[d] = true
				return base.Add(d)
			}
		}
	}
	agent := func(label string) string { return rapid.SampledFrom(agentPool).Draw(t, label) }
	actor := func(label string) event.Actor {
		switch rapid.IntRange(0, 2).Draw(t, label+".kind") {
		case 0:
			return event.Actor{ID: agent(label + ".agent"), Kind: event.Agent}
		case 1:
			return event.Actor{ID: rapid.SampledFrom([]string{"c-00001", "80013571234", ""}).Draw(t, label+".customer"), Kind: event.Customer}
		}
		return event.Actor{ID: rapid.SampledFrom(systemPool).Draw(t, label+".system"), Kind: event.System}
	}
	tags := func(label string) []string {
		return rapid.SliceOfNDistinct(rapid.SampledFrom(tagPool), 0, 3, rapid.ID[string]).Draw(t, label)
	}
	maybe := func(label string, v string) string {
		if rapid.Bool().Draw(t, label) {
			return v
		}
		return ""
	}
	cu := rapid.SampledFrom(customerPool).Draw(t, "customer")
	created := event.Event{
		Source: generic.Source, ID: "evt-00", TicketID: ticketID, Type: event.Created, OccurredAt: at("created"),
		Actor: event.Actor{ID: cu.ID, Kind: event.Customer}, Customer: &cu,
		Status:     event.Status(maybe("created.status?", string(rapid.SampledFrom(event.Statuses).Draw(t, "created.status")))),
		Priority:   event.Priority(maybe("created.priority?", string(rapid.SampledFrom(event.Priorities).Draw(t, "created.priority")))),
		TicketType: maybe("created.type?", rapid.SampledFrom(typePool).Draw(t, "created.type")),
		AssigneeID: maybe("created.assignee?", agent("created.assignee")),
	}
	if rapid.Bool().Draw(t, "created.tags?") {
		created.Tags, created.HasTags = tags("created.tags"), true
	}
	evs := []event.Event{normalise(t, created)}
	for i := range n {
		l := fmt.Sprintf("e%d", i)
		e := event.Event{Source: generic.Source, ID: fmt.Sprintf("evt-%02d", i+1), TicketID: ticketID, OccurredAt: at(l)}
		switch rapid.IntRange(0, 8).Draw(t, l+".type") {
		case 0:
			e.Type, e.Actor = event.Assigned, actor(l)
			e.AssigneeID = maybe(l+".assignee?", agent(l+".assignee"))
		case 1, 2:
			e.Type, e.Actor, e.Public = event.Replied, actor(l), rapid.Bool().Draw(t, l+".public")
		case 3:
			e.Type, e.Actor = event.Note, actor(l)
			if e.Actor.ID == "" {
				e.Actor.ID = "c-00001"
			}
		case 4, 5:
			e.Type, e.Actor, e.Status = event.StatusChanged, actor(l), rapid.SampledFrom(event.Statuses).Draw(t, l+".status")
		case 6:
			e.Type, e.Actor, e.Priority = event.PriorityChanged, actor(l), rapid.SampledFrom(event.Priorities).Draw(t, l+".priority")
		case 7:
			e.Type, e.Actor = event.TagsChanged, actor(l)
			e.TicketType = maybe(l+".type?", rapid.SampledFrom(typePool).Draw(t, l+".tickettype"))
			if e.TicketType == "" || rapid.Bool().Draw(t, l+".tags?") {
				e.Tags, e.HasTags = tags(l+".tags"), true
			}
		case 8:
			e.Type, e.Actor = event.SurveyAnswered, event.Actor{ID: cu.ID, Kind: event.Customer}
			e.Rating = rapid.IntRange(1, 5).Draw(t, l+".rating")
			if rapid.Bool().Draw(t, l+".solved?") {
				s := rapid.Bool().Draw(t, l+".solved")
				e.Solved = &s
			}
			e.AssigneeID = maybe(l+".credited?", agent(l+".credited"))
		}
		evs = append(evs, normalise(t, e))
	}
	return evs
}

var ticketIDs = []string{"T-202608-00042", "T-202611-12345", "ACME-7", "4711", "T-1999-1"}

// onlyTo sends every ticket to one source.
func onlyTo(source string) map[string]float64 { return map[string]float64{source: 1} }

// For every source and every kind of event: every request verifies, and the
// adapters' events, mapped back to the original ticket, reduce to the state
// of the original events. In the store the ticket keeps every event but its
// survey answers. Replaying again gives identical requests, and receiving
// every request twice changes nothing (the adapters give a redelivery the
// same event id).
func TestReplayRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		source := rapid.SampledFrom(sources).Draw(t, "source")
		id := rapid.SampledFrom(ticketIDs).Draw(t, "ticket")
		evs := genTicket(t, id, rapid.Bool().Draw(t, "fractions"), false)
		shuffled := rapid.Permutation(evs).Draw(t, "order")

		plan, err := Replay(shuffled, Options{Shares: onlyTo(source), Secrets: devSecrets(), Now: now})
		if err != nil {
			t.Fatal(err)
		}
		again, err := Replay(evs, Options{Shares: onlyTo(source), Secrets: devSecrets(), Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(plan, again); d != "" {
			t.Fatalf("replay depends on the order of its input:\n%s", d)
		}
		got := plan.Tickets[id]
		var merged, stored []event.Event
		for _, r := range plan.Requests {
			for range 2 { // every delivery twice
				for _, e := range receive(t, r, now) {
					if e.Source == got {
						stored = append(stored, e)
					}
					merged = append(merged, Back(e, nil))
				}
			}
		}
		if d := cmp.Diff(SourceBlind(ticket.Reduce(evs), got), SourceBlind(ticket.Reduce(merged), got)); d != "" {
			t.Fatalf("%s (asked %s) differs (-original +replayed):\n%s", got, source, d)
		}
		if got != generic.Source {
			noSurvey := slices.DeleteFunc(slices.Clone(evs), func(e event.Event) bool { return e.Type == event.SurveyAnswered })
			for i := range stored {
				stored[i] = Back(stored[i], nil)
			}
			if d := cmp.Diff(SourceBlind(ticket.Reduce(noSurvey), got), SourceBlind(ticket.Reduce(stored), got)); d != "" {
				t.Fatalf("stored %s ticket differs (-original +stored):\n%s", got, d)
			}
		}
	})
}

// Encode, one event at a time and without the ticket's history, keeps the
// same promise for a ticket whose events have distinct times and whose
// creation comes first: the events that go to the source and the ones that
// fall back to the generic format reduce together to the original state.
func TestEncodeRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		source := rapid.SampledFrom(sources).Draw(t, "source")
		id := rapid.SampledFrom(ticketIDs).Draw(t, "ticket")
		evs := genTicket(t, id, rapid.Bool().Draw(t, "fractions"), true)
		// The creation comes first: swap times with the earliest event.
		i := slices.IndexFunc(evs, func(e event.Event) bool {
			return !slices.ContainsFunc(evs, func(o event.Event) bool { return o.OccurredAt.Before(e.OccurredAt) })
		})
		evs[0].OccurredAt, evs[i].OccurredAt = evs[i].OccurredAt, evs[0].OccurredAt
		var merged []event.Event
		vendorSeen := false
		for _, e := range evs {
			r, err := Encode(source, e, devSecrets(), now)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Encode(source, e, devSecrets(), now)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r.Body, again.Body) || !slices.Equal(r.Header.Values("X-Zendesk-Webhook-Signature"), again.Header.Values("X-Zendesk-Webhook-Signature")) {
				t.Fatalf("encoding %s twice gave two requests", e.ID)
			}
			if (r.Source == source) != (r.Fallback == "") && source != generic.Source {
				t.Fatalf("request to %s with fallback %q", r.Source, r.Fallback)
			}
			vendorSeen = vendorSeen || r.Source != generic.Source
			for _, p := range receive(t, r, now) {
				merged = append(merged, Back(p, nil))
			}
		}
		if source == generic.Source && vendorSeen {
			t.Fatal("a generic event went to a ticketing system")
		}
		if d := cmp.Diff(SourceBlind(ticket.Reduce(evs), source), SourceBlind(ticket.Reduce(merged), source)); d != "" {
			t.Fatalf("%s differs (-original +encoded):\n%s", source, d)
		}
	})
}

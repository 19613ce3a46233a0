package replay

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
	"scorecard/shared/devkit/demo"
	"scorecard/shared/source/generic"
)

// A generated month replayed through mixed sources and read back by the
// adapters reduces, ticket by ticket, to the state of the original events:
// the metrics cannot tell which system a ticket came from.
func TestDemoMonthRoundTrip(t *testing.T) {
	tickets := 1500
	if testing.Short() {
		tickets = 400
	}
	demoRoundTrip(t, demo.Config{Seed: 7, Start: month.Month{Year: 2026, Month: 8}, Months: 1, TicketsPerMonth: tickets})
}

func demoRoundTrip(t *testing.T, cfg demo.Config) {
	org, evs := demoEvents(t, cfg)
	agents := org.AgentIDs()
	plan, err := Replay(evs, Options{Secrets: devSecrets(), Agents: agents, Now: now})
	if err != nil {
		t.Fatal(err)
	}

	want := map[string][]event.Event{}
	for _, e := range evs {
		want[e.TicketID] = append(want[e.TicketID], e)
	}
	inv := Inverse(agents)
	merged := map[string][]event.Event{}    // by original ticket: what the merged view reduces
	stored := map[[2]string][]event.Event{} // by (source, vendor ticket): what the store keys
	perSource, fallbackEvents, sent := map[string]int{}, 0, 0
	for _, r := range plan.Requests {
		for _, e := range receive(t, r, now) {
			stored[[2]string{e.Source, e.TicketID}] = append(stored[[2]string{e.Source, e.TicketID}], e)
			e = Back(e, inv)
			merged[e.TicketID] = append(merged[e.TicketID], e)
		}
		perSource[r.Source]++
		if r.Fallback != "" {
			fallbackEvents++
		}
		sent++
	}
	if len(merged) != len(want) {
		t.Fatalf("%d tickets read back, %d sent", len(merged), len(want))
	}

	differ := 0
	for id, orig := range want {
		src := plan.Tickets[id]
		wantState := SourceBlind(ticket.Reduce(orig), src)
		gotState := SourceBlind(ticket.Reduce(merged[id]), src)
		if d := cmp.Diff(wantState, gotState); d != "" {
			differ++
			if differ <= 5 {
				t.Errorf("ticket %s via %s differs (-original +replayed):\n%s", id, src, d)
			}
			continue
		}
		if src == generic.Source {
			continue
		}
		// In the store the ticket is (source, vendor id) and holds every
		// event but its survey answers, which the generic route keeps.
		vendor, _ := VendorTicketID(src, id)
		noSurvey := slices.DeleteFunc(slices.Clone(orig), func(e event.Event) bool { return e.Type == event.SurveyAnswered })
		var inStore []event.Event
		for _, e := range stored[[2]string{src, vendor}] {
			inStore = append(inStore, Back(e, inv))
		}
		if d := cmp.Diff(SourceBlind(ticket.Reduce(noSurvey), src), SourceBlind(ticket.Reduce(inStore), src)); d != "" {
			differ++
			t.Errorf("stored ticket %s/%s differs (-original +stored):\n%s", src, vendor, d)
		}
	}
	if differ > 0 {
		t.Fatalf("%d of %d tickets differ", differ, len(want))
	}

	// The measured mix, for the report.
	reasons := slices.Sorted(maps.Keys(plan.Fallbacks))
	var b strings.Builder
	for _, r := range reasons {
		fmt.Fprintf(&b, "\n  %5d events (%.2f %%): %s", plan.Fallbacks[r], 100*float64(plan.Fallbacks[r])/float64(len(evs)), r)
	}
	ticketsBy, moved := map[string]int{}, 0
	for id, s := range plan.Tickets {
		ticketsBy[s]++
		if s != SourceFor(id, DefaultShares()) {
			moved++
		}
	}
	t.Logf("%d tickets, %d events, %d requests; tickets by source %v (%d moved to generic); requests by source %v; %d requests (%.2f %%) generic instead of the ticket's share:%s",
		len(want), len(evs), sent, ticketsBy, moved, perSource, fallbackEvents, 100*float64(fallbackEvents)/float64(sent), b.String())
}

package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
)

// The demo's tickets are realistic, so they seldom sit exactly on a
// boundary: a deadline at the very second of the resolution, a reopen
// exactly 7 days later, two events in the same second, a conflicting
// redelivery. These tickets are made of such cases: times on a half-hour
// grid around the month's edges (so 1 h, 4 h, 24 h and 7 d land exactly on
// other events), events of any type in any order, missing or repeated
// creations, events before the creation, conflicting duplicates, several
// survey answers, two sources sharing ticket ids, an unmapped agent.

var (
	propMonth  = month.Month{Year: 2026, Month: time.August}
	propAgents = []string{"a1", "a2", "a3", "a4", "a5", ""}
	propDir    = directory.New([]directory.Engineer{
		{ID: "E1", Team: "T1", External: map[string]string{"generic": "a1", "zendesk": "a1"}},
		{ID: "E2", Team: "T1", External: map[string]string{"generic": "a2", "zendesk": "a3"}},
		{ID: "E3", Team: "T2", External: map[string]string{"generic": "a3", "zendesk": "a2"}},
		{ID: "E4", Team: "T2", External: map[string]string{"generic": "a4"}},
		// a5 is in no directory entry: its credit is dropped.
	})
)

func genTicket(t *rapid.T, pol *policy.Policy, source, id string) []event.Event {
	loc := pol.Location()
	start, end := propMonth.Start(loc), propMonth.End(loc)
	anchor := rapid.SampledFrom([]time.Time{
		start.Add(-8 * 24 * time.Hour), start.Add(-24 * time.Hour), start.Add(-4 * time.Hour), start,
		start.Add(10 * 24 * time.Hour), end.Add(-7 * 24 * time.Hour), end.Add(-24 * time.Hour),
		end.Add(-4 * time.Hour), end.Add(-time.Hour), end,
	}).Draw(t, "anchor")
	t0 := anchor.Add(time.Duration(rapid.IntRange(-2, 4).Draw(t, "shift")) * 30 * time.Minute)
	// Offsets in half hours: small ones, and the policy's windows exactly.
	offset := rapid.OneOf(rapid.IntRange(-2, 20), rapid.SampledFrom([]int{2, 8, 16, 48, 144, 336, 338, 340}))
	ev := func(label string, typ event.Type) event.Event {
		return event.Event{
			Source: source, TicketID: id, Type: typ,
			ID:         fmt.Sprintf("e%d", rapid.IntRange(1, 14).Draw(t, label+" id")),
			OccurredAt: t0.Add(time.Duration(offset.Draw(t, label+" at")) * 30 * time.Minute),
		}
	}
	var out []event.Event
	for i := range rapid.IntRange(0, 2).Draw(t, "creations") {
		e := ev("created", event.Created)
		if i == 0 {
			e.ID, e.OccurredAt = "c", t0
		}
		e.Status = event.Status(rapid.SampledFrom([]string{"", "", "new", "open", "pending", "resolved"}).Draw(t, "created status"))
		e.Priority = event.Priority(rapid.SampledFrom([]string{"", "urgent", "high", "normal", "low"}).Draw(t, "created priority"))
		e.AssigneeID = rapid.SampledFrom(propAgents).Draw(t, "created assignee")
		e.Actor = event.Actor{ID: "c1", Kind: event.Customer}
		tagged(t, &e)
		out = append(out, e)
	}
	if rapid.IntRange(0, 3).Draw(t, "reopen pair") == 0 {
		// Resolved, then reopened exactly at the end of the reopen window.
		res, reopen := ev("resolve", event.StatusChanged), ev("reopen", event.StatusChanged)
		res.Status, reopen.Status = event.StatusResolved, event.StatusOpen
		reopen.OccurredAt = res.OccurredAt.Add(pol.Windows.Reopen.D())
		out = append(out, res, reopen)
	}
	for k := range rapid.IntRange(1, 14).Draw(t, "events") {
		label := fmt.Sprintf("event %d", k)
		typ := rapid.SampledFrom([]event.Type{
			event.Assigned, event.Replied, event.Replied, event.Note, event.StatusChanged, event.StatusChanged,
			event.StatusChanged, event.PriorityChanged, event.TagsChanged, event.SurveyAnswered,
		}).Draw(t, label+" type")
		e := ev(label, typ)
		e.Actor = event.Actor{
			Kind: rapid.SampledFrom([]event.ActorKind{event.Agent, event.Agent, event.Customer, event.System}).Draw(t, label+" actor kind"),
			ID:   rapid.SampledFrom(propAgents[:5]).Draw(t, label+" actor"),
		}
		if rapid.IntRange(0, 4).Draw(t, label+" stray fields") == 0 {
			// The generic format accepts every field on every type; only
			// the type's own fields may count.
			e.Priority = rapid.SampledFrom(event.Priorities).Draw(t, label+" stray priority")
			e.Status = rapid.SampledFrom(event.Statuses).Draw(t, label+" stray status")
			e.AssigneeID = rapid.SampledFrom(propAgents).Draw(t, label+" stray assignee")
			tagged(t, &e)
		}
		switch typ {
		case event.Assigned:
			e.AssigneeID = rapid.SampledFrom(propAgents).Draw(t, label+" assignee")
		case event.Replied:
			e.Public = rapid.Bool().Draw(t, label+" public")
		case event.StatusChanged:
			e.Status = rapid.SampledFrom(event.Statuses).Draw(t, label+" status")
		case event.PriorityChanged:
			e.Priority = rapid.SampledFrom(event.Priorities).Draw(t, label+" priority")
		case event.TagsChanged:
			tagged(t, &e)
		case event.SurveyAnswered:
			e.Actor = event.Actor{ID: "c1", Kind: event.Customer}
			e.Rating = rapid.IntRange(1, 5).Draw(t, label+" rating")
			if s := rapid.IntRange(0, 2).Draw(t, label+" solved"); s > 0 {
				solved := s == 2
				e.Solved = &solved
			}
			// The survey flow names the engineer it credited, sometimes.
			e.AssigneeID = rapid.SampledFrom([]string{"", "", "a2", "a5"}).Draw(t, label+" credited")
		}
		out = append(out, e)
	}
	return out
}

func tagged(t *rapid.T, e *event.Event) {
	if rapid.Bool().Draw(t, "has tags") {
		e.HasTags = true
		e.Tags = event.NormalizeTags(rapid.SliceOfN(rapid.SampledFrom([]string{"complaint", "vip", "no-survey"}), 0, 2).Draw(t, "tags"))
	}
	e.TicketType = rapid.SampledFrom([]string{"", "", "incident", "complaint"}).Draw(t, "type")
}

func TestDuckDBAgreesOnEdgeCases(t *testing.T) {
	ctx := context.Background()
	pol := policy.Default()
	db, err := OpenDuckDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rapid.Check(t, func(t *rapid.T) {
		var events []event.Event
		for i := range rapid.IntRange(1, 30).Draw(t, "tickets") {
			source := rapid.SampledFrom([]string{"generic", "zendesk"}).Draw(t, "source")
			// Now and then more events of the ticket before.
			if i > 0 && rapid.IntRange(0, 9).Draw(t, "same ticket") == 0 {
				i--
			}
			events = append(events, genTicket(t, pol, source, fmt.Sprintf("T%d", i))...)
		}
		// Redeliveries, and any order.
		for _, i := range rapid.SliceOfN(rapid.IntRange(0, len(events)-1), 0, 5).Draw(t, "redelivered") {
			events = append(events, events[i])
		}
		events = rapid.Permutation(events).Draw(t, "order")

		asOf := LatestEvent(events)
		want := Measure(events, propDir, pol, propMonth, asOf)
		if err := db.Load(ctx, events, propDir, pol, propMonth); err != nil {
			t.Fatal(err)
		}
		got, err := db.Metrics(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffInputs(want, got); diff != "" {
			t.Fatalf("metric inputs differ (engine's accumulator vs metrics.sql):\n%s", diff)
		}
	})
}

package metric_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"scorecard/shared/core/event"
	"scorecard/shared/core/metric"
)

// TestContributionsAddUpToTheValues: whatever the tickets, the
// contributions the accumulator reports are, summed per engineer and
// metric, exactly the numerator, denominator and count it scored — the
// evidence is every ticket behind every number, no more, no fewer.
func TestContributionsAddUpToTheValues(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tickets := drawTickets(rt)
		acc := metric.NewAccumulator(settings(), october, endOfYear, identity{})
		type key struct {
			eng string
			id  metric.ID
		}
		sum := map[key]*want{}
		acc.Contribute = func(c metric.Contribution) {
			w := sum[key{c.EngineerID, c.Metric}]
			if w == nil {
				w = &want{}
				sum[key{c.EngineerID, c.Metric}] = w
			}
			w.num += c.Num
			w.den += c.Den
			w.n++
			if c.Source != "generic" || c.TicketID == "" {
				rt.Fatalf("a contribution without its ticket: %+v", c)
			}
		}
		for _, k := range tickets {
			acc.AddTicket(k.state())
		}
		seen := 0
		for _, em := range acc.Months() {
			for id, v := range em.Values {
				got := sum[key{em.Engineer.ID, id}]
				if got == nil {
					got = &want{}
				}
				if diff := v.Numerator - got.num; diff > 1e-9 || diff < -1e-9 || v.Denominator != got.den || v.N != got.n {
					rt.Fatalf("%s %s: value %v/%v n=%d, contributions %v/%v n=%d", em.Engineer.ID, id, v.Numerator, v.Denominator, v.N, got.num, got.den, got.n)
				}
				seen++
			}
		}
		if seen != len(sum) {
			rt.Fatalf("%d contributions' metrics, %d values", len(sum), seen)
		}
	})
}

// drawTickets draws a month's worth of tickets with every kind of event.
func drawTickets(rt *rapid.T) []*tk {
	agents := []string{"ann", "bob", "x-bot"}
	var tickets []*tk
	for i := range rapid.IntRange(1, 12).Draw(rt, "tickets") {
		prio := rapid.SampledFrom(event.Priorities).Draw(rt, "priority")
		h := rapid.Float64Range(-48, 24*30).Draw(rt, "created")
		k := newTicket(fmt.Sprintf("T%d", i), h, prio)
		for range rapid.IntRange(0, 10).Draw(rt, "steps") {
			h += rapid.Float64Range(0, 60).Draw(rt, "after")
			a := rapid.SampledFrom(agents).Draw(rt, "agent")
			switch rapid.IntRange(0, 7).Draw(rt, "step") {
			case 0:
				k.assign(h, a)
			case 1:
				k.reply(h, event.Agent, a)
			case 2:
				k.reply(h, event.Customer, "c")
			case 3:
				k.note(h, a)
			case 4:
				k.status(h, rapid.SampledFrom(event.Statuses).Draw(rt, "status"))
			case 5:
				k.tags(h, rapid.SampledFrom([]string{"complaint", "billing"}).Draw(rt, "tag"))
			case 6:
				k.answer(h, rapid.IntRange(1, 5).Draw(rt, "rating"), rapid.SampledFrom([]*bool{nil, yes(), no()}).Draw(rt, "solved"))
			case 7:
				k.status(h, event.StatusResolved)
			}
		}
		tickets = append(tickets, k)
	}
	return tickets
}

// TestExclusionsTakeOutExactlyTheirTickets: excluding any of the tickets'
// places in engineers' metrics takes out exactly those contributions, and
// what is left still adds up to the values.
func TestExclusionsTakeOutExactlyTheirTickets(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		tickets := drawTickets(rt)
		run := func(ex metric.Exclusions) (map[string]bool, []*metric.Month) {
			acc := metric.NewAccumulator(settings(), october, endOfYear, identity{})
			acc.Excluded = ex
			got := map[string]bool{}
			acc.Contribute = func(c metric.Contribution) {
				got[metric.ExclusionKey(c.EngineerID, c.Metric, c.Source, c.TicketID)] = true
			}
			for _, k := range tickets {
				acc.AddTicket(k.state())
			}
			return got, acc.Months()
		}
		all, _ := run(nil)
		ex := metric.Exclusions{}
		for _, k := range slices.Sorted(maps.Keys(all)) {
			if rapid.Bool().Draw(rt, "exclude") {
				ex[k] = true
			}
		}
		left, months := run(ex)
		for k := range all {
			if left[k] == ex[k] {
				rt.Fatalf("%q: excluded %v, still counted %v", k, ex[k], left[k])
			}
		}
		for _, m := range months {
			for id, v := range m.Values {
				for i, tid := range v.Offending {
					if ex[metric.ExclusionKey(m.Engineer.ID, id, v.OffendingSources[i], tid)] {
						rt.Fatalf("%s %s: excluded ticket %s among the worst", m.Engineer.ID, id, tid)
					}
				}
			}
		}
	})
}

package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
	"scorecard/shared/devkit/demo"
)

// twoMonths is a realistic organisation's two months, generated once.
var twoMonths = sync.OnceValues(func() (*directory.Directory, []event.Event) {
	cfg := demo.DefaultConfig()
	cfg.Seed, cfg.Months, cfg.TicketsPerMonth = 11, 2, 2500
	dir, evs, err := Demo(cfg)
	if err != nil {
		panic(err)
	}
	return dir, evs
})

func TestDuckDBAgrees(t *testing.T) {
	ctx := context.Background()
	pol := policy.Default()
	start := demo.DefaultConfig().Start

	type input struct {
		dir    *directory.Directory
		events []event.Event
		month  month.Month
	}
	for _, tc := range []struct {
		name string
		in   func(t *testing.T) input
	}{
		{"a demo month of 5000 tickets as generated", func(t *testing.T) input {
			cfg := demo.DefaultConfig()
			cfg.Months, cfg.TicketsPerMonth = 1, 5000
			dir, evs, err := Demo(cfg)
			if err != nil {
				t.Fatal(err)
			}
			return input{dir, evs, start}
		}},
		{"a month with the previous month's tickets spilling into it", func(t *testing.T) input {
			dir, evs := twoMonths()
			return input{dir, evs, start.Add(1)}
		}},
		{"a month judged long after its end, with later months' events present", func(t *testing.T) input {
			dir, evs := twoMonths()
			return input{dir, evs, start}
		}},
		{"redelivered events in any order, one engineer missing from the directory", func(t *testing.T) input {
			dir, evs := twoMonths()
			return input{withoutEngineer(dir, "E005"), redeliver(evs, 7), start.Add(1)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in(t)
			asOf := LatestEvent(in.events)
			want := Measure(in.events, in.dir, pol, in.month, asOf)
			cards, err := RunEngine(in.events, in.dir, pol, in.month, asOf)
			if err != nil {
				t.Fatal(err)
			}

			db, err := OpenDuckDB(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Load(ctx, in.events, in.dir, pol, in.month); err != nil {
				t.Fatal(err)
			}
			got, err := db.Metrics(ctx)
			if err != nil {
				t.Fatal(err)
			}

			if diff := diffInputs(want, got); diff != "" {
				t.Errorf("metric inputs differ (engine's accumulator vs metrics.sql):\n%s", diff)
			}
			if diff := diffCards(cards, got); diff != "" {
				t.Errorf("engine.Run's cards differ from metrics.sql:\n%s", diff)
			}
			for _, id := range Compared {
				if !slices.ContainsFunc(cards, func(c scoring.Card) bool { return c.Metrics[id].N > 0 }) {
					t.Errorf("no engineer has data for %s: the comparison proves nothing about it", id)
				}
			}
			t.Logf("%d events, %d engineers: %d metric inputs compared", len(in.events), len(cards), len(want))
		})
	}
}

// withoutEngineer returns the directory without one engineer: their agent
// id becomes unmapped, so their credit is dropped and notes on their
// tickets count as collaboration for whoever wrote them.
func withoutEngineer(dir *directory.Directory, id string) *directory.Directory {
	return directory.New(slices.DeleteFunc(dir.All(), func(e directory.Engineer) bool { return e.ID == id }))
}

// redeliver returns the events with every k-th delivered twice, shuffled.
func redeliver(events []event.Event, k int) []event.Event {
	out := slices.Clone(events)
	for i := 0; i < len(events); i += k {
		out = append(out, events[i])
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// agree reports whether a and b agree within 1e-9, relative to the larger.
func agree(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// diffInputs lists every metric input on which the two sides differ.
func diffInputs(want, got map[Key]Inputs) string {
	keys := make([]Key, 0, len(want)+len(got))
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b Key) int {
		if c := strings.Compare(a.Engineer, b.Engineer); c != 0 {
			return c
		}
		return strings.Compare(a.Metric, b.Metric)
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%-6s %-26s %28s %28s\n", "eng", "metric", "go num/den/n", "sql num/den/n")
	bad := 0
	for _, k := range keys {
		w, g := want[k], got[k]
		if w.N == g.N && agree(w.Numerator, g.Numerator) && agree(w.Denominator, g.Denominator) {
			continue
		}
		bad++
		fmt.Fprintf(&b, "%-6s %-26s %28s %28s\n", k.Engineer, k.Metric, triple(w), triple(g))
	}
	if bad == 0 {
		return ""
	}
	return b.String()
}

func triple(v Inputs) string {
	return fmt.Sprintf("%.6f/%g/%d", v.Numerator, v.Denominator, v.N)
}

// diffCards checks engine.Run's cards, whose numerators and denominators
// are rounded to 4 places, against the SQL; ticket counts exactly.
func diffCards(cards []scoring.Card, got map[Key]Inputs) string {
	var b strings.Builder
	near := func(card, sql float64) bool { return math.Abs(card-sql) <= 5e-5+1e-9*math.Abs(sql) }
	for _, c := range cards {
		for _, id := range Compared {
			r, g := c.Metrics[id], got[Key{c.EngineerID, string(id)}]
			if r.N != g.N || !near(r.Numerator, g.Numerator) || !near(r.Denominator, g.Denominator) {
				fmt.Fprintf(&b, "%-6s %-26s card %v/%v/%d, sql %s\n", c.EngineerID, id, r.Numerator, r.Denominator, r.N, triple(g))
			}
		}
		if g := got[Key{c.EngineerID, TicketsMetric}]; c.Tickets != g.N {
			fmt.Fprintf(&b, "%-6s %-26s card %d, sql %d\n", c.EngineerID, TicketsMetric, c.Tickets, g.N)
		}
	}
	return b.String()
}

package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"scorecard/shared/core/policy"
	"scorecard/shared/devkit/demo"
)

// BenchmarkCompare times, side by side in one run, the Go engine and DuckDB
// over the same generated month: the engine groups the events by ticket,
// reduces, measures, scores and applies consequences (engine.Run); DuckDB
// loads the events (appender) and runs metrics.sql. Before timing, it checks
// that both give the same metric inputs for every engineer. Neither side's
// time includes generating or parsing the events.
//
// Reported per month scored: go-ms, duckdb-load-ms, duckdb-query-ms,
// duckdb-ms (load + query) and duckdb/go, the ratio of the two totals.
//
// The months have 5 000, 20 000 and 100 000 tickets, and BENCH_TICKETS
// more when it is larger (scripts/bench.sh passes it on): with
// BENCH_TICKETS=1000000 the month of a million tickets, about 12 million
// events, which takes some 10 GB of memory and a few minutes to generate.
func BenchmarkCompare(b *testing.B) {
	sizes := []int{5_000, 20_000, 100_000}
	if v := os.Getenv("BENCH_TICKETS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("BENCH_TICKETS=%q: not a number", v)
		}
		if n > sizes[len(sizes)-1] {
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tickets=%d", n), func(b *testing.B) {
			ctx := context.Background()
			pol := policy.Default()
			cfg := demo.DefaultConfig()
			// About 200 tickets per engineer a month, as in the demo.
			cfg.Months, cfg.TicketsPerMonth, cfg.Engineers = 1, n, max(24, n/200)
			dir, events, err := Demo(cfg)
			if err != nil {
				b.Fatal(err)
			}
			m, asOf := cfg.Start, LatestEvent(events)
			db, err := OpenDuckDB(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()

			// Same results first: engine.Run's cards against the SQL.
			cards, err := RunEngine(events, dir, pol, m, asOf)
			if err != nil {
				b.Fatal(err)
			}
			if err := db.Load(ctx, events, dir, pol, m); err != nil {
				b.Fatal(err)
			}
			got, err := db.Metrics(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if diff := diffCards(cards, got); diff != "" {
				b.Fatalf("engine.Run and metrics.sql disagree:\n%s", diff)
			}
			var threads int
			if err := db.conn.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&threads); err != nil {
				b.Fatal(err)
			}

			var goT, loadT, queryT time.Duration
			for b.Loop() {
				t0 := time.Now()
				if _, err := RunEngine(events, dir, pol, m, asOf); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := db.Load(ctx, events, dir, pol, m); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				if _, err := db.Metrics(ctx); err != nil {
					b.Fatal(err)
				}
				t3 := time.Now()
				goT, loadT, queryT = goT+t1.Sub(t0), loadT+t2.Sub(t1), queryT+t3.Sub(t2)
			}
			per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
			b.ReportMetric(float64(len(events)), "events")
			b.ReportMetric(float64(threads), "duckdb-threads")
			b.ReportMetric(per(goT), "go-ms")
			b.ReportMetric(per(loadT), "duckdb-load-ms")
			b.ReportMetric(per(queryT), "duckdb-query-ms")
			b.ReportMetric(per(loadT+queryT), "duckdb-ms")
			b.ReportMetric(float64(loadT+queryT)/float64(goT), "duckdb/go")
		})
	}
}

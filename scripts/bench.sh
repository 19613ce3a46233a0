#!/usr/bin/env bash
# make bench: every benchmark of the project, then one table of the figures
# BENCHMARKS.md quotes. Each step's full output stays in out/bench/.
#
#   1. go test -bench over shared/: reducer, webhook handler, scoring a
#      month in memory (up to 1 000 000 tickets / 10 000 engineers)
#   2. scorecard load: signed webhooks of every source through the local
#      gateway into DynamoDB Local for LOAD_DURATION (duplicates, out of
#      order), every stored state checked
#   3. scorecard bench-month: the monthly run over BENCH_TICKETS tickets /
#      10 000 engineers in DynamoDB Local (reads per ticket, run time, heap)
#   4. bench/: the engine against DuckDB SQL on the same events (checked
#      equal on every metric), time ratio
#   5. bench/coldstart: each function's binary size and start-up time
#
# Steps 2 and 3 need the local servers (the Makefile starts them).
# Env: GO (go), LOAD_DURATION (60s), BENCH_TICKETS (100000; 1000000 adds
# the monthly run over a million stored tickets — a bulk load of about 7
# million items, half an hour — and the engine against DuckDB at a million,
# some 20 GB of memory), OUT (out/bench).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

GO="${GO:-go}"
LOAD_DURATION="${LOAD_DURATION:-60s}"
BENCH_TICKETS="${BENCH_TICKETS:-100000}"
OUT="${OUT:-out/bench}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

step() { printf '\n== %s\n' "$*"; }

step "go test -bench ./shared/..."
$GO test -run '^$' -bench . -benchmem ./shared/... | tee "$OUT/go.txt"

$GO build -o .local/bin/scorecard ./cmd/scorecard
step "scorecard load --duration $LOAD_DURATION"
.local/bin/scorecard load --senders 8 --duration "$LOAD_DURATION" | tee "$OUT/load.txt"

step "scorecard bench-month --tickets $BENCH_TICKETS --engineers 10000"
.local/bin/scorecard bench-month --tickets "$BENCH_TICKETS" --engineers 10000 | tee "$OUT/month.txt"

step "bench/: the engine against DuckDB"
(cd bench && $GO test -run TestDuckDBAgrees -bench BenchmarkCompare -benchtime 3x .) | tee "$OUT/duckdb.txt"

step "bench/coldstart: the functions' binaries and start-up"
rm -f "$OUT/coldstart.tsv"
(cd bench && $GO run ./coldstart -tsv "$OUT/coldstart.tsv") | tee "$OUT/coldstart.txt"

# The table. Each figure is read from its step's output above.
field() { # file, line pattern, awk program on that line
  grep -m1 -E "$2" "$OUT/$1" | awk "$3" || true
}
metric() { # go bench line pattern, unit: the value before the unit
  grep -m1 -E "$1" "$OUT/$2" | awk -v unit="$3" '{for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1)}' || true
}
row() { printf '  %-66s %s\n' "$1" "${2:-—}"; }

echo
echo "Aftersales Scorecard benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $($GO version | cut -d' ' -f3)"
echo
row "FIGURE" "VALUE"
row "reducer, per event (shuffled 12-event ticket)" "$(metric '^BenchmarkReduce' go.txt ns/event) ns"
row "webhook handler CPU, single event" "$(metric '^BenchmarkHandle/events=1-' go.txt ns/event) ns/event"
row "webhook handler CPU, batches of 100" "$(metric '^BenchmarkHandle/events=100-' go.txt ns/event) ns/event"
row "scoring 1 000 000 tickets / 10 000 engineers in memory" "$(metric '^BenchmarkRunMonth/tickets=1000000/engineers=10000' go.txt ns/op | awk '{printf "%.1f s", $1/1e9}'), peak live heap $(metric '^BenchmarkRunMonth/tickets=1000000/engineers=10000' go.txt peak-live-heap-MB) MB"
row "ingest through the gateway (mixed sources, 8 senders)" "$(field load.txt 'throughput' '{sub(/,$/, "", $3); print $2, $3}')"
row "ingest latency" "$(field load.txt 'throughput' '{for (i = 1; i <= NF; i++) if ($i ~ /^p(50|99)$/) printf "%s %s  ", $i, $(i+1)}')"
row "ingest check (stored = distinct, states = offline)" "$(field load.txt '^  events' '{print $2, "sent,", $4, "distinct"}'); $(field load.txt '^  verified' '{print $2, "tickets,", $6, "mismatches"}')"
row "DynamoDB item writes per stored event" "$(field load.txt 'item writes' '{print $3}')"
row "DynamoDB request units per stored event" "$(field load.txt '^  capacity' '{print $2, "write,", $5, "read"}')"
row "monthly run on DynamoDB Local, $BENCH_TICKETS tickets / 10 000 engineers" "$(field month.txt 'monthly run' '{print $3}'), peak live heap $(field month.txt 'peak heap' '{print $3}') MB"
row "read units per ticket in the monthly run" "$(field month.txt '^  reads' '{print $NF == "ticket" ? $(NF-2) : $NF}')"
for v in zendesk jira-cloud jira-datacenter freshdesk; do
  row "history import $v: from the local fake into DynamoDB Local" "$(metric "^BenchmarkImport/$v-" go.txt events-stored/s) events/s, $(metric "^BenchmarkImport/$v-" go.txt requests/1000-tickets) requests per 1 000 tickets"
done
row "engine vs DuckDB: every metric equal for every engineer" "$(grep -q '^ok' "$OUT/duckdb.txt" && echo yes || echo NO)"
while read -r line; do
  n=$(echo "$line" | sed -E 's/.*tickets=([0-9]+).*/\1/')
  ratio=$(echo "$line" | awk '{for (i = 2; i <= NF; i++) {if ($i == "go-ms") g = $(i-1); if ($i == "duckdb-load-ms") l = $(i-1); if ($i == "duckdb-query-ms") q = $(i-1)}; if (g > 0) printf "Go %.0f ms, DuckDB %.0f ms: DuckDB/Go %.1f×", g, l + q, (l + q) / g}')
  row "engine vs DuckDB, $n tickets" "$ratio"
done < <(grep -E '^BenchmarkCompare/tickets=' "$OUT/duckdb.txt" || true)
if [[ -s "$OUT/coldstart.tsv" ]]; then
  for fn in webhook forms notifier monthly; do
    get() { awk -F'\t' -v k="coldstart.$fn.$1" '$1 == k {print $2}' "$OUT/coldstart.tsv" | tail -1; }
    row "cold start $fn: arm64 binary, init p50/p90, peak RSS" "$(printf '%.1f MB, %.1f/%.1f ms, %.1f MB' "$(get arm64_mb)" "$(get init_ms_p50)" "$(get init_ms_p90)" "$(get rss_mb)")"
  done
fi
echo
echo "Full outputs: $OUT/"

#!/usr/bin/env bash
# Runs every fuzz target (func Fuzz…) of every package of the module for a
# given time each: scripts/fuzz.sh [FUZZTIME], default $FUZZTIME or 30s
# (any `go test -fuzztime` value: 2s, 1m, 500x). One line per target; the
# first failure stops the run with a non-zero status, and the input that
# failed stays where Go writes it, <package>/testdata/fuzz/<target>/, so
# that the next plain `go test` replays it until it is fixed.
set -euo pipefail

fuzztime=${1:-${FUZZTIME:-30s}}
go=${GO:-go}
cd "$(dirname "$0")/.."
start=$SECONDS

# Only packages with a fuzz target in their tests are listed: listing links
# each package's test binary. `go test -list` prints a package's matching
# names, then one "ok <package> <time>" line for it.
pkgs=()
while IFS= read -r dir; do
  if grep -qs '^func Fuzz' "$dir"/*_test.go; then pkgs+=("$dir"); fi
done < <("$go" list -f '{{.Dir}}' ./...)
if [ ${#pkgs[@]} -eq 0 ]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi
if ! list=$("$go" test -list '^Fuzz' "${pkgs[@]}"); then
  echo "fuzz: cannot list the fuzz targets: a package's tests do not build (above)" >&2
  exit 1
fi
targets=()
names=()
while IFS= read -r line; do
  case $line in
    Fuzz*) names+=("$line") ;;
    ok*)
      pkg=$(awk '{print $2}' <<<"$line")
      for n in ${names[@]+"${names[@]}"}; do targets+=("$pkg $n"); done
      names=()
      ;;
    *) names=() ;;
  esac
done <<<"$list"

if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi

echo "fuzz: ${#targets[@]} targets, $fuzztime each"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# fuzz_one runs one target; its output is in $log.
fuzz_one() { "$go" test -run '^$' -fuzz "^${2}\$" -fuzztime "$fuzztime" "$1" >"$log" 2>&1; }

# deadline_race reports the failure of go.dev/issue/75804 (Go before 1.27):
# the fuzzing coordinator can report its own -fuzztime deadline as
# "context deadline exceeded" although no input failed. A real failure
# writes its input ("Failing input written to ...") or names a seed.
deadline_race() {
  grep -q '^    context deadline exceeded$' "$log" &&
    ! grep -q 'Failing input written to' "$log" &&
    ! grep -q -- "--- FAIL: $1/" "$log"
}

for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  t0=$SECONDS
  note=""
  ok=0
  for attempt in 1 2 3; do
    if fuzz_one "$pkg" "$name"; then
      ok=1
      [ "$attempt" = 1 ] || note="(passed on try $attempt after the coordinator's deadline race, go.dev/issue/75804)"
      break
    fi
    deadline_race "$name" || break
  done
  if [ $ok = 0 ] && deadline_race "$name"; then
    ok=1
    note="(only the coordinator's deadline race, go.dev/issue/75804, three times: no input failed)"
  fi
  if [ $ok = 1 ]; then
    printf 'ok    %-40s %-28s %3ds %s\n' "$pkg" "$name" $((SECONDS - t0)) "$note"
  else
    printf 'FAIL  %-40s %-28s %3ds\n' "$pkg" "$name" $((SECONDS - t0))
    cat "$log"
    dir=$("$go" list -f '{{.Dir}}' "$pkg")/testdata/fuzz/$name
    if [ -d "$dir" ]; then
      echo "fuzz: the failing input is kept in $dir; \`go test -run '$name' $pkg\` replays it" >&2
    fi
    exit 1
  fi
done
echo "fuzz: ${#targets[@]} targets passed in $((SECONDS - start))s"

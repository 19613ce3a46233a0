#!/usr/bin/env bash
# Known-vulnerability check of the three modules (the root module, infra/ and
# bench/) with govulncheck, against a local copy of the Go vulnerability
# database: no vulnerability service is contacted, only the Go module proxy.
#
# The database is the module golang.org/x/vulndb at a pinned version: its
# data/osv/ holds every advisory as an OSV file. The first run downloads it
# (go mod download) and turns it into the database layout govulncheck reads
# (index/db.json, index/modules.json, index/vulns.json, ID/GO-*.json) with the
# module's own cmd/indexdb, under .local/vulndb/<version>/ (git-ignored);
# later runs reuse it. index/db.json's "modified" is set to the time of the
# pinned vulndb commit, which is the date the database is as of.
#
# New advisories only arrive by bumping the pin. vulndb has no releases, only
# pseudo-versions, so `go list -m -versions` lists nothing; this gives the
# newest one (run outside any module, e.g. in /tmp):
#   go list -m golang.org/x/vulndb@latest
# then put its version in VULNDB_VERSION below.
#
# Exit status: 0 when no vulnerability affects the code (vulnerabilities only
# in imported packages or required modules that the code does not call are
# listed but do not fail the check); non-zero when govulncheck finds one that
# the code reaches in any module, or fails. All three modules are checked
# either way.
#
# Env: VULNDB_VERSION (overrides the pin), GO (go), GOVULNCHECK_FLAGS (extra
#      flags, e.g. '-show verbose').
set -euo pipefail

VULNDB_VERSION=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}
GOVULNCHECK_VERSION=v1.9.0
GO=${GO:-go}

root=$(cd "$(dirname "$0")/.." && pwd)
db=$root/.local/vulndb/$VULNDB_VERSION

# Module queries run outside the project's modules, so that none of their
# go.mod or go.sum files is read or written.
outside() { (cd / && GOWORK=off "$GO" "$@"); }

if [ ! -f "$db/index/db.json" ]; then
  echo "vulncheck: building the vulnerability database golang.org/x/vulndb@$VULNDB_VERSION"
  outside mod download golang.org/x/vulndb@"$VULNDB_VERSION"
  src=$(outside list -m -f '{{.Dir}}' golang.org/x/vulndb@"$VULNDB_VERSION")
  when=$(outside list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' golang.org/x/vulndb@"$VULNDB_VERSION")
  if [ ! -d "$src/data/osv" ]; then
    echo "vulncheck: $src has no data/osv/" >&2
    exit 2
  fi
  mkdir -p "$(dirname "$db")"
  tmp=$(mktemp -d "$db.tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  outside run golang.org/x/vulndb/cmd/indexdb@"$VULNDB_VERSION" -vulns "$src/data/osv" -out "$tmp/db"
  # The OSV files carry no modification times (the database service sets
  # them from the repository history), so the index says 0001-01-01; the
  # commit time of the pinned version is the date the data is as of.
  if [ -n "$when" ]; then
    printf '{"modified":"%s"}' "$when" > "$tmp/db/index/db.json"
    gzip -n -c "$tmp/db/index/db.json" > "$tmp/db/index/db.json.gz"
  fi
  # Another run may have built it meanwhile: keep the first one.
  mv -T "$tmp/db" "$db" 2>/dev/null || true
  rm -rf "$tmp"
  trap - EXIT
  if [ ! -f "$db/index/db.json" ]; then
    echo "vulncheck: $db is incomplete; remove it and run again" >&2
    exit 2
  fi
fi

modified=$(sed -n 's/.*"modified":"\([^"]*\)".*/\1/p' "$db/index/db.json")
advisories=$(find "$db/ID" -name 'GO-*.json' | wc -l)
echo "vulncheck: database golang.org/x/vulndb@$VULNDB_VERSION, as of $modified ($advisories advisories)"

failed=()
for mod in . infra bench; do
  echo "== govulncheck $mod"
  # shellcheck disable=SC2086
  if ! (cd "$root/$mod" && "$GO" run golang.org/x/vuln/cmd/govulncheck@"$GOVULNCHECK_VERSION" \
        -db "file://$db" ${GOVULNCHECK_FLAGS:-} ./...); then
    failed+=("$mod")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "vulncheck: vulnerabilities affecting the code (or a failed check) in: ${failed[*]}" >&2
  exit 1
fi
echo "vulncheck: no vulnerability affects the code (database as of $modified)"

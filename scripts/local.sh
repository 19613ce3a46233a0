#!/usr/bin/env bash
# Local servers for the tests, the demo and CI (DESIGN.md §4, §5):
#   dynamodb  Amazon DynamoDB Local 1.25, from the npm tarball
#             amplify-dynamodb-simulator@2.9.30 (package/emulator/)
#   ses       aws-ses-v2-local@2.10.2 (GET /store lists sent mail,
#             POST /clear-store clears it)
# Everything lives under .local/ (git-ignored): the installs in
# .local/dynamodb and .local/ses, logs in .local/log/<name>.log, pids in
# .local/run/<name>.pid. Needs Java, Node/npm and curl.
#
# Usage: scripts/local.sh install | up [--tag T] | down [--tag T] | status
#   install     install what is missing (idempotent, no network when done)
#   up          install if needed, start each server whose port does not
#               already answer, wait until both answer; with --tag T, record
#               what this invocation started in .local/run/started-by-T
#   down        stop the servers this script started (only those recorded
#               under T with --tag T) and wait until their ports are free
#   status      one line per server
# Env: DYNAMODB_PORT (8000), SES_PORT (8005), SES_HOST (127.0.0.1),
#      LOCAL_TIMEOUT (seconds to wait for a server, 60), JAVA, NODE, NPM.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
RUN="$LOCAL/run"
LOG="$LOCAL/log"

DYNAMODB_PORT="${DYNAMODB_PORT:-8000}"
SES_PORT="${SES_PORT:-8005}"
SES_HOST="${SES_HOST:-127.0.0.1}"
LOCAL_TIMEOUT="${LOCAL_TIMEOUT:-60}"
JAVA="${JAVA:-java}"
NODE="${NODE:-node}"
NPM="${NPM:-npm}"

DYNAMODB_PKG="amplify-dynamodb-simulator@2.9.30"
DYNAMODB_DIR="$LOCAL/dynamodb"
DYNAMODB_MARKER="$DYNAMODB_PKG DynamoDB Local 1.25.1"
SES_PKG="aws-ses-v2-local@2.10.2"
SES_DIR="$LOCAL/ses"
SES_CLI="$SES_DIR/node_modules/aws-ses-v2-local/dist/cli.js"

SERVERS=(dynamodb ses)

# A SigV4-looking request: DynamoDB Local checks the header's shape and that
# the access key is letters and digits only, never the signature.
DYNAMODB_AUTH='AWS4-HMAC-SHA256 Credential=dummykey/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x'

say() { printf 'local: %s\n' "$*"; }
die() { printf 'local: %s\n' "$*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 not found on PATH ($2)"
}

port_of() {
  case "$1" in
    dynamodb) echo "$DYNAMODB_PORT" ;;
    ses) echo "$SES_PORT" ;;
  esac
}

url_of() {
  case "$1" in
    dynamodb) echo "http://127.0.0.1:$DYNAMODB_PORT" ;;
    ses) echo "http://127.0.0.1:$SES_PORT" ;;
  esac
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# answers NAME: the server on NAME's port is that server and is ready.
answers() {
  local code
  case "$1" in
    dynamodb)
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 -X POST "$(url_of dynamodb)" \
        -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
        -H 'Content-Type: application/x-amz-json-1.0' \
        -H "Authorization: $DYNAMODB_AUTH" -d '{}') || true
      ;;
    ses)
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$(url_of ses)/store") || true
      ;;
  esac
  [[ "$code" == 200 ]]
}

# --- processes ---------------------------------------------------------------

pidfile() { echo "$RUN/$1.pid"; }

# alive PID: the process exists and is not a zombie (an orphaned server is
# reaped by init, which may take a while).
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) && [[ -n "$stat" && "$stat" != Z* ]]
}

# is_ours NAME PID: PID is alive and is NAME's server process.
is_ours() {
  local cmd
  [[ "$2" =~ ^[0-9]+$ ]] || return 1
  cmd=$(ps -o args= -p "$2" 2>/dev/null) || return 1
  case "$1" in
    dynamodb) [[ "$cmd" == *DynamoDBLocal.jar* ]] ;;
    ses) [[ "$cmd" == *aws-ses-v2-local* ]] ;;
  esac
}

# running_pid NAME: prints the pid of NAME's server started by this script;
# removes a stale pid file.
running_pid() {
  local f pid
  f=$(pidfile "$1")
  [[ -f "$f" ]] || return 1
  pid=$(<"$f")
  if is_ours "$1" "$pid"; then
    echo "$pid"
  else
    rm -f "$f"
    return 1
  fi
}

# --- install -----------------------------------------------------------------

npm_retry() {
  local attempt
  for attempt in 1 2; do
    if "$NPM" "$@"; then return 0; fi
    [[ $attempt == 2 ]] || { say "npm $1 failed; retrying once in 3 s"; sleep 3; }
  done
  return 1
}

dynamodb_installed() {
  [[ -f "$DYNAMODB_DIR/.installed" && "$(<"$DYNAMODB_DIR/.installed")" == "$DYNAMODB_MARKER" \
     && -f "$DYNAMODB_DIR/DynamoDBLocal.jar" && -d "$DYNAMODB_DIR/DynamoDBLocal_lib" ]]
}

ses_installed() {
  [[ -f "$SES_DIR/.installed" && "$(<"$SES_DIR/.installed")" == "$SES_PKG" && -f "$SES_CLI" ]]
}

install_dynamodb() {
  dynamodb_installed && return 0
  need "$NPM" "install Node.js and npm"
  local tmp
  say "installing DynamoDB Local from npm tarball $DYNAMODB_PKG"
  rm -rf "$LOCAL"/.tmp-dynamodb.*
  tmp=$(mktemp -d "$LOCAL/.tmp-dynamodb.XXXXXX")
  npm_retry pack "$DYNAMODB_PKG" --pack-destination "$tmp" --silent --no-audit --no-fund --no-update-notifier >/dev/null \
    || die "npm pack $DYNAMODB_PKG failed"
  tar -xzf "$tmp"/amplify-dynamodb-simulator-*.tgz -C "$tmp" package/emulator
  [[ -f "$tmp/package/emulator/DynamoDBLocal.jar" && -d "$tmp/package/emulator/DynamoDBLocal_lib" ]] \
    || die "$DYNAMODB_PKG has no package/emulator/DynamoDBLocal.jar"
  grep -q '(1\.25\.1)' "$tmp/package/emulator/README.txt" \
    || die "$DYNAMODB_PKG does not contain DynamoDB Local 1.25.1"
  rm -rf "$DYNAMODB_DIR"
  mv "$tmp/package/emulator" "$DYNAMODB_DIR"
  rm -rf "$tmp"
  echo "$DYNAMODB_MARKER" >"$DYNAMODB_DIR/.installed"
  say "installed $(du -sh "$DYNAMODB_DIR" | cut -f1) in .local/dynamodb"
}

install_ses() {
  ses_installed && return 0
  need "$NPM" "install Node.js and npm"
  say "installing $SES_PKG"
  rm -f "$SES_DIR/.installed"
  mkdir -p "$SES_DIR"
  # --ignore-scripts: nothing in the tree needs an install script, and the
  # dependencies' versions float within the ranges the package declares.
  npm_retry install --prefix "$SES_DIR" "$SES_PKG" --save-exact --ignore-scripts \
    --no-audit --no-fund --no-update-notifier --loglevel=error \
    || die "npm install $SES_PKG failed"
  [[ -f "$SES_CLI" ]] || die "$SES_PKG has no dist/cli.js"
  echo "$SES_PKG" >"$SES_DIR/.installed"
  say "installed $(du -sh "$SES_DIR" | cut -f1) in .local/ses"
}

cmd_install() {
  mkdir -p "$LOCAL"
  install_dynamodb
  install_ses
}

# --- up / down -----------------------------------------------------------------

check_runtimes() {
  need curl "install curl"
  need "$JAVA" "install a Java runtime (8 or later) for DynamoDB Local"
  need "$NODE" "install Node.js 20.19 or later for aws-ses-v2-local"
  # aws-ses-v2-local's CLI require()s yargs 18, an ES module: that needs
  # require(esm), on by default from Node 20.19 / 22.12.
  "$NODE" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a==22&&b>=12)||(a==20&&b>=19)||a==21?0:1)' \
    || die "Node $("$NODE" --version) is too old for $SES_PKG (needs 20.19+ or 22.12+)"
}

start() {
  local name=$1 port log pid
  port=$(port_of "$name")
  log="$LOG/$name.log"
  : >"$log"
  # setsid: a Ctrl-C in the terminal that ran `make up` must not reach the
  # servers; 9>&-: they must not inherit the lock held on fd 9.
  case "$name" in
    dynamodb)
      # DynamoDB Local writes dynamodb-local-metadata.json into its working
      # directory, hence the cd; DDB_LOCAL_TELEMETRY=0 and -disableTelemetry
      # both turn telemetry off.
      (cd "$DYNAMODB_DIR" && DDB_LOCAL_TELEMETRY=0 exec setsid "$JAVA" \
        "-Djava.library.path=$DYNAMODB_DIR/DynamoDBLocal_lib" \
        -jar "$DYNAMODB_DIR/DynamoDBLocal.jar" \
        -inMemory -port "$port" -disableTelemetry \
        </dev/null >>"$log" 2>&1 9>&-) &
      ;;
    ses)
      (cd "$SES_DIR" && unset SMTP_TRANSPORT && exec setsid "$NODE" "$SES_CLI" --host "$SES_HOST" --port "$port" \
        </dev/null >>"$log" 2>&1 9>&-) &
      ;;
  esac
  pid=$!
  echo "$pid" >"$(pidfile "$name")"
  echo "$pid"
}

wait_ready() {
  local name=$1 pid=$2 deadline
  deadline=$((SECONDS + LOCAL_TIMEOUT))
  until answers "$name"; do
    if ! alive "$pid"; then
      printf 'local: %s exited before answering on %s; last lines of %s:\n' \
        "$name" "$(url_of "$name")" ".local/log/$name.log" >&2
      tail -n 30 "$LOG/$name.log" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      printf 'local: %s did not answer on %s within %ss; last lines of %s:\n' \
        "$name" "$(url_of "$name")" "$LOCAL_TIMEOUT" ".local/log/$name.log" >&2
      tail -n 30 "$LOG/$name.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

# untag NAME: drop NAME from every started-by-* record (a plain `up` adopts a
# server, so that no tagged `down` stops it afterwards).
untag() {
  local f
  for f in "$RUN"/started-by-*; do
    [[ -f "$f" ]] || continue
    grep -v "^$1 " "$f" >"$f.tmp" || true
    mv "$f.tmp" "$f"
    [[ -s "$f" ]] || rm -f "$f"
  done
}

cmd_up() {
  local tag="" name pid failed=0
  local -A started=()
  while (($#)); do
    case "$1" in
      --tag) tag=${2:?--tag needs a value}; shift 2 ;;
      *) die "up: unknown argument $1" ;;
    esac
  done
  [[ -z "$tag" || "$tag" =~ ^[A-Za-z0-9_.-]+$ ]] || die "up: bad tag $tag"
  check_runtimes
  cmd_install
  [[ "$DYNAMODB_PORT" != "$SES_PORT" ]] || die "DYNAMODB_PORT and SES_PORT are both $SES_PORT"
  # First decide, so that a taken port fails before anything is started.
  for name in "${SERVERS[@]}"; do
    if pid=$(running_pid "$name"); then
      # Started by this script earlier (maybe still starting): reuse.
      started[$name]=$pid:reused
    elif port_open "$(port_of "$name")"; then
      answers "$name" || die "port $(port_of "$name") is taken by something that is not $name; free it or set ${name^^}_PORT"
      say "$name: already answering on $(url_of "$name") (not started by scripts/local.sh); reusing it"
    else
      started[$name]=start
    fi
  done
  for name in "${SERVERS[@]}"; do
    if [[ "${started[$name]:-}" == start ]]; then
      pid=$(start "$name")
      started[$name]=$pid:new
      if [[ -n "$tag" ]]; then
        echo "$name $pid" >>"$RUN/started-by-$tag"
      fi
    fi
    [[ -n "$tag" ]] || untag "$name"
  done
  for name in "${SERVERS[@]}"; do
    [[ -n "${started[$name]:-}" ]] || continue
    pid=${started[$name]%%:*}
    if wait_ready "$name" "$pid"; then
      if [[ "${started[$name]#*:}" == new ]]; then
        say "$name: started on $(url_of "$name") (pid $pid, log .local/log/$name.log)"
      else
        say "$name: already running on $(url_of "$name") (pid $pid)"
      fi
    else
      failed=1
    fi
  done
  ((failed == 0)) || die "not every server came up; \`scripts/local.sh down${tag:+ --tag $tag}\` stops what was started"
}

stop() {
  local name=$1 pid=$2 port deadline
  port=$(port_of "$name")
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 15))
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then
      say "$name: pid $pid ignored SIGTERM for 15 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 15))
    fi
    sleep 0.1
  done
  rm -f "$(pidfile "$name")"
  deadline=$((SECONDS + 15))
  while port_open "$port"; do
    ((SECONDS < deadline)) || die "$name: port $port still answers after pid $pid exited (another process?)"
    sleep 0.1
  done
  say "$name: stopped (pid $pid); port $port is free"
}

cmd_down() {
  local tag="" name pid rec_name rec_pid f
  while (($#)); do
    case "$1" in
      --tag) tag=${2:?--tag needs a value}; shift 2 ;;
      *) die "down: unknown argument $1" ;;
    esac
  done
  [[ -z "$tag" || "$tag" =~ ^[A-Za-z0-9_.-]+$ ]] || die "down: bad tag $tag"
  if [[ -n "$tag" ]]; then
    f="$RUN/started-by-$tag"
    [[ -f "$f" ]] || return 0
    while read -r rec_name rec_pid; do
      [[ -n "$rec_name" ]] || continue
      # Only if the pid file still names the very process recorded.
      if pid=$(running_pid "$rec_name") && [[ "$pid" == "$rec_pid" ]]; then
        stop "$rec_name" "$pid"
      fi
    done <"$f"
    rm -f "$f"
    return 0
  fi
  for name in "${SERVERS[@]}"; do
    if pid=$(running_pid "$name"); then
      stop "$name" "$pid"
    elif port_open "$(port_of "$name")"; then
      say "$name: port $(port_of "$name") answers but that server was not started by scripts/local.sh; leaving it"
    fi
  done
  rm -f "$RUN"/started-by-*
}

cmd_status() {
  local name pid port state installed tags f
  for name in "${SERVERS[@]}"; do
    port=$(port_of "$name")
    case "$name" in
      dynamodb) dynamodb_installed && installed="$DYNAMODB_MARKER" || installed="not installed" ;;
      ses) ses_installed && installed="$SES_PKG" || installed="not installed" ;;
    esac
    tags=""
    for f in "$RUN"/started-by-*; do
      [[ -f "$f" ]] && grep -q "^$name " "$f" && tags+=" ${f##*/started-by-}"
    done
    if pid=$(running_pid "$name"); then
      if answers "$name"; then state="running"; else state="starting/unresponsive"; fi
      state+="  pid $pid${tags:+ (tag:$tags)}"
    elif port_open "$port"; then
      state="running  (not started by scripts/local.sh)"
    else
      state="stopped"
    fi
    printf '%-9s %-24s %s  [%s]\n' "$name" "$(url_of "$name")" "$state" "$installed"
  done
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  mkdir -p "$RUN" "$LOG"
  case "$cmd" in
    install|up|down)
      # One at a time: concurrent `make up`/`make test` must not install or
      # start twice.
      exec 9>"$RUN/.lock"
      flock 9
      ;;
  esac
  case "$cmd" in
    install) cmd_install ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"

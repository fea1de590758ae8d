#!/usr/bin/env bash
# Stoplight Prism mock servers for real-world specs of the shared corpus.
#
# Prism (npm `@stoplight/prism-cli`, pinned below) is installed with npm into target/prism under
# the repository root, and reused while the installed version is the pinned one. Each mock runs
# `prism mock --host 127.0.0.1 --port P --dynamic false` (static mode: answers are the spec's
# examples, or built from the schemas, the same every time) and logs to target/prism/<name>.log.
#
# Usage (from anywhere; the command of `run` runs in the repository root):
#   bash .ci/prism.sh install                   install the pinned prism, print its path
#   bash .ci/prism.sh run [NAME...] -- CMD...   start the mocks of the table below (all, or the
#                                               NAMEs), export PRISM_<NAME>_URL for each, run CMD,
#                                               stop the mocks, exit with CMD's status
#   bash .ci/prism.sh start SPEC PORT [NAME]    start one mock in the background, return once it
#                                               listens; SPEC relative to the current directory
#                                               (NAME defaults to the spec's file name stem)
#   bash .ci/prism.sh stop                      stop the mocks that `start` left running
#   bash .ci/prism.sh urls                      print `export PRISM_<NAME>_URL=...` for the table
# Sourced (`source .ci/prism.sh`), it only defines the prism_* functions below and the table
# (note: sourcing also sets -euo pipefail in the calling shell). A mock started with
# prism_start is stopped by prism_stop_all, which `run` registers as an EXIT trap.
#
# Knobs (environment): PRISM_DIR (install and log directory, default target/prism),
# PRISM_START_TIMEOUT (seconds to wait for one mock to listen, default 60).
set -euo pipefail

PRISM_VERSION=5.16.0

# The mocks of `run`: name, spec (relative to the repository root), port. The specs stay in
# the shared corpus beside the repository; see target/prism-notes.md for what each answers.
PRISM_MOCKS="
alertmanager  ../shared/corpus/specs/prometheus_alertmanager_2.0.yaml  4011
holidays      ../shared/corpus/specs/canada-holidays_api_3.0.yaml      4012
petstore3     ../shared/corpus/specs/swagger_petstore3_3.0.yaml        4013
museum        ../shared/corpus/specs/redocly_museum_3.1.yaml           4014
apisguru      ../shared/corpus/specs/apisguru_api_2.0.yaml             4015
ynab          ../shared/corpus/specs/ynab_api_2.0.yaml                 4016
firecracker   ../shared/corpus/specs/firecracker_api_2.0.yaml          4017
nytimes       ../shared/corpus/specs/nytimes_timeswire_2.0.yaml        4018
petstore_expanded ../shared/corpus/specs/oai_petstore-expanded_3.0.yaml 4019
listennotes   ../shared/corpus/specs/listennotes_api_3.0.yaml          4020
conduit       ../shared/corpus/specs/realworld_conduit_3.1.yml         4021
adyen_transfer ../shared/corpus/specs/adyen_transfer-v4_3.1.yaml       4022
"

PRISM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRISM_DIR="${PRISM_DIR:-$PRISM_ROOT/target/prism}"
PRISM_START_TIMEOUT="${PRISM_START_TIMEOUT:-60}"
PRISM_PIDS=()

prism_log() { echo "prism.sh: $*" >&2; }

# The prism executable (read PRISM_DIR at each call, so a sourcing shell may change it).
prism_bin() { echo "$PRISM_DIR/node_modules/.bin/prism"; }

# The installed prism-cli version, or nothing.
prism_installed_version() {
    local pkg="$PRISM_DIR/node_modules/@stoplight/prism-cli/package.json"
    [[ -f "$pkg" && -x "$(prism_bin)" ]] || return 0
    node -p 'require(process.argv[1]).version' "$pkg" 2>/dev/null || true
}

# Installs the pinned prism into $PRISM_DIR unless that exact version is there already.
prism_install() {
    local have
    have="$(prism_installed_version)"
    if [[ "$have" == "$PRISM_VERSION" ]]; then
        prism_log "prism $PRISM_VERSION already installed in $PRISM_DIR"
        return 0
    fi
    prism_log "installing @stoplight/prism-cli@$PRISM_VERSION into $PRISM_DIR${have:+ (had $have)}"
    mkdir -p "$PRISM_DIR"
    rm -rf "$PRISM_DIR/node_modules" "$PRISM_DIR/package.json" "$PRISM_DIR/package-lock.json"
    # SCARF_ANALYTICS: a dependency's install script would otherwise try to phone home.
    SCARF_ANALYTICS=false npm install --prefix "$PRISM_DIR" --no-audit --no-fund --save-exact \
        --loglevel=error "@stoplight/prism-cli@$PRISM_VERSION" >&2
    have="$(prism_installed_version)"
    if [[ "$have" != "$PRISM_VERSION" ]]; then
        prism_log "install failed: found '${have:-nothing}' instead of $PRISM_VERSION"
        return 1
    fi
}

# Exit 0 when something accepts TCP connections on 127.0.0.1:$1. (A bare connection, not an
# HTTP request: prism would log one to an unknown path as an error.)
prism_listening() {
    timeout 2 bash -c ': >"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# PRISM_<NAME>_URL for a mock name: upper case, anything but letters and digits becomes `_`.
prism_env_name() {
    local n="${1^^}"
    echo "PRISM_${n//[^A-Z0-9]/_}_URL"
}

# prism_start SPEC PORT [NAME]: starts a mock in the background (immune to SIGHUP, so that it
# outlives a `start` invocation), records its pid in PRISM_PIDS and $PRISM_DIR/NAME.pid, and
# returns once it accepts connections, or fails (printing its log, stopping it) if it exits or
# does not listen within PRISM_START_TIMEOUT seconds.
prism_start() {
    local spec="$1" port="$2" name="${3:-}"
    [[ -n "$name" ]] || { name="$(basename "$spec")"; name="${name%.*}"; }
    [[ -f "$spec" ]] || { prism_log "$name: no spec at $spec"; return 1; }
    [[ -x "$(prism_bin)" ]] || { prism_log "prism is not installed (run: $0 install)"; return 1; }
    if prism_listening "$port"; then
        prism_log "$name: something already listens on 127.0.0.1:$port"
        return 1
    fi
    local log="$PRISM_DIR/$name.log"
    mkdir -p "$PRISM_DIR"
    nohup "$(prism_bin)" mock --host 127.0.0.1 --port "$port" --dynamic false "$spec" \
        >"$log" 2>&1 </dev/null &
    local pid=$!
    PRISM_PIDS+=("$pid")
    echo "$pid" >"$PRISM_DIR/$name.pid"
    local start=$SECONDS why=""
    while ! prism_listening "$port"; do
        if ! prism_alive "$pid"; then
            why="prism exited before listening"
        elif ((SECONDS - start >= PRISM_START_TIMEOUT)); then
            why="not listening on 127.0.0.1:$port within $PRISM_START_TIMEOUT s"
        fi
        if [[ -n "$why" ]]; then
            prism_log "$name: $why; $log:"
            tail -n 40 "$log" >&2
            prism_stop_pid "$pid"
            rm -f "$PRISM_DIR/$name.pid"
            return 1
        fi
        sleep 0.25
    done
    prism_log "$name: $spec on http://127.0.0.1:$port (pid $pid, $((SECONDS - start)) s, log $log)"
}

# Exit 0 while a pid runs (a zombie, exited but not yet reaped, does not count).
prism_alive() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat:0:1}" != Z ]]
}

# Stops one pid if it is still a prism process: TERM, then KILL after 5 s.
prism_stop_pid() {
    local pid="$1" i
    prism_alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
    grep -qa prism "/proc/$pid/cmdline" 2>/dev/null || return 0 # pid reused by something else
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do
        prism_alive "$pid" || break
        sleep 0.25
    done
    if prism_alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}

# Stops the mocks started by this shell and those whose pid files are in $PRISM_DIR.
prism_stop_all() {
    local pid f
    for pid in "${PRISM_PIDS[@]}"; do prism_stop_pid "$pid"; done
    PRISM_PIDS=()
    for f in "$PRISM_DIR"/*.pid; do
        [[ -f "$f" ]] || continue
        prism_stop_pid "$(cat "$f")"
        rm -f "$f"
    done
}

# Prints the table's lines (name spec port), all of them or only the given names.
prism_table() {
    local name spec port want found
    for want in "${@:-}"; do
        found=""
        while read -r name spec port; do
            [[ -n "$name" ]] || continue
            if [[ -z "$want" || "$want" == "$name" ]]; then
                echo "$name $spec $port"
                found=1
            fi
        done <<<"$PRISM_MOCKS"
        [[ -n "$found" ]] || { prism_log "no mock named '$want' in the table"; return 1; }
    done
}

prism_main() {
    local cmd="${1:-}"
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
    install)
        prism_install
        prism_bin
        ;;
    start)
        [[ $# -ge 2 ]] || { prism_log "usage: $0 start SPEC PORT [NAME]"; return 2; }
        prism_install
        prism_start "$@"
        ;;
    stop)
        prism_stop_all
        ;;
    urls)
        local name spec port lines
        lines="$(prism_table)"
        while read -r name spec port; do
            echo "export $(prism_env_name "$name")=http://127.0.0.1:$port"
        done <<<"$lines"
        ;;
    run)
        local names=() lines name spec port status=0
        while [[ $# -gt 0 && "$1" != "--" ]]; do
            names+=("$1")
            shift
        done
        if [[ $# -lt 2 || "$1" != "--" ]]; then
            prism_log "usage: $0 run [NAME...] -- CMD..."
            return 2
        fi
        shift
        lines="$(prism_table "${names[@]}")"
        prism_install
        trap prism_stop_all EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
        while read -r name spec port; do
            prism_start "$PRISM_ROOT/$spec" "$port" "$name"
            export "$(prism_env_name "$name")=http://127.0.0.1:$port"
        done <<<"$lines"
        cd "$PRISM_ROOT"
        "$@" || status=$?
        prism_stop_all
        return "$status"
        ;;
    *)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
        return 2
        ;;
    esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    prism_main "$@"
fi

#!/usr/bin/env bash
# Property-based API tests of the generated petstore service with schemathesis.
#
# Builds `cargo build --example petstore`, starts it on a free loopback port and runs
# schemathesis against the spec it serves (`/openapi.json`), with the base URL of the spec's
# server (`/v1`). Every operation gets up to 100 generated cases per phase (examples,
# coverage, fuzzing; then stateful sequences), checked by all of schemathesis' default checks,
# with a fixed seed. Exits non-zero when schemathesis reports a failure or an error.
#
# Schemathesis and everything it imports are pinned below and installed into a venv under the
# cargo target dir, reused while the pins are unchanged.
#
# Knobs (environment): SCHEMATHESIS_SEED, SCHEMATHESIS_MAX_EXAMPLES, SCHEMATHESIS_TIMEOUT
# (seconds for the whole schemathesis run), PETSTORE_API_KEY (the shared secret the service is
# started with and that schemathesis sends as `X-Api-Key`).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
SEED="${SCHEMATHESIS_SEED:-20261122}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
RUN_TIMEOUT="${SCHEMATHESIS_TIMEOUT:-480}"
export PETSTORE_API_KEY="${PETSTORE_API_KEY:-schemathesis-ci-key}"

# `pip freeze` of a venv with only schemathesis==$SCHEMATHESIS_VERSION installed (Python 3.11):
# the same seed generates the same cases only with the same hypothesis.
REQUIREMENTS="anyio==4.16.0
certifi==2026.10.18
charset-normalizer==3.5.2
click==8.5.1
graphql-core==3.3.2
harfile==0.6.0
hypothesis==6.170.15
hypothesis-graphql==0.13.5
idna==3.20
iniconfig==2.3.1
jsonschema_rs==0.60.3
markdown-it-py==4.3.0
MarkupSafe==3.0.4
mdurl==0.1.2
packaging==26.3
pluggy==1.7.0
Pygments==2.21.0
pyrate-limiter==4.5.1
pytest==9.2.0
PyYAML==6.0.3
requests==2.34.2
rich==15.0.0
schemathesis==$SCHEMATHESIS_VERSION
sortedcontainers==2.4.0
typing_extensions==4.16.0
urllib3==2.8.0
Werkzeug==3.1.9"

target_dir="$(cargo metadata --locked --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
venv="$target_dir/schemathesis-venv"
out="$target_dir/schemathesis"
mkdir -p "$out"

# --- schemathesis, in its own venv
stamp="$venv/.specbind-requirements"
if [[ ! -x "$venv/bin/schemathesis" || ! -f "$stamp" ]] || [[ "$(cat "$stamp")" != "$REQUIREMENTS" ]]; then
    echo "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    printf '%s\n' "$REQUIREMENTS" >"$out/requirements.txt"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
        -r "$out/requirements.txt"
    printf '%s' "$REQUIREMENTS" >"$stamp"
fi
"$venv/bin/schemathesis" --version

# --- the service
cargo build --locked --example petstore
server_bin="$target_dir/debug/examples/petstore"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
server_log="$out/server.log"

server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT

# A fresh SQLite database for every run (the service keeps its pets in `$PETSTORE_DATA`).
rm -rf "$out/data"
PETSTORE_DATA="$out/data" PORT="$port" "$server_bin" >"$server_log" 2>&1 </dev/null &
server_pid=$!

ready=""
for _ in $(seq 1 120); do # 120 x 0.5 s = 60 s at most
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "petstore exited before serving; its log:" >&2
        cat "$server_log" >&2
        exit 1
    fi
    if python3 - "$base/openapi.json" <<'EOF' 2>/dev/null; then
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
        ready=1
        break
    fi
    sleep 0.5
done
if [[ -z "$ready" ]]; then
    echo "petstore did not serve $base/openapi.json within 60 s; its log:" >&2
    cat "$server_log" >&2
    exit 1
fi
echo "petstore (pid $server_pid) serving on $base"

# --- schemathesis
# Default checks (all but max_response_time, which needs a limit): not_a_server_error,
# status_code_conformance, content_type_conformance, response_headers_conformance,
# response_schema_conformance, negative_data_rejection, positive_data_acceptance,
# missing_required_header, unsupported_method, allow_header_conformance, use_after_free,
# ensure_resource_availability, ignored_auth, object_level_authorization.
rm -rf "$out/report"
cmd=(
    "$venv/bin/schemathesis" run "$base/openapi.json"
    --url "$base/v1"
    --header "X-Api-Key: $PETSTORE_API_KEY"
    --max-examples "$MAX_EXAMPLES"
    --seed "$SEED"
    --workers 1
    --continue-on-failure
    --generation-database none
    --request-timeout 10
    --report junit --report-dir "$out/report"
    --output-sanitize false # the key is a test value: keep the curl reproductions exact
    --no-color
)
status=0
# `timeout` bounds the whole run; schemathesis itself stops after the last phase.
(cd "$out" && timeout --kill-after=10 "$RUN_TIMEOUT" "${cmd[@]}") || status=$?

if [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "schemathesis did not finish within ${RUN_TIMEOUT} s" >&2
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "petstore died during the run; its log:" >&2
    tail -n 50 "$server_log" >&2
    status=1
fi
# One plain line for the per-operation outcome (JUnit: one test case per operation).
python3 - "$out/report" <<'EOF' || true
import glob, sys, xml.etree.ElementTree as ET
files = glob.glob(sys.argv[1] + "/junit-*.xml")
if files:
    suite = ET.parse(files[0]).getroot()
    count = lambda k: int(suite.get(k, 0))
    failed = count("failures") + count("errors")
    print(f"schemathesis: {count('tests') - failed - count('skipped')} passed, {failed} failed")
EOF
exit "$status"

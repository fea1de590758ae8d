#!/usr/bin/env bash
# A crate from outside the workspace, made exactly as README's "Use it" section says (issue 17):
# `cargo new`, then every file of that section's code blocks (a block's first line names its
# file; the Cargo.toml block is added to what `cargo new` wrote), with the two dependencies
# pointed at this checkout instead of crates.io. Builds it, runs it (PORT=0), and checks that
# its client called its server, and that the server answers a request of ours.
#
#   bash .ci/outside.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
server=""
cleanup() {
    [[ -n "$server" ]] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "outside crate: FAIL: $*" >&2; exit 1; }

cd "$work"
cargo new -q --vcs none pets
cd pets
# The section's code blocks, one file each.
python3 - "$repo/README.md" "$repo" <<'PY'
import pathlib, re, sys
readme, repo = pathlib.Path(sys.argv[1]).read_text(), sys.argv[2]
section = readme.split("\n## Use it\n", 1)[1].split("\n## ", 1)[0]
files = 0
for lang, body in re.findall(r"```(\w+)\n(.*?)```", section, re.S):
    first = body.splitlines()[0]
    m = re.match(r"^(?:#|//) (\S+)(?::.*)?$", first)
    if not m or lang == "sh":
        continue
    path = pathlib.Path(m.group(1))
    if path.name == "Cargo.toml":
        body = body.replace('specbind = { version = "0.1"', f'specbind = {{ path = "{repo}/runtime"')
        body = body.replace('specbind-codegen = "0.1"', f'specbind-codegen = {{ path = "{repo}/codegen" }}')
        text = path.read_text().replace("[dependencies]\n", "")
        path.write_text(text.rstrip() + "\n\n" + body)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    files += 1
    print(f"outside crate: {path} from README")
if files < 5:
    sys.exit(f"README's Use it section gave {files} files, expected Cargo.toml, a spec, build.rs, handlers, main")
PY
cat Cargo.toml
# The versions this checkout is tested with.
cp "$repo/Cargo.lock" Cargo.lock
export CARGO_TARGET_DIR="${OUTSIDE_TARGET_DIR:-$repo/target/outside}"
build="$work/build.log"
cargo build >"$build" 2>&1 || { cat "$build"; fail "cargo build failed"; }
grep -v '^ *\(Compiling\|Downloaded\|Downloading\)' "$build"
# What README tells a user builds without a warning.
if grep -q '^warning' "$build"; then fail "the build warned"; fi
[[ -x "$CARGO_TARGET_DIR/debug/pets" ]] || fail "no binary"

log="$work/pets.log"
PORT=0 "$CARGO_TARGET_DIR/debug/pets" >"$log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
    grep -q '^stored and read back' "$log" && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; fail "the program stopped"; }
    sleep 0.1
done
cat "$log"
grep -q '^stored and read back: pet 1 "Rex"$' "$log" || fail "the client did not call the server"
base="$(sed -n 's|^API reference: \(http://[^/]*\)/docs$|\1|p' "$log")"
[[ -n "$base" ]] || fail "no API reference URL printed"
got="$(curl -sS "$base/v1/pets/1")"
[[ "$got" == '{"id":1,"name":"Rex"}' ]] || fail "GET /v1/pets/1 answered $got"
code="$(curl -sS -o /dev/null -w '%{http_code}' "$base/v1/pets/2")"
[[ "$code" == 404 ]] || fail "GET /v1/pets/2 answered $code, not 404"
code="$(curl -sS -o /dev/null -w '%{http_code}' "$base/v1/pets" -H 'content-type: application/json' -d '{"name": ""}')"
[[ "$code" == 400 ]] || fail "an empty name answered $code, not 400"
code="$(curl -sS -o /dev/null -w '%{http_code}' "$base/docs")"
[[ "$code" == 200 ]] || fail "/docs answered $code"
[[ -f data/pets.db ]] || fail "no data/pets.db: the pet was not stored in SQLite"
echo "outside crate: 6 passed, 0 failed"

#!/usr/bin/env bash
# The petstore's /docs page in a real browser (issue 17): Debian's headless Chromium, driven
# by playwright-core from the npm registry (tests/browser/docs.mjs). Installs what is missing,
# and says so when it cannot; starts `cargo run --example petstore` on a free port of
# 127.0.0.1, with its pets in memory; saves the screenshot as target/browser/docs.png.
#
#   bash .ci/browser.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="target/browser"
mkdir -p "$out"

need() { echo "browser test: $*" >&2; exit 1; }

if ! command -v chromium >/dev/null; then
    echo "browser test: installing Debian's chromium (apt-get)"
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
        need "chromium is not installed and apt-get cannot install it here: install the Debian package chromium"
    fi
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core) >"$out/apt.log" 2>&1 \
        || need "apt-get install chromium failed (see $out/apt.log)"
fi
command -v node >/dev/null || need "node is not installed (Debian package nodejs), playwright-core needs it"
command -v npm >/dev/null || need "npm is not installed (Debian package npm)"
if [[ ! -d "$out/node_modules/playwright-core" ]]; then
    echo "browser test: installing playwright-core (npm)"
    cp tests/browser/package.json "$out/package.json"
    (cd "$out" && npm install --no-audit --no-fund --loglevel=error) >"$out/npm.log" 2>&1 \
        || need "npm install playwright-core failed (see $out/npm.log)"
fi
cp tests/browser/docs.mjs "$out/docs.mjs"
echo "browser test: $(chromium --version 2>/dev/null || echo chromium), playwright-core $(node -p 'require("./'"$out"'/node_modules/playwright-core/package.json").version')"

# The build `cargo test --workspace --all-features` made, so CI builds nothing new here.
cargo build --workspace --all-features --locked --example petstore
log="$out/petstore.log"
PORT=0 "${CARGO_TARGET_DIR:-target}/debug/examples/petstore" --database-url memory: >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 600); do
    url="$(sed -n 's/^petstore: API reference at \(http[^ ]*\)$/\1/p' "$log")"
    [[ -n "$url" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; need "the petstore example stopped"; }
    sleep 0.1
done
[[ -n "$url" ]] || { cat "$log"; need "the petstore example printed no docs URL"; }
echo "browser test: $url"
# A pet, so that listPets shows one.
curl -fsS "${url%/docs}/v1/pets" -H 'content-type: application/json' -d '{"name": "Rex", "tag": "dog"}' >/dev/null
# `/` leads to the page.
[[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "${url%/docs}/")" == "303 $url" ]] \
    || need "/ does not redirect to /docs"
node "$out/docs.mjs" "$url" "$out/docs.png"

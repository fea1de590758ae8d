#!/usr/bin/env bash
# Dependency count and clean build time of the `specbind` runtime in the configurations a user
# picks (BENCHMARKS.md, "Features"). Each configuration is a fresh crate in a temporary folder
# with a path dependency on RUNTIME (default: this checkout's runtime/), built alone from
# nothing in its own target dir, one job, debug profile, with this workspace's Cargo.lock so
# the versions are the ones the workspace tests.
#
#   bash bench/features.sh [RUNTIME_DIR] > report.tsv
#   ONLY=client bash bench/features.sh ...      # one configuration
#   EXTRA_CONFIGS='name|features;...' bash ...  # more, as `name|what follows the path`
#
# Columns: configuration, features, crates (`cargo tree -e normal`: the crates linked into the
# program), compiled (units `cargo build` compiled, build scripts and proc macros included),
# seconds (wall time of that clean `cargo build`).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runtime="$(cd "${1:-$here/runtime}" && pwd)"
lock="$(cd "$runtime/.." && pwd)/Cargo.lock"
jobs="${CARGO_BUILD_JOBS:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

configs=(
    "default|"
    "models|default-features = false"
    "client|default-features = false, features = [\"client\"]"
    "server+sqlite|default-features = false, features = [\"server\", \"sqlite\"]"
)
[[ -n "${EXTRA_CONFIGS:-}" ]] && IFS=';' read -ra extra <<<"$EXTRA_CONFIGS" && configs+=("${extra[@]}")

printf 'configuration\tfeatures\tcrates\tcompiled\tseconds\n'
for c in "${configs[@]}"; do
    name="${c%%|*}"
    spec="${c#*|}"
    [[ -n "${ONLY:-}" && "$name" != "$ONLY" ]] && continue
    dir="$work/$name"
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<TOML
[package]
name = "feature-probe"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
specbind = { path = "$runtime"${spec:+, $spec} }

[workspace]
TOML
    echo 'pub use specbind::Validate;' >"$dir/src/lib.rs"
    cp "$lock" "$dir/Cargo.lock"
    (cd "$dir" && cargo fetch -q)
    crates="$(cd "$dir" && cargo tree -e normal --prefix none | sed 's/ (\*)//; s/ (proc-macro)//' | sort -u | wc -l)"
    start="$(date +%s.%N)"
    compiled="$(cd "$dir" && CARGO_BUILD_JOBS="$jobs" CARGO_TARGET_DIR="$dir/target" cargo build 2>&1 | grep -c '^ *Compiling ' || true)"
    end="$(date +%s.%N)"
    printf '%s\t%s\t%s\t%s\t%.0f\n' "$name" "${spec:-(defaults)}" "$crates" "$compiled" "$(echo "$end - $start" | bc)"
    rm -rf "$dir/target"
done

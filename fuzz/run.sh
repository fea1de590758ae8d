#!/usr/bin/env bash
# Builds the fuzz targets and runs each for SECONDS (default 60), one job, from the committed
# seeds (fuzz/seeds/<target>) into fuzz/corpus/<target>; a crash is saved in
# fuzz/artifacts/<target>/ and fails the script. `bash fuzz/run.sh 600` is the 10-minute run
# of RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(spec_loader server_request client_response)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# cargo-fuzz passes nightly-only flags; the stable toolchain accepts them with RUSTC_BOOTSTRAP.
# No sanitizer: the code under test is safe Rust, and panics are what is hunted.
RUSTC_BOOTSTRAP=1 CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}" cargo fuzz build -s none
bin=target/x86_64-unknown-linux-gnu/release
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    echo "-- $t: ${seconds} s"
    # -timeout: an input that runs 10 s counts as a crash (a hang).
    "$bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" "corpus/$t" "seeds/$t" 2>"corpus/$t.log" || {
        tail -50 "corpus/$t.log"
        echo "fuzz target $t failed; the input is in fuzz/artifacts/$t/"
        exit 1
    }
    grep -E "DONE|number_of_executed_units|peak_rss" "corpus/$t.log"
done

#!/usr/bin/env bash
# The benchmarks of issues 9 and 14 in one command: builds the harness (bench/, release, and
# section 4's baseline build of specbind 0d7c2b3), runs every benchmark against its anchor and
# writes bench/report.md.
#
#   bash bench/run.sh                # the full run (about 10 minutes on a 2-core machine once
#                                    # built; 20-25 the first time)
#   bash bench/run.sh --quick        # one short round of each, to check the harness; skips
#                                    # the workspace's `cargo bench` (section 5)
#   bash bench/run.sh --quick --workspace-benches
#                                    # the same, with section 5 run short (--seconds 1)
#
# The shared corpus is read from ../shared/corpus/specs next to the checkout, or from
# $SPECBIND_CORPUS. Scratch crates go to bench/target/scratch/. Nothing here fails on a
# missed goal: the report says which goals are met.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
report="$here/report.md"

quick=()
workspace_benches=1
for arg in "$@"; do
  case "$arg" in
    --quick)
      quick=(--quick)
      [[ " $* " == *" --workspace-benches "* ]] || workspace_benches=0
      ;;
    --workspace-benches) workspace_benches=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "unknown argument: $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

started=$(date +%s)
echo "== building the harness (bench/ and bench/validate/, release)" >&2
for manifest in "$here/Cargo.toml" "$here/validate/Cargo.toml"; do
  CARGO_TARGET_DIR="$here/target" cargo build --release --manifest-path "$manifest" >&2
done
bin="$here/target/release/specbind-bench"

# Section 4's "before": the current harness sources (bench/validate/, bench/specs/,
# bench/src/stats.rs) built against the baseline specbind, the last commit with `regress` and
# the hand-written simple-pattern fast path, taken with `git archive` under
# bench/target/baseline/src (ignored, never committed) and built without the `driver` feature
# into bench/target/baseline/target. specbind-bench-validate runs it as a worker.
baseline_commit=0d7c2b3
baseline="$here/target/baseline"
corpus="${SPECBIND_CORPUS:-$root/../shared/corpus/specs}"
if git -C "$root" cat-file -e "$baseline_commit^{commit}" 2>/dev/null; then
  src="$baseline/src"
  if [[ "$(cat "$baseline/commit" 2>/dev/null || true)" != "$baseline_commit" ]]; then
    echo "== taking specbind $baseline_commit into $src" >&2
    rm -rf "$src" "$baseline/commit" "$baseline/Cargo.lock.copied"
    mkdir -p "$src"
    git -C "$root" archive "$baseline_commit" | tar -x -C "$src"
    echo "$baseline_commit" >"$baseline/commit"
  fi
  mkdir -p "$src/bench/validate" "$src/bench/src" "$src/bench/specs"
  # Times kept (cp -p), so that an unchanged file rebuilds nothing; the lock file only when
  # it changed here (the baseline build adjusts its copy: regress instead of specbind-pattern).
  cp -p "$here/validate/Cargo.toml" "$here/validate/build.rs" "$src/bench/validate/"
  if ! cmp -s "$here/validate/Cargo.lock" "$baseline/Cargo.lock.copied"; then
    cp -p "$here/validate/Cargo.lock" "$src/bench/validate/Cargo.lock"
    cp -p "$here/validate/Cargo.lock" "$baseline/Cargo.lock.copied"
  fi
  rm -rf "$src/bench/validate/src"
  cp -rp "$here/validate/src" "$src/bench/validate/src"
  cp -p "$here/src/stats.rs" "$src/bench/src/stats.rs"
  cp -p "$here"/specs/* "$src/bench/specs/"
  echo "== building section 4's baseline (specbind $baseline_commit, release)" >&2
  SPECBIND_CORPUS="$corpus" CARGO_TARGET_DIR="$baseline/target" cargo build --release \
    --no-default-features --manifest-path "$src/bench/validate/Cargo.toml" >&2
else
  echo "== not a git checkout with commit $baseline_commit: section 4 has no \"before\"" >&2
fi

# The version of package $1 in the lock file $2.
locked() {
  awk -v want="name = \"$1\"" '$0 == want { getline; gsub(/version = |"/, ""); print; exit }' "$2"
}

cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
cores=$(nproc)
memory=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null || true)" ]]; then
  commit="$commit, with uncommitted changes"
fi
command="bash bench/run.sh${*:+ $*}"

tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.out"' EXIT
{
  echo "# Benchmarks against the anchors (issues 9 and 14)"
  echo
  echo "Every figure is a ratio measured in this run against its anchor, from medians of"
  echo "several runs. See [README.md](README.md) for what each figure measures."
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| command | \`$command\`$([[ ${#quick[@]} -gt 0 ]] && echo " (quick mode: one short round; figures only check the harness)") |"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| machine | $cores cores, ${cpu:-unknown CPU}, $memory |"
  echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo "| specbind | $commit |"
  echo "| toolchain | $(rustc --version) |"
  echo "| anchors | progenitor-impl $(locked progenitor-impl "$here/Cargo.lock"), openapiv3 $(locked openapiv3 "$here/Cargo.lock"), jsonschema $(locked jsonschema "$here/validate/Cargo.lock"), jsonschema-macros $(locked jsonschema-macros "$here/validate/Cargo.lock") |"
  echo "| section 4's baseline (specbind before) | $(cat "$baseline/commit" 2>/dev/null || echo "not built") |"
  echo
} >"$tmp"

status=0
echo "== running bench/target/release/specbind-bench ${quick[*]}" >&2
if ! "$bin" "${quick[@]}" >>"$tmp"; then
  status=1
fi

# Section 5: the workspace's own benchmarks, run where they live (read-only use of the
# checkout; they build in the workspace's target folder). Their markdown tables are copied,
# the rest of their output is kept below them.
workspace_bench() {
  local title=$1 goal=$2
  shift 2
  echo "### $title"
  echo
  echo "Command: \`cargo bench $*\` (in the checkout)."
  echo
  if (cd "$root" && cargo bench "$@") >"$tmp.out"; then
    grep '^|' "$tmp.out" || echo "(no table in its output)"
    echo
    echo "$goal"
    echo
    echo "<details><summary>Full output</summary>"
    echo
    echo '```text'
    grep -v '^|' "$tmp.out" | sed '/^$/d'
    echo '```'
    echo
    echo "</details>"
  else
    echo "**Failed** (see the run's standard error)."
    status=1
  fi
  echo
}

{
  echo "## 5. Server throughput and parallel calls (the workspace's benches)"
  echo
  if [[ $workspace_benches == 1 ]]; then
    seconds=5
    rounds=()
    if [[ ${#quick[@]} -gt 0 ]]; then
      seconds=1
      rounds=(--rounds 3)
    fi
    echo "== cargo bench --bench server (in $root)" >&2
    workspace_bench "Generated petstore server vs hand-written axum (benches/server.rs)" \
      "Goal (issue 3): generated ≥ 0.95× the hand-written server's requests per second." \
      --bench server -- --seconds "$seconds"
    echo "== cargo bench --bench parallel (in $root)" >&2
    workspace_bench "Parallel calls through a generated client (benches/parallel.rs)" \
      "Goal (issue 4): the 20 calls of 50 ms all at once take less than 10 × 50 ms." \
      --bench parallel -- "${rounds[@]}"
  else
    echo "Skipped in quick mode (add \`--workspace-benches\` to run them short)."
    echo
  fi
  echo "The whole run took $((($(date +%s) - started) / 60)) min $((($(date +%s) - started) % 60)) s."
} >>"$tmp"

mv "$tmp" "$report"
trap - EXIT
rm -f "$tmp.out"
echo "== wrote $report" >&2
exit "$status"

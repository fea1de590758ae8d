#!/usr/bin/env bash
# Lines generated per corpus spec (models, server and client; every operation bound), for
# CORPUS.md's "Lines per operation". One line per spec: name, all files, models + inputs
# (types.rs + operations.rs), server.rs, client.rs.
#   bash bench/lines.sh target/release/specbind ../shared/corpus/specs > lines.txt
set -euo pipefail
bin=$1; specs=${2:-../shared/corpus/specs}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
for f in "$specs"/*; do
  n=$(basename "$f")
  if ! "$bin" generate --models --server --client --bind-all -o "$out/x" "$f" >/dev/null 2>&1; then
    echo "$n FAIL"; continue
  fi
  d=$(ls -d "$out"/x/*/ | head -1)
  echo "$n $(cat "$d"/*.rs | wc -l) $(cat "$d"/types.rs "$d"/operations.rs 2>/dev/null | wc -l) $(cat "$d"/server.rs 2>/dev/null | wc -l) $(cat "$d"/client.rs | wc -l)"
  rm -rf "$out/x"
done

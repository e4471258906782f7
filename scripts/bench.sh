#!/usr/bin/env bash
# Benchmark: the whole process, as users run it (release build). Uses hyperfine when it is
# installed, else a timed shell loop. Prints the mean wall time per run.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/litellm-lint
corpus="${1:-../shared/corpus/configs}"
one=examples/config.yaml
runs=50
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 -N -i "$bin check --output-format json $one" "$bin check --output-format json $corpus"
  hyperfine --warmup 3 -N -i --input "$one" "$bin check --output-format concise --stdin-filename $one -"
  exit 0
fi
measure() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq $runs); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  echo "$(( (end - start) / runs / 1000 )) us"
}
echo "one config ($one), mean of $runs runs: $(measure $bin check --output-format json $one)"
# What an editor runs on save: the buffer on stdin.
measure_stdin() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq $runs); do "$bin" check --output-format concise --stdin-filename "$one" - <"$one" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  echo "$(( (end - start) / runs / 1000 )) us"
}
echo "one config on stdin (editor on save), mean of $runs runs: $(measure_stdin)"
if [ -d "$corpus" ]; then
  echo "corpus ($(ls "$corpus" | wc -l) files, one process), mean of $runs runs: $(measure $bin check --output-format json "$corpus")"
fi

#!/usr/bin/env bash
# Runs litellm-lint over every real config of the corpus. Fails on a crash, on exit code 2 for
# any file other than the two known-broken ones, and on LL001 for a valid file.
# Prints the counts per code.
set -uo pipefail
dir="${1:-../shared/corpus/configs}"
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/litellm-lint
broken="zanbei__multiLLMGateway__litellm__litellm_config.yaml trailofbits__buttercup__deployment__k8s__values.yaml"
fail=0
total=0
tmp=$(mktemp)
for f in "$dir"/*; do
  total=$((total + 1))
  name=$(basename "$f")
  out=$("$bin" check --output-format concise "$f" 2>&1)
  rc=$?
  printf '%s\n' "$out" >> "$tmp"
  is_broken=0
  case " $broken " in *" $name "*) is_broken=1 ;; esac
  if [ $rc -gt 2 ]; then echo "CRASH (exit $rc): $name"; echo "$out" | tail -5; fail=1; continue; fi
  if [ $is_broken = 1 ]; then
    if [ $rc -ne 2 ] || ! grep -q 'LL001' <<<"$out"; then echo "MISSED: $name should give LL001 and exit 2"; fail=1; fi
    continue
  fi
  if [ $rc -eq 2 ]; then echo "EXIT 2 on a valid file: $name"; echo "$out" | head -5; fail=1; fi
  if grep -q 'LL001' <<<"$out"; then echo "LL001 on a valid file: $name"; fail=1; fi
done
echo "corpus: $total files; findings per code:"
grep -oE ': LL[0-9]{3} ' "$tmp" | sort | uniq -c | sed 's/: //' || true
rm -f "$tmp"
if [ $fail -ne 0 ]; then echo "corpus check FAILED"; exit 1; fi
echo "corpus check passed"

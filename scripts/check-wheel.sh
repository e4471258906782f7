#!/usr/bin/env bash
# The Python package, end to end: build the wheel with maturin (pyproject.toml, `bindings =
# "bin"`), install it into a fresh venv, and check that `litellm-lint` is on PATH there and
# finds the known problems of examples/config.yaml, from a file and from stdin.
#
# CI builds with `--release`: on 2 cores a warm `--profile dist` build (thin LTO, one codegen
# unit) takes about 65 s against 25 s (both about 2 min 15 s cold); the published wheels use
# `dist` (the profile pyproject.toml sets). Set WHEEL_PROFILE=dist to build those here.
#
# Needs python3 with venv and PyPI (for maturin). Without python3 the check is skipped, unless
# CI is set: on CI it must run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  if [ -n "${CI:-}" ]; then
    echo "wheel: python3 with venv is required on CI" >&2
    exit 1
  fi
  echo "wheel: python3 with venv not available, skipped"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

python3 -m venv "$tmp/build"
"$tmp/build/bin/pip" install --quiet 'maturin>=1.9,<2'
profile="${WHEEL_PROFILE:-release}"
start=$(date +%s%N)
"$tmp/build/bin/maturin" build --profile "$profile" --out "$tmp/wheels" >"$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log" >&2; echo "wheel: maturin build failed" >&2; exit 1; }
end=$(date +%s%N)
wheel=$(ls "$tmp"/wheels/*.whl)
echo "wheel: built $(basename "$wheel") ($profile profile) in $(( (end - start) / 1000000 )) ms"

python3 -m venv "$tmp/use"
"$tmp/use/bin/pip" install --quiet "$wheel"

fail() { echo "wheel: $*" >&2; exit 1; }
# The installed command, found through PATH as a user of the venv finds it.
(
  # shellcheck disable=SC1091
  . "$tmp/use/bin/activate"
  [ "$(command -v litellm-lint)" = "$tmp/use/bin/litellm-lint" ] ||
    fail "litellm-lint is not on the venv's PATH"
  litellm-lint --version | grep -q "^litellm-lint $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)$" ||
    fail "unexpected --version: $(litellm-lint --version)"

  set +e
  out=$(litellm-lint check --no-color --output-format concise examples/config.yaml)
  rc=$?
  set -e
  [ "$rc" = 1 ] || fail "check examples/config.yaml: exit code $rc, expected 1"$'\n'"$out"
  grep -q '^examples/config.yaml:19:36: LL104 \[error\]' <<<"$out" ||
    fail "check examples/config.yaml: no LL104 at 19:36"$'\n'"$out"

  set +e
  stdin_out=$(litellm-lint check --output-format concise --stdin-filename examples/config.yaml - <examples/config.yaml)
  rc=$?
  set -e
  [ "$rc" = 1 ] && [ "$stdin_out" = "$out" ] || fail "stdin check differs from the file check"

  litellm-lint rule LL104 | grep -q '^# LL104 fallback-target-unknown$' || fail "rule LL104"
)
echo "wheel: installed into a fresh venv; litellm-lint on PATH finds LL104 in examples/config.yaml"

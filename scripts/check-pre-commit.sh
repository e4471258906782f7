#!/usr/bin/env bash
# The pre-commit hook of .pre-commit-hooks.yaml, end to end: install pre-commit into a throwaway
# venv, make a snapshot of this working tree (committed or not) a git repository, point a
# temporary project's .pre-commit-config.yaml at it, and check that `git commit` is refused on a
# bad config (with our finding in the output) and goes through on a good one.
#
# pre-commit installs the hook with pip (`language: python`), which builds the binary with
# maturin; MATURIN_PEP517_ARGS makes that the release profile and CARGO_TARGET_DIR lets it reuse
# this repository's compiled dependencies.
#
# Needs python3 with venv and PyPI (for pre-commit and maturin). Without python3 the check is
# skipped, unless CI is set: on CI it must run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  if [ -n "${CI:-}" ]; then
    echo "pre-commit: python3 with venv is required on CI" >&2
    exit 1
  fi
  echo "pre-commit: python3 with venv not available, skipped"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PRE_COMMIT_HOME="$tmp/pre-commit-home"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
export MATURIN_PEP517_ARGS="--profile release"
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.invalid
export GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.invalid
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet pre-commit
pre_commit="$tmp/venv/bin/pre-commit"

# The hook repository: this working tree as it is (tracked and new files, not ignored ones).
hooks="$tmp/hook-repo"
mkdir "$hooks"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -xf - -C "$hooks"
git -C "$hooks" init --quiet
git -C "$hooks" add -A
git -C "$hooks" commit --quiet -m snapshot
rev=$(git -C "$hooks" rev-parse HEAD)

# A project that uses the hook.
project="$tmp/project"
mkdir "$project"
cd "$project"
git init --quiet
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: litellm-lint
EOF
"$pre_commit" install >/dev/null

cat >config.yaml <<'EOF'
model_list:
  - model_name: gpt-4o
    litellm_params: {model: openai/gpt-4o}
  - model_name: claude-sonnet
    litellm_params: {model: anthropic/claude-sonnet-4-6}
router_settings:
  num_retries: 2
  fallbacks:
    - gpt-4o: ["claude-sonet"]
EOF
printf 'import openai\n' >app.py
git add .pre-commit-config.yaml config.yaml app.py
start=$(date +%s%N)
set +e
out=$(git commit -m bad 2>&1)
rc=$?
set -e
end=$(date +%s%N)
fail() { echo "pre-commit: $*" >&2; printf '%s\n' "$out" >&2; exit 1; }
[ "$rc" != 0 ] || fail "the commit of a bad config went through"
grep -q 'config.yaml:9:16' <<<"$out" || fail "no finding at config.yaml:9:16 in the hook's output"
grep -q 'LL104' <<<"$out" || fail "no LL104 in the hook's output"
echo "pre-commit: bad config refused with LL104 (hook installed and run in $(( (end - start) / 1000000 )) ms)"

sed -i 's/claude-sonet/claude-sonnet/' config.yaml
git add config.yaml
set +e
out=$(git commit -m good 2>&1)
rc=$?
set -e
[ "$rc" = 0 ] || fail "the commit of a good config was refused"
grep -q 'litellm-lint.*Passed' <<<"$out" || fail "the hook did not run on the good config"
echo "pre-commit: good config committed"

#!/usr/bin/env python3
"""Validate the real-config corpus against schemas/litellm-proxy-config.schema.json.

Usage:
    python scripts/check_schema_corpus.py [CORPUS_DIR] [--schema PATH] [--quiet] [--expect N]

CORPUS_DIR defaults to ../shared/corpus/configs relative to the repository root.
Needs `jsonschema` and `pyyaml` (use a throwaway venv, e.g.
`python3 -m venv /tmp/venv && /tmp/venv/bin/pip install jsonschema pyyaml`).

What it does:
  1. checks that the schema itself is valid JSON Schema 2020-12;
  2. loads every *.yaml / *.yml file with yaml.safe_load (files PyYAML rejects are listed as
     parse errors and skipped, the corpus has two on purpose);
  3. finds the LiteLLM config: the document itself, or, for Helm values files, the mapping
     under `proxy_config:` at the top level or one level down;
  4. validates it and prints every error as `file: $.json.path: message`, then counts.

Exit status: 0 when there are no schema errors (or exactly --expect N of them), 1 otherwise,
2 on a usage error. Every error left on the corpus was reviewed as a true finding (an unknown
key LiteLLM ignores, a key in the wrong place, a value LiteLLM rejects); see the schema's
descriptions for why.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

try:
    import yaml
    from jsonschema import Draft202012Validator
except ImportError as exc:  # pragma: no cover
    sys.stderr.write(f"error: {exc}; install with `pip install jsonschema pyyaml`\n")
    sys.exit(2)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = REPO / "schemas" / "litellm-proxy-config.schema.json"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "configs"


def find_config(doc):
    """Return (config, prefix) where prefix is the JSON path of the config inside the file."""
    if isinstance(doc, dict):
        if isinstance(doc.get("proxy_config"), dict):
            return doc["proxy_config"], "$.proxy_config"
        for key, value in doc.items():
            if isinstance(value, dict) and isinstance(value.get("proxy_config"), dict):
                return value["proxy_config"], f"$.{key}.proxy_config"
    return doc, "$"


def json_path(prefix: str, path) -> str:
    out = prefix
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.replace("_", "").replace("-", "").isalnum():
            out += f".{part}"
        else:
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return out


def leaf_errors(err):
    """Descend into anyOf/oneOf errors so the report points at the real problem.

    A value that fails `anyOf: [A, null]` yields one error per branch. Branches that fail only
    because the value is not of that branch's type at all (e.g. "is not of type 'null'") are
    dropped; when exactly one branch is left, its own errors are reported instead.
    """
    if not err.context:
        yield err
        return
    branches = {}
    for sub in err.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    depth = len(err.absolute_path)
    candidates = [
        subs for subs in branches.values()
        if not all(s.validator in ("type", "enum", "const", "pattern") and len(s.absolute_path) == depth for s in subs)
    ]
    if len(candidates) == 1:
        for sub in candidates[0]:
            yield from leaf_errors(sub)
    else:
        yield err


def message(err) -> str:
    """The validator's message, reworded for the two cases where it is unhelpful."""
    if err.validator == "not" and err.schema.get("not") == {}:
        # keys the schema lists only to forbid them carry the reason in their description
        msg = "key not allowed here: " + err.schema.get("description", "")
    elif err.validator == "additionalProperties" and err.validator_value is False and isinstance(err.instance, dict):
        known = set(err.schema.get("properties", {}))
        patterns = [re.compile(p) for p in err.schema.get("patternProperties", {})]
        extra = [k for k in err.instance if k not in known and not any(p.search(k) for p in patterns)]
        msg = "unknown key(s): " + ", ".join(repr(k) for k in extra)
    else:
        msg = err.message
    return msg if len(msg) <= 300 else msg[:297] + "..."


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS), help="folder of YAML configs")
    ap.add_argument("--schema", default=str(DEFAULT_SCHEMA), help="schema to validate against")
    ap.add_argument("--quiet", action="store_true", help="print only the summary")
    ap.add_argument("--expect", type=int, metavar="N",
                    help="exit 0 only when exactly N schema errors are found (pin the reviewed count in CI)")
    args = ap.parse_args()

    schema_path = Path(args.schema)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.stderr.write(f"error: corpus folder not found: {corpus}\n")
        return 2
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    print(f"schema OK (Draft 2020-12): {schema_path}")
    validator = Draft202012Validator(schema)

    files = sorted(p for p in corpus.iterdir() if p.suffix in (".yaml", ".yml"))
    n_errors = 0
    n_files_with_errors = 0
    parse_failures = []
    for path in files:
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{mark.line + 1}:{mark.column + 1}" if mark else "?"
            parse_failures.append(f"{path.name}:{where}: {getattr(exc, 'problem', exc)}")
            continue
        config, prefix = find_config(doc)
        errors = [leaf for top in validator.iter_errors(config) for leaf in leaf_errors(top)]
        errors.sort(key=lambda e: [str(p) for p in e.absolute_path])
        if errors:
            n_files_with_errors += 1
        for err in errors:
            n_errors += 1
            if not args.quiet:
                print(f"{path.name}: {json_path(prefix, err.absolute_path)}: {message(err)}")
    for line in parse_failures:
        print(f"PARSE ERROR (skipped) {line}")
    print(
        f"{n_errors} schema error(s) in {n_files_with_errors} file(s); "
        f"{len(files) - len(parse_failures)} file(s) validated, {len(parse_failures)} skipped (parse errors)"
    )
    if args.expect is not None:
        if n_errors != args.expect:
            print(f"expected {args.expect} schema error(s), found {n_errors}")
            return 1
        return 0
    return 1 if n_errors else 0


if __name__ == "__main__":
    sys.exit(main())

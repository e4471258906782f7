#!/usr/bin/env python3
"""Check rules/streaming/*.toml against the measured LiteLLM oracle.

Standard library only (Python >= 3.11 for tomllib; PyYAML is used for an extra
cross-check of the scenario YAML files when it happens to be installed).

What it does
  1. Validates rules/streaming/behavior.toml ([[row]], [[retry]], [[timeout]],
     [[no_fallback_leak]]) and rules/streaming/lazy-providers.toml.
  2. Checks that, for every (shape, provider, fallback[, cause]) combination, the
     [[row]] version ranges partition [0.0.0, inf) with no gap and no overlap, and
     that [[retry]] / [[timeout]] rows never overlap.
  3. For every record of tests/data/oracle/RESULTS.jsonl and RESULTS-1.110.2.jsonl (copies of
     /work/shared/oracle/RESULTS.jsonl and RESULTS-1.110.2.jsonl) whose probe maps to a shape
     (tests/data/oracle/probes.toml), predicts the outcome and compares:
       openai_stream     -> row.stream
       pydantic_stream   -> row.stream_pydantic if present, else row.stream
       openai_nonstream,
       pydantic_run      -> row.nonstream
     plus the HTTP status of failed streams (row.status / row.status_pydantic), the
     primary's upstream call count when the scenario has num_retries > 0 ([[retry]]),
     the gem-flaky probe against [[retry]] and gem-slow against [[timeout]].
  4. Checks that `confidence` is honest: a row marked "observed" must be hit by at
     least one record; a row marked "source" must not be hit by any.
  5. Cross-checks probes.toml's provider laziness against lazy-providers.toml.

Exit status: 0 when everything matches, 1 otherwise.
Usage: python3 scripts/check_streaming_data.py [-v] [--results PATH]...
  --results PATH  read oracle records from PATH instead of the default files of step 3;
                  repeatable (the records of all files are checked together). With --results
                  step 4 only checks that no "source" row is hit ("observed" rows need every
                  record). Each record is judged at its own `version`; rows with an open upper
                  bound (">=A") cover it.
"""
from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEHAVIOR = ROOT / "rules" / "streaming" / "behavior.toml"
LAZY = ROOT / "rules" / "streaming" / "lazy-providers.toml"
PROBES = ROOT / "tests" / "data" / "oracle" / "probes.toml"
RESULTS = [ROOT / "tests" / "data" / "oracle" / "RESULTS.jsonl",
           ROOT / "tests" / "data" / "oracle" / "RESULTS-1.110.2.jsonl"]
SCENARIO_DIR = ROOT / "tests" / "data" / "oracle" / "scenarios"

SHAPES = ["pre_body_429", "pre_body_5xx", "inband_before_token", "after_tokens", "slow_first_byte"]
PROVIDERS = ["lazy", "eager"]
FALLBACKS = ["config", "request", "none"]
CAUSES = ["inband_error", "cut_connection"]
OUTCOMES = {"fell_back", "fell_back_after_partial", "failed", "failed_after_partial",
            "truncated_silently", "empty_answer", "primary_ok", "unknown"}
CONFIDENCE = {"observed", "source"}
STREAM_KINDS = {"openai_stream", "pydantic_stream"}
NONSTREAM_KINDS = {"openai_nonstream", "pydantic_run"}
FAILED = {"failed", "failed_after_partial"}

INF = (10**9,)
ZERO = (0, 0, 0)

errors: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


# --------------------------------------------------------------------------- versions

def parse_version(v: str) -> tuple[int, ...]:
    """'1.80.11' -> (1, 80, 11); suffixes such as '.post1' or 'rc3' are ignored."""
    parts = []
    for comp in v.strip().split(".")[:3]:
        m = re.match(r"\d+", comp)
        if not m:
            break
        parts.append(int(m.group()))
    if not parts:
        raise ValueError(f"bad version {v!r}")
    while len(parts) < 3:
        parts.append(0)
    return tuple(parts)


def fmt(v: tuple[int, ...]) -> str:
    return "inf" if v == INF else ".".join(map(str, v))


OPS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}


def parse_spec(spec: str) -> list[tuple[str, tuple[int, ...]]]:
    out = []
    for part in spec.split(","):
        part = part.strip()
        m = re.fullmatch(r"(>=|<=|==|>|<)\s*([0-9][0-9A-Za-z.]*)", part)
        if not m:
            raise ValueError(f"bad version comparison {part!r} in {spec!r}")
        out.append((m.group(1), parse_version(m.group(2))))
    return out


def in_spec(v: tuple[int, ...], spec: str) -> bool:
    return all(OPS[op](v, bound) for op, bound in parse_spec(spec))


def interval(spec: str, where: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Half-open [lo, hi) for specs made of one '>=' and at most one '<'."""
    try:
        comps = parse_spec(spec)
    except ValueError as e:
        err(f"{where}: {e}")
        return None
    lo, hi = None, INF
    for op, b in comps:
        if op == ">=" and lo is None:
            lo = b
        elif op == "<" and hi == INF:
            hi = b
        else:
            err(f"{where}: versions {spec!r} must be '>=A' or '>=A,<B'")
            return None
    if lo is None:
        err(f"{where}: versions {spec!r} has no lower bound")
        return None
    if not lo < hi:
        err(f"{where}: empty range {spec!r}")
        return None
    return lo, hi


# --------------------------------------------------------------------------- loading / schema

def load_toml(path: Path) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def check_evidence(obj: dict, where: str) -> None:
    ev = obj.get("evidence")
    if not isinstance(ev, list) or not ev or not all(isinstance(e, str) and e.strip() for e in ev):
        err(f"{where}: evidence must be a non-empty list of strings")


def row_name(i: int, r: dict) -> str:
    c = f"/{r['cause']}" if r.get("cause") else ""
    return f"row[{i}] {r.get('shape')}/{r.get('provider')}/{r.get('fallback')}{c} {r.get('versions')}"


def validate_rows(rows: list[dict]) -> None:
    allowed = {"shape", "cause", "provider", "fallback", "versions", "stream", "stream_pydantic",
               "nonstream", "status", "status_pydantic", "confidence", "evidence", "verified_for"}
    for i, r in enumerate(rows):
        w = row_name(i, r)
        for k in r:
            if k not in allowed:
                err(f"{w}: unknown field {k!r}")
        for k in ("shape", "provider", "fallback", "versions", "stream", "nonstream", "confidence"):
            if k not in r:
                err(f"{w}: missing {k!r}")
        if r.get("shape") not in SHAPES:
            err(f"{w}: bad shape {r.get('shape')!r}")
        if r.get("provider") not in PROVIDERS:
            err(f"{w}: bad provider {r.get('provider')!r}")
        if r.get("fallback") not in FALLBACKS:
            err(f"{w}: bad fallback {r.get('fallback')!r}")
        if "cause" in r and (r.get("shape") != "after_tokens" or r["cause"] not in CAUSES):
            err(f"{w}: cause is only for after_tokens and must be one of {CAUSES}")
        for k in ("stream", "stream_pydantic", "nonstream"):
            if k in r and r[k] not in OUTCOMES:
                err(f"{w}: bad {k} {r[k]!r}")
        for k in ("status", "status_pydantic"):
            if k in r and not (isinstance(r[k], int) and 100 <= r[k] <= 599):
                err(f"{w}: bad {k} {r[k]!r}")
        if r.get("confidence") not in CONFIDENCE:
            err(f"{w}: bad confidence {r.get('confidence')!r}")
        if "verified_for" in r and not (isinstance(r["verified_for"], list) and r["verified_for"]):
            err(f"{w}: verified_for must be a non-empty list")
        check_evidence(r, w)


def check_partition(rows: list[dict]) -> int:
    """Every combination must cover [0.0.0, inf) exactly once. Returns #combinations."""
    n = 0
    for shape in SHAPES:
        for prov in PROVIDERS:
            for fb in FALLBACKS:
                causes = CAUSES if shape == "after_tokens" else [None]
                for cause in causes:
                    n += 1
                    key = f"{shape}/{prov}/{fb}" + (f"/{cause}" if cause else "")
                    ivs = []
                    for i, r in enumerate(rows):
                        if (r.get("shape"), r.get("provider"), r.get("fallback")) != (shape, prov, fb):
                            continue
                        if cause is not None and r.get("cause") not in (None, cause):
                            continue
                        iv = interval(r.get("versions", ""), row_name(i, r))
                        if iv:
                            ivs.append((iv[0], iv[1], i))
                    if not ivs:
                        err(f"partition {key}: no rows")
                        continue
                    ivs.sort()
                    pos = ZERO
                    for lo, hi, i in ivs:
                        if lo > pos:
                            err(f"partition {key}: gap [{fmt(pos)}, {fmt(lo)})")
                        elif lo < pos:
                            err(f"partition {key}: overlap at [{fmt(lo)}, {fmt(min(pos, hi))}) (row {i})")
                        pos = max(pos, hi)
                    if pos != INF:
                        err(f"partition {key}: gap [{fmt(pos)}, inf)")
    return n


def check_no_overlap(table: list[dict], keyf, name: str) -> None:
    groups = defaultdict(list)
    for i, r in enumerate(table):
        iv = interval(r.get("versions", ""), f"{name}[{i}]")
        if iv:
            groups[keyf(r)].append((iv[0], iv[1], i))
    for key, ivs in groups.items():
        ivs.sort()
        for (lo1, hi1, i1), (lo2, hi2, i2) in zip(ivs, ivs[1:]):
            if lo2 < hi1:
                err(f"{name} {key}: rows {i1} and {i2} overlap")


def validate_aux(beh: dict) -> None:
    for i, r in enumerate(beh.get("retry", [])):
        w = f"retry[{i}] {r.get('shape')}/{r.get('provider')} {r.get('versions')}"
        if r.get("shape") not in SHAPES or r.get("provider") not in PROVIDERS:
            err(f"{w}: bad shape/provider")
        if not isinstance(r.get("stream_retries"), bool):
            err(f"{w}: stream_retries must be a bool")
        if r.get("confidence") not in CONFIDENCE:
            err(f"{w}: bad confidence")
        check_evidence(r, w)
    check_no_overlap(beh.get("retry", []), lambda r: (r.get("shape"), r.get("provider")), "retry")
    for i, r in enumerate(beh.get("timeout", [])):
        w = f"timeout[{i}] {r.get('provider')} {r.get('versions')}"
        if r.get("provider") not in PROVIDERS:
            err(f"{w}: bad provider")
        if not isinstance(r.get("stream_timeout_enforced_before_first_byte"), bool):
            err(f"{w}: stream_timeout_enforced_before_first_byte must be a bool")
        if r.get("confidence") not in CONFIDENCE:
            err(f"{w}: bad confidence")
        check_evidence(r, w)
    check_no_overlap(beh.get("timeout", []), lambda r: r.get("provider"), "timeout")
    leaks = beh.get("no_fallback_leak", [])
    if not leaks:
        err("no [[no_fallback_leak]] rows")
    for i, r in enumerate(leaks):
        w = f"no_fallback_leak[{i}] {r.get('versions')}"
        interval(r.get("versions", ""), w)
        for k in ("reproduced", "error_leak_observed", "cpu_spin_reported"):
            if not isinstance(r.get(k), bool):
                err(f"{w}: {k} must be a bool")
        if r.get("confidence") not in CONFIDENCE:
            err(f"{w}: bad confidence")
        check_evidence(r, w)
    check_no_overlap(leaks, lambda r: r.get("provider"), "no_fallback_leak")


# --------------------------------------------------------------------------- lazy providers

def validate_lazy(lazy: dict) -> list[dict]:
    provs = lazy.get("provider", [])
    if not provs:
        err("lazy-providers.toml: no [[provider]] rows")
    for i, p in enumerate(provs):
        w = f"lazy-providers[{i}] {p.get('prefix')}/{p.get('model_prefix', '')}"
        if not isinstance(p.get("prefix"), str) or not p["prefix"]:
            err(f"{w}: prefix required")
        try:
            parse_spec(p.get("lazy", ""))
        except ValueError as e:
            err(f"{w}: {e}")
        if p.get("status", "known") not in ("known", "unknown"):
            err(f"{w}: status must be 'unknown' when present")
        check_evidence(p, w)
    return provs


def classify(model: str, version: tuple[int, ...], provs: list[dict]) -> str:
    """'lazy' | 'eager' | 'unknown' for a litellm_params.model string at a version."""
    prefix, _, rest = model.partition("/")
    if not rest:
        return "eager"
    best = None
    for p in provs:
        mp = p.get("model_prefix", "")
        if p["prefix"] == prefix and rest.startswith(mp):
            if best is None or len(mp) > len(best.get("model_prefix", "")):
                best = p
    if best is None or not in_spec(version, best["lazy"]):
        return "eager"
    return "unknown" if best.get("status") == "unknown" else "lazy"


# --------------------------------------------------------------------------- prediction

def find_one(rows: list[dict], pred, version: tuple[int, ...], what: str):
    hits = [(i, r) for i, r in enumerate(rows) if pred(r) and in_spec(version, r["versions"])]
    if len(hits) != 1:
        return None, f"{what}: {len(hits)} rows match version {fmt(version)}"
    return hits[0], None


def main() -> int:
    args = sys.argv[1:]
    verbose = "-v" in args
    results: list[Path] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--results" and i + 1 < len(args):
            results.append(Path(args[i + 1]))
            i += 2
            continue
        if a.startswith("--results="):
            results.append(Path(a.split("=", 1)[1]))
        elif a != "-v":
            print(f"unknown argument {a!r}", file=sys.stderr)
            return 2
        i += 1
    if not results:
        results = RESULTS
    beh = load_toml(BEHAVIOR)
    lazy = load_toml(LAZY)
    probes_doc = load_toml(PROBES)
    rows = beh.get("row", [])
    retry = beh.get("retry", [])
    timeout = beh.get("timeout", [])

    validate_rows(rows)
    ncomb = check_partition(rows)
    validate_aux(beh)
    provs = validate_lazy(lazy)

    probes = probes_doc.get("probe", {})
    scenarios = probes_doc.get("scenario", {})

    # scenario YAML files: one per scenario, optional content cross-check with PyYAML
    yaml_note = ""
    for name in scenarios:
        if not (SCENARIO_DIR / f"{name}.yaml").is_file():
            err(f"missing scenario file {SCENARIO_DIR / (name + '.yaml')}")
    for f in SCENARIO_DIR.glob("*.yaml"):
        if f.stem not in scenarios:
            err(f"{f}: scenario not described in probes.toml")
    try:
        import yaml  # type: ignore
    except ImportError:
        yaml = None
        yaml_note = " (scenario YAML content cross-check skipped: PyYAML not installed)"
    if yaml is not None:
        for name, sc in scenarios.items():
            p = SCENARIO_DIR / f"{name}.yaml"
            if not p.is_file():
                continue
            cfg = yaml.safe_load(p.read_text())
            rs = cfg.get("router_settings") or {}
            ls = cfg.get("litellm_settings") or {}
            fbs = rs.get("fallbacks") or ls.get("fallbacks") or []
            covered = sorted({k for e in fbs for k in e})
            if rs.get("default_fallbacks") or ls.get("default_fallbacks"):
                covered = sorted(set(covered) | {"*"})
            if sc["fallback"] == "config" and covered != sorted(sc["groups_with_fallback"]):
                err(f"probes.toml scenario {name}: groups_with_fallback {sorted(sc['groups_with_fallback'])} != YAML {covered}")
            if sc["fallback"] != "config" and covered:
                err(f"probes.toml scenario {name}: fallback={sc['fallback']} but the YAML has config fallbacks {covered}")
            nr = rs.get("num_retries", ls.get("num_retries", 0))
            if nr != sc.get("num_retries"):
                err(f"probes.toml scenario {name}: num_retries {sc.get('num_retries')} != YAML {nr}")
            models = {d["model_name"]: d["litellm_params"]["model"] for d in cfg["model_list"]}
            for g, m in models.items():
                if g in probes and probes[g]["model"] != m:
                    err(f"probes.toml probe {g}: model {probes[g]['model']} != YAML {m} in {name}")

    records = [json.loads(line) for path in results
               for line in path.read_text().splitlines() if line.strip()]
    records = [r for r in records if not r.get("summary")]
    row_hits: Counter = Counter()
    retry_hits: Counter = Counter()
    timeout_hits: Counter = Counter()
    checked = matched = 0
    unmapped: Counter = Counter()
    unmapped_reason: dict[str, str] = {}
    partial_unmapped: Counter = Counter()
    comparisons: Counter = Counter()
    mismatches: list[str] = []

    for rec in records:
        probe = probes.get(rec["probe"])
        sc = scenarios.get(rec["scenario"])
        tag = f"{rec['scenario']}/{rec['probe']} @ {rec['version']} {rec['kind']}"
        if probe is None or sc is None:
            unmapped[rec["probe"]] += 1
            unmapped_reason[rec["probe"]] = "probe or scenario missing from probes.toml"
            continue
        if probe["check"] == "skip":
            unmapped[rec["probe"]] += 1
            unmapped_reason[rec["probe"]] = probe.get("note", "skip").split(". ")[0]
            continue
        v = parse_version(rec["version"])
        kind = rec["kind"]
        stream = kind in STREAM_KINDS
        if kind not in STREAM_KINDS | NONSTREAM_KINDS:
            err(f"{tag}: unknown kind")
            continue

        # provider laziness must agree with lazy-providers.toml
        cls = classify(probe["model"], v, provs)
        if cls != probe["provider"]:
            err(f"{tag}: probes.toml says {probe['provider']} but lazy-providers.toml classifies "
                f"{probe['model']} as {cls} at {rec['version']}")

        gwf = sc.get("groups_with_fallback", [])
        fallback = sc["fallback"] if (probe["group"] in gwf or "*" in gwf) else "none"
        problems: list[str] = []

        def cmp(what: str, expected, actual):
            comparisons[what] += 1
            if expected != actual:
                problems.append(f"{what}: predicted {expected!r}, recorded {actual!r}")

        if probe["check"] == "baseline":
            cmp("outcome", "primary_ok", rec["outcome"])

        elif probe["check"] in ("behavior", "timeout"):
            shape, prov, cause = probe["shape"], probe["provider"], probe.get("cause")
            hit, why = find_one(
                rows,
                lambda r: (r["shape"], r["provider"], r["fallback"]) == (shape, prov, fallback)
                and r.get("cause") in (None, cause),
                v, f"{shape}/{prov}/{fallback}")
            if hit is None:
                problems.append(why)
            else:
                i, row = hit
                row_hits[i] += 1
                if stream:
                    pyd = kind == "pydantic_stream"
                    exp = row.get("stream_pydantic", row["stream"]) if pyd else row["stream"]
                    cmp("outcome", exp, rec["outcome"])
                    if exp in FAILED:
                        if pyd:
                            st = row.get("status_pydantic", row.get("status") if "stream_pydantic" not in row else None)
                        else:
                            st = row.get("status")
                        if st is not None:
                            cmp("status", st, rec["http_status"])
                else:
                    cmp("outcome", row["nonstream"], rec["outcome"])

            # retries: primary upstream call count
            n = sc.get("num_retries", 0)
            if n and shape in ("pre_body_429", "pre_body_5xx"):
                if stream:
                    rh, why = find_one(retry, lambda r: (r["shape"], r["provider"]) == (shape, prov), v,
                                       f"retry {shape}/{prov}")
                    if rh is None:
                        partial_unmapped["retry count (no [[retry]] row)"] += 1
                    else:
                        retry_hits[rh[0]] += 1
                        cmp("primary_calls", 1 + n if rh[1]["stream_retries"] else 1,
                            rec["primary_upstream_calls"])
                else:
                    cmp("primary_calls", 1 + n, rec["primary_upstream_calls"])

            if probe["check"] == "timeout" and stream:
                th, why = find_one(timeout, lambda r: r["provider"] == prov, v, f"timeout {prov}")
                if th is None:
                    partial_unmapped["timeout (no [[timeout]] row)"] += 1
                else:
                    timeout_hits[th[0]] += 1
                    if th[1]["stream_timeout_enforced_before_first_byte"]:
                        exp = "fell_back" if fallback != "none" else "failed"
                    else:
                        exp = "primary_ok"
                    cmp("timeout_outcome", exp, rec["outcome"])

        elif probe["check"] == "retry":
            shape, prov = probe["retry_shape"], probe["provider"]
            n = sc.get("num_retries", 0)
            if stream:
                rh, why = find_one(retry, lambda r: (r["shape"], r["provider"]) == (shape, prov), v,
                                   f"retry {shape}/{prov}")
                if rh is None:
                    problems.append(why)
                else:
                    retry_hits[rh[0]] += 1
                    if rh[1]["stream_retries"] and n >= 1:
                        cmp("outcome", "primary_ok", rec["outcome"])
                        cmp("primary_calls", 2, rec["primary_upstream_calls"])
                    else:
                        exp = "fell_back" if fallback != "none" else "failed"
                        cmp("outcome", exp, rec["outcome"])
                        cmp("primary_calls", 1, rec["primary_upstream_calls"])
                        if exp == "failed":
                            cmp("status", 429, rec["http_status"])
            else:
                cmp("outcome", "primary_ok" if n >= 1 else "failed", rec["outcome"])
                cmp("primary_calls", 2 if n >= 1 else 1, rec["primary_upstream_calls"])
        else:
            err(f"probes.toml probe {rec['probe']}: bad check {probe['check']!r}")
            continue

        checked += 1
        if problems:
            mismatches.append(f"{tag}: " + "; ".join(problems))
        else:
            matched += 1

    # confidence honesty. "observed but no record" needs every record, so it is only checked on
    # the default files; "source but hit" holds for any subset of them.
    all_records = [p.resolve() for p in results] == RESULTS
    for i, r in enumerate(rows):
        if all_records and r.get("confidence") == "observed" and row_hits[i] == 0:
            err(f"{row_name(i, r)}: confidence 'observed' but no oracle record falls in it")
        if r.get("confidence") == "source" and row_hits[i] > 0:
            err(f"{row_name(i, r)}: confidence 'source' but {row_hits[i]} oracle records fall in it (mark it observed)")
    for name, table, hits in (("retry", retry, retry_hits), ("timeout", timeout, timeout_hits)):
        for i, r in enumerate(table):
            if all_records and r.get("confidence") == "observed" and hits[i] == 0:
                err(f"{name}[{i}] {r.get('versions')}: confidence 'observed' but no oracle record falls in it")
            if r.get("confidence") == "source" and hits[i] > 0:
                err(f"{name}[{i}] {r.get('versions')}: confidence 'source' but {hits[i]} records fall in it")

    # ------------------------------------------------------------------ report
    for m in mismatches:
        print("MISMATCH", m)
    for e in errors:
        print("ERROR", e)
    print(f"behavior.toml: {len(rows)} rows partition {ncomb} combinations; "
          f"{len(retry)} retry, {len(timeout)} timeout, {len(beh.get('no_fallback_leak', []))} no_fallback_leak rows; "
          f"{len(provs)} lazy-provider rows{yaml_note}")
    print("comparisons: " + ", ".join(f"{k} {v}" for k, v in sorted(comparisons.items())))
    if verbose:
        for i, r in enumerate(rows):
            print(f"  {row_hits[i]:4d} records  {row_name(i, r)}  [{r['confidence']}]")
    for p, n in sorted(unmapped.items()):
        print(f"not mapped: {p}: {n} records — {unmapped_reason[p]}")
    for what, n in sorted(partial_unmapped.items()):
        print(f"partly unchecked: {what}: {n} records")
    if not all_records:
        print("not checked: rows marked 'observed' that no record falls in (needs the default files)")
    print(f"{len(records)} records: {checked} checked, {matched} matched, {len(mismatches)} mismatched"
          + (f"; {len(errors)} data errors" if errors else ""))
    return 1 if (mismatches or errors) else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Generate rules/models/catalog.tsv from the model cost map shipped in the `litellm` PyPI package.

Usage: python3 scripts/gen_model_catalog.py [VERSION [OUT.tsv]]

OUT defaults to rules/models/catalog.tsv (the newest map); the maps of other examined releases are
rules/models/catalog-X.Y.Z.tsv.

Without VERSION the newest release on PyPI is used (whatever `pip download litellm` picks).
Standard library only; needs pip and access to the package index. The output depends only on
the JSON file inside the package (rows sorted by key, no timestamps, no wheel file name), so
running the script twice for the same version gives the same bytes.

Output format (read by src/models.rs):
  * `#` lines: header. `# litellm: X.Y.Z` and `# providers: a b c` are machine-read.
  * one row per cost-map entry, tab-separated:
      key, litellm_provider, mode, deprecation_date, max_input_tokens,
      supports_assistant_prefill, supports_reasoning
    empty = not set; booleans are 1/0; trailing empty columns are omitted.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

JSON_NAME = "litellm/model_prices_and_context_window_backup.json"
# The enum of provider prefixes get_llm_provider() accepts (`litellm.provider_list`), and the
# OpenAI-compatible providers declared as data (JSONProviderRegistry).
ENUM_FILE = "litellm/types/utils.py"
JSON_PROVIDERS_FILE = "litellm/llms/openai_like/providers.json"
OUT = Path(__file__).resolve().parent.parent / "rules" / "models" / "catalog.tsv"
COLUMNS = (
    "key",
    "litellm_provider",
    "mode",
    "deprecation_date",
    "max_input_tokens",
    "supports_assistant_prefill",
    "supports_reasoning",
)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def download(version: str | None, dest: Path) -> Path:
    spec = f"litellm=={version}" if version else "litellm"
    cmd = [sys.executable, "-m", "pip", "download", spec, "--no-deps", "-d", str(dest), "-q"]
    subprocess.run(cmd, check=True)
    files = sorted(p for p in dest.iterdir() if p.name.startswith("litellm-"))
    if len(files) != 1:
        sys.exit(f"expected one litellm distribution in {dest}, found {[p.name for p in files]}")
    return files[0]


def version_of(dist: Path) -> str:
    # litellm-1.109.1-cp310-abi3-manylinux_2_28_x86_64.whl / litellm-1.109.1-py3-none-any.whl /
    # litellm-1.109.1.tar.gz
    m = re.match(r"litellm-([0-9][^-]*?)(?:-|\.tar\.gz$|\.zip$)", dist.name)
    if not m:
        sys.exit(f"cannot read the version from {dist.name}")
    return m.group(1)


def read_members(dist: Path, names: list[str]) -> dict[str, bytes]:
    """Read files (paths as inside the `litellm` package) from a wheel or an sdist."""
    out: dict[str, bytes] = {}
    if dist.suffix == ".whl" or dist.suffix == ".zip":
        with zipfile.ZipFile(dist) as zf:
            members = zf.namelist()
            for name in names:
                hit = [m for m in members if m == name or m.endswith("/" + name)]
                if hit:
                    out[name] = zf.read(sorted(hit, key=len)[0])
    else:
        with tarfile.open(dist) as tf:
            members = tf.getnames()
            for name in names:
                hit = [m for m in members if m.endswith("/" + name)]
                if hit:
                    f = tf.extractfile(sorted(hit, key=len)[0])
                    if f is not None:
                        out[name] = f.read()
    return out


def provider_names(files: dict[str, bytes]) -> list[str]:
    names: set[str] = set()
    enum_src = files.get(ENUM_FILE, b"").decode("utf-8")
    start = enum_src.find("class LlmProviders(")
    if start < 0:
        sys.exit(f"class LlmProviders not found in {ENUM_FILE}")
    body = enum_src[start:]
    end = re.search(r"\n\S", body[1:])
    body = body[: end.start() + 1] if end else body
    names.update(re.findall(r'^\s+[A-Z0-9_]+\s*=\s*"([^"]+)"', body, re.M))
    if JSON_PROVIDERS_FILE in files:
        names.update(json.loads(files[JSON_PROVIDERS_FILE]))
    if len(names) < 50:
        sys.exit(f"only {len(names)} provider names found; the parser needs updating")
    bad = [n for n in names if not re.fullmatch(r"[A-Za-z0-9_.-]+", n)]
    if bad:
        sys.exit(f"unexpected provider names: {bad}")
    return sorted(names)


def routing_rules(cost_map: dict) -> list[str]:
    """The ROUTING rules of `fallback_generalizations` (model_info is exactly {litellm_provider}):
    get_llm_provider's last resort for a bare model name (litellm_core_utils/fallback_generalizations.py).
    Kept in file order, because the first matching rule wins."""
    out: list[str] = []
    block = cost_map.get("fallback_generalizations")
    rules = block.get("rules") if isinstance(block, dict) else None
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict):
            continue
        info = rule.get("model_info")
        pattern = rule.get("pattern")
        if not isinstance(info, dict) or set(info) != {"litellm_provider"} or "extends" in rule:
            continue
        provider = info["litellm_provider"]
        if not isinstance(provider, str) or not isinstance(pattern, str) or re.search(r"\s", provider + pattern):
            warn(f"routing rule {rule.get('name')!r} has a provider or pattern with whitespace; skipped")
            continue
        out.append(f"{provider} {pattern}")
    return out


def warn(msg: str) -> None:
    print(f"gen_model_catalog: warning: {msg}", file=sys.stderr)


def text(key: str, field: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or re.search(r"[\t\r\n]", value):
        warn(f"{key}: {field}={value!r} is not a plain string; written as empty")
        return ""
    return value


def date(key: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and DATE.fullmatch(value):
        return value
    warn(f"{key}: deprecation_date={value!r} is not YYYY-MM-DD; written as empty")
    return ""


def integer(key: str, field: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        warn(f"{key}: {field}={value!r} is a boolean; written as empty")
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and value >= 0:
        return str(value)
    warn(f"{key}: {field}={value!r} is not a non-negative integer; written as empty")
    return ""


def flag(key: str, field: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    warn(f"{key}: {field}={value!r} is not a boolean; written as empty")
    return ""


def rows(cost_map: dict) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    skipped: list[str] = []
    for key in sorted(cost_map):
        entry = cost_map[key]
        if key == "sample_spec" or not isinstance(entry, dict) or not isinstance(entry.get("litellm_provider"), str):
            # sample_spec documents the fields; other entries without a provider are not
            # models (1.109.1: `fallback_generalizations`, LiteLLM's capability rules).
            skipped.append(key)
            continue
        if re.search(r"[\t\r\n]", key) or key != key.strip() or not key:
            warn(f"key {key!r} contains whitespace; skipped")
            skipped.append(key)
            continue
        cols = [
            key,
            text(key, "litellm_provider", entry.get("litellm_provider")),
            text(key, "mode", entry.get("mode")),
            date(key, entry.get("deprecation_date")),
            integer(key, "max_input_tokens", entry.get("max_input_tokens")),
            flag(key, "supports_assistant_prefill", entry.get("supports_assistant_prefill")),
            flag(key, "supports_reasoning", entry.get("supports_reasoning")),
        ]
        while cols and cols[-1] == "":
            cols.pop()
        lines.append("\t".join(cols))
    return lines, skipped


def main() -> None:
    if len(sys.argv) > 3 or (len(sys.argv) >= 2 and sys.argv[1].startswith("-")):
        sys.exit(__doc__)
    requested = sys.argv[1] if len(sys.argv) >= 2 else None
    out = Path(sys.argv[2]) if len(sys.argv) == 3 else OUT
    with tempfile.TemporaryDirectory() as tmp:
        dist = download(requested, Path(tmp))
        version = version_of(dist)
        if requested and version != requested:
            sys.exit(f"asked for litellm=={requested}, pip downloaded {dist.name}")
        files = read_members(dist, [JSON_NAME, ENUM_FILE, JSON_PROVIDERS_FILE])
    if JSON_NAME not in files:
        sys.exit(f"{JSON_NAME} not found in litellm=={version}")
    raw = files[JSON_NAME]
    cost_map = json.loads(raw)
    lines, skipped = rows(cost_map)
    providers = provider_names(files)
    header = [
        f"# generated by scripts/gen_model_catalog.py from litellm=={version} {JSON_NAME}; "
        "do not edit; refresh with: python3 scripts/gen_model_catalog.py [VERSION]",
        f"# litellm: {version}",
        f"# source sha256: {hashlib.sha256(raw).hexdigest()}",
        f"# entries: {len(lines)} (skipped: {', '.join(skipped)})",
        "# columns: " + "\t".join(COLUMNS),
        "# empty = not set in the cost map; booleans are 1/0; trailing empty columns are omitted",
        f"# providers = the prefixes get_llm_provider accepts (LlmProviders in {ENUM_FILE} + {JSON_PROVIDERS_FILE})",
        "# providers: " + " ".join(providers),
        "# route = a routing rule of fallback_generalizations: <provider> <case-insensitive regex, re.search>",
    ] + [f"# route: {r}" for r in routing_rules(cost_map)]
    out.parent.mkdir(parents=True, exist_ok=True)
    data = "\n".join(header + lines) + "\n"
    out.write_bytes(data.encode("utf-8"))
    print(f"wrote {out} ({len(lines)} rows, {len(data.encode('utf-8'))} bytes) from litellm=={version}")


if __name__ == "__main__":
    main()

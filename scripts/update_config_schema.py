#!/usr/bin/env python3
"""Refresh the rule codes and names in schemas/litellm-lint.schema.json from the rule registry.

Usage: python3 scripts/update_config_schema.py   (builds and runs `litellm-lint rules`)
tests/config_file.rs fails when the lists are stale.
"""
import json
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
rules = json.loads(
    subprocess.run(
        ["cargo", "run", "--quiet", "--", "rules", "--output-format", "json"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout
)
path = REPO / "schemas" / "litellm-lint.schema.json"
schema = json.loads(path.read_text())
schema["$defs"]["ruleCode"]["enum"] = [r["code"] for r in rules]
schema["$defs"]["ruleName"]["enum"] = [r["name"] for r in rules]
path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
print(f"{len(rules)} rules written to {path.relative_to(REPO)}")

#!/usr/bin/env python3
"""Runs litellm-lint over real repositories and compares its findings with the review ledger.

  scripts/real-repos.py TREES [TREES ...] [--bin PATH] [--jsonl OUT.jsonl] [--ledger tests/real-repos/verdicts.tsv]
                        [--unreviewed OUT.tsv] [--only OWNER/NAME]

Each TREES is a folder of repository trees, one per repository, named OWNER__NAME, as
`../shared/tools/materialize.py MANIFEST MIRRORS TREES` writes them (a repository in several
folders is run once, from the first). The binary runs once per tree, from
inside it (paths are relative to the tree), with every rule on (`--select ALL`, so opt-in rules
are judged too) and `--exit-zero`. Every finding goes to the JSONL file, one object per line with the
repository added.

The ledger (tab-separated: repository, path, line, code, verdict, reason) holds one row per reviewed
finding: TRUE, FALSE or DEBATABLE, and a one-line reason. It holds references only, never the
repositories' text. The script prints, per rule: findings, reviewed, true, false, debatable, and
precision (true / (true + false), debatable counted as neither); then the findings not yet reviewed
(also written to --unreviewed, ready to be filled in and appended), and the ledger's TRUE rows that
the linter no longer reports (a regression; a finding merged into another of its rule, shown as
that finding's label at the same place, still counts as reported), and FALSE rows it still reports.

Exit status: 0, or 1 with --strict when a finding is unreviewed, a TRUE row disappeared, a FALSE row
is at error severity, or a rule with 10 or more reviewed findings is under 95 % precise.
"""
import argparse, collections, csv, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trees", nargs="+")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "litellm-lint"))
    ap.add_argument("--jsonl", default=None)
    ap.add_argument("--ledger", default=os.path.join(ROOT, "tests", "real-repos", "verdicts.tsv"))
    ap.add_argument("--unreviewed", default=None)
    ap.add_argument("--only", default=None)
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--timeout", type=int, default=300)
    a = ap.parse_args()

    where = {}
    for folder in a.trees:
        for d in sorted(os.listdir(folder)):
            if os.path.isdir(os.path.join(folder, d)):
                where.setdefault(d, os.path.join(folder, d))
    trees = sorted(where)
    if a.only:
        trees = [t for t in trees if t == a.only.replace("/", "__", 1)]
    repos = {t.replace("__", "/", 1) for t in trees}
    findings = []
    crashes = []
    t0 = time.time()
    for t in trees:
        repo = t.replace("__", "/", 1)
        path = where[t]
        try:
            p = subprocess.run(
                [a.bin, "check", "--output-format", "json", "--exit-zero", "--select", "ALL", "."],
                cwd=path, capture_output=True, timeout=a.timeout, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            crashes.append((repo, "timeout"))
            continue
        if p.returncode not in (0, 2) or not p.stdout.strip():
            crashes.append((repo, f"exit {p.returncode}: {p.stderr.decode(errors='replace')[-300:]}"))
            continue
        out = json.loads(p.stdout)
        for d in out["diagnostics"]:
            d["repository"] = repo
            findings.append(d)
    elapsed = time.time() - t0

    if a.jsonl:
        with open(a.jsonl, "w") as f:
            for d in findings:
                f.write(json.dumps(d, sort_keys=True) + "\n")

    ledger = {}
    if os.path.exists(a.ledger):
        with open(a.ledger, newline="") as f:
            for row in csv.reader(f, delimiter="\t"):
                if not row or row[0].startswith("#") or row[0] == "repository":
                    continue
                repo, path, line, code, verdict, reason = (row + [""] * 6)[:6]
                ledger[(repo, path, int(line), code)] = (verdict, reason)

    def key(d):
        return (d["repository"], d["file"], d["range"]["start"]["line"], d["code"])

    reported = {key(d): d for d in findings}
    per = collections.defaultdict(collections.Counter)
    unreviewed = []
    false_errors = []
    for k, d in sorted(reported.items()):
        c = per[d["code"]]
        c["findings"] += 1
        v = ledger.get(k)
        if v is None:
            unreviewed.append(d)
            continue
        c["reviewed"] += 1
        c[v[0]] += 1
        if v[0] == "FALSE" and d["severity"] == "error":
            false_errors.append(k)
    # A finding merged into another of its rule (one root cause, one finding) is still
    # reported: as a label of that finding, at the same place.
    merged = {(d["repository"], l["file"], l["range"]["start"]["line"], d["code"])
              for d in findings for l in d.get("labels", [])}
    gone = [k for k, v in ledger.items()
            if v[0] == "TRUE" and k not in reported and k not in merged and k[0] in repos]

    print(f"{len(trees)} trees, {len(findings)} findings in {elapsed:.1f} s; {len(crashes)} failed runs")
    for repo, why in crashes:
        print(f"  FAILED {repo}: {why}")
    print(f"{'code':7} {'found':>6} {'revd':>5} {'true':>5} {'false':>6} {'debat':>6} {'precision':>9}")
    tot = collections.Counter()
    low = []
    for code in sorted(per):
        c = per[code]
        tot.update(c)
        tf = c["TRUE"] + c["FALSE"]
        prec = f"{100 * c['TRUE'] / tf:.0f} %" if tf else "-"
        if c["reviewed"] >= 10 and tf and c["TRUE"] / tf < 0.95:
            low.append(code)
        print(f"{code:7} {c['findings']:6} {c['reviewed']:5} {c['TRUE']:5} {c['FALSE']:6} {c['DEBATABLE']:6} {prec:>9}")
    tf = tot["TRUE"] + tot["FALSE"]
    overall = f"{100 * tot['TRUE'] / tf:.1f} %" if tf else "-"
    print(f"{'all':7} {tot['findings']:6} {tot['reviewed']:5} {tot['TRUE']:5} {tot['FALSE']:6} {tot['DEBATABLE']:6} {overall:>9}")
    if unreviewed:
        print(f"\n{len(unreviewed)} findings not reviewed:")
        for d in unreviewed[:50]:
            print(f"  {d['repository']}\t{d['file']}:{d['range']['start']['line']}\t{d['code']}\t{d['message'][:140]}")
        if len(unreviewed) > 50:
            print(f"  ... and {len(unreviewed) - 50} more")
        if a.unreviewed:
            with open(a.unreviewed, "w") as f:
                for d in unreviewed:
                    f.write("\t".join([d["repository"], d["file"], str(d["range"]["start"]["line"]),
                                       d["code"], "?", d["severity"] + ": " + d["message"].replace("\t", " ").replace("\n", " ")]) + "\n")
    if gone:
        print(f"\n{len(gone)} TRUE findings no longer reported (regressions):")
        for k in gone:
            print("  " + "\t".join(map(str, k)))
    still_false = [k for k, v in ledger.items() if v[0] == "FALSE" and k in reported]
    if still_false:
        print(f"\n{len(still_false)} findings reviewed FALSE are still reported")
    if false_errors:
        print(f"\n{len(false_errors)} FALSE findings at error severity:")
        for k in false_errors:
            print("  " + "\t".join(map(str, k)))
    if low:
        print("\nrules under 95 % precision: " + ", ".join(low))
    bad = unreviewed or gone or false_errors or low or crashes
    sys.exit(1 if a.strict and bad else 0)


if __name__ == "__main__":
    main()

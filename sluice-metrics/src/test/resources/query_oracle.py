#!/usr/bin/env python3
"""Independent computation of the metrics query API's answers, for QueryOracleTest.

Reads samples (one JSON object a line: t, name, labels, value) and cases (JSON: resolution, from,
to and one query description per case, written as data rather than in the query language), and
prints the expected matrix of each case as JSON. It shares no code with the Java implementation:
buckets are formed from the raw samples here."""
import json
import math
import sys
from collections import defaultdict


def load(path):
    series = defaultdict(list)
    with open(path) as f:
        for line in f:
            s = json.loads(line)
            key = (s["name"], tuple(sorted(s["labels"].items())))
            series[key].append((s["t"], s["value"]))
    return series


def grid(case):
    res = case["resolution"]
    first = case["from"] // res
    last = case["to"] // res
    return [b * res for b in range(first, last + 1)], res


def select(series, sel, times, res):
    rows = []
    for (name, labels), samples in series.items():
        if name != sel["name"]:
            continue
        d = dict(labels)
        ok = True
        for label, op, value in sel.get("match", []):
            import re
            actual = d.get(label, "")
            if op == "=" and actual != value or op == "!=" and actual == value:
                ok = False
            if op == "=~" and not re.fullmatch(value, actual) or op == "!~" and re.fullmatch(value, actual):
                ok = False
        if not ok:
            continue
        values = [None] * len(times)
        for t, v in sorted(samples):
            i = (t // res) * res
            if times[0] <= i <= times[-1]:
                values[(i - times[0]) // res] = v   # the last sample of the bucket wins
        labels_out = dict(d)
        labels_out["__name__"] = name
        rows.append((labels_out, values))
    return rows


def strip(labels):
    return {k: v for k, v in labels.items() if k != "__name__"}


def apply_fn(fn, rows, res, param):
    out = []
    for labels, v in rows:
        o = [None] * len(v)
        if fn in ("delta", "rate"):
            for i in range(1, len(v)):
                if v[i] is None or v[i - 1] is None:
                    continue
                d = v[i] - v[i - 1]
                if fn == "rate":
                    o[i] = (v[i] if d < 0 else d) / (res / 1000.0)
                else:
                    o[i] = d
        elif fn == "moving_avg":
            n = int(param)
            for i in range(len(v)):
                window = [x for x in v[max(0, i - n + 1):i + 1] if x is not None]
                o[i] = sum(window) / len(window) if window else None
        elif fn == "fill":
            prev = None
            for i in range(len(v)):
                if v[i] is not None:
                    prev = v[i]
                    o[i] = v[i]
                else:
                    o[i] = param if param is not None else prev
        out.append((strip(labels), o))
    return out


def aggregate(op, by, rows):
    groups = defaultdict(list)
    for labels, v in rows:
        key = tuple(sorted((l, labels[l]) for l in by if l in labels))
        groups[key].append(v)
    out = []
    for key, members in groups.items():
        o = []
        for i in range(len(members[0])):
            xs = [m[i] for m in members if m[i] is not None]
            if not xs:
                o.append(None)
            elif op == "sum":
                o.append(sum(xs))
            elif op == "avg":
                o.append(sum(xs) / len(xs))
            elif op == "min":
                o.append(min(xs))
            elif op == "max":
                o.append(max(xs))
            else:
                o.append(float(len(xs)))
        out.append((dict(key), o))
    return out


def binary(op, left, right):
    index = {tuple(sorted(strip(l).items())): v for l, v in right}
    out = []
    for labels, v in left:
        r = index.get(tuple(sorted(strip(labels).items())))
        if r is None:
            continue
        o = []
        for a, b in zip(v, r):
            if a is None or b is None:
                o.append(None)
            elif op == "/":
                o.append(a / b if b != 0 else (math.inf if a > 0 else -math.inf if a < 0 else None))
            elif op == "*":
                o.append(a * b)
            elif op == "+":
                o.append(a + b)
            else:
                o.append(a - b)
        out.append((strip(labels), o))
    return out


def run(series, node, times, res):
    kind = node["kind"]
    if kind == "select":
        return select(series, node, times, res)
    if kind == "fn":
        return apply_fn(node["fn"], run(series, node["arg"], times, res), res, node.get("param"))
    if kind == "agg":
        return aggregate(node["op"], node.get("by", []), run(series, node["arg"], times, res))
    return binary(node["op"], run(series, node["left"], times, res), run(series, node["right"], times, res))


def main():
    series = load(sys.argv[1])
    with open(sys.argv[2]) as f:
        cases = json.load(f)
    answers = []
    for case in cases:
        times, res = grid(case)
        rows = run(series, case["tree"], times, res)
        answers.append({"times": times, "series": [{"labels": l, "values": v} for l, v in rows]})
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()

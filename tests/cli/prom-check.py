#!/usr/bin/env python3
# prom-check.py FILE: checks that FILE is valid Prometheus text exposition
# (format 0.0.4), strictly: every sample belongs to a family declared by
# one # HELP and one # TYPE line before it; names and label names match
# the grammar; label values are quoted with valid escapes; values are
# floats; no family is declared twice; counters end in _total. Prints the
# samples as "name{labels} value" lines on success (for the test to grep),
# or the first error and exits 1.
import re
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
VALUE = r'"(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(
    rf"^({NAME})(\{{(?:{LABEL}={VALUE}(?:,{LABEL}={VALUE})*)?\}})? (\S+)$")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def fail(lineno, msg):
    print(f"line {lineno}: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    if not text.endswith("\n"):
        fail(0, "does not end with a newline")
    helps, types, seen_samples = {}, {}, set()
    out = []
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("# HELP "):
            parts = line.split(" ", 3)
            if len(parts) < 4 or not re.fullmatch(NAME, parts[2]):
                fail(n, "bad HELP")
            if parts[2] in helps:
                fail(n, f"second HELP for {parts[2]}")
            helps[parts[2]] = parts[3]
        elif line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or not re.fullmatch(NAME, parts[2]) or parts[3] not in TYPES:
                fail(n, "bad TYPE")
            if parts[2] in types:
                fail(n, f"second TYPE for {parts[2]}")
            if parts[2] not in helps:
                fail(n, f"TYPE before HELP for {parts[2]}")
            types[parts[2]] = parts[3]
        elif line.startswith("#") or line == "":
            fail(n, "unexpected comment or blank line")
        else:
            m = SAMPLE.match(line)
            if not m:
                fail(n, f"not a sample: {line!r}")
            name, labels, value = m.group(1), m.group(2) or "", m.group(3)
            if name not in types:
                fail(n, f"{name} has no TYPE")
            if types[name] == "counter" and not name.endswith("_total"):
                fail(n, f"counter {name} does not end in _total")
            try:
                v = float(value)
            except ValueError:
                fail(n, f"bad value {value!r}")
            if types[name] == "counter" and v < 0:
                fail(n, "negative counter")
            if (name, labels) in seen_samples:
                fail(n, f"duplicate sample {name}{labels}")
            seen_samples.add((name, labels))
            out.append(f"{name}{labels} {value}")
    for name in helps:
        if name not in types:
            fail(0, f"{name} has HELP but no TYPE")
    if not out:
        fail(0, "no samples")
    print("\n".join(out))


main()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A strict reader of the Prometheus text format (0.0.4) and of OpenMetrics 1.0.0, for tests.

promtool checks a page's syntax and metadata but neither duplicate series nor a label value
that decodes to something else than what was meant; this module does both.

  expo_strict.py check FILE [--openmetrics] [--allow NAME ...]
      exits 0 when FILE is a valid page with no duplicate series (and, with --allow, only
      series of the named families), printing one line per series as name<TAB>labels-as-JSON.
"""

import json
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
NUMBER = re.compile(r"(?:[+-]?(?:Inf|inf)|NaN|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped", "unknown", "info",
         "stateset", "gaugehistogram"}
SUFFIXES = ("_total", "_created", "_count", "_sum", "_bucket", "_info", "")


class PageError(Exception):
    """What makes a page invalid, with its line number."""


def _label_value(line, pos, lineno):
    """Reads a quoted label value at line[pos] (after the quote); returns (value, next pos)."""
    out = []
    while True:
        if pos >= len(line):
            raise PageError(f"line {lineno}: unterminated label value")
        c = line[pos]
        if c == '"':
            return "".join(out), pos + 1
        if c == "\\":
            nxt = line[pos + 1:pos + 2]
            if nxt not in ("\\", '"', "n"):
                raise PageError(f"line {lineno}: bad escape \\{nxt!r} in a label value")
            out.append("\n" if nxt == "n" else nxt)
            pos += 2
            continue
        if c == "\n":
            raise PageError(f"line {lineno}: raw newline in a label value")
        out.append(c)
        pos += 1


def _labels(line, pos, lineno):
    """Reads {a="b",...} at line[pos] == '{'; returns (dict, next pos)."""
    labels = {}
    pos += 1
    while True:
        if line[pos:pos + 1] == "}":
            return labels, pos + 1
        m = LABEL.match(line, pos)
        if not m:
            raise PageError(f"line {lineno}: bad label name at column {pos}")
        name = m.group(0)
        pos = m.end()
        if line[pos:pos + 2] != '="':
            raise PageError(f"line {lineno}: expected =\" after label {name}")
        value, pos = _label_value(line, pos + 2, lineno)
        if name in labels:
            raise PageError(f"line {lineno}: label {name} given twice")
        labels[name] = value
        if line[pos:pos + 1] == ",":
            pos += 1
        elif line[pos:pos + 1] != "}":
            raise PageError(f"line {lineno}: expected , or }} after label {name}")


def _family_of(name, families):
    """The declared family a sample name belongs to, or None."""
    for suffix in SUFFIXES:
        if suffix and not name.endswith(suffix):
            continue
        base = name[:len(name) - len(suffix)] if suffix else name
        if base in families:
            return base
    return None


def parse(data, openmetrics=False):
    """Parses a page (bytes); returns a list of (name, labels dict, value text).

    Raises PageError on anything a strict scraper would refuse: invalid UTF-8, bad syntax, a
    sample outside its declared family, a family declared twice or split, a duplicate series.
    """
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise PageError(f"invalid UTF-8 at byte {e.start}") from None
    if not text.endswith("\n"):
        raise PageError("the page does not end with a newline")
    lines = text[:-1].split("\n")
    if openmetrics:
        if not lines or lines[-1] != "# EOF":
            raise PageError("OpenMetrics page without a final # EOF")
        lines = lines[:-1]
    families, closed, seen, samples = {}, set(), set(), []
    current = None
    for lineno, line in enumerate(lines, 1):
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE", "UNIT"):
                name = parts[2]
                if not NAME.fullmatch(name):
                    raise PageError(f"line {lineno}: bad metric name {name!r}")
                if name != current:
                    if name in closed or name in families:
                        raise PageError(f"line {lineno}: family {name} declared again")
                    if current is not None:
                        closed.add(current)
                    current = name
                    families[name] = None
                if parts[1] == "TYPE":
                    kind = parts[3] if len(parts) > 3 else ""
                    if kind not in TYPES:
                        raise PageError(f"line {lineno}: bad type {kind!r}")
                    families[name] = kind
                if parts[1] == "HELP" and "\\" in parts[3 if len(parts) > 3 else 2]:
                    help_text = parts[3] if len(parts) > 3 else ""
                    if re.search(r"\\[^\\n\"]" if openmetrics else r"\\[^\\n]", help_text):
                        raise PageError(f"line {lineno}: bad escape in HELP")
            elif openmetrics:
                raise PageError(f"line {lineno}: a comment OpenMetrics does not allow")
            continue
        if line == "":
            if openmetrics:
                raise PageError(f"line {lineno}: empty line")
            continue
        m = NAME.match(line)
        if not m:
            raise PageError(f"line {lineno}: bad sample line {line[:80]!r}")
        name, pos, labels = m.group(0), m.end(), {}
        if line[pos:pos + 1] == "{":
            labels, pos = _labels(line, pos, lineno)
        rest = line[pos:]
        if not rest.startswith(" "):
            raise PageError(f"line {lineno}: no space before the value")
        fields = rest[1:].split(" ")
        if len(fields) not in (1, 2) or not NUMBER.fullmatch(fields[0]):
            raise PageError(f"line {lineno}: bad value {rest[1:]!r}")
        family = _family_of(name, families)
        if families and family is None:
            raise PageError(f"line {lineno}: sample {name} outside any declared family")
        if family is not None and family != current:
            raise PageError(f"line {lineno}: sample {name} away from its family {family}")
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            raise PageError(f"line {lineno}: duplicate series {name}{labels}")
        seen.add(key)
        samples.append((name, labels, fields[0]))
    return samples


def main(argv):
    if len(argv) < 3 or argv[1] != "check":
        print(__doc__, file=sys.stderr)
        return 2
    path, openmetrics, allow = argv[2], "--openmetrics" in argv, None
    if "--allow" in argv:
        allow = set(argv[argv.index("--allow") + 1:])
    with open(path, "rb") as f:
        data = f.read()
    try:
        samples = parse(data, openmetrics)
    except PageError as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    for name, labels, _ in samples:
        if allow is not None and name not in allow:
            print(f"{path}: foreign series {name}{labels}", file=sys.stderr)
            return 1
        print(f"{name}\t{json.dumps(labels, sort_keys=True, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

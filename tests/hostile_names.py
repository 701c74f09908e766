#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile names through a running idle-exporter, one login session at a time, and what a real
Prometheus scraping it stored.

  hostile_names.py sessions PORT UTMP OUTDIR PROM_PORT
      For each case, starts a process on a new pty (a hostile argv[0], or a hostile comm and no
      cmdline), writes UTMP with its session plus hostile records, waits for the exporter to
      show it, checks the page (text and OpenMetrics) strictly, and holds it until the
      Prometheus on PROM_PORT has scraped the exporter since.  Pages go to OUTDIR/NN.txt and
      NN.om.  Prints one line per case; exits 1 on a failure.
  hostile_names.py prometheus PROM_PORT OUTDIR TTYS_FILE SINCE
      Once Prometheus has scraped twice more, checks what it stored for job "idle" since SINCE
      (unix time): the target was up at every scrape, and every series is one the pages had
      (no injected series or label).
"""

import json
import os
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expo_strict as expo  # noqa: E402
import pty_sessions as fx  # noqa: E402

LABEL_MAX = 128
OM_ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"

# name, argv[0] (bytes) or None, comm (bytes) or None
CASES = [
    ("double quote", b'say"hi', None),
    ("backslash", b"back\\slash\\", None),
    ("brace and injection", b'x"}1\nfake_series{a="b"}', None),
    ("label injection", b'a",evil="1', None),
    ("invalid UTF-8", b"bad\xff\xfeutf\xc3(8\xed\xa0\x80", None),
    ("valid UTF-8", "caf\u00e9-\u65e5\u672c-\U0001f600".encode(), None),
    ("300 bytes", b"A" * 300, None),
    ("300 bytes of 3-byte characters", "\u65e5".encode() * 100, None),
    ("empty argv[0]", b"", None),
    ("control bytes", b"\x01\x1b[31mred\x7f", None),
    ("comm with quote, backslash, brace", None, b'c"o\\m}m'),
    ("comm with a newline", None, b"new\nline"),
    ("comm cut inside UTF-8 at 15 bytes", None, "\u00e4".encode() * 8),
    ("comm invalid UTF-8", None, b"\xff\xc0\x80zz"),
    ("empty comm", None, b""),
]


def scrape(port, accept=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/metrics")
    if accept:
        req.add_header("Accept", accept)
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.read()


def repair(raw):
    """The label value the exporter should show for raw bytes: capped, invalid UTF-8 replaced."""
    raw = raw[:LABEL_MAX]
    out, i = [], 0
    while i < len(raw):
        for n in (1, 2, 3, 4):
            try:
                out.append(raw[i:i + n].decode("utf-8"))
                i += n
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append("\ufffd")
            i += 1
    text = "".join(out)
    # A sequence the cap cut in two is dropped whole (or shows as U+FFFD): accept a prefix.
    return text


def first_word_argv0(argv0):
    """w's WHAT first word for /bin/sleep run as [argv0, "100000"]."""
    what = (argv0 + b"\0" + b"100000").replace(b"\0", b" ").replace(b"\n", b" ")
    return what.lstrip(b" ").split(b" ", 1)[0]


def w_series(samples):
    return [(labels, value) for name, labels, value in samples if name == "user_w_idle_time"]


def check_page(data, openmetrics):
    """Returns (samples, error or None)."""
    try:
        return expo.parse(data, openmetrics), None
    except expo.PageError as e:
        return [], str(e)


def scraped_since(prom_port, since, timeout=15):
    """Waits until Prometheus' last scrape of job "idle" began after since (unix time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        last = prom_get(prom_port, "/api/v1/query", query='timestamp(up{job="idle"})')["result"]
        if last and float(last[0]["value"][1]) > since:
            return True
        time.sleep(0.1)
    return False


def run_case(port, utmp, outdir, n, name, argv0, comm, prom_port):
    sess = fx.Session(argv0=argv0, comm=comm)
    try:
        fx.write_utmp(utmp, [fx.record(fx.USER_PROCESS, sess.pid, sess.line, b"root")] +
                      fx.hostile_records(sess.pid))
        # Whose argv[0] w shows; or the zombie's comm, which the kernel cuts at 15 bytes.
        want = repair(first_word_argv0(argv0) if argv0 is not None else b"[" + comm[:15] + b"]")
        deadline, samples, err, label = time.monotonic() + 5, [], None, None
        while time.monotonic() < deadline:
            data = scrape(port)
            samples, err = check_page(data, False)
            if err:
                break
            ws = w_series(samples)
            # idle_sessions counts the hostile records of root too, as w prints rows for them.
            if len(ws) == 1 and ws[0][1] != "NaN":
                label = ws[0][0].get("process")
                if label == want or (len(want) > 40 and want.startswith(label)
                                                     and len(label) >= 40):
                    break
            time.sleep(0.1)
        with open(os.path.join(outdir, f"{n:02d}.txt"), "wb") as f:
            f.write(data)
        om = scrape(port, OM_ACCEPT)
        with open(os.path.join(outdir, f"{n:02d}.om"), "wb") as f:
            f.write(om)
        problems = []
        if err:
            problems.append(f"text page: {err}")
        _, om_err = check_page(om, True)
        if om_err:
            problems.append(f"OpenMetrics page: {om_err}")
        ws = w_series(samples)
        if len(ws) != 1:
            problems.append(f"{len(ws)} user_w_idle_time series")
        elif label is None:
            problems.append(f"session not shown: user_w_idle_time{ws[0][0]} {ws[0][1]}")
        elif label != want and not (len(want) > 40 and
                                                          want.startswith(label)):
            problems.append(f"process label {label!r}, want {want!r}")
        if label is not None and (len(label.encode()) > 3 * LABEL_MAX or "\ufffd\ufffd\ufffd\ufffd" * 40 in label):
            problems.append(f"label of {len(label.encode())} bytes")
        if not scraped_since(prom_port, time.time()):
            problems.append("Prometheus did not scrape the exporter within 15 s")
        shown = json.dumps(label, ensure_ascii=True)
        print(f"{'FAIL' if problems else 'ok'}: {name}: process={shown}"
              + (f": {'; '.join(problems)}" if problems else ""), flush=True)
        return label, not problems
    finally:
        sess.close()


def cmd_sessions(port, utmp, outdir, prom_port):
    labels, failures = [""], 0
    for n, (name, argv0, comm) in enumerate(CASES):
        label, ok = run_case(port, utmp, outdir, n, name, argv0, comm, prom_port)
        failures += not ok
        if label is not None:
            labels.append(label)
    fx.write_utmp(utmp, [])
    with open(os.path.join(outdir, "labels.json"), "w") as f:
        json.dump(labels, f)
    return 1 if failures else 0


def prom_get(port, path, **params):
    url = f"http://127.0.0.1:{port}{path}?" + urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(url, timeout=10) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise RuntimeError(f"{path}: {body}")
    return body["data"]


def cmd_prometheus(prom_port, outdir, ttys_file, since):
    if not scraped_since(prom_port, time.time() + 1):
        print("FAIL: Prometheus did not scrape the exporter twice more within 15 s")
        return 1
    pages = sorted(f for f in os.listdir(outdir) if f.endswith(".txt"))
    names, label_keys = set(), {}
    for page in pages:
        with open(os.path.join(outdir, page), "rb") as f:
            for name, labels, _ in expo.parse(f.read()):
                names.add(name)
                label_keys.setdefault(name, set()).update(labels)
    with open(os.path.join(outdir, "labels.json")) as f:
        process_labels = set(json.load(f))
    with open(ttys_file) as f:
        ttys = set(json.load(f))
    synthetic = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
                 "scrape_samples_post_metric_relabeling", "scrape_series_added"}
    end = time.time()
    series = prom_get(prom_port, "/api/v1/series", **{"match[]": '{job="idle"}'},
                      start=since, end=end)
    problems = []
    for s in series:
        name = s["__name__"]
        keys = set(s) - {"__name__", "job", "instance"}
        if name in synthetic:
            continue
        if name not in names:
            problems.append(f"foreign series {s}")
        elif not keys <= label_keys.get(name, set()):
            problems.append(f"foreign labels {s}")
        elif name == "user_w_idle_time" and s.get("process", "") not in process_labels:
            problems.append(f"unexpected process label {s.get('process')!r}")
        elif name.startswith("idle_terminal_") and s.get("tty") not in ttys:
            problems.append(f"unexpected tty label {s.get('tty')!r}")
    window = f"{int(end - since) + 5}s"
    up = prom_get(prom_port, "/api/v1/query", query=f'min_over_time(up{{job="idle"}}[{window}])')
    count = prom_get(prom_port, "/api/v1/query",
                     query=f'count_over_time(up{{job="idle"}}[{window}])')
    up_min = up["result"][0]["value"][1] if up["result"] else "none"
    scrapes = count["result"][0]["value"][1] if count["result"] else "0"
    if up_min != "1":
        problems.append(f"the target was down: min(up) = {up_min}")
    w_seen = sorted({s.get("process", "") for s in series if s["__name__"] == "user_w_idle_time"})
    print(f"prometheus: {scrapes} scrapes, min(up) = {up_min}, {len(series)} series, "
          f"{len(w_seen)} distinct process labels stored")
    for p in problems[:20]:
        print(f"FAIL: {p}")
    return 1 if problems else 0


def main(argv):
    if len(argv) == 6 and argv[1] == "sessions":
        return cmd_sessions(int(argv[2]), argv[3], argv[4], int(argv[5]))
    if len(argv) == 6 and argv[1] == "prometheus":
        return cmd_prometheus(int(argv[2]), argv[3], argv[4], float(argv[5]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Races against a running idle-exporter, each with a checker scraping it all along, and the
soak (the same faults for an hour).

  pts-race PORT PTSDIR SECONDS NEWEST   entries appear and vanish in PTSDIR (hard links of an
                                        older device, so no time moves) while the exporter polls;
                                        every page must be valid with user_input_idle_time
                                        now - NEWEST: a vanished entry is skipped, not an error
  utmp-race PORT UTMP SECONDS           UTMP rewritten in place and by rename, truncated, with
                                        garbage between, around one live session; every page
                                        valid, the label that session's or none
  proc-churn PORT UTMP SECONDS          a session whose shell starts and reaps processes without
                                        pause, and sessions whose login process exits; every
                                        page valid and no proc error counted (a process exiting
                                        is a normal race, not a failure)
  soak PORT PID UTMP SECONDS             scrapes every 100 ms (text, OpenMetrics, gzip; every
                                        100th through promtool) while sessions on real ptys and
                                        bare ptys come and go; RSS and fds of PID must stay flat
Each prints what it saw and exits 1 on a failure.
"""

import os
import random
import stat
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expo_strict as expo  # noqa: E402
import pty_sessions as fx  # noqa: E402


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        return r.read()


def wait_polls(port, n, timeout=10):
    """Waits until the exporter has published n new polls; False after timeout seconds.

    The page is rendered once per poll and its ages move with the clock: a new page is a new
    poll.  This, not a sleep, comes before asserting that a counter stopped moving."""
    deadline = time.monotonic() + timeout
    last = scrape(port)
    while n > 0:
        if time.monotonic() > deadline:
            return False
        page = scrape(port)
        if page != last:
            n, last = n - 1, page
        else:
            time.sleep(0.01)
    return True


def values(samples):
    return {(name, tuple(sorted(labels.items()))): v for name, labels, v in samples}


def errors(vals, source):
    return float(vals.get(("idle_collect_errors_total", (("source", source),)), "nan"))


class Checker:
    """Scrapes every 20 ms until stopped, applying check(vals, now) to each valid page."""

    def __init__(self, port, check):
        self.port, self.check = port, check
        self.pages = 0
        self.problems = []
        self.first = self.last = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        while not self._stop.is_set():
            try:
                data = scrape(self.port)
                vals = values(expo.parse(data))
            except (OSError, expo.PageError) as e:
                self.problems.append(f"scrape {self.pages}: {e}")
                return
            self.pages += 1
            self.first = self.first or vals
            self.last = vals
            problem = self.check(vals, time.time())
            if problem:
                self.problems.append(problem)
            time.sleep(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)


def pts_race(port, ptsdir, seconds, newest):
    template = os.path.join(ptsdir, ".template")
    os.mknod(template, stat.S_IFCHR | 0o620, os.makedev(1, 3))
    os.utime(template, (newest - 500, newest - 500))
    stop = threading.Event()
    cycles = [0]

    def churn():
        names = [os.path.join(ptsdir, f"c{i}") for i in range(100)]
        while not stop.is_set():
            for n in names:
                os.link(template, n)
            for n in names:
                os.unlink(n)
            cycles[0] += 1

    def check(vals, now):
        age = vals.get(("user_input_idle_time", ()))
        if age is None:
            return "user_input_idle_time left out: a vanished entry blanked the source"
        if abs(float(age) - (now - newest)) > 2:
            return f"user_input_idle_time {age}, want {now - newest:.1f}: a made-up value"
        avg = vals.get(("avg_user_input_idle_time", ()))
        if avg is not None and abs(float(avg) - (now - newest)) > 3:
            return f"avg_user_input_idle_time {avg}, want about {now - newest:.1f}"
        return None

    t = threading.Thread(target=churn)
    with Checker(port, check) as c:
        t.start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        t.join()
        os.unlink(template)
        raced = errors(c.last, "pts") if c.last else 0
        # A poll that began during the churn is published by the second one after it.
        settled_ok = wait_polls(port, 2)
        settled = errors(values(expo.parse(scrape(port))), "pts")
        settled_ok = settled_ok and wait_polls(port, 3)
    after = values(expo.parse(scrape(port)))
    print(f"pts-race: {cycles[0] * 100} entries made and removed, {c.pages} pages checked, "
          f"{raced:.0f} pts errors counted during the race, {errors(after, 'pts') - settled:.0f} "
          f"in the 3 polls after it settled")
    problems = list(c.problems)
    if not settled_ok:
        problems.append("the exporter published no new poll within 10 s after the race")
    if raced > 0:
        problems.append("a vanished entry was counted as a pts error")
    if errors(after, "pts") != settled:
        problems.append("pts errors still counted after the race ended")
    if ("user_input_idle_time", ()) not in after:
        problems.append("user_input_idle_time did not come back")
    for p in problems[:10]:
        print(f"FAIL: {p}")
    return 1 if problems else 0


def utmp_race(port, utmp, seconds):
    sess = fx.Session(argv0=b"utmp-raced")
    good = [fx.record(fx.USER_PROCESS, sess.pid, sess.line, b"root")]
    data = b"".join(good + fx.hostile_records(sess.pid))
    stop = threading.Event()
    writes = [0]
    rnd = random.Random(6)

    def rewrite():
        while not stop.is_set():
            k = rnd.randrange(5)
            if k == 0:
                fx.write_utmp(utmp, [data], atomic=True)
            elif k == 1:
                with open(utmp, "r+b") as f:  # in place, record by record
                    f.truncate(0)
                    for i in range(0, len(data), 384):
                        f.write(data[i:i + 384])
                        f.flush()
            elif k == 2:
                with open(utmp, "wb") as f:  # cut inside a record
                    f.write(data[:rnd.randrange(len(data))])
            elif k == 3:
                with open(utmp, "wb") as f:
                    f.write(rnd.randbytes(rnd.randrange(4096)))
            else:
                with open(utmp, "r+b") as f:  # garbage over one record
                    f.seek(384 * rnd.randrange(4))
                    f.write(rnd.randbytes(384))
            writes[0] += 1

    labels = set()
    fx.write_utmp(utmp, good)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and b'process="utmp-raced"' not in scrape(port):
        time.sleep(0.05)

    def check(vals, now):
        ws = [k for k in vals if k[0] == "user_w_idle_time"]
        if len(ws) > 1:
            return f"{len(ws)} user_w_idle_time series"
        for k in ws:
            labels.add(dict(k[1]).get("process"))
        bad = labels - {"", "utmp-raced"}
        return f"process labels {sorted(bad)}" if bad else None

    with Checker(port, check) as c:
        t = threading.Thread(target=rewrite)
        t.start()
        time.sleep(seconds)
        stop.set()
        t.join()
        fx.write_utmp(utmp, good)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            ws = [k for k in (c.last or {}) if k[0] == "user_w_idle_time"]
            if ws and dict(ws[0][1]).get("process") == "utmp-raced":
                break
            time.sleep(0.1)
    sess.close()
    recovered = bool(ws) and dict(ws[0][1]).get("process") == "utmp-raced"
    print(f"utmp-race: {writes[0]} rewrites, {c.pages} pages checked, labels seen "
          f"{sorted(labels)}, utmp errors {errors(c.last, 'utmp') - errors(c.first, 'utmp'):.0f}, "
          f"{'recovered' if recovered else 'NOT recovered'}")
    for p in c.problems[:10]:
        print(f"FAIL: {p}")
    return 1 if c.problems or not recovered else 0


def proc_churn(port, utmp, seconds):
    # A shell, session leader of its pty, starting short processes in its foreground group.
    shell = fx.Session(argv0=b"sh", program=b"/bin/sh",
                       args=(b"-c", b"while :; do /bin/true; /bin/true & wait; done"))
    stop = threading.Event()
    logins = [0]

    def short_logins():
        # Sessions whose login process exits while they are sampled.
        while not stop.is_set():
            s = fx.Session(argv0=b"short-lived")
            fx.write_utmp(utmp, [fx.record(fx.USER_PROCESS, shell.pid, shell.line, b"root"),
                                 fx.record(fx.USER_PROCESS, s.pid, s.line, b"root")])
            time.sleep(random.uniform(0, 0.05))
            s.close()
            logins[0] += 1

    def check(vals, now):
        ws = [k for k in vals if k[0] == "user_w_idle_time"]
        return f"{len(ws)} user_w_idle_time series" if len(ws) != 1 else None

    with Checker(port, check) as c:
        t = threading.Thread(target=short_logins)
        t.start()
        time.sleep(seconds)
        stop.set()
        t.join()
    shell.close()
    # The counters are cumulative: what the churn added.
    proc_errors = errors(c.last, "proc") - errors(c.first, "proc") if c.last else float("nan")
    dev_errors = errors(c.last, "dev") - errors(c.first, "dev") if c.last else float("nan")
    print(f"proc-churn: {logins[0]} short sessions, {c.pages} pages checked, proc errors "
          f"{proc_errors:.0f}, dev errors {dev_errors:.0f}")
    problems = list(c.problems)
    if proc_errors != 0:
        problems.append(f"{proc_errors:.0f} proc errors counted for processes that exited")
    for p in problems[:10]:
        print(f"FAIL: {p}")
    return 1 if problems else 0


def _status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def soak(port, pid, utmp, seconds):
    """Scrapes every 100 ms while sessions and terminals come and go; RSS and fds sampled."""
    import gzip
    import shutil
    import subprocess as sp
    import tempfile
    stop = threading.Event()
    stats = {"scrapes": 0, "bad": [], "promtool": 0, "sessions": 0, "ptys": 0}
    names = [b"vim", b"bash", b'a"b', b"c\\d", b"new\nline", b"\xff\xfe", b"x" * 200, b""]
    rnd = random.Random(7)
    promtool = shutil.which("promtool")
    tmp = tempfile.mkdtemp()

    def scraper():
        n = 0
        while not stop.is_set():
            t0 = time.monotonic()
            kind = n % 10
            req = urllib.request.Request(f"http://127.0.0.1:{port}/metrics")
            if kind == 3:
                req.add_header("Accept", "application/openmetrics-text; version=1.0.0")
            if kind == 7:
                req.add_header("Accept-Encoding", "gzip")
            try:
                with urllib.request.urlopen(req, timeout=5) as r:
                    data = r.read()
                    if r.headers.get("Content-Encoding") == "gzip":
                        data = gzip.decompress(data)
                expo.parse(data, openmetrics=kind == 3)
                if promtool and kind == 0 and n % 100 == 0:
                    path = os.path.join(tmp, "page")
                    with open(path, "wb") as f:
                        f.write(data)
                    with open(path, "rb") as f:
                        res = sp.run([promtool, "check", "metrics"], stdin=f, capture_output=True)
                    if res.returncode != 0:
                        stats["bad"].append(f"promtool: {res.stdout[:200]!r}{res.stderr[:200]!r}")
                    stats["promtool"] += 1
            except (OSError, expo.PageError, EOFError) as e:
                stats["bad"].append(f"scrape {n}: {e}")
            stats["scrapes"] += 1
            n += 1
            time.sleep(max(0.0, 0.1 - (time.monotonic() - t0)))

    def churn():
        live, bare = [], []
        while not stop.is_set():
            r = rnd.random()
            if r < 0.4 and len(live) < 8:
                live.append(fx.Session(argv0=rnd.choice(names)))
                stats["sessions"] += 1
            elif r < 0.7 and live:
                live.pop(rnd.randrange(len(live))).close()
            elif r < 0.85 and len(bare) < 8:
                bare.append(os.openpty())
                stats["ptys"] += 1
            elif bare:
                for fd in bare.pop(rnd.randrange(len(bare))):
                    os.close(fd)
            fx.write_utmp(utmp, [fx.record(fx.USER_PROCESS, s.pid, s.line, b"root")
                                 for s in live])
            if live and rnd.random() < 0.5:
                os.write(live[0].master, b"x")  # typing: the tty's times move
            stop.wait(rnd.uniform(0.1, 1.0))
        for s in live:
            s.close()
        for pair in bare:
            for fd in pair:
                os.close(fd)
        fx.write_utmp(utmp, [])

    threads = [threading.Thread(target=scraper), threading.Thread(target=churn)]
    fds0 = len(os.listdir(f"/proc/{pid}/fd"))
    samples = []
    start = time.monotonic()
    for t in threads:
        t.start()
    while time.monotonic() - start < seconds:
        samples.append((time.monotonic() - start, _status_kb(pid, "VmRSS"),
                        len(os.listdir(f"/proc/{pid}/fd"))))
        time.sleep(min(10, max(1, seconds / 60)))
    stop.set()
    for t in threads:
        t.join(30)
    # The server closes its side of the scrapers' connections after them: wait (bounded) for
    # its fds to come back to the count before, rather than sleep and hope.
    deadline = time.monotonic() + 10
    fds1 = len(os.listdir(f"/proc/{pid}/fd"))
    while fds1 != fds0 and time.monotonic() < deadline:
        time.sleep(0.1)
        fds1 = len(os.listdir(f"/proc/{pid}/fd"))
    shutil.rmtree(tmp)
    # Flat: the allocator reaches its high-water mark in steps early on (page variants, gzip,
    # the most terminals at once); a leak keeps climbing.  So the second half's peak must stay
    # within 1 % (+64 KiB) of the first half's.
    first = [s[1] for s in samples if s[0] < seconds / 2] or [samples[0][1]]
    second = [s[1] for s in samples if s[0] >= seconds / 2] or [samples[-1][1]]
    base, peak, last = max(first), max(second), samples[-1][1]
    print(f"soak: {seconds:.0f} s, {stats['scrapes']} scrapes ({stats['promtool']} through "
          f"promtool), {len(stats['bad'])} bad; {stats['sessions']} sessions and "
          f"{stats['ptys']} bare ptys opened; RSS {samples[0][1]} KiB at start, peak {base} KiB "
          f"in the first half, {peak} KiB in the second, {last} KiB at the end; fds {fds0} before, "
          f"{fds1} after (max {max(s[2] for s in samples)} during)")
    print("RSS KiB over time: " + " ".join(f"{t:.0f}s:{kb}" for t, kb, _ in samples))
    problems = stats["bad"][:10]
    if peak > base * 1.01 + 64 and not os.environ.get("SOAK_NO_RSS"):
        problems.append(f"RSS grew from {base} KiB (first half) to {peak} KiB (second half)")
    if fds1 != fds0:
        problems.append(f"fds {fds0} before, {fds1} after")
    for p in problems:
        print(f"FAIL: {p}")
    return 1 if problems else 0


def main(argv):
    if len(argv) == 6 and argv[1] == "pts-race":
        return pts_race(int(argv[2]), argv[3], float(argv[4]), float(argv[5]))
    if len(argv) == 5 and argv[1] == "utmp-race":
        return utmp_race(int(argv[2]), argv[3], float(argv[4]))
    if len(argv) == 6 and argv[1] == "soak":
        return soak(int(argv[2]), int(argv[3]), argv[4], float(argv[5]))
    if len(argv) == 5 and argv[1] == "proc-churn":
        return proc_churn(int(argv[2]), argv[3], float(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

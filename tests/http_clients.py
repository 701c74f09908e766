#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""HTTP clients for the integration tests: honest scrapes, hostile clients, load, bad requests.

Every client binds its source address, so a test can play an attacker from 127.0.0.3 and an
honest scraper from 127.0.0.2 against a server on 127.0.0.1.  Every wait has a deadline.

  scrape PORT SRC COUNT INTERVAL TIMEOUT   COUNT scrapes, one per INTERVAL s, each given TIMEOUT s;
                                           prints "ok N of COUNT, slowest S s"
  slowloris PORT SRC CONNS TRICKLE_S       holds CONNS half-sent requests from SRC (reopening
                                           those the server closes) and one client sending a
                                           header line every TRICKLE_S s; prints "ready" once,
                                           then runs until killed (SIGTERM), printing totals
  load PORT TOTAL CONC PREFIX NIPS [REUSE] TOTAL scrapes by CONC workers spread over source
                                           addresses PREFIX.1 .. PREFIX.NIPS, each connection
                                           reused for REUSE scrapes (default 10)
  malformed PORT SRC                       bad requests, each with its expected status, each
                                           followed by a good scrape on a new connection
"""

import asyncio
import selectors
import signal
import socket
import sys
import time

HOST = "127.0.0.1"
GOOD = b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"


def connect(port, src, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(timeout)
    s.connect((HOST, port))
    return s


def read_response(sock, head=False, deadline=None):
    """Reads one response from a blocking socket; returns (status, headers dict, body) or raises.

    A response that ends with the connection (no Content-Length) reads to EOF.
    """
    buf = getattr(sock, "_pending", b"")
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before the headers ({len(buf)} bytes)")
        buf += chunk
    head_bytes, _, buf = buf.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ConnectionError(f"bad status line {lines[0]!r}")
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if head or status in (204, 304):
        length = 0
    elif "content-length" in headers:
        length = int(headers["content-length"])
    else:
        length = None
    if length is None:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
        body, rest = buf, b""
    else:
        while len(buf) < length:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed inside the body")
            buf += chunk
        body, rest = buf[:length], buf[length:]
    try:
        sock._pending = rest
    except AttributeError:
        pass
    return status, headers, body


class Sock(socket.socket):
    """A socket that can carry bytes read past one response (pipelining)."""
    _pending = b""


def good_scrape(port, src, timeout):
    """One GET /metrics on a new connection; returns (ok, seconds)."""
    start = time.monotonic()
    try:
        s = Sock(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((src, 0))
        s.settimeout(timeout)
        s.connect((HOST, port))
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        status, _, body = read_response(s)
        s.close()
        ok = status == 200 and b"user_input_idle_time" in body
    except (OSError, ConnectionError):
        ok = False
    took = time.monotonic() - start
    return ok and took <= timeout, took


def cmd_scrape(port, src, count, interval, timeout):
    ok, slowest, fails = 0, 0.0, []
    next_at = time.monotonic()
    for i in range(count):
        good, took = good_scrape(port, src, timeout)
        ok += good
        slowest = max(slowest, took)
        if not good:
            fails.append(f"#{i} {took:.3f}s")
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    print(f"ok {ok} of {count}, slowest {slowest:.3f} s" + (f"; failed: {' '.join(fails)}" if fails else ""))
    return 0


def cmd_slowloris(port, src, conns, trickle):
    """Keeps conns half-sent requests open from src, reopening closed ones, plus one trickler."""
    sel = selectors.DefaultSelector()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    opened = reopened = refused = 0
    partial = b"GET /metrics HTTP/1.1\r\nHost: x\r\nUser-Agent: slow\r\n"

    def open_one():
        nonlocal opened, refused
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.bind((src, 0))
        try:
            s.connect((HOST, port))
        except BlockingIOError:
            pass
        except OSError:
            refused += 1
            s.close()
            return None
        sel.register(s, selectors.EVENT_WRITE, "connecting")
        opened += 1
        return s

    # The trickler first, so it holds one of the slots the server grants this address.
    trickler = socket.socket()
    trickler.bind((src, 0))
    trickler.settimeout(5)
    trickler.connect((HOST, port))
    trickler.sendall(b"GET /metrics HTTP/1.1\r\n")
    for _ in range(conns):
        open_one()
    trickle_at, lines_sent = time.monotonic() + trickle, 0
    ready_at = last_refill = time.monotonic() + 1.0
    live = conns
    while not stop:
        for key, events in sel.select(timeout=0.1):
            s = key.fileobj
            if key.data == "connecting":
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    try:
                        s.send(partial)
                        sel.modify(s, selectors.EVENT_READ, "waiting")
                        continue
                    except OSError:
                        pass
            else:
                try:
                    if s.recv(4096):
                        continue  # an answer to a half request: wait for the close
                except OSError:
                    pass
            sel.unregister(s)
            s.close()
            live -= 1
        now = time.monotonic()
        # Reopen what the server closed, at most 1,000 a second: persistent, not a flood.
        budget = min(conns - live, int((now - last_refill) * 1000))
        if budget > 0:
            last_refill = now
        for _ in range(max(budget, 0)):
            if open_one() is None:
                break
            live += 1
            reopened += 1
        if now >= trickle_at:
            try:
                trickler.sendall(b"X-Trickle-%d: a\r\n" % lines_sent)
                lines_sent += 1
            except OSError:
                trickler.close()
                trickler = socket.socket()
                trickler.bind((src, 0))
                trickler.settimeout(5)
                trickler.connect((HOST, port))
                trickler.sendall(b"GET /metrics HTTP/1.1\r\n")
            trickle_at = now + trickle
            print(f"trickled line {lines_sent}", flush=True)
        if ready_at and now >= ready_at:
            print("ready", flush=True)
            ready_at = 0
    held = sum(1 for k in sel.get_map().values() if k.data == "waiting")
    print(f"attacker: {opened} connections opened, {reopened} reopened after the server closed "
          f"them, {refused} refused, {held} half-sent still open, {lines_sent} trickled lines",
          flush=True)
    return 0


async def _load_worker(port, src, n, reuse, results):
    done = 0
    while done < n:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(HOST, port, local_addr=(src, 0)), 10)
        except (OSError, asyncio.TimeoutError) as e:
            results["errors"].append(f"connect from {src}: {e!r}")
            done += 1
            continue
        try:
            for _ in range(min(reuse, n - done)):
                last = done + 1 == n or (done + 1) % reuse == 0
                writer.write(b"GET /metrics HTTP/1.1\r\nHost: x\r\n" +
                             (b"Connection: close\r\n" if last else b"") + b"\r\n")
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                status = int(head.split(b" ", 2)[1])
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await asyncio.wait_for(reader.readexactly(length), 10)
                done += 1
                results["status"][status] = results["status"].get(status, 0) + 1
                if status == 200 and not body.startswith(b"# HELP"):
                    results["errors"].append("a 200 without the metrics")
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as e:
            results["errors"].append(f"request from {src}: {e!r}")
            done += 1
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except OSError:
                pass


async def _load(port, total, conc, prefix, nips, reuse):
    results = {"status": {}, "errors": []}
    per, extra = divmod(total, conc)
    tasks = [_load_worker(port, f"{prefix}.{1 + i % nips}", per + (i < extra), reuse, results)
             for i in range(conc)]
    await asyncio.gather(*tasks)
    return results


def cmd_load(port, total, conc, prefix, nips, reuse=10):
    start = time.monotonic()
    results = asyncio.run(_load(port, total, conc, prefix, nips, reuse))
    took = time.monotonic() - start
    ok = results["status"].get(200, 0)
    print(f"load: {ok} of {total} answered 200 in {took:.1f} s ({total / took:.0f}/s), "
          f"statuses {results['status']}, {len(results['errors'])} errors")
    for e in results["errors"][:10]:
        print(f"  {e}")
    return 0 if ok == total and not results["errors"] else 1


# name, request bytes, expected status (None: the server may answer 400 or just close), HEAD?
MALFORMED = [
    ("oversized header", b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 +
     b"\r\n\r\n", 431, False),
    ("many headers", b"GET /metrics HTTP/1.1\r\nHost: x\r\n" +
     b"".join(b"X-%d: aaaaaaaaaaaaaaaa\r\n" % i for i in range(1000)) + b"\r\n", 431, False),
    ("oversized URI", b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, False),
    ("HTTP/2.0 version", b"GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n", 505, False),
    ("HTTP/3.1 version", b"GET /metrics HTTP/3.1\r\nHost: x\r\n\r\n", 505, False),
    ("not HTTP", b"GET /metrics FOO/1.1\r\nHost: x\r\n\r\n", 400, False),
    ("no version", b"GET /metrics\r\n\r\n", 400, False),
    ("HTTP/1.1 without Host", b"GET /metrics HTTP/1.1\r\n\r\n", 400, False),
    ("header without colon", b"GET /metrics HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400, False),
    ("bad Content-Length", b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
     400, False),
    ("garbage bytes", bytes(range(256)) * 4 + b"\r\n\r\n", 400, False),
    ("NUL bytes", b"\x00" * 4096 + b"\r\n\r\n", None, False),
    ("space inside the URI", b"GET /met rics HTTP/1.1\r\nHost: x\r\n\r\n", None, False),
    ("unknown method", b"FOO /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405,
     False),
    ("POST with a body", b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
     b"Connection: close\r\n\r\nhello", 405, False),
    ("HEAD", b"HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200, True),
]


def _exchange(port, src, data, head):
    """Sends data; returns the status of the first response, or None when closed without one."""
    s = Sock(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(5)
    s.connect((HOST, port))
    try:
        s.sendall(data)
        status, headers, body = read_response(s, head=head)
        extra = b""
        if head:
            s.settimeout(0.5)
            try:
                extra = s._pending + s.recv(65536)
            except socket.timeout:
                extra = s._pending
        return status, headers, body + extra
    except (ConnectionError, ConnectionResetError, BrokenPipeError):
        return None, {}, b""
    except socket.timeout:
        return "no answer in 5 s", {}, b""
    finally:
        s.close()


def _pipelined(port, src):
    """Three requests in one send; returns the list of statuses answered, in order."""
    s = Sock(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(5)
    s.connect((HOST, port))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
              b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
              b"HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
              b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    statuses = []
    for head in (False, False, True, False):
        try:
            status, _, _ = read_response(s, head=head)
        except (ConnectionError, OSError):
            break
        statuses.append(status)
    s.close()
    return statuses


def cmd_malformed(port, src):
    failures = 0
    for name, data, want, head in MALFORMED:
        status, headers, body = _exchange(port, src, data, head)
        ok = status == want or (want is None and status in (None, 400))
        note = ""
        if head and status == 200:
            if body:
                ok, note = False, f" but {len(body)} body bytes"
            elif int(headers.get("content-length", "0")) <= 0:
                ok, note = False, " without the body's Content-Length"
        if want == 405 and headers.get("allow") != "GET, HEAD":
            ok, note = False, f" with Allow {headers.get('allow')!r}"
        alive, _ = good_scrape(port, "127.0.0.2", 5)
        print(f"{'ok' if ok and alive else 'FAIL'}: {name}: {status or 'closed'} "
              f"(want {want or '400 or close'}){note}; next scrape "
              f"{'200' if alive else 'FAILED'}")
        failures += not (ok and alive)
    statuses = _pipelined(port, src)
    ok = statuses == [200, 404, 200, 200]
    print(f"{'ok' if ok else 'FAIL'}: pipelined GET, GET 404, HEAD, GET: {statuses}")
    failures += not ok
    return 1 if failures else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "scrape":
        return cmd_scrape(int(args[0]), args[1], int(args[2]), float(args[3]), float(args[4]))
    if cmd == "slowloris":
        return cmd_slowloris(int(args[0]), args[1], int(args[2]), float(args[3]))
    if cmd == "load":
        return cmd_load(int(args[0]), int(args[1]), int(args[2]), args[3], int(args[4]),
                        *(int(a) for a in args[5:6]))
    if cmd == "malformed":
        return cmd_malformed(int(args[0]), args[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Login sessions on real ptys and the utmp records that name them, for the integration tests.

  utmp FILE [PID LINE USER]...      writes one login record (USER_PROCESS) per triple, through a
                                    rename; LINE and USER take Python byte escapes (\\xff)
  garbage FILE NUMBER SIZE          writes SIZE random bytes made from NUMBER (the same bytes
                                    for the same NUMBER): a utmp no parser should trust
  hold READY ARGV0 [PROGRAM ARG...] starts a session (PROGRAM, default /bin/sleep, run as
                                    ARGV0 on a new pty), writes "PID LINE" to READY once it
                                    runs, and holds it until SIGTERM, then kills its group

As a module: record, write_utmp, hostile_records, Session (a process leading its own pty,
with a chosen argv[0] and program, or a chosen comm and no cmdline at all).
"""

import ctypes
import fcntl
import os
import random
import shutil
import signal
import struct
import sys
import termios
import time

USER_PROCESS = 7
DEAD_PROCESS = 8
RECORD_SIZE = 384


def record(ut_type, pid, line, user, host=b"", ut_id=b""):
    """One glibc struct utmp (x86-64): type, pid, line[32], id[4], user[32], host[256], ..."""
    def field(value, size):
        return value[:size].ljust(size, b"\0")
    now = int(time.time())
    rec = struct.pack("<hxxi", ut_type, pid) + field(line, 32) + field(ut_id, 4) + \
        field(user, 32) + field(host, 256) + struct.pack("<hh", 0, 0) + \
        struct.pack("<i", 0) + struct.pack("<ii", now, 0) + b"\0" * 16 + b"\0" * 20
    assert len(rec) == RECORD_SIZE
    return rec


def write_utmp(path, records, atomic=True):
    """Writes records (bytes each) to path, through a rename when atomic."""
    data = b"".join(records)
    if not atomic:
        with open(path, "wb") as f:
            f.write(data)
        return
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


# Records no sampler may trust: unknown and hostile users, hostile lines, dead pids, no NULs.
def hostile_records(live_pid):
    return [
        record(USER_PROCESS, live_pid, b"pts/0", b'ev"il\\user\n}'),
        record(USER_PROCESS, live_pid, b"../../etc/passwd", b"root"),
        record(USER_PROCESS, live_pid, b"/dev/../../etc/shadow", b"root"),
        record(USER_PROCESS, live_pid, b"", b"root"),
        record(USER_PROCESS, live_pid, b'pts/"x\\y\n}', b"root"),
        record(USER_PROCESS, live_pid, b"\xff\xfe\xfd", b"root"),
        record(USER_PROCESS, live_pid, b"L" * 32, b"U" * 32, b"H" * 256, b"IIII"),
        record(USER_PROCESS, 2**31 - 1, b"pts/0", b"root"),
        record(USER_PROCESS, -5, b"pts/0", b"root"),
        record(USER_PROCESS, 0, b"pts/0", b"root"),
        record(DEAD_PROCESS, live_pid, b"pts/0", b"root"),
        # (a record of no utmp type makes the whole file garbage: faults-utmp.test)
    ]


_libc = ctypes.CDLL(None, use_errno=True)

# Run by the python child of Session(comm=...): a child of it sets its comm and exits
# unreaped.  The zombie, newest in the foreground group, has no cmdline: w shows its comm.
_ZOMBIE = r"""
import ctypes, os, sys, time
comm = bytes.fromhex(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
if os.fork() == 0:
    if libc.prctl(15, ctypes.c_char_p(comm), 0, 0, 0) != 0:
        os._exit(1)
    os.write(1, b"ready\n")
    os._exit(0)
time.sleep(100000)
"""


def _python():
    """A real python binary (not a shim script), for the comm children."""
    for p in ("/usr/bin/python3", shutil.which("python3"), sys.executable):
        if p and os.path.isfile(p) and open(p, "rb").read(4) == b"\x7fELF":
            return p
    return sys.executable


class Session:
    """A process that is session leader and foreground group of its own new pty.

    argv0 (bytes): exec program (default /bin/sleep 100000) with that argv[0] (may be empty or
    hold any byte but NUL).  comm (bytes): a python process whose zombie child has that comm
    and no cmdline.
    """

    def __init__(self, argv0=None, comm=None, program=b"/bin/sleep", args=(b"100000",)):
        found = shutil.which(os.fsdecode(program))
        if found is None:
            raise RuntimeError(f"no program {program!r}")
        self.program = os.fsencode(found)
        self.master, slave = os.openpty()
        self.tty = os.ttyname(slave)
        self.line = self.tty[len("/dev/"):].encode()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(self.master)
                signal.pthread_sigmask(signal.SIG_SETMASK, [])  # a holder blocks its stops
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                if comm is not None:
                    py = _python()
                    os.execv(py, [py, "-c", _ZOMBIE, comm.hex()])
                argv = (ctypes.c_char_p * (len(args) + 2))(argv0, *args, None)
                _libc.execv(self.program, argv)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid = pid
        self._wait_ready(comm is not None)

    def _wait_ready(self, comm):
        """Waits (5 s at most) until the child runs its final program."""
        deadline = time.monotonic() + 5
        got = b""
        while time.monotonic() < deadline:
            if comm:
                os.set_blocking(self.master, False)
                try:
                    got += os.read(self.master, 100)
                except BlockingIOError:
                    pass
                if b"ready" in got:
                    return
            else:
                try:
                    exe = os.readlink(f"/proc/{self.pid}/exe")
                    if os.path.realpath(exe) == os.path.realpath(os.fsdecode(self.program)):
                        return
                except OSError:
                    pass
            time.sleep(0.02)
        raise RuntimeError(f"child {self.pid} did not start: {got!r}")

    def close(self):
        """Kills the session's whole process group (a shell's jobs too) and reaps its leader."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.master)


def _hold(ready, argv0, command):
    """The hold command: one session, announced in ready, until SIGTERM or SIGINT."""
    program, args = (command[0], command[1:]) if command else (b"/bin/sleep", [b"100000"])
    stops = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)  # kept pending until sigwait takes one
    sess = Session(argv0=argv0, program=program, args=args)
    with open(ready + ".tmp", "w") as f:
        f.write(f"{sess.pid} {sess.line.decode()}\n")
    os.rename(ready + ".tmp", ready)
    signal.sigwait(stops)
    sess.close()
    return 0


def _unescape(text):
    """A command-line field as bytes, with Python's byte escapes (\\xff) decoded."""
    return text.encode("latin-1", "surrogateescape").decode("unicode_escape").encode("latin-1")


def main(argv):
    if len(argv) >= 3 and argv[1] == "utmp" and len(argv) % 3 == 0:
        fields = argv[3:]
        write_utmp(argv[2], [record(USER_PROCESS, int(fields[i]), _unescape(fields[i + 1]),
                                    _unescape(fields[i + 2])) for i in range(0, len(fields), 3)])
        return 0
    if len(argv) >= 4 and argv[1] == "hold":
        return _hold(argv[2], os.fsencode(argv[3]), [os.fsencode(a) for a in argv[4:]])
    if len(argv) == 5 and argv[1] == "garbage":
        rnd = random.Random(int(argv[3]))
        with open(argv[2], "wb") as f:
            f.write(bytes(rnd.getrandbits(8) for _ in range(int(argv[4]))))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

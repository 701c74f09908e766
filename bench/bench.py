#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make bench: idle-exporter and the collectd plugin side by side with the Python seed exporter.

Runs every measurement of issue 5 in one run on this machine, loopback only, prints a table with
each row's target and whether it holds, and writes it as Markdown.  Everything it starts (servers,
ptys, sessions, idle processes) it stops again, also on Ctrl-C.  BENCH_QUICK=1 (make bench-quick)
runs the same rows briefly, to keep the benchmark working in CI; its figures are rough.

Python 3 standard library only.  The seed (../shared/peers/seed_exporter.py next to the source
directory, needs Debian's python3-prometheus-client), collectd, the built plugin, wrk and unshare
are optional: their rows are skipped with a note when one is missing.
"""
import argparse
import datetime
import gzip
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

CLK_TCK = os.sysconf('SC_CLK_TCK')


def log(msg):
    print('bench: ' + msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, step=0.02):
    """Bounded wait for a condition; returns whether it came true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def http_get(port, path='/metrics', headers=None, timeout=2):
    """(status, headers, body) of a loopback GET, or None when nothing answered."""
    req = urllib.request.Request('http://127.0.0.1:%d%s' % (port, path), headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except Exception:
        return None


def cpu_ns(pid):
    """CPU time of a process in ns: its live threads' schedstat plus its reaped children.

    /proc/PID/task/*/schedstat counts each thread's run time in nanoseconds; /proc/PID/stat's
    cutime + cstime add the children the process waited for (the seed's `w`), in clock ticks.
    """
    total = 0
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/schedstat' % (pid, tid)) as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended: its time is lost for both readings alike
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    total += (int(fields[13]) + int(fields[14])) * 10**9 // CLK_TCK  # cutime, cstime
    return total


def status_kb(pid, key):
    """A kB field of /proc/PID/status (VmRSS, VmHWM, RssAnon, ...)."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    return 0


def keyvals(text):
    return dict(line.split('=', 1) for line in text.splitlines() if '=' in line)


def metric(body, name):
    """First value of a metric in exposition text, or None."""
    m = re.search(r'^%s(?:\{[^}]*\})? (\S+)' % re.escape(name), body, re.M)
    return float(m.group(1)) if m else None


def collectd_version():
    try:
        text = subprocess.run(['collectd', '-h'], capture_output=True, text=True).stdout
    except OSError:
        return 'absent'
    m = re.search(r'^collectd (\S+),', text, re.M)
    return m.group(1) if m else '?'


def fmt_us(us):
    return '%.1f µs' % us if us < 1000 else '%.2f ms' % (us / 1000)


def fmt_ratio(r):
    """value ÷ reference; below 0.1 as a fraction, 1/N."""
    if r is None:
        return ''
    if 0 < r < 0.1:
        return '1/%.3g' % (1 / r)
    return '%.3f×' % r if r < 10 else '%.1f×' % r


class Row:
    def __init__(self, item, what, value, reference='', ratio=None, target='', holds=None):
        self.cells = [item, what, value, reference, fmt_ratio(ratio), target,
                      {True: 'yes', False: 'NO', None: ''}[holds]]


class Bench:
    def __init__(self, args):
        self.a = args
        self.quick = args.quick
        self.rows = []
        self.notes = []
        self.procs = []
        self.tmp = tempfile.mkdtemp(prefix='idle-bench.')
        self.b = lambda *p: os.path.join(args.builddir, *p)
        self.exporter = self.b('bridge', 'idle-exporter')
        self.hold = self.b('bench', 'bench-hold')
        self.probe = self.b('bench', 'bench-probe')
        self.ceiling = self.b('bench', 'bench-ceiling')
        self.utmp = os.path.join(self.tmp, 'utmp')
        self.errlog = open(os.path.join(self.tmp, 'stderr.log'), 'ab')
        self.ns = self.find_namespace()
        self.seed, self.seed_python = self.find_seed()
        self.wrk = shutil.which(os.environ.get('WRK') or 'wrk')

    # -- processes -----------------------------------------------------------------------

    def start(self, argv, **kw):
        kw.setdefault('stdin', subprocess.DEVNULL)
        kw.setdefault('stdout', subprocess.DEVNULL)
        kw.setdefault('stderr', self.errlog)
        p = subprocess.Popen(argv, **kw)
        self.procs.append(p)
        return p

    def stop(self, p):
        """SIGTERM, a bounded wait, then SIGKILL; stopped processes are continued first."""
        if p.poll() is None:
            for sig in (signal.SIGCONT, signal.SIGTERM):
                try:
                    p.send_signal(sig)
                except ProcessLookupError:
                    pass
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p.stdin:
            p.stdin.close()
        if p in self.procs:
            self.procs.remove(p)

    def cleanup(self):
        for p in list(reversed(self.procs)):
            if p.stdin:  # bench-hold stops when its stdin closes
                p.stdin.close()
            self.stop(p)
        self.errlog.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def holder(self, *args):
        """Starts bench-hold; returns (process, held count, output lines before 'ready')."""
        p = self.start([self.hold] + [str(a) for a in args], stdin=subprocess.PIPE,
                       stdout=subprocess.PIPE, text=True)
        lines = []
        for line in p.stdout:
            if line.startswith('ready '):
                return p, int(line.split()[1]), lines
            lines.append(line.split())
        raise RuntimeError('bench-hold %s did not start' % ' '.join(map(str, args)))

    def release(self, p):
        p.stdin.close()
        p.stdin = None
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            pass
        self.stop(p)

    def run(self, argv, timeout=600):
        return subprocess.run(argv, check=True, capture_output=True, text=True,
                              timeout=timeout).stdout

    def in_utmp_namespace(self, argv):
        """argv run where /run/utmp (what w reads) is the bench's utmp, on a private tmpfs."""
        if self.ns is None:
            return argv
        script = ('mount -t tmpfs -o size=1m,mode=755 idle-bench /run && '
                  'cp "$0" /run/utmp && exec "$@"')
        return self.ns + ['sh', '-c', script, self.utmp] + argv

    def find_namespace(self):
        for ns in (['unshare', '-m'], ['unshare', '-rm']):
            try:
                subprocess.run(ns + ['sh', '-c', 'mount -t tmpfs idle-bench /run'], check=True,
                               capture_output=True, timeout=10)
                return ns
            except (OSError, subprocess.SubprocessError):
                continue
        self.notes.append('`unshare -m` is not available: `w` and the seed read the host\'s '
                          'utmp, not the bench\'s two sessions.')
        return None

    def find_seed(self):
        cands = [os.environ.get('SEED_EXPORTER')] + [
            os.path.join(d, '..', 'shared', 'peers', 'seed_exporter.py')
            for d in (self.a.srcdir, self.a.builddir)]
        seed = next((os.path.abspath(c) for c in cands if c and os.path.isfile(c)), None)
        if seed is None:
            self.notes.append('Seed rows skipped: no ../shared/peers/seed_exporter.py beside the '
                              'source directory (set SEED_EXPORTER to its path).')
            return None, None
        for py in (os.environ.get('SEED_PYTHON'), '/usr/bin/python3', 'python3'):
            try:
                if py and subprocess.run([py, '-c', 'import prometheus_client'],
                                         capture_output=True).returncode == 0:
                    return seed, py
            except OSError:
                continue
        self.notes.append('Seed rows skipped: no python3 with prometheus_client (Debian: '
                          'python3-prometheus-client).')
        return None, None

    def start_seed(self):
        """Starts the seed on a free port; returns (process, port).  The seed binds every
        address, so a port free on 127.0.0.1 may be taken elsewhere: then it exits at once
        and another port is tried."""
        for _ in range(3):
            port = free_port()
            p = self.start(self.in_utmp_namespace([self.seed_python, self.seed,
                                                   '--port', str(port)]))
            if wait_until(lambda: http_get(port) is not None or p.poll() is not None, 20) \
                    and p.poll() is None:
                return p, port
        raise RuntimeError('the seed did not answer on three ports (last %d)' % port)

    def start_exporter(self, port, *extra):
        p = self.start([self.exporter, '--web.listen-address=127.0.0.1:%d' % port,
                        '--utmp-file=' + self.utmp] + list(extra))
        if not wait_until(lambda: http_get(port) is not None, 10):
            raise RuntimeError('idle-exporter did not answer on port %d' % port)
        return p

    # -- machine -------------------------------------------------------------------------

    def machine(self):
        def first(path, key):
            try:
                with open(path) as f:
                    for line in f:
                        if line.startswith(key):
                            return line.split(':', 1)[1].strip() if ':' in line else \
                                line.split('=', 1)[1].strip().strip('"')
            except OSError:
                pass
            return '?'

        def out(*argv):
            try:
                r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
                return (r.stdout or r.stderr).strip().splitlines()[0]
            except (OSError, IndexError, subprocess.SubprocessError):
                return 'absent'

        mem = int(first('/proc/meminfo', 'MemTotal').split()[0]) // 1024
        virt = ' hypervisor' in ' ' + first('/proc/cpuinfo', 'flags')
        return [
            ('CPU', '%s, %d online%s' % (first('/proc/cpuinfo', 'model name'), os.cpu_count(),
                                         ', virtual machine' if virt else '')),
            ('memory', '%d MiB' % mem),
            ('system', '%s, Linux %s' % (first('/etc/os-release', 'PRETTY_NAME'),
                                          platform.release())),
            ('idle', out(self.exporter, '--version') + ', tree ' +
             out('git', '-C', self.a.srcdir, 'describe', '--always', '--dirty')),
            ('libmicrohttpd', out('pkg-config', '--modversion', 'libmicrohttpd')),
            ('collectd', collectd_version()),
            ('seed', '%s, %s' % (self.seed, out(
                self.seed_python, '-c', 'import sys, importlib.metadata as m; print("Python",'
                ' sys.version.split()[0] + ", prometheus_client", m.version("prometheus_client"))'))
             if self.seed else 'absent'),
            ('procps w', out('w', '--version')),
            ('wrk', out(self.wrk, '--version').split(' Copyright')[0] if self.wrk else 'absent'),
            ('kernel.pty.max', out('cat', '/proc/sys/kernel/pty/max')),
            ('at start', '%d processes, load average %s' % (
                sum(1 for d in os.listdir('/proc') if d.isdigit()),
                ' '.join(open('/proc/loadavg').read().split()[:3]))),
        ]

    # -- 1, 2: CPU at rest, memory -------------------------------------------------------

    def collectd_conf(self, name, with_idle, with_load):
        d = os.path.join(self.tmp, name)
        plugins = os.path.join(d, 'plugins')
        os.makedirs(plugins)
        wp = '/usr/lib/collectd/write_prometheus.so'
        use_wp = os.path.isfile(wp) and 'not found' not in subprocess.run(
            ['ldd', wp], capture_output=True, text=True).stdout
        for so in ['logfile'] + (['write_prometheus'] if use_wp else []):
            shutil.copy('/usr/lib/collectd/%s.so' % so, plugins)
        conf = ['BaseDir "%s"' % d, 'PIDFile "%s/pid"' % d, 'PluginDir "%s"' % plugins,
                'TypesDB "/usr/share/collectd/types.db"', 'Hostname "bench"',
                'AutoLoadPlugin false', 'LoadPlugin logfile',
                '<Plugin logfile>\n LogLevel info\n File "%s/log"\n</Plugin>' % d]
        if use_wp:
            conf += ['LoadPlugin write_prometheus',
                     '<Plugin write_prometheus>\n Host "127.0.0.1"\n Port "%d"\n</Plugin>'
                     % free_port()]
        if with_load:
            shutil.copy('/usr/lib/collectd/load.so', plugins)
            conf += ['LoadPlugin load']
        if with_idle:
            shutil.copy(self.b('plugin', '.libs', 'idle.so'), plugins)
            conf += ['LoadPlugin idle', '<Plugin idle>\n UtmpFile "%s"\n</Plugin>' % self.utmp]
        with open(os.path.join(d, 'collectd.conf'), 'w') as f:
            f.write('\n'.join(conf) + '\n')
        return d, use_wp

    def start_collectd(self, name, with_idle, with_load):
        d, use_wp = self.collectd_conf(name, with_idle, with_load)
        p = self.start(['collectd', '-f', '-C', os.path.join(d, 'collectd.conf')])

        def ready():
            try:
                with open(os.path.join(d, 'log')) as f:
                    return 'Initialization complete' in f.read()
            except OSError:
                return False
        if not wait_until(ready, 20):
            raise RuntimeError('collectd (%s) did not start: see %s/log' % (name, d))
        with open(os.path.join(d, 'log')) as f:
            failed = [line.strip() for line in f if 'failed' in line or 'rror' in line]
        if failed:
            raise RuntimeError('collectd (%s): %s' % (name, failed[0]))
        if not use_wp and not with_idle and not with_load:
            self.notes.append('collectd ran without write_prometheus (missing, or lacking '
                              'libprotobuf-c1): logfile only.')
        return p

    def phase_rest(self):
        secs = 10 if self.quick else 60
        log('1-2: CPU at 1-second polls, no scrapes, 10 terminals and 2 sessions, %d s' % secs)
        self.sess_holder, n_sess, _ = self.holder('sessions', 2, self.utmp)
        self.pty_holder, n_ptys, _ = self.holder('ptys', 8)
        if n_sess + n_ptys != 10:
            self.notes.append('Only %d of 10 terminals could be opened.' % (n_sess + n_ptys))
        self.eport = free_port()
        self.exp_proc = self.start_exporter(self.eport)
        procs = {'exporter': self.exp_proc,
                 'floor': self.start([self.probe, 'tick', '/dev/pts'])}
        if self.seed:
            self.seed_proc, self.seed_port = self.start_seed()
            procs['seed'] = self.seed_proc
        have_collectd = self.collectd_available()
        if have_collectd:
            for load in (True, False):
                for idle in (False, True):
                    procs[(load, idle)] = self.start_collectd(
                        'collectd-%s-%s' % ('load' if load else 'bare', idle), idle, load)
        time.sleep(3)  # past start-up: the seed's first `w`, collectd's first reads
        t0, c0 = time.monotonic(), {k: cpu_ns(p.pid) for k, p in procs.items()}
        time.sleep(secs)
        t1, c1 = time.monotonic(), {k: cpu_ns(p.pid) for k, p in procs.items()}
        per_s = {k: (c1[k] - c0[k]) / 1e9 / (t1 - t0) for k in procs}  # = per 1-second poll
        self.stop(procs.pop('floor'))
        self.check_counts()
        e, f = per_s['exporter'], per_s['floor']

        def per_min(v):
            return '%.2f ms/min (%s per poll)' % (v * 60e3, fmt_us(v * 1e6))
        if self.seed:
            s = per_s['seed']
            self.rows.append(Row('1', 'CPU, exporter (reference: seed)', per_min(e), per_min(s),
                                 e / s, '≤ 1/200', e * 200 <= s))
        self.rows.append(Row('1', 'CPU, exporter (reference: floor daemon, one opendir + '
                             'fstatat per pts entry a second)', per_min(e), per_min(f), e / f,
                             'info'))
        if have_collectd:
            self.collectd_rows(procs, per_s, per_min)
        self.exporter_hwm_rest = status_kb(self.exp_proc.pid, 'VmHWM')

    def collectd_rows(self, procs, per_s, per_min):
        """The plugin's added CPU per poll and RSS, over collectd with `load`, then bare."""
        for load in (True, False):
            base = 'collectd with load and write_prometheus' if load else \
                'bare collectd, no read plugin'
            added = per_s[(load, True)] - per_s[(load, False)]
            self.rows.append(Row('1', 'collectd CPU per poll added by the plugin (reference: %s)'
                                 % base, fmt_us(added * 1e6), per_min(per_s[(load, False)]),
                                 None, '≤ 60 µs' if load else 'info',
                                 added * 1e6 <= 60 if load else None))
            with_kb = status_kb(procs[(load, True)].pid, 'VmRSS')
            base_kb = status_kb(procs[(load, False)].pid, 'VmRSS')
            self.rows.append(Row('2', 'collectd RSS with the plugin (reference: %s)' % base,
                                 '%d KiB' % with_kb, '%d KiB' % base_kb, with_kb / base_kb,
                                 '≤ 1.05×' if load else 'info',
                                 with_kb <= 1.05 * base_kb if load else None))
            self.stop(procs[(load, True)])
            self.stop(procs[(load, False)])
        self.notes.append('collectd starts its read threads (5 by default) with its first read '
                          'plugin, so against a bare collectd with no read plugin the idle '
                          'plugin is also charged for that pool; the target rows compare with '
                          'a collectd that already reads something (`load`), as any deployment '
                          'does, and the bare rows are shown beside them.')

    def collectd_available(self):
        plugin_so = self.b('plugin', '.libs', 'idle.so')
        if not shutil.which('collectd'):
            self.notes.append('Plugin rows skipped: collectd is not installed '
                              '(Debian: collectd-core).')
        elif not os.path.isfile(plugin_so):
            self.notes.append('Plugin rows skipped: %s was not built.' % plugin_so)
        else:
            return True
        return False

    def check_counts(self):
        """Says what the exporter saw: 10 terminals and 2 sessions are expected."""
        got = http_get(self.eport)
        body = got[2].decode() if got else ''
        terms, sessions = metric(body, 'idle_terminals'), metric(body, 'idle_sessions')
        self.notes.append('During the run the exporter saw idle_terminals=%s and '
                          'idle_sessions=%s (10 and 2 expected)%s.' % (
                              terms, sessions, '' if sessions == 2 else
                              ': the sessions sampler is not counting them, so the '
                              'exporter\'s figures leave out the cost of real sessions'))

    # -- 3: scrapes ----------------------------------------------------------------------

    def wrk_run(self, port, path='/metrics', scheme='http', headers=()):
        dur = '2s' if self.quick else '10s'
        argv = [self.wrk, '-t2', '-c16', '-d' + dur, '--latency']
        for h in headers:
            argv += ['-H', h]
        out = self.run(argv + ['%s://127.0.0.1:%d%s' % (scheme, port, path)], timeout=120)
        units = {'us': 1e-3, 'ms': 1.0, 's': 1e3, 'm': 6e4}
        m = re.search(r'^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$', out, re.M)
        errs = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)',
                         out)
        non2xx = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
        total = re.search(r'(\d+) requests in', out)
        return {
            'rps': float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1)),
            'p99': float(m.group(1)) * units[m.group(2)] if m else float('nan'),
            'errors': sum(map(int, errs.groups())) if errs else 0,
            'non2xx': int(non2xx.group(1)) if non2xx else 0,
            'requests': int(total.group(1)) if total else 0,
        }

    def paused(self, keep):
        """Context: SIGSTOP every other server of the bench while one is measured."""
        bench = self

        class Ctx:
            def __enter__(self):
                self.others = [p for p in bench.procs
                               if p is not keep and p.poll() is None and p.stdin is None]
                for p in self.others:
                    p.send_signal(signal.SIGSTOP)

            def __exit__(self, *exc):
                for p in self.others:
                    if p.poll() is None:
                        p.send_signal(signal.SIGCONT)
        return Ctx()

    def measure(self, proc, port, label, **kw):
        with self.paused(proc):
            r = self.wrk_run(port, **kw)
        r['note'] = ''
        if r['errors'] or r['non2xx']:
            r['note'] = ' (%d socket errors, %d non-2xx)' % (r['errors'], r['non2xx'])
            self.notes.append('wrk against the %s: %d socket errors and %d non-2xx answers '
                              'beside %d requests.' % (label, r['errors'], r['non2xx'],
                                                       r['requests']))
        return r

    def serving_rows(self, label, e, c, targets):
        """Requests/s and p99 rows of one exporter variant against its ceiling."""
        t_rps, t_p99 = ('≥ 0.8×', '≤ 1.5×') if targets else ('info', 'info')
        self.rows.append(Row('3', 'scrapes/s, %s (reference: ceiling)' % label,
                             '%.0f%s' % (e['rps'], e['note']), '%.0f%s' % (c['rps'], c['note']),
                             e['rps'] / c['rps'], t_rps,
                             e['rps'] >= 0.8 * c['rps'] if targets else None))
        self.rows.append(Row('3', 'p99 latency, %s (reference: ceiling)' % label,
                             '%.3f ms' % e['p99'], '%.3f ms' % c['p99'], e['p99'] / c['p99'],
                             t_p99, e['p99'] <= 1.5 * c['p99'] if targets else None))

    def start_ceiling(self, body, *extra):
        port = free_port()
        p = self.start([self.ceiling, str(port), body] + list(extra))
        scheme = 'https' if '--tls' in extra else 'http'
        if not wait_until(lambda: subprocess.run(
                ['curl', '-skf', '-o', '/dev/null', '%s://127.0.0.1:%d/' % (scheme, port)],
                capture_output=True).returncode == 0, 10):
            raise RuntimeError('bench-ceiling did not start')
        return p, port

    def phase_scrapes(self):
        if not self.wrk:
            self.notes.append('Scrape rows skipped: wrk is not installed (Debian: wrk).')
            self.rows.append(Row('2', 'exporter peak RSS (VmHWM) at rest, no scrape load',
                                 '%d KiB' % self.exporter_hwm_rest, '', None, '≤ 2048 KiB',
                                 self.exporter_hwm_rest <= 2048))
            return
        log('3: wrk -t2 -c16 -d%s --latency on loopback' % ('2s' if self.quick else '10s'))
        page = http_get(self.eport)[2]
        self.body = os.path.join(self.tmp, 'page.txt')
        with open(self.body, 'wb') as f:
            f.write(page)
        ceil, cport = self.start_ceiling(self.body)
        c = self.measure(ceil, cport, 'ceiling')
        ceiling_hwm = status_kb(ceil.pid, 'VmHWM')
        self.stop(ceil)
        e = self.measure(self.exp_proc, self.eport, 'exporter')
        self.serving_rows('exporter (page of %d B)' % len(page), e, c, True)
        self.seed_wrk = None
        if self.seed:
            s = self.seed_wrk = self.measure(self.seed_proc, self.seed_port, 'seed')
            self.rows.append(Row('3', 'scrapes/s, exporter (reference: seed)', '%.0f' % e['rps'],
                                 '%.0f%s' % (s['rps'], s['note']),
                                 e['rps'] / s['rps'] if s['rps'] else None, '≥ 40×',
                                 e['rps'] >= 40 * s['rps']))
            self.rows.append(Row('3', 'p99 latency, seed (reference: exporter)',
                                 '%.1f ms' % s['p99'], '%.3f ms' % e['p99'],
                                 s['p99'] / e['p99'], 'info'))
        gz = self.gzip_variant(self.exp_proc, self.eport, 'exporter')
        if e['errors'] or e['non2xx']:
            self.per_ip_variant(c, gz)
        self.tls_variant()
        hwm = status_kb(self.exp_proc.pid, 'VmHWM')
        self.rows.append(Row('2', 'exporter peak RSS (VmHWM) after the scrape load (reference: '
                             'the ceiling, same libraries)', '%d KiB' % hwm,
                             '%d KiB' % ceiling_hwm, hwm / ceiling_hwm, '≤ 2048 KiB',
                             hwm <= 2048))
        self.notes.append('Exporter memory after the load: %d KiB anonymous, %d KiB file-backed '
                          '(shared libraries); %d KiB at rest before it.' % (
                              status_kb(self.exp_proc.pid, 'RssAnon'),
                              status_kb(self.exp_proc.pid, 'RssFile'), self.exporter_hwm_rest))
        if self.seed:
            shwm = status_kb(self.seed_proc.pid, 'VmHWM')
            self.rows.append(Row('2', 'seed peak RSS (VmHWM) (reference: exporter)',
                                 '%d KiB' % shwm, '%d KiB' % hwm, shwm / hwm, 'info'))

    def gzip_variant(self, proc, port, label, ceiling=None):
        """gzip rows when the exporter answers Accept-Encoding: gzip; returns the ceiling's run."""
        g = http_get(port, headers={'Accept-Encoding': 'gzip'})
        if not (g and g[1].get('Content-Encoding') == 'gzip'):
            self.notes.append('gzip variant not reported: the exporter did not answer '
                              '`Accept-Encoding: gzip` with a gzip body.')
            return None
        hdr = ('Accept-Encoding: gzip',)
        if ceiling is None:
            gz = self.body + '.gz'
            with open(gz, 'wb') as f:
                f.write(g[2])
            ceil, cport = self.start_ceiling(gz, '--gzip')
            ceiling = self.measure(ceil, cport, 'ceiling (gzip)', headers=hdr)
            self.stop(ceil)
        e = self.measure(proc, port, label + ' (gzip)', headers=hdr)
        self.serving_rows('gzip, %s (%d B)' % (label, len(g[2])), e, ceiling, False)
        return ceiling

    def per_ip_variant(self, c, gz):
        """The exporter again with room for wrk's 16 connections from one address."""
        port = free_port()
        flag = '--web.max-connections-per-ip=16'
        exp = self.start_exporter(port, flag)
        e = self.measure(exp, port, 'exporter (%s)' % flag)
        self.serving_rows('exporter with ' + flag, e, c, False)
        if self.seed_wrk and self.seed_wrk['rps']:
            self.rows.append(Row('3', 'scrapes/s, exporter with %s (reference: seed)' % flag,
                                 '%.0f' % e['rps'], '%.0f' % self.seed_wrk['rps'],
                                 e['rps'] / self.seed_wrk['rps'], 'info'))
        if gz:
            self.gzip_variant(exp, port, 'exporter with ' + flag, gz)
        self.notes.append('The exporter\'s default per-address connection limit is below wrk\'s 16 '
                          'connections: connections over it are refused, wrk counts them as '
                          'socket errors and reconnects. The rows with %s show the serving '
                          'cost without that policy.' % flag)
        self.stop(exp)

    def tls_variant(self):
        help_text = subprocess.run([self.exporter, '--help'], capture_output=True,
                                   text=True).stdout
        if '--web.config.file' not in help_text or not shutil.which('openssl'):
            self.notes.append('TLS variant not reported: idle-exporter --help offers no '
                              '--web.config.file (or openssl is missing).')
            return
        cert, key = (os.path.join(self.tmp, n) for n in ('cert.pem', 'key.pem'))
        self.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                  'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj',
                  '/CN=127.0.0.1', '-keyout', key, '-out', cert])
        conf = os.path.join(self.tmp, 'web.yml')
        with open(conf, 'w') as f:
            f.write('tls_server_config:\n  cert_file: %s\n  key_file: %s\n' % (cert, key))
        port = free_port()
        exp = self.start([self.exporter, '--web.listen-address=127.0.0.1:%d' % port,
                          '--utmp-file=' + self.utmp, '--web.config.file=' + conf,
                          '--web.max-connections-per-ip=16'])
        ceil, cport = self.start_ceiling(self.body, '--tls', cert, key)
        if not wait_until(lambda: subprocess.run(
                ['curl', '-skf', '-o', '/dev/null', 'https://127.0.0.1:%d/metrics' % port],
                capture_output=True).returncode == 0, 10):
            self.notes.append('TLS variant not reported: the exporter did not answer over TLS '
                              'with ' + conf)
        else:
            c = self.measure(ceil, cport, 'ceiling (TLS)', scheme='https')
            e = self.measure(exp, port, 'exporter (TLS)', scheme='https')
            self.serving_rows('TLS, exporter with --web.max-connections-per-ip=16', e, c, False)
        self.stop(exp)
        self.stop(ceil)

    def end_servers(self):
        for p in list(self.procs):
            if p.stdin is None:
                self.stop(p)
        self.release(self.pty_holder)
        self.release(self.sess_holder)

    # -- 4: terminals --------------------------------------------------------------------

    def phase_terminals(self):
        log('4: sampling cost per poll against the floor, 0 to 4000 extra ptys')
        for n in (0, 10, 100, 1000, 4000):
            p, held, _ = self.holder('ptys', n)
            iters = max(10, min(2000, 200000 // (n + 10)))
            if self.quick:
                iters = max(5, iters // 10)
            r = keyvals(self.run([self.probe, 'pts', '/dev/pts', str(iters)]))
            self.release(p)
            poll, floor = float(r['poll_us']), float(r['floor_us'])
            what = 'pts poll, %d ptys opened, %s entries (reference: floor)' % (held,
                                                                               r['entries'])
            if held < n:
                self.notes.append('Only %d of %d ptys could be opened (kernel.pty.max).'
                                  % (held, n))
            self.rows.append(Row('4', what, fmt_us(poll), fmt_us(floor),
                                 poll / floor, '≤ 1.2×', poll <= 1.2 * floor))
        self.notes.append('Item 4 times idle_sampler_poll with sessions off (the part that '
                          'scales with terminals; per-terminal values on, as the exporter '
                          'runs) against opendir + readdir + one fstatat per entry + closedir, '
                          'the two interleaved in one process; medians.')

    # -- 5: processes --------------------------------------------------------------------

    def phase_processes(self):
        log('5: session sampling and `w` with 0, 1000 and 5000 extra idle processes')
        sess, _, _ = self.holder('sessions', 2, self.utmp)
        base_s = base_w = None
        iters, witers = (10, 5) if self.quick else (200, 20)
        for n in (0, 1000, 5000):
            p, held, _ = self.holder('procs', n)
            r = keyvals(self.run([self.probe, 'sessions', self.utmp, '/dev', '/proc',
                                  str(iters)]))
            w = keyvals(self.run(self.in_utmp_namespace([self.probe, 'run', str(witers), 'w'])))
            self.release(p)
            s_us, w_us = float(r['sample_us']), float(w['cpu_us'])
            base_s = base_s or s_us
            base_w = base_w or w_us
            self.rows.append(Row('5', 'session sampling, %d extra processes, %s sessions '
                                 '(reference: 0 extra)' % (held, r['sessions']), fmt_us(s_us),
                                 fmt_us(base_s), s_us / base_s, '≤ 1.2×', s_us <= 1.2 * base_s))
            self.rows.append(Row('5', '`w` CPU, %d extra processes, wall %s (reference: 0 extra)'
                                 % (held, fmt_us(float(w['wall_us']))), fmt_us(w_us),
                                 fmt_us(base_w), w_us / base_w, 'info'))
            if r['sessions'] != '2':
                self.notes.append('The sessions sampler reported %s sessions of the 2 held '
                                  '(is idle_sessions still a placeholder?).' % r['sessions'])
        self.release(sess)
        self.notes.append('Item 5 times idle_sessions_sample (utmp with 2 sessions on real ptys, '
                          '/dev, /proc) in-process, median; `w` is timed from fork to exit '
                          '(CPU = user + system from wait4), reading the same utmp.')

    # -- 6: start-up ---------------------------------------------------------------------

    def phase_startup(self):
        log('6: from exec to the first successful scrape')
        open(self.utmp, 'ab').close()
        n = 5 if self.quick else 20
        r = keyvals(self.run([self.probe, 'startup', str(n), self.exporter,
                              '--web.listen-address=127.0.0.1:{port}',
                              '--utmp-file=' + self.utmp]))
        us = float(r['startup_us'])
        ref, ratio = '', None
        if self.seed:
            s = keyvals(self.run([self.probe, 'startup', '3', self.seed_python, self.seed,
                                  '--port', '{port}']))
            ref, ratio = fmt_us(float(s['startup_us'])), us / float(s['startup_us'])
        self.rows.append(Row('6', 'exec to first successful scrape, median of %d, worst %s '
                             '(reference: seed)' % (n, fmt_us(float(r['startup_max_us']))),
                             fmt_us(us), ref, ratio, '≤ 20 ms', us <= 20000))

    # -- report --------------------------------------------------------------------------

    def report(self, machine, seconds):
        head = ['#', 'measure', 'value', 'reference', 'ratio', 'target', 'holds']
        self.rows.sort(key=lambda r: r.cells[0])
        cells = [head] + [r.cells for r in self.rows]
        widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
        print()
        for c in cells:
            print('  '.join(x.ljust(w) for x, w in zip(c, widths)).rstrip())
        missed = sum(1 for r in self.rows if r.cells[6] == 'NO')
        print('\n%d rows, %d targets missed%s' % (len(self.rows), missed,
                                                  ' (quick mode: rough figures)'
                                                  if self.quick else ''))
        for n in self.notes:
            print('- ' + n)
        md = ['# Benchmark results', '',
              'Written by `make bench%s` on %s in %.0f s. Rerun with `make bench`; '
              'see the README\'s Performance section.' % (
                  '-quick' if self.quick else '',
                  datetime.datetime.now().strftime('%Y-%m-%d %H:%M'), seconds), '',
              '## Machine', '']
        md += ['- %s: %s' % kv for kv in machine]
        md += ['', '## Results', '',
               '| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
        md += ['| ' + ' | '.join(x.replace('|', '\\|') for x in r.cells) + ' |'
               for r in self.rows]
        md += ['', '%d rows, %d targets missed.' % (len(self.rows), missed), '', '## Notes', '']
        md += ['- ' + n for n in self.notes]
        md += ['- ' + m for m in METHOD]
        with open(self.a.out, 'w') as f:
            f.write('\n'.join(md) + '\n')
        log('wrote ' + self.a.out)


METHOD = [
    'Item 1: CPU is the sum of the process\'s threads\' `/proc/PID/task/*/schedstat` run time '
    '(ns) plus `cutime + cstime` of `/proc/PID/stat` (children it reaped, such as the seed\'s '
    '`w`), read after a 3 s settling time and again after the run, scaled to a minute. The '
    'exporter, the seed, a floor daemon (bench-probe tick) and four collectd (with and without '
    '`LoadPlugin idle`, each over logfile + write_prometheus + load and over logfile + '
    'write_prometheus alone; Interval 10, the plugin polling every second) run at the same '
    'time over 10 terminals: 8 bare ptys and 2 login sessions (a `sleep` as session leader on each, '
    'recorded in a private utmp file). The exporter reads it with `--utmp-file`; the seed\'s `w` '
    'sees it as /run/utmp in a private mount namespace.',
    'Item 2: collectd RSS is VmRSS at the end of the run; the exporter\'s is VmHWM (peak) '
    'after every wrk run against it.',
    'Item 3: `wrk -t2 -c16 -d10s --latency` on 127.0.0.1, one server at a time (the others are '
    'stopped with SIGSTOP); the ceiling (bench/ceiling.c) serves the exporter\'s own page from '
    'a fixed buffer with the exporter\'s libmicrohttpd threading (one internal thread). The '
    'exporter runs with its default connection limits.',
    'Item 6: bench-probe forks and execs the exporter on a free port, then tries a GET every '
    '100 µs until one answers 200.',
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--srcdir', default='.')
    ap.add_argument('--builddir', default='.')
    ap.add_argument('--out', default=None)
    ap.add_argument('--quick', action='store_true',
                    default=os.environ.get('BENCH_QUICK', '') not in ('', '0', 'no'))
    args = ap.parse_args()
    quick_out = os.path.join(args.builddir, 'bench', 'results-quick.md')
    if args.out is None:
        args.out = quick_out if args.quick else os.path.join(args.srcdir, 'bench', 'RESULTS.md')
    elif args.quick and os.path.basename(args.out) == 'RESULTS.md':
        args.out = quick_out  # rough figures never replace the committed results
    start = time.monotonic()
    bench = Bench(args)

    def interrupted(sig, frame):
        raise KeyboardInterrupt
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, interrupted)
    try:
        machine = bench.machine()
        bench.phase_rest()
        bench.phase_scrapes()
        bench.end_servers()
        bench.phase_terminals()
        bench.phase_processes()
        bench.phase_startup()
        bench.report(machine, time.monotonic() - start)
    except KeyboardInterrupt:
        log('interrupted; cleaning up')
        return 130
    except (OSError, RuntimeError, subprocess.SubprocessError) as e:
        log('failed: %s' % e)
        if isinstance(e, subprocess.CalledProcessError):
            sys.stderr.write(e.stderr or '')
        try:
            with open(os.path.join(bench.tmp, 'stderr.log')) as f:
                sys.stderr.write(''.join(f.readlines()[-20:]))
        except OSError:
            pass
        return 1
    finally:
        bench.cleanup()
    return 0


if __name__ == '__main__':
    sys.exit(main())

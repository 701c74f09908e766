#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make bench: idle-exporter and the collectd plugin side by side with their peers and floors.

Runs every measurement in one run on this machine, loopback only, prints a table with each row's
reference, ratio, target and whether it holds, and writes it as Markdown.  The peers are the
Python exporter (../shared/peers/*_exporter.py above the source directory, always run with
Debian's /usr/bin/python3, which has python3-prometheus-client) and Debian's
prometheus-node-exporter.  Everything it starts (servers, ptys, sessions, idle processes,
containers with their cgroups and mounts) it stops and removes again, also on Ctrl-C.
BENCH_QUICK=1 (make bench-quick) runs the same rows briefly, for CI; its figures are rough, and a
missed target never fails it.

Python 3 standard library only.  A peer, collectd, the built plugin, wrk or unshare that is
missing installs nothing: its rows stay in the table, marked missing, with a note.
"""
import argparse
import datetime
import glob
import gzip
import os
import platform
import re
import shutil
import signal
import statistics
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

CLK_TCK = os.sysconf('SC_CLK_TCK')
DEBIAN_PYTHON = '/usr/bin/python3'  # the interpreter python3-prometheus-client installs into
NODE_EXPORTER = '/usr/bin/prometheus-node-exporter'
KIB = 1024


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
    cutime + cstime add the children the process waited for (the Python exporter's `w`), in clock ticks.
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


def missing(item, what, target, why):
    """A row that could not be measured: kept in the table, never dropped."""
    r = Row(item, what, 'missing: ' + why, '', None, target)
    r.cells[6] = 'missing' if target not in ('', 'info') else ''
    return r


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
        self.pyexp, self.pyexp_missing = self.find_python_exporter()
        self.node = NODE_EXPORTER if os.access(NODE_EXPORTER, os.X_OK) else None
        if self.node is None:
            self.loud('%s is missing: the node_exporter rows are marked missing (Debian: '
                      'apt-get install prometheus-node-exporter; the bench installs nothing).'
                      % NODE_EXPORTER)
        self.wrk = shutil.which(os.environ.get('WRK') or 'wrk')
        self.cgroot = None

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
        self.remove_cgroups()
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
        self.notes.append('`unshare -m` is not available: `w` and the Python exporter read '
                          'the host\'s '
                          'utmp, not the bench\'s two sessions.')
        return None

    def loud(self, msg):
        """A missing peer: said on stderr at once and kept as a note in the results."""
        log('WARNING: ' + msg)
        self.notes.append('**' + msg + '**')

    def find_python_exporter(self):
        """(path, None) of the Python exporter, or (None, why it is missing).  It always runs
        with Debian's /usr/bin/python3: another python3 first on PATH (pyenv, a venv) may not
        see python3-prometheus-client, and the bench never installs anything."""
        cands = [os.environ.get('PYTHON_EXPORTER')]
        for d in (self.a.srcdir, self.a.builddir):
            for up in ('..', '../..', '../../..'):  # a worktree sits deeper than a clone
                cands += sorted(glob.glob(os.path.join(d, up, 'shared', 'peers', '*_exporter.py')))
        path = next((os.path.abspath(c) for c in cands if c and os.path.isfile(c)), None)
        if path is None:
            why = 'no Python exporter in ../shared/peers/ above the source directory'
        elif not os.access(DEBIAN_PYTHON, os.X_OK):
            why = '%s is missing' % DEBIAN_PYTHON
        elif subprocess.run([DEBIAN_PYTHON, '-c', 'import prometheus_client'],
                            capture_output=True).returncode != 0:
            why = '%s has no prometheus_client (Debian: python3-prometheus-client)' % \
                DEBIAN_PYTHON
        else:
            return path, None
        self.loud('The Python exporter cannot run: %s; its rows are marked missing (set '
                  'PYTHON_EXPORTER to its path; the bench installs nothing).' % why)
        return None, why

    def start_python_exporter(self):
        """Starts the Python exporter on a free port; returns (process, port).  It binds every
        address, so a port free on 127.0.0.1 may be taken elsewhere: then it exits at once
        and another port is tried."""
        for _ in range(3):
            port = free_port()
            p = self.start(self.in_utmp_namespace([DEBIAN_PYTHON, self.pyexp,
                                                   '--port', str(port)]))
            if wait_until(lambda: http_get(port) is not None or p.poll() is not None, 20) \
                    and p.poll() is None:
                return p, port
        raise RuntimeError('the Python exporter did not answer on three ports (last %d)' % port)

    def start_node_exporter(self, *extra):
        """Debian's node_exporter on a free loopback port; returns (process, port)."""
        for _ in range(3):
            port = free_port()
            p = self.start([self.node, '--web.listen-address=127.0.0.1:%d' % port] +
                           list(extra))
            if wait_until(lambda: http_get(port) is not None or p.poll() is not None, 20) \
                    and p.poll() is None:
                return p, port
        raise RuntimeError('node_exporter did not answer on three ports (last %d)' % port)

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
            ('the Python exporter', '%s, %s' % (os.path.dirname(self.pyexp), out(
                DEBIAN_PYTHON, '-c', 'import sys, importlib.metadata as m; print("Python",'
                ' sys.version.split()[0] + ", prometheus_client", m.version("prometheus_client"))'))
             if self.pyexp else 'missing: ' + self.pyexp_missing),
            ('node_exporter', out(self.node, '--version') if self.node else
             'missing: %s is not installed' % NODE_EXPORTER),
            ('bench driver', '%s %s' % (sys.executable, platform.python_version())),
            ('procps w', out('w', '--version')),
            ('wrk', out(self.wrk, '--version').split(' Copyright')[0] if self.wrk else 'absent'),
            ('kernel.pty.max', out('cat', '/proc/sys/kernel/pty/max')),
            ('at start', '%d processes, load average %s' % (
                sum(1 for d in os.listdir('/proc') if d.isdigit()),
                ' '.join(open('/proc/loadavg').read().split()[:3]))),
        ]

    # -- 1, 2: CPU at rest, memory -------------------------------------------------------

    def collectd_naming(self):
        """How every collectd here names the host: as Debian's collectd.conf does (no Hostname,
        FQDNLookup true), whose lookup brings glibc's NSS code into collectd before any plugin
        runs, as in a collectd users run; a fixed Hostname, noted, where this machine's name
        does not resolve at once (an offline DNS lookup would hold each start for seconds)."""
        if getattr(self, '_collectd_naming', None) is None:
            name = socket.gethostname()
            try:
                ok = subprocess.run(['getent', 'ahosts', name], capture_output=True,
                                    timeout=3).returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                ok = False
            self._collectd_naming = 'FQDNLookup true' if ok else 'Hostname "bench"'
            if not ok:
                self.notes.append('collectd ran with Hostname "bench": this machine\'s name %r '
                                  'did not resolve within 3 s, so the plugin is charged for '
                                  'glibc\'s NSS pages (about 128 KiB) that the stock '
                                  'FQDNLookup would have loaded anyway.' % name)
        return self._collectd_naming

    # The collectds the plugin is compared with, by the read plugins they load beside logfile
    # and write_prometheus.  CPU: `load` alone, whose own reads cost little and vary little, so
    # that the difference with the plugin is the plugin's (per thread, its added CPU is the same
    # over the stock set).  Memory: the read plugins of Debian's collectd.conf that need no
    # hardware, so that collectd's writer threads are busy as in any deployment; beside `load`
    # alone (3 values in 10 s) the plugin's values are what wakes its idle writer threads, each
    # of which then makes itself a malloc arena that a real collectd has anyway.
    LOAD_ONLY = ('load',)
    STOCK_READ_PLUGINS = ('cpu', 'interface', 'load', 'memory')

    @staticmethod
    def collectd_name(read_plugins):
        if not read_plugins:
            return 'bare collectd, no read plugin'
        return 'collectd with %s and write_prometheus' % ', '.join(read_plugins)

    def collectd_conf(self, name, with_idle, read_plugins):
        d = os.path.join(self.tmp, name)
        plugins = os.path.join(d, 'plugins')
        os.makedirs(plugins)
        wp = '/usr/lib/collectd/write_prometheus.so'
        use_wp = os.path.isfile(wp) and 'not found' not in subprocess.run(
            ['ldd', wp], capture_output=True, text=True).stdout
        for so in ['logfile'] + (['write_prometheus'] if use_wp else []):
            shutil.copy('/usr/lib/collectd/%s.so' % so, plugins)
        conf = ['BaseDir "%s"' % d, 'PIDFile "%s/pid"' % d, 'PluginDir "%s"' % plugins,
                'TypesDB "/usr/share/collectd/types.db"', self.collectd_naming(),
                'AutoLoadPlugin false', 'LoadPlugin logfile',
                '<Plugin logfile>\n LogLevel info\n File "%s/log"\n</Plugin>' % d]
        if use_wp:
            conf += ['LoadPlugin write_prometheus',
                     '<Plugin write_prometheus>\n Host "127.0.0.1"\n Port "%d"\n</Plugin>'
                     % free_port()]
        for so in read_plugins:
            shutil.copy('/usr/lib/collectd/%s.so' % so, plugins)
            conf += ['LoadPlugin ' + so]
        if with_idle:
            shutil.copy(self.b('plugin', '.libs', 'idle.so'), plugins)
            conf += ['LoadPlugin idle', '<Plugin idle>\n UtmpFile "%s"\n</Plugin>' % self.utmp]
        with open(os.path.join(d, 'collectd.conf'), 'w') as f:
            f.write('\n'.join(conf) + '\n')
        return d, use_wp

    def start_collectd(self, name, with_idle, read_plugins):
        d, use_wp = self.collectd_conf(name, with_idle, read_plugins)
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
        if not use_wp and not with_idle and not read_plugins:
            self.notes.append('collectd ran without write_prometheus (missing, or lacking '
                              'libprotobuf-c1): logfile only.')
        return p

    # Each kind of process at rest runs this many times side by side: every process polls at
    # its own phase of the second for as long as it runs.  The instances are started in turn,
    # kind after kind, at slots spread evenly over one second, so that each kind has one
    # instance in every fifth of it; the median of each kind is the figure, and each instance
    # is in the notes.  Item 2 (the exporter, scraped or not, against the floor) is measured
    # first with nothing else polling the terminals: beside the other 1-second pollers of the
    # next part (collectd's plugin, the Python exporter) a poll that comes soon after one of
    # theirs finds the same inodes and kernel paths warm, so that one floor cost 72 µs and
    # another 117 µs for the same work in one run, by where its phase fell.
    PHASES = 5
    REST_KINDS = ('exporter', 'exporter-15s', 'floor')

    @staticmethod
    def instance(kind, i):
        """The name of a kind's i-th instance (from 1) among the rest phase's processes."""
        return kind if i == 1 else '%s.%d' % (kind, i)

    def at_slot(self, t0, slot, slots):
        """Waits for the slot-th of slots evenly spread over the second from t0."""
        delay = t0 + slot / slots - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def start_instances(self, kinds):
        """PHASES instances of each kind, interleaved at slots spread over one second; returns
        {name: process}, and the ports of the scraped exporters in self.e15ports."""
        self.e15ports = []
        procs = {}
        slots, t0 = self.PHASES * len(kinds), time.monotonic()
        for i in range(1, self.PHASES + 1):
            for j, kind in enumerate(kinds):
                self.at_slot(t0, (i - 1) * len(kinds) + j, slots)
                if kind == 'floor':
                    p = self.start([self.probe, 'tick', '/dev/pts'])
                else:
                    port = free_port()
                    if kind == 'exporter-15s':
                        self.e15ports.append(port)
                    p = self.start_exporter(port)
                    if (kind, i) == ('exporter', 1):
                        self.eport = port
                procs[self.instance(kind, i)] = p
        return procs

    def measure_rest(self, procs, secs):
        """CPU per second of each process over secs, the scraped exporters scraped every 15 s
        meanwhile (half a period in, each scraper a little after the one before: never two at
        once)."""
        stop = threading.Event()
        t0, c0 = time.monotonic(), {k: cpu_ns(p.pid) for k, p in procs.items()}
        scrapers = [self.scrape_every(port, 15, stop, 7.5 + k * 7.0 / len(self.e15ports))
                    for k, port in enumerate(self.e15ports)]
        time.sleep(secs)
        t1, c1 = time.monotonic(), {k: cpu_ns(p.pid) for k, p in procs.items()}
        stop.set()
        for scraper in scrapers:
            scraper.join()
        return {k: (c1[k] - c0[k]) / 1e9 / (t1 - t0) for k in procs}  # = per 1-second poll

    def rest_alone(self, secs):
        """Item 2: the exporter, scraped and not, against the floor, nothing else polling."""
        procs = self.start_instances(self.REST_KINDS)
        time.sleep(3)  # past start-up
        per_s = self.measure_rest(procs, secs)
        for p in procs.values():
            self.stop(p)
        self.phase_medians(per_s, self.REST_KINDS, 'with nothing else polling the terminals')
        self.item2_rows(per_s)

    def rest_servers(self):
        """Every process of the side-by-side part, started side by side; returns {name:
        process}."""
        procs = self.start_instances(('exporter',))
        self.exp_proc = procs['exporter']
        page = http_get(self.eport)[2]
        self.body = os.path.join(self.tmp, 'page.txt')
        with open(self.body, 'wb') as f:
            f.write(page)
        # A ceiling's peak memory moves by 70 KiB from one process to the next (which pages of
        # the libraries fault in), a seventh of the exporter's margin over it: as many
        # instances as the exporter has, and the medians.
        for i in range(1, self.PHASES + 1):
            p, port = self.start_ceiling(self.body)
            http_get(port)  # its first answer, as the exporter's start-up check gave it one
            procs[self.instance('ceiling', i)] = p
        if self.pyexp:
            self.pyexp_proc, self.pyexp_port = self.start_python_exporter()
            procs['python'] = self.pyexp_proc
        if self.node:
            self.node_proc, self.node_port = self.start_node_exporter()
            self.node_min_proc, self.node_min_port = self.start_node_exporter(
                '--collector.disable-defaults', '--collector.loadavg')
            procs['node'], procs['node-min'] = self.node_proc, self.node_min_proc
        if self.collectd_available():
            for load in (True, False):
                for idle in (False, True):
                    procs[(load, idle)] = self.start_collectd(
                        'collectd-%s-%s' % ('load' if load else 'bare', idle), idle,
                        self.LOAD_ONLY if load else ())
            # The target rows' pair in PHASES instances too, spread over the second: the
            # plugin's own 1-second poll has a phase as the exporter's has.
            t0 = time.monotonic()
            for i in range(2, self.PHASES + 1):
                self.at_slot(t0, i - 1, self.PHASES)
                for idle in (False, True):
                    procs[(True, idle, i)] = self.start_collectd(
                        'collectd-load-%s.%d' % (idle, i), idle, self.LOAD_ONLY)
        return procs

    def scrape_every(self, port, period, stop, first):
        """A thread scraping port every period seconds, the first first seconds from now (less
        than a period, so that a run of whole periods holds one scrape per period), until stop
        is set."""
        def loop():
            if stop.wait(first):
                return
            while True:
                http_get(port)
                if stop.wait(period):
                    return
        t = threading.Thread(target=loop, daemon=True)
        t.start()
        return t

    def phase_rest(self):
        secs = 15 if self.quick else 60
        log('2: CPU at 1-second polls, 10 terminals and 2 sessions, %d s, against the floor, '
            'nothing else polling' % secs)
        self.sess_holder, n_sess, _ = self.holder('sessions', 2, self.utmp)
        self.pty_holder, n_ptys, _ = self.holder('ptys', 8)
        if n_sess + n_ptys != 10:
            self.notes.append('Only %d of 10 terminals could be opened.' % (n_sess + n_ptys))
        self.rest_alone(secs)
        log('3-5: the exporter at rest beside the peers and collectd, %d s' % secs)
        procs = self.rest_servers()
        time.sleep(3)  # past start-up: the Python exporter's first `w`, collectd's first reads
        per_s = self.measure_rest(procs, secs)
        rss = {k: status_kb(p.pid, 'VmRSS') for k, p in procs.items()}
        self.rest_rss = rss
        self.rest_hwm = {k: status_kb(p.pid, 'VmHWM') for k, p in procs.items()
                         if isinstance(k, str) and k.startswith(('exporter', 'ceiling')) and
                         not k.startswith('exporter-15s')}
        self.phase_medians(per_s, ('exporter',), 'beside the peers and collectd')
        for key in [k for k in procs if isinstance(k, str) and
                    k.startswith(('exporter.', 'ceiling.'))]:
            self.stop(procs.pop(key))
        self.check_counts()
        self.rest_rows(per_s, rss, procs)
        if (True, True) in procs:
            self.collectd_rows(procs, per_s, self.per_min)
        else:
            self.rows.append(missing('3', 'collectd CPU per poll added by the plugin (reference: '
                                     'the exporter\'s CPU per poll at rest)', '≤ 1.25×',
                                     'collectd or the plugin'))

    def phase_medians(self, per_s, kinds, where):
        """Replaces each kind's CPU by the median of its instances, and notes every instance."""
        parts = []
        for key in kinds:
            values = [per_s[self.instance(key, i)] for i in range(1, self.PHASES + 1)]
            per_s[key] = statistics.median(values)
            parts.append('%s %s' % (key, ', '.join(fmt_us(v * 1e6) for v in values)))
        self.notes.append('CPU per poll of each instance at rest, %s (%d of each kind, started '
                          'in turn at slots spread over one second; the rows give the median): '
                          '%s.' % (where, self.PHASES, '; '.join(parts)))

    @staticmethod
    def per_min(v):
        return '%.2f ms/min (%s per poll)' % (v * 60e3, fmt_us(v * 1e6))

    def item2_rows(self, per_s):
        e, e15, f = per_s['exporter'], per_s['exporter-15s'], per_s['floor']
        pm = self.per_min
        floor_ref = 'floor daemon: one opendir + fstatat per pts entry a second'
        self.rows.append(Row('2', 'CPU at rest, exporter, no scrapes (reference: %s)' % floor_ref,
                             pm(e), pm(f), e / f, '≤ 1.25×', e <= 1.25 * f))
        self.rows.append(Row('2', 'CPU, exporter scraped every 15 s (reference: the floor)',
                             pm(e15), pm(f), e15 / f, '≤ 1.5×', e15 <= 1.5 * f))

    def rest_rows(self, per_s, rss, procs):
        e = per_s['exporter']
        pm = self.per_min
        self.exporter_cpu_rest = e
        hwms = {kind: [self.rest_hwm[self.instance(kind, i)] for i in range(1, self.PHASES + 1)]
                for kind in ('exporter', 'ceiling')}
        self.exporter_hwm_rest = statistics.median(hwms['exporter'])
        chwm = statistics.median(hwms['ceiling'])
        self.notes.append('Peak RSS (VmHWM) at rest of each instance (the row gives the median): '
                          '%s.' % '; '.join('%s %s' % (kind, ', '.join('%d KiB' % v for v in vs))
                                            for kind, vs in hwms.items()))
        self.stop(procs.pop('ceiling'))
        hwm, anon = self.exporter_hwm_rest, status_kb(self.exp_proc.pid, 'RssAnon')
        self.rows.append(Row('4', 'exporter peak RSS (VmHWM) at rest (reference: the ceiling at '
                             'rest, same libraries)', '%d KiB' % hwm, '%d KiB' % chwm,
                             hwm / chwm, '≤ 1.10×', hwm <= 1.10 * chwm))
        self.rows.append(Row('4', 'exporter anonymous memory (RssAnon) at rest', '%d KiB' % anon,
                             '', None, '≤ 1024 KiB', anon <= KIB))
        py_what = 'CPU at rest, exporter (reference: the Python exporter)'
        if self.pyexp:
            p = per_s['python']
            self.rows.append(Row('5', py_what, pm(e), pm(p), e / p, 'info'))
        else:
            self.rows.append(missing('5', py_what, 'info', self.pyexp_missing))
        for key, label in (('node', 'its default collectors'),
                           ('node-min', 'only --collector.loadavg')):
            what = 'CPU at rest, node_exporter with %s (reference: the exporter)' % label
            rwhat = 'RSS at rest, exporter (reference: node_exporter with %s)' % label
            target = '≤ 0.5×' if key == 'node' else 'info'
            if not self.node:
                self.rows.append(missing('5', what, 'info', NODE_EXPORTER + ' not installed'))
                self.rows.append(missing('5', rwhat, target, NODE_EXPORTER + ' not installed'))
                continue
            n = per_s[key]
            self.rows.append(Row('5', what, pm(n), pm(e), n / e if e else None, 'info'))
            self.rows.append(Row('5', rwhat, '%d KiB' % rss['exporter'], '%d KiB' % rss[key],
                                 rss['exporter'] / rss[key], target,
                                 rss['exporter'] <= 0.5 * rss[key] if key == 'node' else None))

    def collectd_rows(self, procs, per_s, per_min):
        """The plugin's added CPU per poll (the median of its instances, with and without the
        plugin, over collectd with `load`, then bare), and collectd's RSS there (info: the
        memory target is phase_collectd_memory's)."""
        e = self.exporter_cpu_rest
        rss = {k: status_kb(p.pid, 'VmRSS') for k, p in procs.items() if isinstance(k, tuple)}
        parts = []
        for load in (True, False):
            base = self.collectd_name(self.LOAD_ONLY if load else ())
            keys = {idle: [(load, idle)] + ([(load, idle, i) for i in range(2, self.PHASES + 1)]
                                            if load else [])
                    for idle in (False, True)}
            cpu = {idle: statistics.median(per_s[k] for k in keys[idle]) for idle in keys}
            kb = {idle: statistics.median(rss[k] for k in keys[idle]) for idle in keys}
            if load:
                for idle in (False, True):
                    parts.append('%s the plugin %s' % (
                        'with' if idle else 'without', ', '.join(
                            '%s and %d KiB' % (fmt_us(per_s[k] * 1e6), rss[k])
                            for k in keys[idle])))
            added = cpu[True] - cpu[False]
            self.rows.append(Row('3', 'collectd CPU per poll added by the plugin, over %s '
                                 '(reference: the exporter\'s CPU per poll at rest)' % base,
                                 fmt_us(added * 1e6), fmt_us(e * 1e6), added / e if e else None,
                                 '≤ 1.25×' if load else 'info',
                                 added <= 1.25 * e if load else None))
            self.rows.append(Row('4', 'collectd RSS with the plugin (reference: %s)' % base,
                                 '%d KiB' % kb[True], '%d KiB' % kb[False], kb[True] / kb[False],
                                 'info'))
            for k in keys[False] + keys[True]:
                self.stop(procs[k])
        self.notes.append('%s, %d instances of each (the rows give the median), CPU per second '
                          'and RSS: %s.' % (self.collectd_name(self.LOAD_ONLY), self.PHASES,
                                            '; '.join(parts)))
        self.notes.append('collectd starts its read threads (5 by default) with its first read '
                          'plugin, so against a bare collectd with no read plugin the idle '
                          'plugin is also charged for that pool; the target rows compare with '
                          'a collectd that already reads something, as any deployment does, '
                          'and the bare rows are shown beside them.')
        if self.collectd_naming() == 'FQDNLookup true':
            self.notes.append('Every collectd names the host as Debian\'s collectd.conf does '
                              '(FQDNLookup true, no Hostname): its lookup brings glibc\'s NSS '
                              'code in before any plugin runs, so the plugin\'s user lookups '
                              '(getpwnam for w\'s rule, and the owners of terminals with '
                              'ReportTerminals) add few NSS pages of their own; with a fixed '
                              'Hostname they would add about 128 KiB.')

    def phase_collectd_memory(self):
        """Item 4: collectd's RSS with the plugin against a collectd reading what a stock one
        reads, PHASES pairs started across a second, after the rest phase (memory needs no
        neighbours), read after three of collectd's reads."""
        what = 'collectd RSS with the plugin (reference: %s)' % self.collectd_name(
            self.STOCK_READ_PLUGINS)
        if not self.collectd_available():
            self.rows.append(missing('4', what, '≤ 1.05×', 'collectd or the plugin'))
            return
        secs = 12 if self.quick else 35
        log('4: collectd RSS, %d pairs reading what a stock collectd reads, %d s'
            % (self.PHASES, secs))
        procs, t0 = {}, time.monotonic()
        for i in range(self.PHASES):
            self.at_slot(t0, i, self.PHASES)
            for idle in (False, True):
                procs[(idle, i)] = self.start_collectd('collectd-stock-%s.%d' % (idle, i), idle,
                                                       self.STOCK_READ_PLUGINS)
        time.sleep(secs)
        rss = {k: status_kb(p.pid, 'VmRSS') for k, p in procs.items()}
        for p in procs.values():
            self.stop(p)
        kb = {idle: statistics.median(rss[(idle, i)] for i in range(self.PHASES))
              for idle in (False, True)}
        self.rows.append(Row('4', what, '%d KiB' % kb[True], '%d KiB' % kb[False],
                             kb[True] / kb[False], '≤ 1.05×', kb[True] <= 1.05 * kb[False]))
        self.notes.append('%s (the read plugins of Debian\'s collectd.conf that need no '
                          'hardware), %d instances of each after %d s (the row gives the '
                          'median), RSS without the plugin %s; with it %s.' % (
                              self.collectd_name(self.STOCK_READ_PLUGINS), self.PHASES, secs,
                              ', '.join('%d KiB' % rss[(False, i)] for i in range(self.PHASES)),
                              ', '.join('%d KiB' % rss[(True, i)] for i in range(self.PHASES))))

    def collectd_available(self):
        """Whether collectd and the built plugin are here; says why not once."""
        if getattr(self, '_collectd_available', None) is None:
            plugin_so = self.b('plugin', '.libs', 'idle.so')
            self._collectd_available = False
            if not shutil.which('collectd'):
                self.notes.append('Plugin rows skipped: collectd is not installed '
                                  '(Debian: collectd-core).')
            elif not os.path.isfile(plugin_so):
                self.notes.append('Plugin rows skipped: %s was not built.' % plugin_so)
            else:
                self._collectd_available = True
        return self._collectd_available

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
        self.rows.append(Row('7', 'scrapes/s, %s (reference: ceiling)' % label,
                             '%.0f%s' % (e['rps'], e['note']), '%.0f%s' % (c['rps'], c['note']),
                             e['rps'] / c['rps'], t_rps,
                             e['rps'] >= 0.8 * c['rps'] if targets else None))
        self.rows.append(Row('7', 'p99 latency, %s (reference: ceiling)' % label,
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

    SCRAPE_ROWS = [
        ('7', 'scrapes/s, exporter (reference: ceiling)', '≥ 0.8×'),
        ('7', 'p99 latency, exporter (reference: ceiling)', '≤ 1.5×'),
        ('4', 'exporter peak RSS (VmHWM) after the scrape load (reference: the ceiling after '
         'the same load)', '≤ 1.10×'),
        ('5', 'scrapes/s, exporter (reference: node_exporter with its default collectors)',
         '≥ 20×'),
        ('5', 'scrapes/s, exporter (reference: the Python exporter)', 'info'),
    ]

    def phase_scrapes(self):
        if not self.wrk:
            self.loud('wrk is missing (Debian: wrk): the scrape rows are marked missing.')
            for item, what, target in self.SCRAPE_ROWS:
                self.rows.append(missing(item, what, target, 'wrk not installed'))
            return
        log('7, 5: wrk -t2 -c16 -d%s --latency on loopback' % ('2s' if self.quick else '10s'))
        page = http_get(self.eport)[2]
        with open(self.body, 'wb') as f:
            f.write(page)
        ceil, cport = self.start_ceiling(self.body)
        c = self.measure(ceil, cport, 'ceiling')
        ceiling_hwm = status_kb(ceil.pid, 'VmHWM')
        self.stop(ceil)
        e = self.measure(self.exp_proc, self.eport, 'exporter')
        self.serving_rows('exporter (page of %d B)' % len(page), e, c, True)
        self.peer_scrapes(e)
        gz = self.gzip_variant(self.exp_proc, self.eport, 'exporter')
        if e['errors'] or e['non2xx']:
            self.per_ip_variant(c, gz)
        self.tls_variant()
        hwm = status_kb(self.exp_proc.pid, 'VmHWM')
        self.rows.append(Row('4', self.SCRAPE_ROWS[2][1], '%d KiB' % hwm, '%d KiB' % ceiling_hwm,
                             hwm / ceiling_hwm, '≤ 1.10×', hwm <= 1.10 * ceiling_hwm))
        anon = status_kb(self.exp_proc.pid, 'RssAnon')
        self.rows.append(Row('4', 'exporter anonymous memory (RssAnon) after the scrape load',
                             '%d KiB' % anon, '', None, '≤ 1024 KiB', anon <= KIB))
        self.notes.append('Exporter memory after the load: %d KiB anonymous, %d KiB file-backed '
                          '(shared libraries); peak %d KiB at rest before it.' % (
                              anon, status_kb(self.exp_proc.pid, 'RssFile'),
                              self.exporter_hwm_rest))
        self.peer_memory(hwm)

    def peer_scrapes(self, e):
        """Scrapes/s and p99 of the Python exporter and node_exporter beside the exporter's."""
        self.pyexp_wrk = None
        what = self.SCRAPE_ROWS[4][1]
        if self.pyexp:
            s = self.pyexp_wrk = self.measure(self.pyexp_proc, self.pyexp_port,
                                              'the Python exporter')
            self.rows.append(Row('5', what, '%.0f' % e['rps'], '%.0f%s' % (s['rps'], s['note']),
                                 e['rps'] / s['rps'] if s['rps'] else None, 'info'))
            self.rows.append(Row('5', 'p99 latency, the Python exporter (reference: exporter)',
                                 '%.1f ms' % s['p99'], '%.3f ms' % e['p99'],
                                 s['p99'] / e['p99'], 'info'))
        else:
            self.rows.append(missing('5', what, 'info', self.pyexp_missing))
        for proc, port, label, target in (
                (getattr(self, 'node_proc', None), getattr(self, 'node_port', 0),
                 'its default collectors', '≥ 20×'),
                (getattr(self, 'node_min_proc', None), getattr(self, 'node_min_port', 0),
                 'only --collector.loadavg', 'info')):
            what = 'scrapes/s, exporter (reference: node_exporter with %s)' % label
            pwhat = 'p99 latency, node_exporter with %s (reference: exporter)' % label
            if proc is None:
                self.rows.append(missing('5', what, target, NODE_EXPORTER + ' not installed'))
                self.rows.append(missing('5', pwhat, 'info', NODE_EXPORTER + ' not installed'))
                continue
            n = self.measure(proc, port, 'node_exporter with ' + label)
            self.rows.append(Row('5', what, '%.0f' % e['rps'], '%.0f%s' % (n['rps'], n['note']),
                                 e['rps'] / n['rps'] if n['rps'] else None, target,
                                 e['rps'] >= 20 * n['rps'] if target != 'info' else None))
            self.rows.append(Row('5', pwhat, '%.3f ms' % n['p99'], '%.3f ms' % e['p99'],
                                 n['p99'] / e['p99'], 'info'))

    def peer_memory(self, hwm):
        """The peers' peak RSS after their load, beside the exporter's."""
        peers = [('the Python exporter', getattr(self, 'pyexp_proc', None)),
                 ('node_exporter with its default collectors', getattr(self, 'node_proc', None)),
                 ('node_exporter with only --collector.loadavg',
                  getattr(self, 'node_min_proc', None))]
        for label, proc in peers:
            what = 'exporter peak RSS after the scrape load (reference: %s after its own)' % label
            target = '≤ 0.5×' if label.endswith('default collectors') else 'info'
            if proc is None:
                why = self.pyexp_missing if 'Python' in label else NODE_EXPORTER + ' missing'
                self.rows.append(missing('5', what, target, why))
                continue
            phwm = status_kb(proc.pid, 'VmHWM')
            self.rows.append(Row('5', what, '%d KiB' % hwm, '%d KiB' % phwm, hwm / phwm, target,
                                 hwm <= 0.5 * phwm if target != 'info' else None))

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
        if self.pyexp_wrk and self.pyexp_wrk['rps']:
            self.rows.append(Row('5', 'scrapes/s, exporter with %s (reference: the Python '
                                 'exporter)' % flag, '%.0f' % e['rps'],
                                 '%.0f' % self.pyexp_wrk['rps'],
                                 e['rps'] / self.pyexp_wrk['rps'], 'info'))
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
        log('7: sampling cost per poll against the floor, 0 to 4000 extra ptys')
        for n in (0, 10, 100, 1000, 4000):
            p, held, _ = self.holder('ptys', n)
            iters = max(10, min(2000, 200000 // (n + 10)))
            if self.quick:
                iters = max(10, iters // 4)
            r = keyvals(self.run([self.probe, 'pts', '/dev/pts', str(iters)]))
            self.release(p)
            poll, floor = float(r['poll_us']), float(r['floor_us'])
            what = 'pts poll, %d ptys opened, %s entries (reference: floor)' % (held,
                                                                               r['entries'])
            if held < n:
                self.notes.append('Only %d of %d ptys could be opened (kernel.pty.max).'
                                  % (held, n))
            self.rows.append(Row('7', what, fmt_us(poll), fmt_us(floor),
                                 poll / floor, '≤ 1.2×', poll <= 1.2 * floor))
        self.notes.append('The pts rows of item 7 time idle_sampler_poll with sessions off (the part that '
                          'scales with terminals; per-terminal values on, as the exporter '
                          'runs) against opendir + readdir + one fstatat per entry + closedir, '
                          'the two interleaved in one process; medians.')

    # -- 5: processes --------------------------------------------------------------------

    def phase_processes(self):
        log('7: session sampling and `w` with 0, 1000 and 5000 extra idle processes')
        sess, _, _ = self.holder('sessions', 2, self.utmp)
        base_s = base_w = None
        iters, witers = (50, 3) if self.quick else (200, 20)
        for n in (0, 1000, 5000):
            p, held, _ = self.holder('procs', n)
            r = keyvals(self.run([self.probe, 'sessions', self.utmp, '/dev', '/proc',
                                  str(iters)]))
            w = keyvals(self.run(self.in_utmp_namespace([self.probe, 'run', str(witers), 'w'])))
            self.release(p)
            s_us, w_us = float(r['sample_us']), float(w['cpu_us'])
            base_s = base_s or s_us
            base_w = base_w or w_us
            self.rows.append(Row('7', 'session sampling, %d extra processes, %s sessions '
                                 '(reference: 0 extra)' % (held, r['sessions']), fmt_us(s_us),
                                 fmt_us(base_s), s_us / base_s, '≤ 1.2×', s_us <= 1.2 * base_s))
            self.rows.append(Row('7', '`w` CPU, %d extra processes, wall %s (reference: 0 extra)'
                                 % (held, fmt_us(float(w['wall_us']))), fmt_us(w_us),
                                 fmt_us(base_w), w_us / base_w, 'info'))
            if r['sessions'] != '2':
                self.notes.append('The sessions sampler reported %s sessions of the 2 held '
                                  '(is idle_sessions still a placeholder?).' % r['sessions'])
        self.release(sess)
        self.notes.append('The session rows of item 7 time idle_sessions_sample (utmp with 2 sessions on real ptys, '
                          '/dev, /proc) in-process, median; `w` is timed from fork to exit '
                          '(CPU = user + system from wait4), reading the same utmp.')

    # -- 6: containers ------------------------------------------------------------------

    CONTAINERS = 100
    CONTAINER_ROWS = [
        ('container mode CPU, %d containers of 2 terminals, 0 extra processes (reference: floor: '
         'opendir + fstatat per entry of their devpts directories a second)', '≤ 1.5×'),
        ('container mode CPU, %d containers of 2 terminals, 5000 extra processes (reference: '
         'the floor)', '≤ 1.5×'),
        ('container mode CPU with 5000 extra processes (reference: with 0 extra)', '0.8–1.2×'),
        ('container mode peak RSS (VmHWM) with %d containers (reference: the host-only '
         'exporter)', '≤ +512 KiB'),
    ]

    def container_rows_missing(self, why):
        for what, target in self.CONTAINER_ROWS:
            self.rows.append(missing('6', what.replace('%d', str(self.CONTAINERS)), target, why))

    def cgroup2_root(self):
        """The machine's cgroup v2 tree (unified, or the whole /sys/fs/cgroup), or None."""
        for d in ('/sys/fs/cgroup/unified', '/sys/fs/cgroup'):
            r = subprocess.run(['stat', '-fc', '%T', d], capture_output=True, text=True)
            if r.returncode == 0 and r.stdout.strip() == 'cgroup2fs':
                return d
        return None

    def remove_cgroups(self):
        """Kills what is left in the bench's cgroups and removes them, deepest first."""
        if not self.cgroot or not os.path.isdir(self.cgroot):
            return
        for d, _, _ in sorted(os.walk(self.cgroot), key=lambda w: -w[0].count('/')):
            for _ in range(50):
                try:
                    with open(os.path.join(d, 'cgroup.procs')) as f:
                        for pid in f.read().split():
                            os.kill(int(pid), signal.SIGKILL)
                    os.rmdir(d)
                    break
                except ProcessLookupError:
                    continue
                except OSError:
                    time.sleep(0.1)
        if os.path.isdir(self.cgroot):
            self.loud('could not remove %s: remove it by hand' % self.cgroot)

    def container_exporter(self, sysfs, port, containers):
        """The exporter, in container mode or host-only, on an empty pts directory so that only
        the containers' terminals are polled.  Container mode runs in a private mount
        namespace where the bench's cgroup subtree is the whole tree (other containers on this
        machine stay out of the figures)."""
        nopts = os.path.join(self.tmp, 'nopts')
        os.makedirs(nopts, exist_ok=True)
        argv = [self.exporter, '--web.listen-address=127.0.0.1:%d' % port,
                '--utmp-file=' + self.utmp, '--pts-dir=' + nopts,
                '--containers.log-dir=' + nopts]
        if containers:
            cg = os.path.join(sysfs, 'fs', 'cgroup')
            os.makedirs(cg, exist_ok=True)
            argv = ['unshare', '-m', 'sh', '-c', 'mount --bind "$0" "$1" && shift && exec "$@"',
                    self.cgroot, cg] + argv + ['--collector.containers', '--path.sysfs=' + sysfs]
        p = self.start(argv)
        if not wait_until(lambda: http_get(port) is not None or p.poll() is not None, 10) \
                or p.poll() is not None:
            return None
        return p

    def measure_cpu(self, procs, secs):
        c0, t0 = {k: cpu_ns(p.pid) for k, p in procs.items()}, time.monotonic()
        time.sleep(secs)
        c1, t1 = {k: cpu_ns(p.pid) for k, p in procs.items()}, time.monotonic()
        return {k: (c1[k] - c0[k]) / 1e9 / (t1 - t0) for k in procs}

    def phase_containers(self):
        n, secs = self.CONTAINERS, (5 if self.quick else 30)
        log('6: container mode over %d containers of 2 terminals, 0 and 5000 extra processes, '
            '%d s each' % (n, secs))
        root = self.cgroup2_root()
        if root is None or self.ns is None:
            return self.container_rows_missing('no cgroup v2 tree or no mount namespaces')
        self.cgroot = os.path.join(root, 'idle-bench.%d' % os.getpid())
        os.mkdir(self.cgroot)
        try:
            self.containers_run(n, secs)
        finally:
            for p in list(self.procs):
                if p.stdin is not None:
                    self.release(p)
            self.remove_cgroups()

    def containers_run(self, n, secs):
        holder, held, lines = self.holder('containers', n, self.cgroot)
        ids = [(l[1], int(l[2])) for l in lines if l and l[0] == 'container']
        if held < n:
            return self.container_rows_missing('only %d of %d containers started' % (held, n))
        floor = self.start([self.probe, 'tick'] +
                           ['/proc/%d/root/dev/pts' % pid for _, pid in ids])
        iters = '5' if self.quick else '50'
        walk0 = keyvals(self.run([self.probe, 'containers', self.cgroot, '/proc', iters]))
        port, hport = free_port(), free_port()
        exp = self.container_exporter(os.path.join(self.tmp, 'sys'), port, True)
        host = self.container_exporter(None, hport, False)
        want = 'container_id="%s"' % ids[-1][0]
        built = exp is not None and host is not None and wait_until(
            lambda: want in (http_get(port) or (0, 0, b''))[2].decode(), 15)
        procs = {'floor': floor}
        if built:
            procs.update(containers=exp, host=host)
        time.sleep(2)
        cpu0 = self.measure_cpu(procs, secs)
        extra, xheld, _ = self.holder('procs', 5000)
        time.sleep(2)
        walk1 = keyvals(self.run([self.probe, 'containers', self.cgroot, '/proc', iters]))
        cpu1 = self.measure_cpu(procs, secs)
        self.release(extra)
        self.walk_rows(walk0, walk1, cpu0['floor'], xheld)
        if built:
            self.container_rows(cpu0, cpu1, xheld, status_kb(exp.pid, 'VmHWM'),
                                status_kb(host.pid, 'VmHWM'))
        else:
            self.container_rows_missing('container mode not built')
            self.notes.append('Container rows missing: `idle-exporter --collector.containers` '
                              '%s.' % ('did not start' if exp is None or host is None else
                                       'served no series with ' + want + ' within 15 s'))
        for p in (floor, exp, host):
            if p is not None:
                self.stop(p)

    def walk_rows(self, walk0, walk1, floor, xheld):
        """The library's rediscovery walk, spread over its 5 s, against the containers' floor."""
        n = self.CONTAINERS
        if walk0.get('containers') != str(n):
            self.notes.append('idle_containers_walk kept %s of the %d containers (%s refused, '
                              'last: %s).' % (walk0.get('containers'), n, walk0.get('refused'),
                                              walk0.get('last_refusal')))
        w0, w1 = float(walk0['walk_us']), float(walk1['walk_us'])
        self.rows.append(Row('6', 'container discovery walk (idle_containers_walk, once per 5 s), '
                             '%d containers, per second (reference: the floor per second)' % n,
                             '%s (%s per walk)' % (fmt_us(w0 / 5), fmt_us(w0)),
                             fmt_us(floor * 1e6), w0 / 5 / (floor * 1e6) if floor else None,
                             'info'))
        self.rows.append(Row('6', 'container discovery walk, %d extra processes (reference: 0 '
                             'extra)' % xheld, fmt_us(w1), fmt_us(w0), w1 / w0, 'info'))

    def container_rows(self, cpu0, cpu1, xheld, hwm, host_hwm):
        n, pm = self.CONTAINERS, self.per_min
        (w0, t0), (w1, t1), (wf, tf), (wr, tr) = self.CONTAINER_ROWS
        c0, f0, c1, f1 = cpu0['containers'], cpu0['floor'], cpu1['containers'], cpu1['floor']
        self.rows.append(Row('6', w0 % n, pm(c0), pm(f0), c0 / f0, t0, c0 <= 1.5 * f0))
        self.rows.append(Row('6', (w1 % n).replace('5000', str(xheld)), pm(c1), pm(f1), c1 / f1,
                             t1, c1 <= 1.5 * f1))
        self.rows.append(Row('6', wf.replace('5000', str(xheld)), pm(c1), pm(c0), c1 / c0, tf,
                             0.8 * c0 <= c1 <= 1.2 * c0))
        self.rows.append(Row('6', wr % n, '%d KiB' % hwm, '%d KiB' % host_hwm,
                             hwm / host_hwm, tr, hwm - host_hwm <= 512))
        self.notes.append('Item 6: each container is a process in its own cgroup '
                          '`kubepods/burstable/pod<uid>/<64-hex id>` (under a cgroup of the '
                          'bench, bound over `--path.sysfs`/fs/cgroup in the exporter\'s mount '
                          'namespace), with its own mount and pid namespaces and a private devpts '
                          '(newinstance) on /dev/pts holding 2 ptys. Both exporters poll an empty '
                          '`--pts-dir`; the floor (bench-probe tick) keeps each devpts directory '
                          'open and reopens it by descriptor each second. The host-only exporter '
                          'used %s per poll with 0 extra processes.' % fmt_us(cpu0['host'] * 1e6))

    # -- 6: start-up ---------------------------------------------------------------------

    def phase_startup(self):
        log('7: from exec to the first successful scrape')
        open(self.utmp, 'ab').close()
        n = 5 if self.quick else 20
        r = keyvals(self.run([self.probe, 'startup', str(n), self.exporter,
                              '--web.listen-address=127.0.0.1:{port}',
                              '--utmp-file=' + self.utmp]))
        us = float(r['startup_us'])
        ref, ratio = '', None
        if self.pyexp:
            s = keyvals(self.run([self.probe, 'startup', '3', DEBIAN_PYTHON, self.pyexp,
                                  '--port', '{port}']))
            ref, ratio = fmt_us(float(s['startup_us'])), us / float(s['startup_us'])
        self.rows.append(Row('7', 'exec to first successful scrape, median of %d, worst %s '
                             '(reference: the Python exporter)' % (n, fmt_us(float(r['startup_max_us']))),
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
    'Items 2, 3 and 5 (at rest): CPU is the sum of the process\'s threads\' '
    '`/proc/PID/task/*/schedstat` run time (ns) plus `cutime + cstime` of `/proc/PID/stat` '
    '(children it reaped, such as the Python exporter\'s `w`), read after a 3 s settling time and '
    'again after the run, scaled to a minute. Item 2 first, side by side with nothing else '
    'polling the terminals: five exporters with no scrapes, five scraped every 15 s (staggered, '
    'the first scrape half a period in) and five floor daemons (bench-probe tick). Then, side by '
    'side for a run as long: five exporters, five ceilings, the Python exporter, node_exporter '
    'with its default collectors and with only loadavg, and collectd with and without '
    '`LoadPlugin idle` (five pairs over logfile + write_prometheus + load, one pair over logfile '
    '+ write_prometheus alone; Interval 10, the plugin polling every second); and last, for '
    'item 4, five pairs over the stock read plugins. All over 10 terminals: 8 bare ptys and 2 login sessions (a '
    '`sleep` as session leader on each, recorded in a private utmp file). The exporter reads it '
    'with `--utmp-file`; the Python exporter\'s `w` sees it as /run/utmp in a private mount '
    'namespace.',
    'Item 4: RSS at rest is read at the end of the rest run (VmHWM for the exporter and the '
    'ceiling, VmRSS for collectd); after the load, VmHWM after every wrk run. The ceiling '
    '(bench/ceiling.c) is linked with every library the exporter loads, so that the difference '
    'is the exporter\'s own. RssAnon is /proc/PID/status\'s.',
    'Items 5 and 7 (scrapes): `wrk -t2 -c16 -d10s --latency` on 127.0.0.1, one server at a time '
    '(the others are stopped with SIGSTOP); the ceiling serves the exporter\'s own page from a '
    'fixed buffer with the exporter\'s libmicrohttpd threading (one internal thread). The exporter '
    'runs with its default connection limits; node_exporter on a free loopback port.',
    'Item 7 (start-up): bench-probe forks and execs the exporter on a free port, then tries a GET '
    'every 100 µs until one answers 200.',
]


def debian_python():
    """Runs the driver itself with Debian's python3 when it is there, whatever configure or PATH
    picked (a pyenv shim first on PATH is not the python the packages were installed for)."""
    if os.access(DEBIAN_PYTHON, os.X_OK) and \
            os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])


def main():
    debian_python()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--srcdir', default='.')
    ap.add_argument('--builddir', default='.')
    ap.add_argument('--out', default=None)
    ap.add_argument('--quick', action='store_true',
                    default=os.environ.get('BENCH_QUICK', '') not in ('', '0', 'no'))
    ap.add_argument('--only', default='', help='comma-separated phases to run alone, to rerun '
                    'a part while working on it: rest (and scrapes, which needs rest), containers, '
                    'terminals, processes, startup')
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
        only = [p for p in args.only.split(',') if p]
        if not only or 'rest' in only:
            bench.phase_rest()
            bench.phase_collectd_memory()
            if not only or 'scrapes' in only:
                bench.phase_scrapes()
            bench.end_servers()
        for phase in ('terminals', 'processes', 'containers', 'startup'):
            if not only or phase in only:
                getattr(bench, 'phase_' + phase)()
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

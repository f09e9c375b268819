#!/usr/bin/env python3
"""invitekit benchmark runner (docs/BENCHMARKS.md).

    meson setup build-bench -Dbench=true -Dbuildtype=release
    meson compile -C build-bench
    python3 bench/run.py build-bench

Builds nothing. Takes the build directory, starts invitekit-emulator (bounded
wait for its first stdout line, stopped by PID), installs the pinned npm SDKs
with `npm ci` into <builddir>/bench-node/, runs every measurement side by side
and prints a table of ratios; the raw numbers go to <builddir>/bench-results.json.

Nothing here asserts: targets are reported as PASS/MISS. Exit status is 0 when
every measurement ran (whatever the ratios), 1 when one could not run.

Measurements
  fetch   one object fetched in sequence. Client instructions per request from
          callgrind, marginal: (Ir(N2) - Ir(N1)) / (N2 - N1), so start-up and
          connection set-up cancel out. Native CPU time per request
          (getrusage over N timed requests after a warm-up) and, for the npm
          SDKs, process.cpuUsage() over the same; SDKs are compared by CPU time.
  list    every OpenAI invite of an emulator seeded with 100,000 (page size
          100): wall time and peak RSS; invitekit at 10k and 100k items for the
          flatness check. Twilio users / Fastly invitations: invitekit vs SDK.
  create  5,000 creates with 16 in flight, fresh emulator for every run.
Wall times are noisy on a shared 2-core machine: every wall-time variant is run
--repeat times, interleaved, and the ratios use the best (minimum) run; the
median is recorded too.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import platform
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

OPENAI_KEY = "sk-admin-emulator"
TWILIO_SID = "AC00000000000000000000000000000000"
TWILIO_TOKEN = "emulator-twilio-token"
TWILIO_SERVICE = "IS00000000000000000000000000000000"
FASTLY_TOKEN = "emulator-fastly-token"
PROVIDERS = ("openai", "twilio", "fastly")

TARGETS = {
    "fetch_instructions": 1.15,  # invitekit / raw libcurl (prod), instructions per request
    "list_wall": 1.4,            # invitekit / raw libcurl (no-parse), wall time
    "list_vs_sdk": 8.0,          # every SDK / invitekit, wall time (at least)
    "list_peak_kb": 16 * 1024,   # invitekit peak RSS
    "list_flat_kb": 1024,        # invitekit peak RSS growth from 10k to 100k items (at most)
    "create_wall": 1.3,          # invitekit / raw libcurl (best of multi/threads), wall time
    "create64_wall": 1.15,       # non-blocking engine, 64 in flight / raw libcurl multi, wall time
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# --------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------
def run_json(cmd: list[str], timeout: float, env: dict | None = None, cwd: str | None = None) -> dict:
    """Runs cmd, returns its last stdout line parsed as JSON plus the child's
    own rusage (os.wait4): child_cpu_us, child_wall_us, child_maxrss_kb. The
    latter is ru_maxrss, which includes the pre-execve high-water mark of this
    Python process; peak memory is taken from the programs' own VmHWM instead."""
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        deadline = t0 + timeout
        status = None
        ru = None
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise BenchError(f"timed out after {timeout:.0f}s: {' '.join(cmd)}")
            time.sleep(0.005)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - t0
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise BenchError(f"exit {proc.returncode}: {' '.join(cmd)}\n{stderr[-2000:]}")
    lines = [l for l in stdout.splitlines() if l.strip()]
    if not lines:
        raise BenchError(f"no output: {' '.join(cmd)}\n{stderr[-2000:]}")
    res = json.loads(lines[-1])
    res["child_maxrss_kb"] = ru.ru_maxrss
    res["child_cpu_us"] = int((ru.ru_utime + ru.ru_stime) * 1e6)
    res["child_wall_us"] = int(wall * 1e6)
    res["_stderr"] = stderr
    return res


def stop_process(proc: subprocess.Popen | None) -> None:
    """Stops a server this runner started: SIGTERM to its PID (our child only), SIGKILL after 15 s."""
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


class Emulator:
    """invitekit-emulator on an ephemeral port; stopped by PID."""

    def __init__(self, exe: str, seed: int, start_timeout: float = 120.0, extra: tuple = ()):
        self.exe, self.seed, self.start_timeout, self.extra = exe, seed, start_timeout, list(extra)
        self.proc = None
        self.url = None

    def __enter__(self):
        cmd = [self.exe, "--port", "0", "--quiet", "--seed", str(self.seed), *self.extra]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        buf = b""
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                self.stop()
                raise BenchError(f"emulator did not start: {' '.join(cmd)}")
            r, _, _ = select.select([self.proc.stdout], [], [], min(left, 0.5))
            if r:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    continue
                buf += chunk
        m = re.search(r"http://127\.0\.0\.1:\d+", buf.split(b"\n", 1)[0].decode())
        if not m:
            self.stop()
            raise BenchError(f"unexpected first line from emulator: {buf!r}")
        self.url = m.group(0)
        return self

    def stop(self):
        stop_process(self.proc)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()

    def __exit__(self, *exc):
        self.stop()


def http_json(url: str, headers: dict) -> dict:
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


# --------------------------------------------------------------------------
# What the raw libcurl baselines send: the same headers as invitekit
# --------------------------------------------------------------------------
def ik_user_agent(srcdir: str) -> str:
    """A User-Agent header of the same shape and length as invitekit's (srcdir = bench/)."""
    m = re.search(r"^project\([^)]*version:\s*'([^']+)'", open(os.path.join(srcdir, "..", "meson.build")).read(),
                  re.S)
    ver = m.group(1) if m else "0.0.0"
    curl_ver = subprocess.run(["curl-config", "--version"], capture_output=True, text=True).stdout.split()[-1] \
        if shutil.which("curl-config") else "7.88.1"
    return f"User-Agent: invitekit/{ver} libcurl/{curl_ver}"


def auth_header(prov: str) -> str:
    """The credential header invitekit sends with ik_bench's credentials (precomputed, as invitekit does)."""
    if prov == "openai":
        return f"Authorization: Bearer {OPENAI_KEY}"
    if prov == "twilio":
        tok = base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        return f"Authorization: Basic {tok}"
    return f"Fastly-Key: {FASTLY_TOKEN}"


def request_headers(prov: str, ua: str) -> list[str]:
    """Every header invitekit sends on a GET: credential, Accept, User-Agent."""
    accept = "Accept: application/vnd.api+json" if prov == "fastly" else "Accept: application/json"
    return [auth_header(prov), accept, ua]


def raw_fetch_url(prov: str, base: str, oid: str) -> str:
    """The URL ik_bench fetch requests (Fastly, which has no fetch: a list of 1)."""
    if prov == "openai":
        return f"{base}/v1/organization/invites/{oid}"
    if prov == "twilio":
        return f"{base}/v2/Services/{TWILIO_SERVICE}/Users/{oid}"
    return f"{base}/invitations?page%5Bsize%5D=1"


def raw_create_args(prov: str, base: str, ua: str) -> tuple[str, str, str, list[str]]:
    """(url, content type, body format, headers) of the raw libcurl equivalent of
    ik_bench create: the same endpoint, body shape and headers as invitekit."""
    if prov == "openai":
        return (f"{base}/v1/organization/invites", "application/json",
                '{"email":"%s-%ld@example.com","role":"reader"}', request_headers(prov, ua))
    if prov == "twilio":
        return (f"{base}/v2/Services/{TWILIO_SERVICE}/Users", "application/x-www-form-urlencoded",
                "Identity=%s-%ld", request_headers(prov, ua))
    return (f"{base}/invitations", "application/vnd.api+json",
            '{"data":{"type":"invitation","attributes":{"email":"%s-%ld@example.com","role":"engineer"}}}',
            request_headers(prov, ua))


# --------------------------------------------------------------------------
# npm SDKs
# --------------------------------------------------------------------------
def setup_node(builddir: str, srcdir: str, skip: bool) -> tuple[str | None, str]:
    """Copies bench/node into <builddir>/bench-node and runs npm ci there when
    the lock file changed. Returns (dir, note)."""
    if skip:
        return None, "skipped (--skip-sdk)"
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None, "skipped: node/npm not found"
    dst = os.path.join(builddir, "bench-node")
    os.makedirs(dst, exist_ok=True)
    src = os.path.join(srcdir, "node")
    for name in ("package.json", "package-lock.json", "sdk_bench.mjs"):
        shutil.copyfile(os.path.join(src, name), os.path.join(dst, name))
    with open(os.path.join(dst, "package-lock.json"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(dst, ".npm-ci-stamp")
    if not (os.path.isdir(os.path.join(dst, "node_modules")) and os.path.exists(stamp)
            and open(stamp).read().strip() == digest):
        log(f"npm ci in {dst} ...")
        try:
            subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=dst, check=True,
                           timeout=900, stdout=subprocess.DEVNULL)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
            return None, f"skipped: npm ci failed ({e})"
        with open(stamp, "w") as f:
            f.write(digest + "\n")
    ver = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    return dst, f"node {ver}"


def sdk_cmd(node: str, nodedir: str, *a) -> list[str]:
    """The command line of one sdk_bench.mjs run (setup_node's directory)."""
    return [node, os.path.join(nodedir, "sdk_bench.mjs"), *map(str, a)]


def sdk_versions(nodedir: str | None) -> dict:
    out = {}
    if not nodedir:
        return out
    for p in PROVIDERS:
        try:
            with open(os.path.join(nodedir, "node_modules", p, "package.json")) as f:
                out[p] = json.load(f)["version"]
        except OSError:
            pass
    return out


# --------------------------------------------------------------------------
# Callgrind
# --------------------------------------------------------------------------
def callgrind_total(path: str) -> int:
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise BenchError(f"no totals in {path}")


ANNOT_RE = re.compile(r"^\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)$")


def annotate(path: str) -> dict[str, int]:
    """Self cost per function (callgrind_annotate, everything above 0)."""
    ca = shutil.which("callgrind_annotate")
    if not ca:
        return {}
    out = subprocess.run([ca, "--threshold=100", "--inclusive=no", path], capture_output=True, text=True,
                         timeout=300).stdout
    res: dict[str, int] = {}
    in_table = False
    for line in out.splitlines():
        if "file:function" in line:
            in_table = True
            continue
        if not in_table:
            continue
        m = ANNOT_RE.match(line)
        if m:
            name = m.group(2).strip()
            name = re.sub(r"^\./[^:]*/", "", name)  # shorten glibc source paths
            res[name] = res.get(name, 0) + int(m.group(1).replace(",", ""))
        elif line.startswith("-----") and res:
            break
    return res


def marginal_profile(a1: dict, a2: dict, dn: int) -> dict[str, float]:
    keys = set(a1) | set(a2)
    return {k: (a2.get(k, 0) - a1.get(k, 0)) / dn for k in keys}


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def best(runs: list[dict], key: str) -> float:
    return min(r[key] for r in runs)


def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def fmt_ratio(x) -> str:
    return "n/a" if x is None else f"{x:.2f}x"


def verdict(ok) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def target_lines(rows: list[tuple], target_width: int) -> list[str]:
    """The targets table: rows of (benchmark, measure, value, target, verdict)."""
    w = max((len(x[0]) + len(x[1]) for x in rows), default=20) + 3
    return [f"   {(bench + ': ' + measure):{w}} {value:>10}  target {target:{target_width}} {v}"
            for bench, measure, value, target, v in rows]


def target_dicts(rows: list[tuple]) -> list[dict]:
    return [dict(zip(("benchmark", "measure", "value", "target", "verdict"), x)) for x in rows]


class Runner:
    def __init__(self, args):
        self.args = args
        self.builddir = os.path.abspath(args.builddir)
        cfg_path = os.path.join(self.builddir, "bench", "bench-config.json")
        if not os.path.exists(cfg_path):
            raise BenchError(f"{cfg_path} not found: configure with -Dbench=true and run meson compile first")
        with open(cfg_path) as f:
            cfg = json.load(f)
        self.srcdir = cfg["source_dir"]
        self.emulator = args.emulator or cfg["emulator"]
        if not self.emulator or not os.access(self.emulator, os.X_OK):
            raise BenchError("invitekit-emulator not built (needs -Demulator=true) and no --emulator given")
        bdir = os.path.join(self.builddir, "bench")
        self.ik = os.path.join(bdir, "ik_bench")
        self.raw = os.path.join(bdir, "raw_curl")
        self.raw_list = os.path.join(bdir, "raw_list")
        for exe in (self.ik, self.raw, self.raw_list):
            if not os.access(exe, os.X_OK):
                raise BenchError(f"{exe} missing: run meson compile -C {args.builddir}")
        self.valgrind = shutil.which("valgrind")
        self.nodedir, self.node_note = setup_node(self.builddir, self.srcdir, args.skip_sdk)
        self.node = shutil.which("node")
        self.failures: list[str] = []
        self.ua = self.ik_user_agent()
        self.results: dict = {"machine": self.machine(), "params": vars(args).copy(), "failures": self.failures}

    def ik_user_agent(self) -> str:
        return ik_user_agent(self.srcdir)

    def machine(self) -> dict:
        info = {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
                "loadavg_start": os.getloadavg()}
        try:
            with open("/proc/cpuinfo") as f:
                m = re.search(r"model name\s*:\s*(.*)", f.read())
                info["cpu"] = m.group(1) if m else None
        except OSError:
            pass
        return info

    def attempt(self, what: str, fn, *a, **kw):
        try:
            return fn(*a, **kw)
        except BenchError as e:
            log(f"FAILED {what}: {e}")
            self.failures.append(f"{what}: {e}".splitlines()[0])
            return None

    # ---- argument builders -------------------------------------------------
    def raw_fetch_target(self, prov: str, base: str, oid: str) -> tuple[str, list[str], list[str]]:
        """(url, prod headers, bare headers) for the raw libcurl equivalent of ik's fetch."""
        return raw_fetch_url(prov, base, oid), request_headers(prov, self.ua), [auth_header(prov)]

    def raw_create_args(self, prov: str, base: str) -> tuple[str, str, str, list[str]]:
        return raw_create_args(prov, base, self.ua)

    def node_cmd(self, *a) -> list[str]:
        return sdk_cmd(self.node, self.nodedir, *a)

    # ---- 1. fetch ------------------------------------------------------------
    def bench_fetch(self):
        a = self.args
        res = {"n1": a.fetch_n1, "n2": a.fetch_n2, "cpu_requests": a.fetch_cpu_n, "cpu_warmup": a.fetch_warmup,
               "sdk_requests": a.sdk_fetch_n, "sdk_warmup": a.sdk_fetch_warmup, "providers": {}}
        self.results["fetch"] = res
        with Emulator(self.emulator, 10) as emu:
            base = emu.url
            oid = http_json(f"{base}/v1/organization/invites?limit=1",
                            {"Authorization": f"Bearer {OPENAI_KEY}"})["data"][0]["id"]
            ids = {"openai": oid, "twilio": "user-0001", "fastly": "-"}
            for prov in a.providers:
                pres = {"id": ids[prov]}
                res["providers"][prov] = pres
                url, prod_h, bare_h = self.raw_fetch_target(prov, base, ids[prov])
                variants = {
                    "invitekit": lambda w, n: [self.ik, "fetch", prov, base, ids[prov], str(w), str(n)],
                    "raw_prod": lambda w, n: [self.raw, "fetch", "prod", url, str(w), str(n), *prod_h],
                    "raw_bare": lambda w, n: [self.raw, "fetch", "bare", url, str(w), str(n), *bare_h],
                }
                # Instructions (callgrind), marginal.
                if self.valgrind and not a.skip_callgrind:
                    log(f"fetch/{prov}: callgrind ...")
                    cg = pres["instructions"] = {}
                    outdir = os.path.join(self.builddir, "bench-callgrind")
                    os.makedirs(outdir, exist_ok=True)
                    files = {}
                    for name, mk in variants.items():
                        tot = []
                        for n in (a.fetch_n1, a.fetch_n2):
                            out = os.path.join(outdir, f"fetch-{prov}-{name}-{n}.out")
                            r = self.attempt(f"callgrind fetch {prov} {name} {n}", run_json,
                                             [self.valgrind, "--tool=callgrind", f"--callgrind-out-file={out}",
                                              *mk(0, n)], timeout=a.timeout)
                            tot.append(callgrind_total(out) if r else None)
                            files[(name, n)] = out
                        if None not in tot:
                            cg[name] = {"total_n1": tot[0], "total_n2": tot[1],
                                        "per_request": (tot[1] - tot[0]) / (a.fetch_n2 - a.fetch_n1)}
                    # Where invitekit's instructions go (marginal, per request).
                    if "invitekit" in cg and "raw_prod" in cg and not a.skip_annotate:
                        dn = a.fetch_n2 - a.fetch_n1
                        ikp = marginal_profile(annotate(files[("invitekit", a.fetch_n1)]),
                                               annotate(files[("invitekit", a.fetch_n2)]), dn)
                        rawp = marginal_profile(annotate(files[("raw_prod", a.fetch_n1)]),
                                                annotate(files[("raw_prod", a.fetch_n2)]), dn)
                        top = sorted(ikp.items(), key=lambda kv: -kv[1])[:25]
                        extra = sorted(((k, ikp.get(k, 0) - rawp.get(k, 0)) for k in set(ikp) | set(rawp)),
                                       key=lambda kv: -kv[1])[:25]
                        pres["profile_invitekit_top"] = [[k, round(v, 1)] for k, v in top]
                        pres["profile_extra_vs_raw"] = [[k, round(v, 1)] for k, v in extra]
                # Native CPU time per request (in-process, after a warm-up).
                cpu = pres["cpu"] = {}
                for rep in range(a.repeat):
                    for name, mk in variants.items():
                        r = self.attempt(f"fetch {prov} {name}", run_json, mk(a.fetch_warmup, a.fetch_cpu_n),
                                         timeout=a.timeout)
                        if r:
                            r.pop("_stderr", None)
                            cpu.setdefault(name, []).append(r)
                if self.nodedir:
                    log(f"fetch/{prov}: npm SDK ...")
                    for rep in range(a.sdk_repeat):
                        r = self.attempt(f"fetch {prov} sdk", run_json,
                                         self.node_cmd("fetch", prov, base, ids[prov], a.sdk_fetch_warmup,
                                                       a.sdk_fetch_n), timeout=a.timeout)
                        if r:
                            r.pop("_stderr", None)
                            cpu.setdefault("sdk", []).append(r)
                        r = self.attempt(f"fetch {prov} node fetch()", run_json,
                                         self.node_cmd("fetch-raw", url, a.sdk_fetch_warmup, a.sdk_fetch_n, *prod_h),
                                         timeout=a.timeout)
                        if r:
                            r.pop("_stderr", None)
                            cpu.setdefault("node_fetch", []).append(r)
                for name, runs in cpu.items():
                    pres.setdefault("cpu_us_per_request", {})[name] = best(runs, "cpu_us") / runs[0]["requests"]
                    pres.setdefault("wall_us_per_request", {})[name] = best(runs, "wall_us") / runs[0]["requests"]

    # ---- 2. list -------------------------------------------------------------
    def bench_list(self):
        a = self.args
        res = {"seed": a.list_items, "page_size": 100, "runs": {}}
        self.results["list"] = res
        runs = res["runs"]
        log(f"list: starting emulator with --seed {a.list_items} ...")
        with Emulator(self.emulator, a.list_items, start_timeout=300) as emu:
            base = emu.url
            auth = f"Authorization: Bearer {OPENAI_KEY}"
            small = min(a.list_small, a.list_items)
            other = min(a.list_other_items, a.list_items)
            variants = {
                "invitekit": [self.ik, "list", "openai", base, "100", "0"],
                f"invitekit_{small}": [self.ik, "list", "openai", base, "100", str(small)],
                "raw_noparse": [self.raw_list, "noparse", "openai", base, "100", "0", auth, "Accept: application/json",
                                self.ua],
                "raw_simdjson": [self.raw_list, "simdjson", "openai", base, "100", "0", auth, "Accept: application/json",
                                 self.ua],
            }
            for prov in ("twilio", "fastly"):
                if prov in a.providers:
                    variants[f"invitekit_{prov}"] = [self.ik, "list", prov, base, "100", str(other)]
            sdk_variants = {}
            if self.nodedir:
                for prov in a.providers:
                    sdk_variants[f"sdk_{prov}"] = self.node_cmd("list", prov, base, 100,
                                                               0 if prov == "openai" else other)
            for rep in range(a.repeat):
                log(f"list: round {rep + 1}/{a.repeat} ...")
                for name, cmd in variants.items():
                    r = self.attempt(f"list {name}", run_json, cmd, timeout=a.timeout)
                    if r:
                        r.pop("_stderr", None)
                        runs.setdefault(name, []).append(r)
            for rep in range(a.sdk_repeat):
                for name, cmd in sdk_variants.items():
                    log(f"list: {name} ...")
                    r = self.attempt(f"list {name}", run_json, cmd, timeout=a.timeout)
                    if r:
                        r.pop("_stderr", None)
                        runs.setdefault(name, []).append(r)
            res["other_items"] = other
            res["small_items"] = small
            # Where invitekit's list instructions go: marginal per item over
            # (l2 - l1) items, invitekit vs raw libcurl + simdjson.
            if self.valgrind and not a.skip_callgrind:
                l1, l2 = a.list_profile
                outdir = os.path.join(self.builddir, "bench-callgrind")
                os.makedirs(outdir, exist_ok=True)
                prof = res["instructions"] = {}
                files = {}
                mk = {"invitekit": lambda n: [self.ik, "list", "openai", base, "100", str(n)],
                      "raw_simdjson": lambda n: [self.raw_list, "simdjson", "openai", base, "100", str(n), auth,
                                                 "Accept: application/json", self.ua]}
                log("list: callgrind ...")
                for name, cmd in mk.items():
                    tot = []
                    for n in (l1, l2):
                        out = files[(name, n)] = os.path.join(outdir, f"list-openai-{name}-{n}.out")
                        r = self.attempt(f"callgrind list {name} {n}", run_json,
                                         [self.valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *cmd(n)],
                                         timeout=a.timeout)
                        tot.append(callgrind_total(out) if r else None)
                    if None not in tot:
                        prof[name] = {"total_n1": tot[0], "total_n2": tot[1], "per_item": (tot[1] - tot[0]) / (l2 - l1)}
                if len(prof) == 2 and not a.skip_annotate:
                    ikp = marginal_profile(annotate(files[("invitekit", l1)]), annotate(files[("invitekit", l2)]), l2 - l1)
                    rawp = marginal_profile(annotate(files[("raw_simdjson", l1)]),
                                            annotate(files[("raw_simdjson", l2)]), l2 - l1)
                    res["profile_extra_vs_raw"] = [[k, round(v, 1)] for k, v in sorted(
                        ((k, ikp.get(k, 0) - rawp.get(k, 0)) for k in set(ikp) | set(rawp)), key=lambda kv: -kv[1])[:25]]
                    res["profile_invitekit_top"] = [[k, round(v, 1)] for k, v in
                                                    sorted(ikp.items(), key=lambda kv: -kv[1])[:25]]

    # ---- 3. create -----------------------------------------------------------
    def bench_create(self):
        a = self.args
        res = {"n": a.create_n, "in_flight": a.create_conc, "warmup": a.create_warmup, "providers": {}}
        self.results["create"] = res
        for prov in a.providers:
            runs = res["providers"].setdefault(prov, {})

            def one(name, mk, rep):
                with Emulator(self.emulator, 0) as emu:
                    r = self.attempt(f"create {prov} {name}", run_json, mk(emu.url, f"bench-{name}-{rep}"),
                                     timeout=a.timeout)
                    if r:
                        r.pop("_stderr", None)
                        runs.setdefault(name, []).append(r)

            def raw_cmd(mode):
                def mk(base, prefix):
                    url, ct, fmt, hdrs = self.raw_create_args(prov, base)
                    return [self.raw, "create", mode, url, str(a.create_conc), str(a.create_n),
                            str(a.create_warmup), prefix, ct, fmt, *hdrs]
                return mk

            variants = {
                "invitekit": lambda base, prefix: [self.ik, "create", prov, base, str(a.create_conc),
                                                   str(a.create_n), prefix, str(a.create_warmup)],
                "raw_multi": raw_cmd("multi"),
                "raw_threads": raw_cmd("threads"),
            }
            for rep in range(a.repeat):
                log(f"create/{prov}: round {rep + 1}/{a.repeat} ...")
                for name, mk in variants.items():
                    one(name, mk, rep)
            if self.nodedir:
                for rep in range(a.sdk_repeat):
                    log(f"create/{prov}: npm SDK ...")
                    one("sdk", lambda base, prefix: self.node_cmd("create", prov, base, a.create_conc, a.create_n,
                                                                  prefix, a.create_warmup), rep)

    # ---- 3b. create with 64 in flight: the non-blocking engine -----------------
    def bench_create64(self):
        a = self.args
        res = {"n": a.create_n, "in_flight": 64, "warmup": a.create_warmup, "providers": {}}
        self.results["create64"] = res
        for prov in a.providers:
            runs = res["providers"].setdefault(prov, {})

            def one(name, cmd_of, rep):
                # 128 emulator workers: 64 keep-alive connections hold 64 of them.
                with Emulator(self.emulator, 0, extra=("--threads", "128")) as emu:
                    r = self.attempt(f"create64 {prov} {name}", run_json, cmd_of(emu.url, f"b64-{name}-{rep}"),
                                     timeout=a.timeout)
                    if r:
                        r.pop("_stderr", None)
                        runs.setdefault(name, []).append(r)

            def raw_multi(base, prefix):
                url, ct, fmt, hdrs = self.raw_create_args(prov, base)
                return [self.raw, "create", "multi", url, "64", str(a.create_n), str(a.create_warmup), prefix, ct,
                        fmt, *hdrs]

            variants = {
                "invitekit_async": lambda base, prefix: [self.ik, "create_async", prov, base, "64", str(a.create_n),
                                                         prefix, str(a.create_warmup)],
                "raw_multi": raw_multi,
                "invitekit_16_threads": lambda base, prefix: [self.ik, "create", prov, base, "16", str(a.create_n),
                                                              prefix, str(a.create_warmup)],
            }
            for rep in range(a.repeat):
                log(f"create64/{prov}: round {rep + 1}/{a.repeat} ...")
                for name, mk in variants.items():
                    one(name, mk, rep)

    # ---- report ----------------------------------------------------------------
    def summarize(self) -> list[str]:
        r = self.results
        rows: list[tuple] = []  # (benchmark, measure, value, target, verdict)
        summary = r["summary"] = {}
        lines: list[str] = []

        f = r.get("fetch")
        if f:
            lines.append(f"1. fetch one object in sequence (instructions: callgrind marginal over "
                         f"{f['n2'] - f['n1']} requests; CPU: best of {self.args.repeat}, {f['cpu_requests']} requests"
                         f" native / {f['sdk_requests']} SDK)")
            lines.append(f"   {'provider':8} {'variant':10} {'instr/req':>10} {'vs raw':>8} {'vs bare':>8} "
                         f"{'CPU us/req':>10} {'CPU vs raw':>10}")
            for prov, p in f["providers"].items():
                ins = {k: v["per_request"] for k, v in p.get("instructions", {}).items()}
                cpu = p.get("cpu_us_per_request", {})
                for name in ("raw_bare", "raw_prod", "invitekit", "node_fetch", "sdk"):
                    if name not in ins and name not in cpu:
                        continue
                    i = ins.get(name)
                    lines.append(f"   {prov:8} {name:10} {('%.0f' % i) if i else 'n/a':>10} "
                                 f"{fmt_ratio(ratio(i, ins.get('raw_prod'))):>8} "
                                 f"{fmt_ratio(ratio(i, ins.get('raw_bare'))):>8} "
                                 f"{('%.1f' % cpu[name]) if name in cpu else 'n/a':>10} "
                                 f"{fmt_ratio(ratio(cpu.get(name), cpu.get('raw_prod'))):>10}")
                q = ratio(ins.get("invitekit"), ins.get("raw_prod"))
                summary[f"fetch_{prov}_instr_ratio"] = q
                summary[f"fetch_{prov}_cpu_ratio_invitekit"] = ratio(cpu.get("invitekit"), cpu.get("raw_prod"))
                summary[f"fetch_{prov}_cpu_ratio_sdk"] = ratio(cpu.get("sdk"), cpu.get("raw_prod"))
                rows.append((f"fetch {prov}", "instructions/request vs raw libcurl", fmt_ratio(q),
                             f"<= {TARGETS['fetch_instructions']}x",
                             verdict(None if q is None else q <= TARGETS["fetch_instructions"])))
            lines.append("")

        li = r.get("list")
        if li and li["runs"]:
            runs = li["runs"]
            small = li.get("small_items")
            lines.append(f"2. iterate listed objects (page size 100; wall time best of runs, median in brackets)")
            lines.append(f"   {'variant':22} {'items':>7} {'wall ms':>9} {'(median)':>9} {'CPU ms':>8} {'peak RSS MB':>11} "
                         f"{'vs raw':>7} {'vs simdjson':>11}")
            wall = {k: best(v, "wall_us") for k, v in runs.items()}
            rss = {k: max(x["maxrss_kb"] for x in v) for k, v in runs.items()}
            for name, v in runs.items():
                lines.append(f"   {name:22} {v[0]['items']:>7} {wall[name] / 1000:>9.1f} "
                             f"{med(v, 'wall_us') / 1000:>9.1f} {best(v, 'cpu_us') / 1000:>8.1f} {rss[name] / 1024:>11.1f} "
                             f"{fmt_ratio(ratio(wall[name], wall.get('raw_noparse'))):>7} "
                             f"{fmt_ratio(ratio(wall[name], wall.get('raw_simdjson'))):>11}")
            q = ratio(wall.get("invitekit"), wall.get("raw_noparse"))
            q2 = ratio(wall.get("invitekit"), wall.get("raw_simdjson"))
            summary["list_wall_ratio_vs_noparse"] = q
            summary["list_wall_ratio_vs_simdjson"] = q2
            rows.append(("list openai", "wall vs raw libcurl (no parse)", fmt_ratio(q), f"<= {TARGETS['list_wall']}x",
                         verdict(None if q is None else q <= TARGETS["list_wall"])))
            rows.append(("list openai", "wall vs raw libcurl + simdjson", fmt_ratio(q2), "(info)", ""))
            for prov in PROVIDERS:
                sdk = f"sdk_{prov}"
                ikn = "invitekit" if prov == "openai" else f"invitekit_{prov}"
                if sdk in wall and ikn in wall:
                    s = ratio(wall[sdk], wall[ikn])
                    summary[f"list_{prov}_sdk_slower_by"] = s
                    rows.append((f"list {prov}", f"SDK wall / invitekit wall ({runs[ikn][0]['items']} items)",
                                 fmt_ratio(s), f">= {TARGETS['list_vs_sdk']}x",
                                 verdict(s >= TARGETS["list_vs_sdk"])))
            if "invitekit" in rss:
                peak = rss["invitekit"]
                summary["list_peak_rss_kb"] = peak
                rows.append(("list openai", "invitekit peak RSS", f"{peak / 1024:.1f} MB",
                             f"<= {TARGETS['list_peak_kb'] // 1024} MB", verdict(peak <= TARGETS["list_peak_kb"])))
                sk = f"invitekit_{small}"
                if sk in rss:
                    growth = peak - rss[sk]
                    summary["list_rss_growth_kb"] = growth
                    rows.append(("list openai", f"peak RSS growth {small} -> {runs['invitekit'][0]['items']} items",
                                 f"{growth / 1024:+.2f} MB", f"<= {TARGETS['list_flat_kb'] / 1024:.0f} MB (flat)",
                                 verdict(growth <= TARGETS["list_flat_kb"])))
            ins = li.get("instructions", {})
            if ins:
                lines.append("   instructions per listed item (callgrind, marginal): " + ", ".join(
                    f"{k} {v['per_item']:.0f}" for k, v in ins.items()))
            lines.append("")

        c = r.get("create")
        if c and c["providers"]:
            lines.append(f"3. create {c['n']} objects with {c['in_flight']} in flight after {c['warmup']} untimed "
                         f"(fresh emulator per run; wall best of runs, median in brackets)")
            lines.append(f"   {'provider':8} {'variant':12} {'wall ms':>9} {'(median)':>9} {'CPU ms':>8} "
                         f"{'vs raw floor':>12}")
            for prov, runs in c["providers"].items():
                wall = {k: best(v, "wall_us") for k, v in runs.items()}
                floor_keys = [k for k in ("raw_multi", "raw_threads") if k in wall]
                floor = min(wall[k] for k in floor_keys) if floor_keys else None
                for name, v in runs.items():
                    lines.append(f"   {prov:8} {name:12} {wall[name] / 1000:>9.1f} {med(v, 'wall_us') / 1000:>9.1f} "
                                 f"{best(v, 'cpu_us') / 1000:>8.1f} {fmt_ratio(ratio(wall[name], floor)):>12}")
                q = ratio(wall.get("invitekit"), floor)
                summary[f"create_{prov}_wall_ratio"] = q
                summary[f"create_{prov}_sdk_wall_ratio"] = ratio(wall.get("sdk"), floor)
                rows.append((f"create {prov}", "wall vs raw libcurl (best of multi/threads)", fmt_ratio(q),
                             f"<= {TARGETS['create_wall']}x",
                             verdict(None if q is None else q <= TARGETS["create_wall"])))
            lines.append("")

        c64 = r.get("create64")
        if c64 and c64["providers"]:
            lines.append(f"3b. create {c64['n']} objects with 64 in flight after {c64['warmup']} untimed: the "
                         f"non-blocking engine from one thread, raw libcurl multi (64 handles), the blocking API "
                         f"from 16 threads (wall best of runs, median in brackets)")
            lines.append(f"   {'provider':8} {'variant':22} {'wall ms':>9} {'(median)':>9} {'CPU ms':>8} "
                         f"{'RSS MB':>7} {'threads':>7} {'vs raw multi':>12}")
            for prov, runs in c64["providers"].items():
                wall = {k: best(v, "wall_us") for k, v in runs.items()}
                floor = wall.get("raw_multi")
                for name, v in runs.items():
                    rss = max(x.get("maxrss_kb", 0) for x in v) / 1024
                    thr = max((x.get("threads_peak", 0) for x in v), default=0)
                    lines.append(f"   {prov:8} {name:22} {wall[name] / 1000:>9.1f} {med(v, 'wall_us') / 1000:>9.1f} "
                                 f"{best(v, 'cpu_us') / 1000:>8.1f} {rss:>7.1f} {thr or '-':>7} "
                                 f"{fmt_ratio(ratio(wall[name], floor)):>12}")
                q = ratio(wall.get("invitekit_async"), floor)
                summary[f"create64_{prov}_wall_ratio"] = q
                rows.append((f"create64 {prov}", "engine wall vs raw libcurl multi", fmt_ratio(q),
                             f"<= {TARGETS['create64_wall']}x",
                             verdict(None if q is None else q <= TARGETS["create64_wall"])))
            lines.append("")

        lines.append("Targets (docs/DESIGN.md §5, reported, never asserted):")
        lines.extend(target_lines(rows, 14))
        r["targets"] = target_dicts(rows)

        for prov, p in (f or {}).get("providers", {}).items():
            if p.get("profile_extra_vs_raw"):
                lines.append("")
                lines.append(f"Fetch {prov}: marginal instructions per request by function (callgrind_annotate, self cost)")
                lines.append("   invitekit minus raw libcurl (prod), largest first:")
                for k, v in p["profile_extra_vs_raw"][:12]:
                    lines.append(f"   {v:>9.0f}  {k[:110]}")
        if (li or {}).get("profile_extra_vs_raw"):
            lines.append("")
            lines.append("List openai: marginal instructions per item by function (callgrind_annotate, self cost)")
            lines.append("   invitekit minus raw libcurl + simdjson, largest first:")
            for k, v in li["profile_extra_vs_raw"][:12]:
                lines.append(f"   {v:>9.0f}  {k[:110]}")
        if self.failures:
            lines.append("")
            lines.append("FAILED measurements:")
            lines.extend(f"   {x}" for x in self.failures)
        return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("builddir")
    ap.add_argument("--emulator", help="invitekit-emulator to use (default: the one in the build)")
    ap.add_argument("--only", default="fetch,list,create,create64",
                    help="comma list of fetch,list,create,create64")
    ap.add_argument("--providers", default=",".join(PROVIDERS), help="comma list of openai,twilio,fastly")
    ap.add_argument("--repeat", type=int, default=5, help="runs of every native wall/CPU measurement (best is used)")
    ap.add_argument("--sdk-repeat", type=int, default=1, help="runs of every npm SDK measurement")
    ap.add_argument("--quick", action="store_true", help="smaller counts (a smoke run, not for figures)")
    ap.add_argument("--skip-sdk", action="store_true", help="do not install or run the npm SDKs")
    ap.add_argument("--skip-callgrind", action="store_true")
    ap.add_argument("--skip-annotate", action="store_true", help="no per-function callgrind profile")
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed for one measured process")
    ap.add_argument("--output", help="results file (default <builddir>/bench-results.json)")
    args = ap.parse_args()
    args.providers = [p for p in args.providers.split(",") if p]
    for p in args.providers:
        if p not in PROVIDERS:
            ap.error(f"unknown provider {p}")
    only = set(args.only.split(","))
    q = args.quick
    args.fetch_n1, args.fetch_n2 = (100, 1100) if q else (1000, 11000)  # marginal over 10,000 requests
    args.fetch_warmup, args.fetch_cpu_n = (100, 1000) if q else (1000, 10000)
    args.sdk_fetch_warmup, args.sdk_fetch_n = (100, 500) if q else (1000, 10000)
    args.list_items = 10000 if q else 100000
    args.list_small = 1000 if q else 10000
    args.list_other_items = 2000 if q else 10000
    args.list_profile = (1000, 3000) if q else (2000, 12000)
    args.create_n = 500 if q else 5000
    args.create_conc = 16
    # Untimed creates before the timed ones, so that every variant has its
    # connections open: the emulator (cpp-httplib) listens with a backlog of 5,
    # so 16 simultaneous connects overflow it and some wait for a SYN
    # retransmission (1 s), which would swamp the comparison.
    args.create_warmup = 64 if q else 320
    if q:
        args.repeat = min(args.repeat, 1)

    try:
        runner = Runner(args)
    except BenchError as e:
        log(f"run.py: {e}")
        return 1
    log(f"npm SDKs: {runner.node_note}")
    runner.results["sdk"] = {"note": runner.node_note, "versions": sdk_versions(runner.nodedir)}
    t0 = time.monotonic()
    try:
        if "fetch" in only:
            runner.bench_fetch()
        if "list" in only:
            runner.bench_list()
        if "create" in only:
            runner.bench_create()
        if "create64" in only:
            runner.bench_create64()
    except BenchError as e:
        runner.failures.append(str(e).splitlines()[0])
        log(f"run.py: {e}")
    runner.results["machine"]["loadavg_end"] = os.getloadavg()
    runner.results["elapsed_s"] = round(time.monotonic() - t0, 1)
    lines = runner.summarize()
    print("\n".join(lines))
    out = args.output or os.path.join(runner.builddir, "bench-results.json")
    with open(out, "w") as fh:
        json.dump(runner.results, fh, indent=1, sort_keys=True)
        fh.write("\n")
    log(f"results written to {out} ({runner.results['elapsed_s']} s)")
    return 1 if runner.failures else 0


if __name__ == "__main__":
    sys.exit(main())

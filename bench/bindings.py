#!/usr/bin/env python3
"""Benchmarks of the language bindings against the C API (docs/BENCHMARKS.md, "Bindings").

    meson setup build-bench -Dbench=true -Dbuildtype=release && meson compile -C build-bench
    nice python3 bench/bindings.py build-bench

Python 3 stdlib only. Builds the small bench programs of the bindings (outputs in the build directory or /tmp,
never in the source tree), starts invitekit-emulator (bounded wait for its first stdout line, stopped by PID) and
runs, interleaved, --rounds times:

  rust, go  every OpenAI invite of an emulator seeded with 100,000 (page size 100), item by item:
            bench/ik_bench list (the C API) vs bindings/rust/invitekit/examples/bench_json.rs (the Rust
            iterator) vs bindings/go/cmd/ikbench (the Go iterator, which also counts its cgo calls with
            runtime.NumCgoCall). Wall, CPU, peak RSS measured inside each process, client creation
            included. Instructions per item: callgrind, marginal over 10,000 items ((Ir(12k) - Ir(2k)) / 10k).
  dotnet    emulator seeded with 10,000: fetch one Twilio Chat v2 user 10,000 times (after 1,000 untimed) and
            list the 10,000 users (page size 100, after an untimed 200-user listing that JIT-compiles the path):
            bench/ik_bench (C API) vs bindings/dotnet/InviteKit.Bench (InviteKit async with the default
            options, async with RunContinuationsOnIoThread = false (ik_async_pool: continuations on the
            thread pool), the listing also with ListOptions.ReadAhead = false (ik_async_no_ahead), and
            blocking; the Twilio .NET SDK async and sync). Compared by CPU time
            (callgrind on the .NET runtime is impractical); jit_methods = methods JIT-compiled while timed.

Prints a table and PASS/MISS against the targets of issues #14, #15 and #16 (never asserted); every raw number
goes to <builddir>/bench-bindings-results.json. Exit 1 only when a measurement could not run.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import signal
import tempfile
import threading
import time

TARGETS = {
    "rust_wall": 1.1,      # Rust iterator / C API, wall (at most)
    "rust_instr": 1.1,     # Rust iterator / C API, instructions per item (at most)
    "go_wall": 1.5,        # Go iterator / C API, wall (at most)
    "dotnet_cpu": 3.0,     # Twilio SDK CPU / InviteKit CPU (at least)
    "dotnet_list_wall": 1.5,  # InviteKit .NET listing / C API listing, wall (at most)
}
TWILIO_SERVICE = "IS00000000000000000000000000000000"


# The process, emulator and ratio helpers are run.py's (one copy of each).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import BenchError, Emulator, callgrind_total, fmt_ratio, log, ratio, verdict  # noqa: E402
from run import run_json as _run_json  # noqa: E402


def run_json(cmd: list[str], timeout: float, env: dict | None = None, cwd: str | None = None) -> dict:
    """run.py's run_json without the child's stderr (the results file keeps numbers only)."""
    res = _run_json(cmd, timeout, env=env, cwd=cwd)
    res.pop("_stderr", None)
    return res


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:  # ended meanwhile
        pass


def run_json_blocking(cmd: list[str], timeout: float, env: dict | None = None) -> dict:
    """Like run_json, but this process sleeps in a blocking os.wait4 while the program runs (a timer thread kills
    it at the timeout) instead of polling every 5 ms. The .NET programs hand every call between threads (the
    library's I/O thread, the thread pool); a parent waking 200 times a second on 2 cores preempts them and
    inflates their CPU: InviteKit async fetch 188-289 us per request under run.py's run_json, 106-141 us under a
    blocking wait, same program, interleaved (the one-thread blocking fetch: 64-100 vs 38-68 us)."""
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, start_new_session=True)
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.monotonic() - t0
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if code == -signal.SIGKILL and wall >= timeout:
        raise BenchError(f"timed out after {timeout:.0f}s: {' '.join(cmd)}")
    if code != 0:
        raise BenchError(f"exit {code}: {' '.join(cmd)}\n{stderr[-2000:]}")
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        raise BenchError(f"no output: {' '.join(cmd)}\n{stderr[-2000:]}")
    res = json.loads(lines[-1])
    res["child_maxrss_kb"] = ru.ru_maxrss
    res["child_cpu_us"] = int((ru.ru_utime + ru.ru_stime) * 1e6)
    res["child_wall_us"] = int(wall * 1e6)
    return res


def stats(runs: list[dict], key: str) -> dict:
    vals = [r[key] for r in runs]
    return {"best": min(vals), "median": statistics.median(vals), "n": len(vals)}


def median_str(runs: list[dict], key: str) -> str:
    """Median of a count some programs report ('-' where none does): the .NET programs' jit_methods (methods
    JIT-compiled while timed), the minor page faults (minflt) and context switches (ctxsw) of a listing."""
    vals = [r[key] for r in runs if key in r]
    return f"{statistics.median(vals):.0f}" if vals else "-"


class Runner:
    def __init__(self, args):
        self.args = args
        self.builddir = os.path.abspath(args.builddir)
        self.srcroot = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        cfg_path = os.path.join(self.builddir, "bench", "bench-config.json")
        if not os.path.exists(cfg_path):
            raise BenchError(f"{cfg_path} not found: configure with -Dbench=true and build first")
        with open(cfg_path) as f:
            cfg = json.load(f)
        self.emulator = cfg["emulator"]
        self.ik = os.path.join(self.builddir, "bench", "ik_bench")
        self.libdir = os.path.join(self.builddir, "src")
        for exe in (self.emulator, self.ik):
            if not os.access(exe, os.X_OK):
                raise BenchError(f"{exe} missing: build {self.builddir} (ninja -C {args.builddir})")
        self.valgrind = shutil.which("valgrind")
        self.failures: list[str] = []
        self.notes: list[str] = []
        self.env = dict(os.environ)
        self.env["LD_LIBRARY_PATH"] = self.libdir + (":" + os.environ["LD_LIBRARY_PATH"]
                                                     if os.environ.get("LD_LIBRARY_PATH") else "")
        self.env["PKG_CONFIG_PATH"] = os.path.join(self.builddir, "meson-uninstalled")
        self.env["INVITEKIT_NATIVE_LIBRARY"] = os.path.join(self.libdir, "libinvitekit.so")
        self.env.update(DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1", DOTNET_SKIP_FIRST_TIME_EXPERIENCE="1",
                        CARGO_TERM_COLOR="never")
        for k in ("INVITEKIT_LOG", "OPENAI_LOG", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            self.env.pop(k, None)
        self.exe: dict[str, str] = {}
        self.results: dict = {"machine": self.machine(), "params": {k: v for k, v in vars(args).items()},
                              "failures": self.failures, "notes": self.notes}

    def machine(self) -> dict:
        info = {"platform": platform.platform(), "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(),
                "nice": os.nice(0)}
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

    def sh(self, what: str, cmd: list[str], cwd: str, env: dict) -> bool:
        log(f"build {what}: {' '.join(cmd)}")
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=1800)
        if p.returncode != 0:
            self.failures.append(f"build {what} failed (exit {p.returncode})")
            log(p.stdout[-3000:])
            return False
        return True

    # ---- building the bench programs -------------------------------------------------------------
    def build(self, langs: set[str]):
        b = self.builddir
        versions = self.results["toolchains"] = {}
        if "rust" in langs:
            exe = os.path.join(b, "bindings", "rust", "bench-target", "release", "examples", "bench_json")
            cargo = shutil.which("cargo") or os.path.expanduser("~/.cargo/bin/cargo")
            if not os.access(cargo, os.X_OK):
                self.notes.append("rust skipped: cargo not found")
            else:
                env = dict(self.env, CARGO_TARGET_DIR=os.path.join(b, "bindings", "rust", "bench-target"))
                if self.args.skip_build or self.sh("rust", [cargo, "build", "--release", "--offline", "--example",
                                                            "bench_json"], os.path.join(self.srcroot, "bindings",
                                                                                        "rust"), env):
                    self.exe["rust"] = exe
                versions["cargo"] = subprocess.run([cargo, "--version"], capture_output=True, text=True).stdout.strip()
        if "go" in langs:
            exe = os.path.join(b, "bindings", "go", "ikbench")
            go = shutil.which("go")
            if not go:
                self.notes.append("go skipped: go not found")
            else:
                work = os.path.join(tempfile.gettempdir(), f"invitekit-go-bench-{os.getuid()}")
                env = dict(self.env, GOCACHE=os.path.join(work, "gocache"), GOPATH=os.path.join(work, "gopath"),
                           GOFLAGS="-mod=mod", GOPROXY="off", GOTOOLCHAIN="local", GO111MODULE="on",
                           CGO_ENABLED="1", GOSUMDB="off")
                if self.args.skip_build or self.sh("go", [go, "build", "-o", exe, "./cmd/ikbench"],
                                                   os.path.join(self.srcroot, "bindings", "go"), env):
                    self.exe["go"] = exe
                versions["go"] = subprocess.run([go, "version"], capture_output=True, text=True).stdout.strip()
        if "dotnet" in langs:
            art = os.path.join(b, "bindings", "dotnet", "bench-artifacts")
            exe = os.path.join(art, "bin", "InviteKit.Bench", "release", "InviteKit.Bench")
            dotnet = shutil.which("dotnet")
            if not dotnet:
                self.notes.append("dotnet skipped: dotnet not found")
            else:
                env = dict(self.env, INVITEKIT_DOTNET_ARTIFACTS=art)
                proj = os.path.join(self.srcroot, "bindings", "dotnet", "InviteKit.Bench")
                sources = (["--source", "/opt/nuget/packages"] if os.path.isdir("/opt/nuget/packages") else []) + \
                    ["--source", "https://api.nuget.org/v3/index.json"]
                ok = self.args.skip_build or (
                    self.sh("dotnet restore", [dotnet, "restore", *sources], proj, env)
                    and self.sh("dotnet build", [dotnet, "build", "--no-restore", "-c", "Release"], proj, env))
                if ok:
                    self.exe["dotnet"] = exe
                versions["dotnet"] = subprocess.run([dotnet, "--version"], capture_output=True, text=True).stdout.strip()
                try:
                    with open(os.path.join(art, "obj", "InviteKit.Bench", "project.assets.json")) as f:
                        libs = json.load(f)["libraries"]
                    versions["Twilio"] = next((k.split("/")[1] for k in libs if k.startswith("Twilio/")), None)
                except (OSError, ValueError, KeyError):
                    pass

    def run(self, what: str, cmd: list[str], store: list | None = None, env: dict | None = None,
            runner=run_json) -> dict | None:
        r = self.attempt(what, runner, cmd, timeout=self.args.timeout, env=env or self.env)
        if r is not None and store is not None:
            store.append(r)
        return r

    # ---- #14, #15: OpenAI listing, C vs Rust vs Go ------------------------------------------------
    def bench_list(self):
        a = self.args
        variants = {"c": [self.ik, "list", "openai"]}
        if "rust" in self.exe:
            variants["rust"] = [self.exe["rust"], "list", "openai"]
        if "go" in self.exe:
            variants["go"] = [self.exe["go"], "list", "openai"]
        if len(variants) == 1:
            return
        res = self.results["list_openai"] = {"items": a.list_items, "page_size": 100, "runs": {}}
        runs = res["runs"]
        log(f"list: emulator --seed {a.list_items} ...")
        with Emulator(self.emulator, a.list_items, start_timeout=300.0) as emu:
            for rnd in range(a.rounds):
                log(f"list openai: round {rnd + 1}/{a.rounds} ...")
                for name, cmd in variants.items():
                    self.run(f"list {name}", [*cmd, emu.url, "100", "0"], runs.setdefault(name, []))
            if self.valgrind and not a.skip_callgrind:
                n1, n2 = a.list_profile
                outdir = os.path.join(self.builddir, "bench-callgrind")
                os.makedirs(outdir, exist_ok=True)
                ins = res["instructions"] = {}
                # Valgrind 3.19 decodes neither RDTSCP (Go's runtime.cputicks) nor survives Go's asynchronous
                # preemption signals under callgrind: both are switched off for the Go runs (GODEBUG).
                go_env = dict(self.env, GODEBUG="cpu.rdtscp=off,asyncpreemptoff=1")
                for name, cmd in variants.items():
                    log(f"list openai: callgrind {name} ...")
                    tot = []
                    for n in (n1, n2):
                        out = os.path.join(outdir, f"bindings-list-openai-{name}-{n}.out")
                        r = self.run(f"callgrind list {name} {n}", [self.valgrind, "--tool=callgrind",
                                                                    f"--callgrind-out-file={out}", *cmd, emu.url,
                                                                    "100", str(n)],
                                     env=go_env if name == "go" else None)
                        tot.append(callgrind_total(out) if r else None)
                        if r and "cgo_calls" in r:
                            ins.setdefault("go_cgo_calls_by_n", {})[n] = r["cgo_calls"]
                    if None not in tot:
                        ins[name] = {"total_n1": tot[0], "total_n2": tot[1], "per_item": (tot[1] - tot[0]) / (n2 - n1)}

    # ---- #16: .NET vs the Twilio SDK ---------------------------------------------------------------
    def bench_dotnet(self):
        if "dotnet" not in self.exe:
            return
        a = self.args
        x = self.exe["dotnet"]
        res = self.results["dotnet_twilio"] = {"seed": a.dotnet_items, "fetch": {}, "list": {},
                                               "fetch_requests": a.fetch_n, "fetch_warmup": a.fetch_warmup,
                                               "list_warmup_items": a.list_warmup}
        log(f"dotnet: emulator --seed {a.dotnet_items} ...")
        names = ("ik_async", "ik_async_pool", "ik_sync", "twilio_async", "twilio_sync")
        with Emulator(self.emulator, a.dotnet_items, start_timeout=300.0) as emu:
            uid = "user-0001"
            for rnd in range(a.rounds):
                log(f"dotnet fetch: round {rnd + 1}/{a.rounds} ...")
                self.run("fetch c", [self.ik, "fetch", "twilio", emu.url, uid, str(a.fetch_warmup), str(a.fetch_n)],
                         res["fetch"].setdefault("c", []), runner=run_json_blocking)
                for v in names:
                    self.run(f"fetch {v}", [x, "fetch", v, emu.url, uid, str(a.fetch_warmup), str(a.fetch_n)],
                             res["fetch"].setdefault(v, []), runner=run_json_blocking)
            for rnd in range(a.rounds):
                log(f"dotnet list: round {rnd + 1}/{a.rounds} ...")
                self.run("list c twilio", [self.ik, "list", "twilio", emu.url, "100", "0"],
                         res["list"].setdefault("c", []), runner=run_json_blocking)
                for v in (*names[:2], "ik_async_no_ahead", *names[2:]):
                    self.run(f"list {v}", [x, "list", v, emu.url, "100", "0", str(a.list_warmup)],
                             res["list"].setdefault(v, []), runner=run_json_blocking)

    # ---- report -------------------------------------------------------------------------------------
    # InviteKit variant vs the Twilio SDK variant it is compared with (async with async, sync with sync).
    DOTNET_PAIRS = (("ik_async", "twilio_async"), ("ik_async_pool", "twilio_async"), ("ik_sync", "twilio_sync"))

    def summarize(self) -> list[str]:
        lines: list[str] = []
        rows: list[tuple] = []
        summary = self.results["summary"] = {}
        li = self.results.get("list_openai")
        if li and li["runs"]:
            runs = li["runs"]
            ins = li.get("instructions", {})
            lines.append(f"List {li['items']:,} OpenAI invites, page size 100 ({self.args.rounds} rounds interleaved; "
                         f"best, median in brackets; client creation included; faults and ctx sw: medians of the "
                         f"minor page faults and context switches of the listing)")
            lines.append(f"   {'variant':8} {'items':>7} {'wall ms':>9} {'(median)':>9} {'CPU ms':>8} {'(median)':>9} "
                         f"{'RSS MB':>7} {'instr/item':>10} {'wall vs C':>9} {'instr vs C':>10} {'cgo/item':>8} "
                         f"{'faults':>6} {'ctx sw':>6}")
            w = {k: stats(v, "wall_us") for k, v in runs.items()}
            c = {k: stats(v, "cpu_us") for k, v in runs.items()}
            for name, v in runs.items():
                ipi = ins.get(name, {}).get("per_item")
                cgo = (f"{v[0]['cgo_calls'] / v[0]['items']:.3f}" if "cgo_calls" in v[0] and v[0]["items"] else "-")
                lines.append(f"   {name:8} {v[0]['items']:>7} {w[name]['best'] / 1000:>9.1f} "
                             f"{w[name]['median'] / 1000:>9.1f} {c[name]['best'] / 1000:>8.1f} "
                             f"{c[name]['median'] / 1000:>9.1f} {max(x['maxrss_kb'] for x in v) / 1024:>7.1f} "
                             f"{('%.0f' % ipi) if ipi else 'n/a':>10} "
                             f"{fmt_ratio(ratio(w[name]['best'], w.get('c', {}).get('best'))):>9} "
                             f"{fmt_ratio(ratio(ipi, ins.get('c', {}).get('per_item'))):>10} {cgo:>8} "
                             f"{median_str(v, 'minflt'):>6} {median_str(v, 'ctxsw'):>6}")
            for name in ("rust", "go"):
                if name not in w or "c" not in w:
                    continue
                qw = ratio(w[name]["best"], w["c"]["best"])
                qm = ratio(w[name]["median"], w["c"]["median"])
                qc = ratio(c[name]["best"], c["c"]["best"])
                summary[f"list_{name}_wall_ratio"] = qw
                summary[f"list_{name}_wall_ratio_median"] = qm
                summary[f"list_{name}_cpu_ratio"] = qc
                tgt = TARGETS[f"{name}_wall"]
                issue = "#14" if name == "rust" else "#15"
                rows.append((issue, f"{name} iterator wall / C API (best; median {fmt_ratio(qm)})", fmt_ratio(qw),
                             f"<= {tgt}x", verdict(None if qw is None else qw <= tgt)))
                qi = ratio(ins.get(name, {}).get("per_item"), ins.get("c", {}).get("per_item"))
                summary[f"list_{name}_instr_ratio"] = qi
                if name == "rust":
                    rows.append((issue, "rust iterator instructions/item / C API", fmt_ratio(qi),
                                 f"<= {TARGETS['rust_instr']}x", verdict(None if qi is None else qi <= TARGETS["rust_instr"])))
                else:
                    v0 = runs["go"][0]
                    per = v0["cgo_calls"] / v0["items"] if v0.get("items") else None
                    summary["go_cgo_calls_per_item"] = per
                    rows.append((issue, "go cgo crossings per item (runtime.NumCgoCall)",
                                 "n/a" if per is None else f"{per:.2f}", "(report)", ""))
                    rows.append((issue, "go iterator instructions/item / C API", fmt_ratio(qi), "(info)", ""))
            lines.append("")
        dn = self.results.get("dotnet_twilio")
        if dn and (dn["fetch"] or dn["list"]):
            f = dn["fetch"]
            lines.append(f"Fetch one Twilio user, {dn['fetch_requests']:,} times after {dn['fetch_warmup']:,} untimed "
                         f"({self.args.rounds} rounds interleaved; per request, best, median in brackets)")
            lines.append(f"   {'variant':15} {'CPU us':>8} {'(median)':>9} {'wall us':>8} {'(median)':>9} {'RSS MB':>7} "
                         f"{'CPU vs C':>8} {'JIT':>5}")
            cpu = {k: stats(v, "cpu_us") for k, v in f.items()}
            wall = {k: stats(v, "wall_us") for k, v in f.items()}
            for name, v in f.items():
                n = v[0]["requests"]
                lines.append(f"   {name:15} {cpu[name]['best'] / n:>8.1f} {cpu[name]['median'] / n:>9.1f} "
                             f"{wall[name]['best'] / n:>8.1f} {wall[name]['median'] / n:>9.1f} "
                             f"{max(x['maxrss_kb'] for x in v) / 1024:>7.1f} "
                             f"{fmt_ratio(ratio(cpu[name]['best'], cpu.get('c', {}).get('best'))):>8} {median_str(v, 'jit_methods'):>5}")
            for ik, tw in self.DOTNET_PAIRS:
                if ik in cpu and tw in cpu:
                    q = ratio(cpu[tw]["best"], cpu[ik]["best"])
                    qm = ratio(cpu[tw]["median"], cpu[ik]["median"])
                    summary[f"fetch_{tw}_over_{ik}_cpu"] = q
                    rows.append(("#16", f"fetch: Twilio SDK CPU / InviteKit CPU ({ik[3:]}; median {fmt_ratio(qm)})",
                                 fmt_ratio(q), f">= {TARGETS['dotnet_cpu']}x", verdict(q >= TARGETS["dotnet_cpu"])))
            lines.append("")
            l = dn["list"]
            lines.append(f"List {dn['seed']:,} Twilio users, page size 100 (.NET: after an untimed "
                         f"{dn['list_warmup_items']}-user listing; best, median in brackets)")
            lines.append(f"   {'variant':17} {'items':>6} {'wall ms':>8} {'(median)':>9} {'CPU ms':>8} {'(median)':>9} "
                         f"{'RSS MB':>7} {'wall vs C':>9} {'CPU vs C':>8} {'JIT':>5}")
            cpu = {k: stats(v, "cpu_us") for k, v in l.items()}
            wall = {k: stats(v, "wall_us") for k, v in l.items()}
            for name, v in l.items():
                lines.append(f"   {name:17} {v[0]['items']:>6} {wall[name]['best'] / 1000:>8.1f} "
                             f"{wall[name]['median'] / 1000:>9.1f} {cpu[name]['best'] / 1000:>8.1f} "
                             f"{cpu[name]['median'] / 1000:>9.1f} {max(x['maxrss_kb'] for x in v) / 1024:>7.1f} "
                             f"{fmt_ratio(ratio(wall[name]['best'], wall.get('c', {}).get('best'))):>9} "
                             f"{fmt_ratio(ratio(cpu[name]['best'], cpu.get('c', {}).get('best'))):>8} {median_str(v, 'jit_methods'):>5}")
            for ik, tw in self.DOTNET_PAIRS:
                if ik in cpu and tw in cpu:
                    q = ratio(cpu[tw]["best"], cpu[ik]["best"])
                    qm = ratio(cpu[tw]["median"], cpu[ik]["median"])
                    summary[f"list_{tw}_over_{ik}_cpu"] = q
                    rows.append(("#16", f"list: Twilio SDK CPU / InviteKit CPU ({ik[3:]}; median {fmt_ratio(qm)})",
                                 fmt_ratio(q), f">= {TARGETS['dotnet_cpu']}x", verdict(q >= TARGETS["dotnet_cpu"])))
            for ik in ("ik_async", "ik_async_pool", "ik_async_no_ahead", "ik_sync"):
                if ik in wall and "c" in wall:
                    q = ratio(wall[ik]["best"], wall["c"]["best"])
                    qm = ratio(wall[ik]["median"], wall["c"]["median"])
                    summary[f"list_{ik}_wall_vs_c"] = q
                    rows.append(("#16", f"list: InviteKit .NET ({ik[3:]}) wall / C API (median {fmt_ratio(qm)})",
                                 fmt_ratio(q), f"<= {TARGETS['dotnet_list_wall']}x",
                                 verdict(q <= TARGETS["dotnet_list_wall"])))
            lines.append("")
        lines.append("Targets (reported, never asserted):")
        width = max((len(r[1]) for r in rows), default=20) + 2
        for issue, measure, value, target, v in rows:
            lines.append(f"   {issue:4} {measure:{width}} {value:>8}  target {target:8} {v}")
        self.results["targets"] = [dict(zip(("issue", "measure", "value", "target", "verdict"), r)) for r in rows]
        if self.notes:
            lines.append("")
            lines.extend(f"note: {n}" for n in self.notes)
        if self.failures:
            lines.append("")
            lines.append("FAILED:")
            lines.extend(f"   {x}" for x in self.failures)
        return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("builddir", help="a Meson build directory configured with -Dbench=true (release)")
    ap.add_argument("--only", default="rust,go,dotnet", help="comma list of rust,go,dotnet")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds of every variant (default 5)")
    ap.add_argument("--skip-build", action="store_true", help="use the bench programs built by an earlier run")
    ap.add_argument("--skip-callgrind", action="store_true")
    ap.add_argument("--quick", action="store_true", help="small counts, one round (a smoke run, not for figures)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed for one measured process")
    ap.add_argument("--output", help="results file (default <builddir>/bench-bindings-results.json)")
    args = ap.parse_args()
    langs = {x for x in args.only.split(",") if x}
    q = args.quick
    args.list_items = 10000 if q else 100000
    args.list_profile = (1000, 3000) if q else (2000, 12000)
    args.dotnet_items = 2000 if q else 10000
    args.fetch_warmup, args.fetch_n = (200, 1000) if q else (1000, 10000)
    args.list_warmup = 200
    if q:
        args.rounds = 1
    try:
        runner = Runner(args)
        runner.build(langs)
    except BenchError as e:
        log(f"bindings.py: {e}")
        return 1
    t0 = time.monotonic()
    try:
        if langs & {"rust", "go"}:
            runner.bench_list()
        if "dotnet" in langs:
            runner.bench_dotnet()
    except BenchError as e:
        runner.failures.append(str(e).splitlines()[0])
        log(f"bindings.py: {e}")
    runner.results["machine"]["loadavg_end"] = os.getloadavg()
    runner.results["elapsed_s"] = round(time.monotonic() - t0, 1)
    lines = runner.summarize()
    lines.append("")
    lines.append(f"load average: start {' '.join('%.2f' % x for x in runner.results['machine']['loadavg_start'])}, "
                 f"end {' '.join('%.2f' % x for x in runner.results['machine']['loadavg_end'])}; "
                 f"{runner.results['elapsed_s']} s")
    print("\n".join(lines))
    out = args.output or os.path.join(runner.builddir, "bench-bindings-results.json")
    with open(out, "w") as fh:
        json.dump(runner.results, fh, indent=1, sort_keys=True)
        fh.write("\n")
    log(f"results written to {out}")
    return 1 if runner.failures else 0


if __name__ == "__main__":
    sys.exit(main())

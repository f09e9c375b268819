#!/usr/bin/env python3
"""Measures `invitekit openai invites sync --apply` under lost create answers.

Starts its own invitekit-emulator (--port 0) with the fault
`POST /v1/organization/invites every=10 reset-mid-body` (every 10th create is
processed by the emulator, then its answer is cut off mid-body), writes a
desired CSV of N people, runs

    invitekit --base-url URL openai invites sync --desired FILE --apply \
        --concurrency C --results RESULTS

and reports, as one JSON object on stdout: the outcomes of the rows (created,
recovered, ...), the faults the emulator injected, the objects per email in the
emulator afterwards (duplicates must be 0, missing must be 0), the wall time,
and the result of re-running the dry run (exit 0, nothing to create).
Exit status 0 when there are no duplicates, nobody is missing and the re-run
plan is empty; 1 otherwise.

Usage: sync_measure.py [--people N] [--concurrency C] [--every K]
       (binaries from INVITEKIT_CLI / INVITEKIT_EMULATOR or --cli= / --emulator=)
"""
import argparse
import collections
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time
import urllib.request

OPENAI_KEY = "sk-admin-emulator"


def start_emulator(exe, faults):
    args = [exe, "--port", "0", "--quiet"]
    for f in faults:
        args += ["--fault", f]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    line = b""
    deadline = time.monotonic() + 30
    while b"\n" not in line:
        left = deadline - time.monotonic()
        if left <= 0:
            proc.kill()
            raise RuntimeError("emulator did not print its URL")
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("emulator exited early")
            line += chunk
    m = re.search(rb"http://127\.0\.0\.1:\d+", line)
    return proc, m.group(0).decode()


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def get_json(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())


def all_invites(base):
    out, after = [], None
    while True:
        url = base + "/v1/organization/invites?limit=100" + ("&after=" + after if after else "")
        page = get_json(url, {"Authorization": "Bearer " + OPENAI_KEY})
        out += page["data"]
        if not page.get("has_more") or not page["data"]:
            return out
        after = page["data"][-1]["id"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--cli", default=os.environ.get("INVITEKIT_CLI", ""))
    ap.add_argument("--emulator", default=os.environ.get("INVITEKIT_EMULATOR", ""))
    a = ap.parse_args()
    if not a.cli or not a.emulator:
        print("INVITEKIT_CLI and INVITEKIT_EMULATOR (or --cli/--emulator) are required", file=sys.stderr)
        return 2

    fault = "POST /v1/organization/invites every=%d reset-mid-body" % a.every
    proc, base = start_emulator(a.emulator, [fault])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TWILIO_", "FASTLY_"))}
    env["OPENAI_ADMIN_KEY"] = OPENAI_KEY
    try:
        with tempfile.TemporaryDirectory() as tmp:
            desired = os.path.join(tmp, "people.csv")
            with open(desired, "w") as f:
                f.write("email,role\n")
                for i in range(1, a.people + 1):
                    # Mixed case on purpose: emails compare case-insensitively.
                    f.write("Person%05d@Example.com,%s\n" % (i, "owner" if i % 7 == 0 else "reader"))
            results = os.path.join(tmp, "results.jsonl")
            cmd = [a.cli, "--base-url", base, "openai", "invites", "sync", "--desired", desired, "--apply",
                   "--concurrency", str(a.concurrency), "--results", results]
            t0 = time.monotonic()
            p = subprocess.run(cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=1800)
            wall = time.monotonic() - t0
            with open(results) as f:
                lines = [json.loads(l) for l in f if l.strip()]
            outcomes = collections.Counter(l.get("outcome", l["status"]) for l in lines)
            faults = get_json(base + "/__emulator/faults")["faults"]
            injected = sum(f["used"] for f in faults)
            invites = all_invites(base)
            per_email = collections.Counter(i["email"].lower() for i in invites)
            duplicates = sum(n - 1 for n in per_email.values() if n > 1)
            missing = sum(1 for i in range(1, a.people + 1) if per_email[("person%05d@example.com" % i)] == 0)
            # Re-run: the dry run must find nothing to do.
            rerun_cmd = [a.cli, "--base-url", base, "openai", "invites", "sync", "--desired", desired]
            r2 = subprocess.run(rerun_cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                                timeout=600)
            plan = json.loads(r2.stdout)["summary"] if r2.stdout.strip() else {}
            report = {
                "people": a.people,
                "concurrency": a.concurrency,
                "fault": fault,
                "command": " ".join(cmd[:1] + ["--base-url", "URL"] + cmd[3:]),
                "exit_code": p.returncode,
                "wall_seconds": round(wall, 3),
                "rows": len(lines),
                "outcomes": dict(outcomes),
                "faults_injected": injected,
                "objects": len(invites),
                "duplicates": duplicates,
                "missing": missing,
                "rerun_command": " ".join(rerun_cmd[:1] + ["--base-url", "URL"] + rerun_cmd[3:]),
                "rerun_exit_code": r2.returncode,
                "rerun_plan": plan,
                "stderr_tail": p.stderr.strip().splitlines()[-2:],
            }
            print(json.dumps(report, indent=2))
            ok = (p.returncode == 0 and duplicates == 0 and missing == 0 and r2.returncode == 0
                  and plan.get("create") == 0 and outcomes.get("recovered", 0) == injected)
            return 0 if ok else 1
    finally:
        stop(proc)


if __name__ == "__main__":
    sys.exit(main())

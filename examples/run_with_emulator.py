#!/usr/bin/env python3
"""Run one example program against a freshly started invitekit-emulator.

Usage: run_with_emulator.py EMULATOR_EXE EXAMPLE_EXE [EXTRA_ARGS...]

Starts the emulator on 127.0.0.1 with --port 0, reads the base URL
(http://127.0.0.1:PORT) from the first line it prints on stdout, runs the
example with that URL as argv[1], then stops the emulator by its PID (SIGTERM,
bounded wait, then SIGKILL). Exits with the example's exit code (or 1 when the
emulator could not be started, 124 when the example timed out).

Python 3 standard library only.
"""
import os
import re
import signal
import subprocess
import sys
import threading

START_TIMEOUT_S = 20
EXAMPLE_TIMEOUT_S = 45
STOP_TIMEOUT_S = 5

# Credentials of a default emulator; set explicitly so that a developer's own
# vendor credentials (or an edge/region, or a proxy) never interfere.
EMULATOR_ENV = {
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "emulator-twilio-token",
    "OPENAI_ADMIN_KEY": "sk-admin-emulator",
    "FASTLY_API_TOKEN": "emulator-fastly-token",
}
SCRUBBED_ENV = [
    "TWILIO_API_KEY", "TWILIO_API_SECRET", "TWILIO_EDGE", "TWILIO_REGION",
    "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "FASTLY_API_KEY", "FASTLY_API_URL",
    "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
]


def read_first_line(stream, timeout_s):
    """Reads one line from stream within timeout_s; None on timeout or EOF."""
    result = {}

    def reader():
        result["line"] = stream.readline()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(timeout_s)
    if t.is_alive():
        return None
    return result.get("line") or None


def stop(proc):
    if proc.poll() is not None:
        return
    try:
        os.kill(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=STOP_TIMEOUT_S)


def drain(stream):
    """Keeps reading the emulator's stdout so that it never blocks on a full pipe."""
    def run():
        for _ in iter(stream.readline, ""):
            pass

    threading.Thread(target=run, daemon=True).start()


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    emulator, example = argv[1], argv[2]
    extra = argv[3:]

    env = dict(os.environ)
    for name in SCRUBBED_ENV:
        env.pop(name, None)
    env.update(EMULATOR_ENV)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"

    emu = subprocess.Popen([emulator, "--port", "0"], stdout=subprocess.PIPE, stderr=None,
                           stdin=subprocess.DEVNULL, text=True, env=env)
    try:
        line = read_first_line(emu.stdout, START_TIMEOUT_S)
        match = re.search(r"http://127\.0\.0\.1:\d+", line or "")
        if not match:
            sys.stderr.write("run_with_emulator: no base URL from the emulator (first line: %r, exit %r)\n"
                             % (line, emu.poll()))
            return 1
        drain(emu.stdout)
        base_url = match.group(0)
        print("run_with_emulator: emulator pid %d at %s" % (emu.pid, base_url), flush=True)
        try:
            done = subprocess.run([example, base_url] + extra, env=env, stdin=subprocess.DEVNULL,
                                  timeout=EXAMPLE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            sys.stderr.write("run_with_emulator: %s timed out after %d s\n" % (example, EXAMPLE_TIMEOUT_S))
            return 124
        if done.returncode < 0:
            sys.stderr.write("run_with_emulator: %s killed by signal %d\n" % (example, -done.returncode))
            return 128 - done.returncode
        return done.returncode
    finally:
        stop(emu)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

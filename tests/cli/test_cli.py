#!/usr/bin/env python3
"""End-to-end tests of the `invitekit` command-line tool against invitekit-emulator.

Every test class starts its own emulator on 127.0.0.1 with --port 0 and stops it
by its PID with a bounded wait. The paths of the two binaries come from the
environment (INVITEKIT_CLI, INVITEKIT_EMULATOR) or from --cli/--emulator.

Every run of the CLI goes through CliTestCase.cli(), which asserts that no
secret (the keys and tokens used, or the Basic credentials) appears in stdout
or stderr; results files are checked the same way.
"""
import base64
import json
import os
import pty
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

CLI = os.environ.get("INVITEKIT_CLI", "")
EMULATOR = os.environ.get("INVITEKIT_EMULATOR", "")

TWILIO_SID = "AC00000000000000000000000000000000"
TWILIO_TOKEN = "emulator-twilio-token"
TWILIO_API_KEY = "SK00000000000000000000000000000000"
TWILIO_API_SECRET = "emulator-twilio-secret"
OPENAI_KEY = "sk-admin-emulator"
FASTLY_TOKEN = "emulator-fastly-token"
WRONG_OPENAI_KEY = "sk-admin-wrong-key-0123456789"
WRONG_FASTLY_TOKEN = "wrong-fastly-token-0123456789"
WRONG_TWILIO_TOKEN = "wrong-twilio-token-0123456789"

SECRETS = [
    TWILIO_TOKEN,
    TWILIO_API_SECRET,
    OPENAI_KEY,
    FASTLY_TOKEN,
    WRONG_OPENAI_KEY,
    WRONG_FASTLY_TOKEN,
    WRONG_TWILIO_TOKEN,
    base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode(),
    base64.b64encode(f"{TWILIO_API_KEY}:{TWILIO_API_SECRET}".encode()).decode(),
    base64.b64encode(f"{TWILIO_SID}:{WRONG_TWILIO_TOKEN}".encode()).decode(),
]

SERVICE = "IS00000000000000000000000000000000"
CHANNEL = "CH00000000000000000000000000000000"
ROLE = "RL00000000000000000000000000000000"

# Exit codes (docs/CLI.md).
EXIT_OK, EXIT_OTHER, EXIT_USAGE, EXIT_AUTH, EXIT_NOT_FOUND = 0, 1, 2, 3, 4
EXIT_RATE_LIMITED, EXIT_SERVER, EXIT_NETWORK, EXIT_CANCELLED = 5, 6, 7, 8
EXIT_REJECTED, EXIT_BULK_FAILED, EXIT_PLAN_CHANGES = 9, 10, 11

CLI_TIMEOUT = 60  # seconds, for one CLI run


def clean_env():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "TWILIO_", "FASTLY_", "INVITEKIT_LOG"))}
    env.pop("https_proxy", None)
    env.pop("http_proxy", None)
    env.pop("HTTPS_PROXY", None)
    env.pop("HTTP_PROXY", None)
    return env


class Emulator:
    """An invitekit-emulator process on an ephemeral port."""

    def __init__(self, *extra, seed=0):
        self.stderr = tempfile.TemporaryFile()
        args = [EMULATOR, "--port", "0", "--quiet"]
        if seed:
            args += ["--seed", str(seed)]
        args += list(extra)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL)
        line = b""
        deadline = time.monotonic() + 30
        while b"\n" not in line:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise RuntimeError("emulator did not print its URL in time")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    self.stop()
                    raise RuntimeError("emulator exited before printing its URL")
                line += chunk
        m = re.search(rb"http://127\.0\.0\.1:(\d+)", line)
        if not m:
            self.stop()
            raise RuntimeError("no URL in the emulator's first line: %r" % line)
        self.port = int(m.group(1))
        self.url = "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()
        self.stderr.close()

    # ---- control endpoints ----
    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + "/__emulator/" + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read().decode()
            return json.loads(text) if text else None

    def fault(self, spec):
        self.control("POST", "faults", {"spec": spec})

    def clear_faults(self):
        self.control("DELETE", "faults")

    def reset(self, seed=None):
        self.control("POST", "reset" + ("?seed=%d" % seed if seed is not None else ""))

    def requests(self):
        return self.control("GET", "requests")

    def clear_requests(self):
        self.control("DELETE", "requests")


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)

    def lines(self):
        return [json.loads(l) for l in self.out.splitlines() if l.strip()]

    def __repr__(self):
        return "exit %d\n--- stdout ---\n%s\n--- stderr ---\n%s" % (self.code, self.out, self.err)


class CliTestCase(unittest.TestCase):
    emulator_args = ()
    seed = 0

    @classmethod
    def setUpClass(cls):
        if not CLI or not EMULATOR:
            raise unittest.SkipTest("INVITEKIT_CLI and INVITEKIT_EMULATOR must be set")
        cls.emu = Emulator(*cls.emulator_args, seed=cls.seed)
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        cls.tmp.cleanup()

    def setUp(self):
        self.emu.clear_faults()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def write(self, name, text):
        p = self.path(name)
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return p

    def env(self, creds=True):
        env = clean_env()
        if creds:
            env.update({
                "OPENAI_ADMIN_KEY": OPENAI_KEY,
                "TWILIO_ACCOUNT_SID": TWILIO_SID,
                "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
                "FASTLY_API_TOKEN": FASTLY_TOKEN,
            })
        return env

    def assert_no_secret(self, text, where):
        for s in SECRETS:
            self.assertNotIn(s, text, "secret leaked in %s" % where)

    def cli(self, *args, code=EXIT_OK, creds=True, base=True, env=None, timeout=CLI_TIMEOUT):
        cmd = [CLI]
        if base:
            cmd += ["--base-url", self.emu.url]
        cmd += [str(a) for a in args]
        p = subprocess.run(cmd, capture_output=True, text=True, env=env or self.env(creds),
                           stdin=subprocess.DEVNULL, timeout=timeout)
        r = Result(p.returncode, p.stdout, p.stderr)
        self.assert_no_secret(r.out, "stdout of %s" % cmd)
        self.assert_no_secret(r.err, "stderr of %s" % cmd)
        if code is not None:
            self.assertEqual(r.code, code, "%s\n%r" % (" ".join(cmd), r))
        return r

    def _connected_to_emulator(self, pid):
        """True once process `pid` has an established TCP connection to the emulator (Linux /proc)."""
        inodes = set()
        try:
            for fd in os.listdir("/proc/%d/fd" % pid):
                try:
                    target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            return False
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(table) as f:
                    next(f)
                    for row in f:
                        cols = row.split()
                        rem_port = int(cols[2].split(":")[1], 16)
                        if cols[3] == "01" and rem_port == self.emu.port and cols[9] in inodes:
                            return True
            except OSError:
                continue
        return False

    def assert_error_line(self, r):
        """Errors are one line 'invitekit: error: ...' on stderr."""
        lines = [l for l in r.err.splitlines() if l.startswith("invitekit: error: ")]
        self.assertEqual(len(lines), 1, r)
        return lines[0]


# ===========================================================================
class TestOpenAI(CliTestCase):
    seed = 5

    def test_create_get_list_delete(self):
        inv = self.cli("openai", "invites", "create", "--email", "ada@example.com", "--role", "reader").json()
        self.assertEqual(inv["email"], "ada@example.com")
        self.assertEqual(inv["role"], "reader")
        self.assertEqual(inv["object"], "organization.invite")
        got = self.cli("openai", "invites", "get", inv["id"]).json()
        self.assertEqual(got["id"], inv["id"])
        page = self.cli("openai", "invites", "list", "--limit", "100").json()
        self.assertIn(inv["id"], [i["id"] for i in page["data"]])
        deleted = self.cli("openai", "invites", "delete", inv["id"]).json()
        self.assertEqual(deleted["id"], inv["id"])
        self.assertTrue(deleted["deleted"])
        r = self.cli("openai", "invites", "get", inv["id"], code=EXIT_NOT_FOUND)
        self.assertIn("404", self.assert_error_line(r))

    def test_projects_omitted_empty_and_given(self):
        self.emu.clear_requests()
        self.cli("openai", "invites", "create", "--email", "p0@example.com", "--role", "owner")
        self.cli("openai", "invites", "create", "--email", "p1@example.com", "--role", "reader", "--no-projects")
        inv = self.cli("openai", "invites", "create", "--email", "p2@example.com", "--role", "reader",
                       "--project", "proj_a:member", "--project", "proj_b:owner").json()
        self.assertEqual([(p["id"], p["role"]) for p in inv["projects"]],
                         [("proj_a", "member"), ("proj_b", "owner")])
        bodies = [json.loads(e["body"]) for e in self.emu.requests()
                  if e["method"] == "POST" and "organization/invites" in e["target"]]
        self.assertEqual(len(bodies), 3)
        self.assertNotIn("projects", bodies[0])
        self.assertEqual(bodies[1]["projects"], [])
        self.assertEqual(len(bodies[2]["projects"]), 2)
        # --project and --no-projects exclude each other; a bad project is a usage error.
        self.cli("openai", "invites", "create", "--email", "x@example.com", "--role", "reader",
                 "--project", "p:member", "--no-projects", code=EXIT_USAGE)
        self.cli("openai", "invites", "create", "--email", "x@example.com", "--role", "reader",
                 "--project", "nocolon", code=EXIT_USAGE)
        self.cli("openai", "invites", "create", "--email", "x@example.com", "--role", "admin", code=EXIT_USAGE)

    def test_seed_aliases(self):
        inv = self.cli("openai", "inviteUser", "email=grace@example.com", "role=owner").json()
        self.assertEqual(inv["email"], "grace@example.com")
        self.assertEqual(inv["role"], "owner")
        got = self.cli("openai", "retrieveInvite", "invite_id=" + inv["id"]).json()
        self.assertEqual(got["id"], inv["id"])
        page = self.cli("openai", "listInvites", "limit=2").json()
        self.assertEqual(len(page["data"]), 2)
        deleted = self.cli("openai", "deleteInvite", "invite_id=" + inv["id"]).json()
        self.assertTrue(deleted["deleted"])
        self.cli("openai", "retrieveInvite", "invite_id=" + inv["id"], code=EXIT_NOT_FOUND)
        # Alias argument errors are usage errors.
        self.cli("openai", "listInvites", "limit=abc", code=EXIT_USAGE)
        self.cli("openai", "retrieveInvite", "id=x", code=EXIT_USAGE)
        self.cli("openai", "retrieveInvite", code=EXIT_USAGE)
        self.cli("openai", "inviteUser", "email=a@example.com", code=EXIT_USAGE)

    def test_list_after_invite_id(self):
        """`--after ID` / `after=ID` continue after a raw invite id (ik_list_options.provider_cursor)."""
        page = self.cli("openai", "listInvites", "limit=2").json()
        nxt = self.cli("openai", "listInvites", "limit=2", "after=" + page["data"][-1]["id"]).json()
        self.assertEqual(len(nxt["data"]), 2)
        self.assertTrue(set(i["id"] for i in nxt["data"]).isdisjoint(i["id"] for i in page["data"]))
        nxt2 = self.cli("openai", "invites", "list", "--limit", "2", "--after", page["data"][-1]["id"]).json()
        self.assertEqual([i["id"] for i in nxt2["data"]], [i["id"] for i in nxt["data"]])

    def test_list_all_streams_ndjson_and_max_items(self):
        total = len(self.cli("openai", "invites", "list", "--limit", "100").json()["data"])
        self.assertGreaterEqual(total, 5)
        items = self.cli("openai", "invites", "list", "--limit", "2", "--all").lines()
        self.assertEqual(len(items), total)
        self.assertEqual(len(set(i["id"] for i in items)), total)
        items = self.cli("openai", "invites", "list", "--limit", "2", "--max-items", "3").lines()
        self.assertEqual(len(items), 3)

    def test_output_formats(self):
        r = self.cli("openai", "invites", "list", "--limit", "3", "--output", "table")
        lines = r.out.splitlines()
        self.assertTrue(lines[0].startswith("ID"), r)
        self.assertIn("EMAIL", lines[0])
        self.assertEqual(len(lines), 4)
        r = self.cli("openai", "invites", "list", "--limit", "3", "-o", "ndjson")
        self.assertEqual(len(r.lines()), 3)
        # Not a terminal: compact JSON on one line.
        r = self.cli("openai", "invites", "list", "--limit", "3")
        self.assertEqual(len(r.out.strip().splitlines()), 1)
        inv = self.cli("openai", "invites", "create", "--email", "t@example.com", "--role", "reader",
                       "--output", "table")
        self.assertIn("t@example.com", inv.out)
        self.cli("openai", "invites", "list", "--output", "xml", code=EXIT_USAGE)

    def test_credentials_from_flags_and_files(self):
        keyfile = self.write("key.txt", OPENAI_KEY + "\n")
        r = self.cli("--openai-admin-key-file", keyfile, "openai", "invites", "list", "--limit", "1", creds=False)
        self.assertEqual(len(r.json()["data"]), 1)
        r = self.cli("--openai-admin-key", OPENAI_KEY, "openai", "invites", "list", "--limit", "1", creds=False)
        self.assertEqual(len(r.json()["data"]), 1)
        # Global options may also follow the command.
        self.cli("openai", "invites", "list", "--limit", "1", "--openai-admin-key-file", keyfile, creds=False)
        self.cli("--openai-admin-key-file", self.path("missing.txt"), "openai", "invites", "list",
                 creds=False, code=EXIT_USAGE)


# ===========================================================================
class TestTwilio(CliTestCase):
    seed = 3

    def test_invites(self):
        common = ["--service", SERVICE, "--channel", CHANNEL]
        inv = self.cli("twilio", "invites", "create", *common, "--identity", "alice", "--role", ROLE).json()
        self.assertTrue(inv["sid"].startswith("IN"))
        self.assertEqual(inv["identity"], "alice")
        many = self.cli("twilio", "invites", "create", *common, "--identity", "bob", "--identity", "carol").json()
        self.assertEqual([i["identity"] for i in many], ["bob", "carol"])
        got = self.cli("twilio", "invites", "get", *common, inv["sid"]).json()
        self.assertEqual(got["sid"], inv["sid"])
        page = self.cli("twilio", "invites", "list", *common, "--identity", "alice").json()
        self.assertEqual([i["identity"] for i in page["invites"]], ["alice"])
        items = self.cli("twilio", "invites", "list", *common, "--page-size", "2", "--all").lines()
        self.assertGreaterEqual(len(items), 6)
        self.assertEqual(len(set(i["sid"] for i in items)), len(items))
        items = self.cli("twilio", "invites", "list", *common, "--page-size", "2", "--max-items", "3").lines()
        self.assertEqual(len(items), 3)
        r = self.cli("twilio", "invites", "list", *common, "-o", "table")
        self.assertTrue(r.out.startswith("SID"))
        d = self.cli("twilio", "invites", "delete", *common, inv["sid"]).json()
        self.assertTrue(d["deleted"])
        self.cli("twilio", "invites", "get", *common, inv["sid"], code=EXIT_NOT_FOUND)
        # Client-side SID validation is a usage error; so is a missing --channel.
        self.cli("twilio", "invites", "get", *common, "NOTASID", code=EXIT_USAGE)
        self.cli("twilio", "invites", "list", "--service", "IS123", "--channel", CHANNEL, code=EXIT_USAGE)
        self.cli("twilio", "invites", "list", "--service", SERVICE, code=EXIT_USAGE)

    def test_users(self):
        svc = ["--service", SERVICE]
        u = self.cli("twilio", "users", "create", *svc, "a|b ciao#hola", "--friendly-name", "Weird",
                     "--attributes", '{"team":"x, y"}').json()
        self.assertTrue(u["sid"].startswith("US"))
        self.assertEqual(u["identity"], "a|b ciao#hola")
        self.assertEqual(json.loads(u["attributes"]), {"team": "x, y"})
        u2 = self.cli("twilio", "users", "create", *svc, "--identity", "dave", "--role", ROLE,
                      "--webhook-enabled", "false").json()
        self.assertEqual(u2["identity"], "dave")
        by_identity = self.cli("twilio", "users", "get", *svc, "a|b ciao#hola").json()
        self.assertEqual(by_identity["sid"], u["sid"])
        by_sid = self.cli("twilio", "users", "get", *svc, u["sid"]).json()
        self.assertEqual(by_sid["identity"], u["identity"])
        upd = self.cli("twilio", "users", "update", *svc, u["sid"], "--friendly-name", "Renamed").json()
        self.assertEqual(upd["friendly_name"], "Renamed")
        items = self.cli("twilio", "users", "list", *svc, "--page-size", "2", "--all").lines()
        ids = [i["identity"] for i in items]
        self.assertIn("dave", ids)
        self.assertIn("a|b ciao#hola", ids)
        self.assertEqual(len(set(i["sid"] for i in items)), len(items))
        page = self.cli("twilio", "users", "list", *svc, "--page-size", "2").json()
        self.assertEqual(len(page["users"]), 2)
        self.assertIsNotNone(page["meta"]["next_page_url"])
        # 409: the identity exists already -> rejected by the API.
        r = self.cli("twilio", "users", "create", *svc, "dave", code=EXIT_REJECTED)
        self.assert_error_line(r)
        self.cli("twilio", "users", "delete", *svc, "dave")
        self.cli("twilio", "users", "delete", *svc, "--identity", "a|b ciao#hola")
        self.cli("twilio", "users", "get", *svc, "dave", code=EXIT_NOT_FOUND)
        self.cli("twilio", "users", "create", *svc, "eve", "--webhook-enabled", "maybe", code=EXIT_USAGE)
        self.cli("twilio", "users", "get", *svc, code=EXIT_USAGE)

    def test_api_key_credentials_from_files(self):
        files = ["--twilio-account-sid-file", self.write("sid", TWILIO_SID + "\n"),
                 "--twilio-api-key-file", self.write("key", TWILIO_API_KEY + "\r\n"),
                 "--twilio-api-secret-file", self.write("secret", TWILIO_API_SECRET)]
        r = self.cli(*files, "twilio", "users", "list", "--service", SERVICE, creds=False)
        self.assertIn("users", r.json())
        r = self.cli("--twilio-auth-token", WRONG_TWILIO_TOKEN, "twilio", "users", "list", "--service", SERVICE,
                     code=EXIT_AUTH)
        self.assert_error_line(r)


# ===========================================================================
class TestFastly(CliTestCase):
    seed = 5

    def test_create_list_delete(self):
        inv = self.cli("fastly", "invitations", "create", "--email", "f1@example.com", "--role", "engineer").json()
        data = inv["data"] if "data" in inv else inv
        self.assertEqual(data["type"], "invitation")
        self.assertEqual(data["attributes"]["email"], "f1@example.com")
        inv_id = data["id"]
        full = self.cli("fastly", "invitations", "create", "--email", "f2@example.com", "--roles", "r1,r2",
                        "--limit-services", "--customer", "cust1", "--service", "svc1:full",
                        "--service", "svc2:read_only").json()
        fdata = full["data"] if "data" in full else full
        self.assertEqual(fdata["attributes"]["email"], "f2@example.com")
        page = self.cli("fastly", "invitations", "list", "--page-size", "100").json()
        self.assertIn(inv_id, [d["id"] for d in page["data"]])
        items = self.cli("fastly", "invitations", "list", "--page-size", "2", "--all").lines()
        self.assertEqual(len(items), len(page["data"]))
        self.assertEqual(len(set(i["id"] for i in items)), len(items))
        items = self.cli("fastly", "invitations", "list", "--page-size", "2", "--max-items", "3").lines()
        self.assertEqual(len(items), 3)
        r = self.cli("fastly", "invitations", "list", "--page-size", "3", "-o", "table")
        self.assertEqual(len(r.out.splitlines()), 4)
        d = self.cli("fastly", "invitations", "delete", inv_id).json()
        self.assertTrue(d["deleted"])
        self.cli("fastly", "invitations", "delete", inv_id, code=EXIT_NOT_FOUND)
        self.cli("fastly", "invitations", "create", "--email", "x@example.com", "--service", "nopermission",
                 code=EXIT_USAGE)

    def test_list_page_number(self):
        """`--page N` starts at page N (ik_list_options.provider_cursor)."""
        page = self.cli("fastly", "invitations", "list", "--page-size", "100").json()
        p2 = self.cli("fastly", "invitations", "list", "--page-size", "2", "--page", "2").json()
        self.assertEqual(p2["meta"]["current_page"], 2)
        self.assertEqual([d["id"] for d in p2["data"]], [d["id"] for d in page["data"][2:4]])

    def test_cursor_round_trip(self):
        """A resume cursor printed by a single-page list continues with --cursor."""
        first = self.cli("fastly", "invitations", "list", "--page-size", "2", "-v")
        m = re.search(r"--cursor '([^']+)'", first.err)
        self.assertIsNotNone(m, first)
        nxt = self.cli("fastly", "invitations", "list", "--page-size", "2", "--cursor", m.group(1)).json()
        self.assertEqual(len(nxt["data"]), 2)
        self.assertTrue(set(d["id"] for d in nxt["data"]).isdisjoint(d["id"] for d in first.json()["data"]))

    def test_wrong_token(self):
        r = self.cli("--fastly-api-token", WRONG_FASTLY_TOKEN, "-vv", "fastly", "invitations", "list",
                     code=EXIT_AUTH)
        self.assert_error_line(r)


# ===========================================================================
class TestErrors(CliTestCase):
    seed = 2

    def test_usage_errors(self):
        self.cli(code=EXIT_USAGE)
        self.cli("openai", code=EXIT_USAGE)
        self.cli("openai", "invites", code=EXIT_USAGE)
        self.cli("openai", "invites", "frobnicate", code=EXIT_USAGE)
        self.cli("openai", "invites", "list", "--bogus", code=EXIT_USAGE)
        self.cli("openai", "invites", "list", "--limit", "x", code=EXIT_USAGE)
        self.cli("openai", "invites", "create", "--email", "a@example.com", code=EXIT_USAGE)
        self.cli("--timeout", "-1", "openai", "invites", "list", code=EXIT_USAGE)
        self.cli("openai", "invites", "delete", code=EXIT_USAGE)
        self.cli("openai", "invites", "create", "--resume", "--from-csv", self.write("e.csv", "email,role\n"),
                 code=EXIT_USAGE)

    def test_timeout_must_be_finite_positive_and_sane(self):
        # nan used to mean "no timeout"; 1e10 and 1e300 overflowed into a deadline in the past.
        for bad in ("nan", "NaN", "inf", "-inf", "1e10", "1e300", "2592001", "0", "-1", "abc", "5s"):
            r = self.cli("--timeout", bad, "openai", "invites", "list", code=EXIT_USAGE)
            if bad in ("nan", "inf", "1e10", "1e300"):
                self.assertIn("at most 2592000", r.err)
        self.cli("--timeout", "2592000", "openai", "invites", "list", "--limit", "1")
        self.cli("--timeout", "1e3", "openai", "invites", "list", "--limit", "1")

    def _hostile_server(self, handler):
        """A tiny HTTP server on 127.0.0.1 (ephemeral port) answering every GET with handler(path)."""
        import http.server
        import threading

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = handler(self.path, self.server.server_address[1]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        self.addCleanup(lambda: (srv.shutdown(), srv.server_close(), t.join(10)))
        return "http://127.0.0.1:%d" % srv.server_address[1]

    def test_all_stops_when_pagination_does_not_advance(self):
        base = self._hostile_server(lambda path, port: json.dumps(
            {"object": "list", "data": [{"id": "invite-1"}], "last_id": "invite-1", "has_more": True}))
        r = self.cli("--base-url", base, "openai", "invites", "list", "--all", "-o", "ndjson", base=False,
                     code=EXIT_OTHER, timeout=30)
        self.assertIn("pagination did not advance", self.assert_error_line(r))
        self.assertEqual(len(r.out.splitlines()), 1, r)  # the one page's item, then the error

    def test_next_page_url_on_another_host_is_a_response_problem(self):
        base = self._hostile_server(lambda path, port: json.dumps(
            {"users": [{"sid": "US1"}], "meta": {"key": "users",
                                                 "next_page_url": "https://attacker.example/v2/x?Page=1"}}))
        r = self.cli("--base-url", base, "twilio", "users", "list", "--service", SERVICE, "--all", base=False,
                     code=EXIT_OTHER, timeout=30)
        self.assertIn("not on the configured base URL", self.assert_error_line(r))

    def test_help_and_version(self):
        r = self.cli("--help", base=False)
        self.assertIn("Exit codes", r.out)
        for code in range(11):
            self.assertRegex(r.out, r"\n\s+%d\s" % code)
        for cmd in (["openai", "invites", "create"], ["openai", "inviteUser"], ["twilio", "users", "update"],
                    ["twilio", "invites", "list"], ["fastly", "invitations", "create"]):
            r = self.cli(*cmd, "--help", base=False)
            self.assertIn("Usage", r.out)
            self.assertIn("Exit codes", r.out)
        r = self.cli("--version", base=False)
        self.assertRegex(r.out, r"invitekit \d+\.\d+\.\d+")
        self.assertIn("ABI", r.out)
        self.assertIn("libcurl", r.out)

    def test_auth_errors(self):
        r = self.cli("--openai-admin-key", WRONG_OPENAI_KEY, "openai", "invites", "list", code=EXIT_AUTH)
        line = self.assert_error_line(r)
        self.assertIn("invalid_api_key", line)
        # With --verbose too, nothing secret is logged.
        r = self.cli("--openai-admin-key", WRONG_OPENAI_KEY, "-vv", "openai", "invites", "list", code=EXIT_AUTH)
        self.assertIn("invitekit: [", r.err)
        # No credentials at all.
        r = self.cli("openai", "invites", "list", creds=False, code=EXIT_AUTH)
        self.assert_error_line(r)

    def test_trace_logs_redact_secrets(self):
        # -vvv dumps request and response headers and bodies: still no secret (checked by cli()).
        r = self.cli("-vvv", "openai", "invites", "list", "--limit", "1")
        self.assertIn("[REDACTED]", r.err)
        r = self.cli("-vvv", "twilio", "users", "list", "--service", SERVICE, "--page-size", "1")
        self.assertIn("[REDACTED]", r.err)
        r = self.cli("-vvv", "fastly", "invitations", "list", "--page-size", "1")
        self.assertIn("[REDACTED]", r.err)
        r = self.cli("-vv", "--twilio-api-key", TWILIO_API_KEY, "--twilio-api-secret", TWILIO_API_SECRET,
                     "twilio", "users", "list", "--service", SERVICE)
        self.assertIn("users", r.json())

    def test_not_found_line(self):
        r = self.cli("openai", "invites", "get", "invite-does-not-exist", code=EXIT_NOT_FOUND)
        line = self.assert_error_line(r)
        self.assertIn("request id", line)
        r = self.cli("twilio", "users", "get", "--service", SERVICE, "nobody", code=EXIT_NOT_FOUND)
        self.assertIn("20404", self.assert_error_line(r))

    def test_rate_limited(self):
        self.emu.fault("GET /v1/organization/invites count=1 status=429 retry-after=0")
        r = self.cli("--max-retries", "0", "openai", "invites", "list", code=EXIT_RATE_LIMITED)
        self.assert_error_line(r)
        # With retries the same fault is absorbed by the library.
        self.emu.fault("GET /v1/organization/invites count=1 status=429 retry-after-ms=50")
        self.cli("openai", "invites", "list")

    def test_server_errors(self):
        self.emu.fault("GET /invitations count=1 status=500")
        self.cli("--max-retries", "0", "fastly", "invitations", "list", code=EXIT_SERVER)
        self.emu.fault("GET /v2/Services/ count=1 status=503")
        r = self.cli("--max-retries", "0", "twilio", "users", "list", "--service", SERVICE, code=EXIT_SERVER)
        self.assert_error_line(r)

    def test_rejected(self):
        self.emu.fault("POST /v1/organization/invites count=1 status=422")
        self.cli("openai", "invites", "create", "--email", "r@example.com", "--role", "reader", code=EXIT_REJECTED)
        self.emu.fault("GET /invitations count=1 status=400")
        self.cli("fastly", "invitations", "list", code=EXIT_REJECTED)

    def test_network_error_closed_port(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        r = self.cli("--base-url", "http://127.0.0.1:%d" % port, "--max-retries", "0", "openai", "invites", "list",
                     base=False, code=EXIT_NETWORK)
        self.assert_error_line(r)

    def test_timeout(self):
        self.emu.fault("GET /v1/organization/invites count=1 latency=5000")
        t0 = time.monotonic()
        self.cli("--timeout", "0.5", "openai", "invites", "list", code=EXIT_NETWORK)
        self.assertLess(time.monotonic() - t0, 4.5)

    def _interrupt_during_slow_request(self, args, sig):
        proc = subprocess.Popen([CLI, "--base-url", self.emu.url] + args, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=self.env(), text=True)
        try:
            deadline = time.monotonic() + 20
            while not self._connected_to_emulator(proc.pid):
                self.assertIsNone(proc.poll(), "the CLI ended before its request was sent")
                self.assertLess(time.monotonic(), deadline, "the CLI never connected to the emulator")
                time.sleep(0.02)  # polling interval of a bounded wait, not synchronisation
            t0 = time.monotonic()
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=20)
            elapsed = time.monotonic() - t0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        self.assert_no_secret(out + err, "cancelled run")
        return proc.returncode, out, err, elapsed

    def test_cancel_with_sigint(self):
        self.emu.fault("GET /v1/organization/invites count=1 latency=8000")
        code, out, err, elapsed = self._interrupt_during_slow_request(["openai", "invites", "list"], signal.SIGINT)
        self.assertEqual(code, EXIT_CANCELLED, err)
        self.assertLess(elapsed, 5)
        self.assertIn("invitekit: error: ", err)

    def test_cancel_with_sigterm(self):
        self.emu.fault("POST /v1/organization/invites count=1 latency=8000")
        code, out, err, elapsed = self._interrupt_during_slow_request(
            ["openai", "invites", "create", "--email", "slow@example.com", "--role", "reader"], signal.SIGTERM)
        self.assertEqual(code, EXIT_CANCELLED, err)
        self.assertLess(elapsed, 5)


# ===========================================================================
class TestBulk(CliTestCase):
    seed = 0

    def setUp(self):
        super().setUp()
        self.emu.reset()

    def read_results(self, path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assert_no_secret(text, "results file")
        return [json.loads(l) for l in text.splitlines() if l.strip()]

    def test_concurrency_64_keeps_64_in_flight_from_a_handful_of_threads(self):
        # Bulk creates run on the library's non-blocking engine: --concurrency 64
        # is 64 requests in flight, not 64 threads. The peak thread count is read
        # from /proc/PID/status while the run is going.
        rows = ["email,role"] + ["many%d@example.com,reader" % i for i in range(640)]
        csv_path = self.write("many.csv", "\n".join(rows) + "\n")
        results = self.path("many-results.jsonl")
        self.emu.fault("POST /v1/organization/invites latency=100")
        cmd = [CLI, "--base-url", self.emu.url, "openai", "invites", "create", "--from-csv", csv_path,
               "--results", results, "--concurrency", "64"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=self.env(True))
        peak = 0
        deadline = time.monotonic() + CLI_TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with open("/proc/%d/status" % proc.pid, encoding="ascii") as f:
                    for line in f:
                        if line.startswith("Threads:"):
                            peak = max(peak, int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.01)
        if proc.poll() is None:
            proc.kill()
        err = proc.communicate(timeout=30)[1].decode()
        self.assertEqual(proc.returncode, EXIT_OK, err)
        self.assert_no_secret(err, "stderr")
        lines = self.read_results(results)
        self.assertEqual(len(lines), 640)
        self.assertTrue(all(l["status"] == "ok" and l["id"] for l in lines))
        # Nothing created twice. Counted by email, not by the emulator's total: a request that an earlier
        # test cancelled while the emulator was sleeping on a latency fault still creates its invite when
        # the sleep ends, after this test's reset (seen under ASan: 642).
        emails = [i["email"] for i in self.cli("openai", "invites", "list", "--all").lines()]
        mine = [e for e in emails if e.startswith("many")]
        self.assertEqual(sorted(mine), sorted("many%d@example.com" % i for i in range(640)))
        # main (driver), the client's I/O thread, the progress thread; a few to spare.
        self.assertGreater(peak, 0)
        self.assertLessEqual(peak, 6, "peak threads %d for --concurrency 64" % peak)
        print("cli: --concurrency 64: peak threads %d" % peak, file=sys.stderr)

    def test_openai_bulk_with_failures_and_resume(self):
        rows = ["email,role,projects"]
        for i in range(1, 13):
            rows.append("user%d@example.com,reader," % i)
        rows.append('"quoted, user@example.com",owner,"proj_a:member;proj_b:owner"')  # invalid email? kept as given
        rows.append("bad-role@example.com,admin,")                 # rejected (role)
        rows.append("bad-projects@example.com,reader,nocolon")     # rejected by the CLI (projects)
        rows.append('"multi\nline@example.com",reader,')          # quoted newline inside a field
        csv_path = self.write("openai.csv", "\r\n".join(rows) + "\r\n")
        results = self.path("openai-results.jsonl")
        self.emu.fault("POST /v1/organization/invites count=3 status=500")
        r = self.cli("--max-retries", "0", "openai", "invites", "create", "--from-csv", csv_path,
                     "--results", results, "--concurrency", "4", code=EXIT_BULK_FAILED)
        self.assertIn("invitekit: progress:", r.err)
        lines = self.read_results(results)
        self.assertEqual(sorted(l["row"] for l in lines), list(range(1, 17)))
        by_row = {l["row"]: l for l in lines}
        self.assertEqual(by_row[14]["status"], "error")
        self.assertEqual(by_row[15]["status"], "error")
        self.assertEqual(by_row[15]["error"]["status"], "IK_STATUS_INVALID_ARGUMENT")
        self.assertEqual(by_row[13]["input"]["email"], "quoted, user@example.com")
        self.assertEqual(by_row[13]["input"]["projects"], "proj_a:member;proj_b:owner")
        self.assertEqual(by_row[16]["input"]["email"], "multi\nline@example.com")
        server_errors = [l for l in lines if l["status"] == "error"
                         and l["error"]["status"] == "IK_STATUS_SERVER_ERROR"]
        self.assertEqual(len(server_errors), 3)
        for l in server_errors:
            self.assertEqual(l["error"]["http_status"], 500)
        ok_rows = {l["row"] for l in lines if l["status"] == "ok"}
        for l in lines:
            if l["status"] == "ok":
                self.assertTrue(l["id"])
        # --resume: only the failed rows are tried again; ok rows are skipped.
        r = self.cli("openai", "invites", "create", "--from-csv", csv_path, "--results", results, "--resume",
                     code=None)
        self.assertIn(r.code, (EXIT_OK, EXIT_BULK_FAILED), r)
        self.assertIn("%d skipped" % len(ok_rows), r.err)
        lines2 = self.read_results(results)
        self.assertEqual(len(lines2), len(lines) + (16 - len(ok_rows)))
        final = {}
        for l in lines2:
            if final.get(l["row"], {}).get("status") != "ok":
                final[l["row"]] = l
        # The three server errors succeeded on the second run; the invalid rows still fail.
        for row in {l["row"] for l in server_errors}:
            self.assertEqual(final[row]["status"], "ok")
        self.assertEqual(final[14]["status"], "error")
        self.assertEqual(final[15]["status"], "error")
        # Nothing was created twice.
        emails = [i["email"] for i in self.cli("openai", "invites", "list", "--all").lines()]
        self.assertEqual(len(emails), len(set(emails)))

    def test_openai_bulk_rate_limited_slows_down(self):
        rows = ["email,role"] + ["rl%d@example.com,reader" % i for i in range(10)]
        csv_path = self.write("rl.csv", "\n".join(rows) + "\n")
        results = self.path("rl-results.jsonl")
        self.emu.fault("POST /v1/organization/invites count=4 status=429 retry-after-ms=200")
        r = self.cli("--max-retries", "0", "openai", "invites", "create", "--from-csv", csv_path,
                     "--results", results, "--concurrency", "3")
        self.assertIn("rate-limit pauses", r.err)
        lines = self.read_results(results)
        self.assertEqual(len(lines), 10)
        self.assertTrue(all(l["status"] == "ok" for l in lines))

    def test_openai_bulk_delete_from_file(self):
        rows = ["email,role"] + ["del%d@example.com,reader" % i for i in range(5)]
        csv_path = self.write("del.csv", "\n".join(rows) + "\n")
        created = self.path("created.jsonl")
        self.cli("openai", "invites", "create", "--from-csv", csv_path, "--results", created)
        ids = [l["id"] for l in self.read_results(created)]
        ids_path = self.write("ids.txt", "# invites to delete\n" + "\n".join(ids) + "\n\n")
        deleted = self.path("deleted.jsonl")
        self.cli("openai", "invites", "delete", "--from-file", ids_path, "--results", deleted)
        lines = self.read_results(deleted)
        self.assertEqual(sorted(l["id"] for l in lines), sorted(ids))
        # Deleting again: every row fails with not found, none is dropped; results on stdout.
        r = self.cli("openai", "invites", "delete", "--from-file", ids_path, code=EXIT_BULK_FAILED)
        out = r.lines()
        self.assertEqual(len(out), 5)
        self.assertTrue(all(l["error"]["status"] == "IK_STATUS_NOT_FOUND" for l in out))

    def test_fastly_bulk(self):
        csv_text = ("email,role,roles,limit_services,customer,services\n"
                    'fa@example.com,engineer,,,,\n'
                    'fb@example.com,,"r1,r2",true,cust1,svc1:full;svc2:purge_all\n'
                    'fc@example.com,user,,maybe,,\n')
        csv_path = self.write("fastly.csv", csv_text)
        results = self.path("fastly.jsonl")
        self.cli("fastly", "invitations", "create", "--from-csv", csv_path, "--results", results,
                 code=EXIT_BULK_FAILED)
        by_row = {l["row"]: l for l in self.read_results(results)}
        self.assertEqual(by_row[1]["status"], "ok")
        self.assertEqual(by_row[2]["status"], "ok")
        self.assertEqual(by_row[2]["input"]["roles"], "r1,r2")
        self.assertEqual(by_row[3]["status"], "error")
        ids_path = self.write("fastly-ids.txt", by_row[1]["id"] + "\n" + by_row[2]["id"] + "\n")
        self.cli("fastly", "invitations", "delete", "--from-file", ids_path, "--results", self.path("fd.jsonl"))
        self.cli("fastly", "invitations", "create", "--from-csv", self.write("bad.csv", "email,colour\n"),
                 code=EXIT_USAGE)

    def test_twilio_users_bulk(self):
        csv_text = ('identity,friendly_name,attributes,role\n'
                    'tu1,User One,"{""a"":1,""b"":""x, y""}",\n'
                    'tu2,,,' + ROLE + '\n'
                    'tu1,duplicate,,\n')
        csv_path = self.write("tw.csv", csv_text)
        results = self.path("tw.jsonl")
        self.cli("twilio", "users", "create", "--service", SERVICE, "--from-csv", csv_path, "--results", results,
                 "--concurrency", "1", code=EXIT_BULK_FAILED)
        by_row = {l["row"]: l for l in self.read_results(results)}
        self.assertEqual(by_row[1]["status"], "ok")
        self.assertEqual(by_row[2]["status"], "ok")
        self.assertEqual(by_row[3]["error"]["http_status"], 409)
        u = self.cli("twilio", "users", "get", "--service", SERVICE, "tu1").json()
        self.assertEqual(json.loads(u["attributes"]), {"a": 1, "b": "x, y"})
        ids_path = self.write("tw-ids.txt", "tu1\n" + by_row[2]["id"] + "\n")
        self.cli("twilio", "users", "delete", "--service", SERVICE, "--from-file", ids_path,
                 "--results", self.path("twd.jsonl"))
        self.cli("twilio", "users", "get", "--service", SERVICE, "tu1", code=EXIT_NOT_FOUND)

    def run_in_pty(self, args, timeout=60):
        """Runs the CLI with stdout and stderr on a pseudo-terminal; returns (exit code, output)."""
        env = self.env()
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                os.execve(CLI, [CLI, "--base-url", self.emu.url] + args, env)
            finally:
                os._exit(127)
        out = b""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    continue
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
        finally:
            os.close(fd)
        # The terminal closes just before the process ends: wait for it (bounded), then kill.
        wait_until = time.monotonic() + 20
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > wait_until:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                break
            time.sleep(0.01)  # polling interval of a bounded wait
        text = out.decode("utf-8", "replace")
        self.assert_no_secret(text, "terminal output")
        return os.waitstatus_to_exitcode(status), text

    def test_terminal_pretty_json_and_progress_bar(self):
        inv = self.cli("openai", "invites", "create", "--email", "tty@example.com", "--role", "reader").json()
        code, text = self.run_in_pty(["openai", "invites", "get", inv["id"]])
        self.assertEqual(code, EXIT_OK, text)
        self.assertIn('\n  "email": "tty@example.com"', text.replace("\r\n", "\n"))
        self.assertEqual(json.loads(text)["id"], inv["id"])
        rows = ["email,role"] + ["tty%d@example.com,reader" % i for i in range(6)]
        csv_path = self.write("tty.csv", "\n".join(rows) + "\n")
        self.emu.fault("POST /v1/organization/invites latency=250")
        code, text = self.run_in_pty(["openai", "invites", "create", "--from-csv", csv_path, "--concurrency", "2",
                                      "--results", self.path("tty.jsonl")])
        self.assertEqual(code, EXIT_OK, text)
        self.assertIn("\r", text)
        self.assertRegex(text, r"\[[#-]+\] \d+/6 +\d+%")
        self.assertIn("rows/s", text)
        self.assertIn("ETA", text)
        self.assertIn("6 ok, 0 failed", text)

    def test_bulk_without_credentials(self):
        csv_path = self.write("nocreds.csv", "email,role\na@example.com,reader\n")
        r = self.cli("openai", "invites", "create", "--from-csv", csv_path, creds=False, code=EXIT_AUTH)
        self.assert_error_line(r)

    def test_bulk_bad_input(self):
        self.cli("openai", "invites", "create", "--from-csv", self.path("nope.csv"), code=EXIT_USAGE)
        self.cli("openai", "invites", "create", "--from-csv", self.write("noemail.csv", "role\nreader\n"),
                 code=EXIT_USAGE)
        self.cli("openai", "invites", "create", "--from-csv", self.write("unterminated.csv", 'email,role\n"a,reader\n'),
                 code=EXIT_USAGE)
        # A row with the wrong number of fields is an error row, not a crash.
        results = self.path("ragged.jsonl")
        self.cli("openai", "invites", "create", "--from-csv",
                 self.write("ragged.csv", "email,role\nr1@example.com,reader\nr2@example.com\n"),
                 "--results", results, code=EXIT_BULK_FAILED)
        by_row = {l["row"]: l for l in self.read_results(results)}
        self.assertEqual(by_row[1]["status"], "ok")
        self.assertEqual(by_row[2]["error"]["status"], "IK_STATUS_INVALID_ARGUMENT")

    def interrupt_when(self, ready, *args):
        """Runs the CLI against the emulator, sends SIGINT once ready(pid) is true (within 20 s) and
        returns (exit code, stderr)."""
        proc = subprocess.Popen([CLI, "--base-url", self.emu.url] + list(args),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=self.env(), text=True)
        try:
            deadline = time.monotonic() + 20
            while not ready(proc.pid):
                self.assertIsNone(proc.poll())
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.02)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        return proc.returncode, err

    def test_bulk_cancel_records_in_flight_rows(self):
        rows = ["email,role"] + ["c%d@example.com,reader" % i for i in range(6)]
        csv_path = self.write("cancel.csv", "\n".join(rows) + "\n")
        results = self.path("cancel.jsonl")
        self.emu.fault("POST /v1/organization/invites latency=8000")
        code, err = self.interrupt_when(self._connected_to_emulator, "openai", "invites", "create", "--from-csv",
                                        csv_path, "--results", results, "--concurrency", "2")
        self.assertEqual(code, EXIT_CANCELLED, err)
        lines = self.read_results(results)
        self.assertGreaterEqual(len(lines), 1)
        self.assertTrue(all(l["error"]["status"] == "IK_STATUS_CANCELLED" for l in lines))
        self.assertIn("not started", err)

    def test_bulk_rate_limit_storm_records_every_row_once(self):
        # Every create answers 429: each row is re-queued --rate-limit-retries times after the shared
        # pause, then recorded once as rate limited; no row is dropped or recorded twice.
        rows = ["email,role"] + ["storm%d@example.com,reader" % i for i in range(5)]
        csv_path = self.write("storm.csv", "\n".join(rows) + "\n")
        results = self.path("storm.jsonl")
        self.emu.clear_requests()
        self.emu.fault("POST /v1/organization/invites status=429 retry-after-ms=20")
        r = self.cli("--max-retries", "0", "openai", "invites", "create", "--from-csv", csv_path,
                     "--results", results, "--concurrency", "3", "--rate-limit-retries", "2", code=EXIT_BULK_FAILED)
        lines = self.read_results(results)
        self.assertEqual(sorted(l["row"] for l in lines), [1, 2, 3, 4, 5])
        self.assertTrue(all(l["error"]["status"] == "IK_STATUS_RATE_LIMITED" for l in lines), lines)
        self.assertTrue(all(l["error"]["http_status"] == 429 for l in lines), lines)
        self.assertIn("0 ok, 5 failed, 0 skipped, 0 not started", r.err)
        self.assertIn("10 rate-limit pauses", r.err)
        posts = [q for q in self.emu.requests() if q["method"] == "POST"]
        self.assertEqual(len(posts), 15)  # 5 rows x (1 + 2 re-queues); the library did not retry

    def test_bulk_cancel_during_rate_limit_pause_then_resume(self):
        # Ctrl-C while rows wait out a long Retry-After: every started row gets exactly one complete
        # cancelled line, the rest are "not started"; --resume then finishes the file without duplicates.
        rows = ["email,role"] + ["pause%d@example.com,reader" % i for i in range(5)]
        csv_path = self.write("pause.csv", "\n".join(rows) + "\n")
        results = self.path("pause.jsonl")
        self.emu.clear_requests()
        self.emu.fault("POST /v1/organization/invites status=429 retry-after=30")
        three_posts = lambda pid: len([q for q in self.emu.requests() if q["method"] == "POST"]) >= 3
        code, err = self.interrupt_when(three_posts, "--max-retries", "0", "openai", "invites", "create",
                                        "--from-csv", csv_path, "--results", results, "--concurrency", "3")
        self.assertEqual(code, EXIT_CANCELLED, err)
        with open(results) as f:
            text = f.read()
        self.assertTrue(text.endswith("\n"))
        lines = [json.loads(l) for l in text.splitlines()]  # every line is complete JSON
        self.assertEqual(sorted(l["row"] for l in lines), [1, 2, 3])
        self.assertTrue(all(l["error"]["status"] == "IK_STATUS_CANCELLED" for l in lines), lines)
        self.assertIn("0 ok, 3 failed, 0 skipped, 2 not started", err)
        self.emu.clear_faults()
        r = self.cli("openai", "invites", "create", "--from-csv", csv_path, "--results", results, "--resume")
        self.assertIn("5 ok, 0 failed, 0 skipped", r.err)
        done = [l for l in self.read_results(results) if l["status"] == "ok"]
        self.assertEqual(sorted(l["row"] for l in done), [1, 2, 3, 4, 5])
        emails = [i["email"] for i in self.cli("openai", "invites", "list", "--all").lines()]
        self.assertEqual(sorted(e for e in emails if e.startswith("pause")),
                         ["pause%d@example.com" % i for i in range(5)])


# ===========================================================================
class TestEnsure(CliTestCase):
    """`<provider> <resource> ensure`: created / present / present_different / recovered."""
    seed = 0

    def setUp(self):
        super().setUp()
        self.emu.reset()

    def ensure(self, *args, code=EXIT_OK):
        r = self.cli(*args, code=code)
        return r, (r.json() if r.out.strip() else None)

    def test_openai(self):
        args = ("openai", "invites", "ensure", "--email", "Ada@Example.com", "--role", "reader")
        r, j = self.ensure(*args)
        self.assertEqual(j["outcome"], "created")
        self.assertEqual(j["object"]["email"], "Ada@Example.com")
        self.assertIn("openai invites ensure: Ada@Example.com: created", r.err)
        # Same person in another case: found, not created again.
        _, j2 = self.ensure("openai", "invites", "ensure", "--email", "ada@example.COM", "--role", "reader")
        self.assertEqual(j2["outcome"], "present")
        self.assertEqual(j2["object"]["id"], j["object"]["id"])
        r3, j3 = self.ensure("openai", "invites", "ensure", "--email", "ada@example.com", "--role", "owner")
        self.assertEqual(j3["outcome"], "present_different")
        self.assertEqual(j3["object"]["role"], "reader")  # left unchanged
        self.assertIn("left unchanged", r3.err)
        emails = [i["email"].lower() for i in self.cli("openai", "invites", "list", "--all").lines()]
        self.assertEqual(emails.count("ada@example.com"), 1)
        # Table output has an OUTCOME column; NDJSON is one line.
        t = self.cli("-o", "table", *args)
        self.assertIn("OUTCOME", t.out.splitlines()[0])
        self.assertIn("present", t.out.splitlines()[1])
        n = self.cli("-o", "ndjson", *args)
        self.assertEqual(len(n.out.splitlines()), 1)
        self.assertEqual(json.loads(n.out)["outcome"], "present")

    def test_openai_recovered_after_reset_mid_body(self):
        self.emu.clear_requests()
        self.emu.fault("POST /v1/organization/invites count=1 reset-mid-body")
        _, j = self.ensure("openai", "invites", "ensure", "--email", "lost@example.com", "--role", "reader")
        self.assertEqual(j["outcome"], "recovered")
        emails = [i["email"] for i in self.cli("openai", "invites", "list", "--all").lines()]
        self.assertEqual(emails.count("lost@example.com"), 1)
        posts = [q for q in self.emu.requests() if q["method"] == "POST"]
        self.assertEqual(len(posts), 1)  # the create was not sent twice

    def test_twilio_invites(self):
        base = ("twilio", "invites", "ensure", "--service", SERVICE, "--channel", CHANNEL, "--identity", "alice")
        _, j = self.ensure(*base)
        self.assertEqual(j["outcome"], "created")
        _, j = self.ensure(*base)
        self.assertEqual(j["outcome"], "present")
        _, j = self.ensure(*base, "--role-sid", "RL" + "1" * 32)
        self.assertEqual(j["outcome"], "present_different")
        self.emu.fault("POST /v1/Services/ count=1 reset-mid-body")
        _, j = self.ensure("twilio", "invites", "ensure", "--service", SERVICE, "--channel", CHANNEL,
                           "--identity", "bob")
        self.assertEqual(j["outcome"], "recovered")
        ids = [i["identity"] for i in self.cli("twilio", "invites", "list", "--service", SERVICE, "--channel",
                                                 CHANNEL, "--all").lines()]
        self.assertEqual(sorted(ids), ["alice", "bob"])

    def test_twilio_users(self):
        base = ("twilio", "users", "ensure", "--service", SERVICE, "--identity", "carol")
        _, j = self.ensure(*base, "--friendly-name", "Carol")
        self.assertEqual(j["outcome"], "created")
        self.assertEqual(j["object"]["friendly_name"], "Carol")
        _, j = self.ensure(*base)
        self.assertEqual(j["outcome"], "present")
        _, j = self.ensure(*base, "--friendly-name", "Caroline")
        self.assertEqual(j["outcome"], "present_different")
        self.assertEqual(j["object"]["friendly_name"], "Carol")
        self.emu.fault("POST /v2/Services/ count=1 reset-mid-body")
        _, j = self.ensure("twilio", "users", "ensure", "--service", SERVICE, "--identity", "dave")
        self.assertEqual(j["outcome"], "recovered")

    def test_fastly(self):
        base = ("fastly", "invitations", "ensure", "--email", "eve@example.com")
        _, j = self.ensure(*base, "--role", "engineer")
        self.assertEqual(j["outcome"], "created")
        self.assertEqual(j["object"]["attributes"]["email"], "eve@example.com")  # the item, not {"data":...}
        _, j = self.ensure("fastly", "invitations", "ensure", "--email", "EVE@example.com", "--role", "engineer")
        self.assertEqual(j["outcome"], "present")
        self.assertEqual(j["object"]["attributes"]["email"], "eve@example.com")
        _, j = self.ensure(*base, "--role", "billing")
        self.assertEqual(j["outcome"], "present_different")
        self.emu.fault("POST /invitations count=1 reset-mid-body")
        _, j = self.ensure("fastly", "invitations", "ensure", "--email", "frank@example.com")
        self.assertEqual(j["outcome"], "recovered")
        emails = [i["attributes"]["email"] for i in self.cli("fastly", "invitations", "list", "--all").lines()]
        self.assertEqual(sorted(emails), ["eve@example.com", "frank@example.com"])

    def test_usage(self):
        self.cli("openai", "invites", "ensure", "--email", "x@example.com", code=EXIT_USAGE)
        self.cli("twilio", "users", "ensure", "--service", SERVICE, code=EXIT_USAGE)


# ===========================================================================
class TestSync(CliTestCase):
    """`<provider> <resource> sync`: plan, --apply, re-run, --prune, --resume, NDJSON, output formats."""
    seed = 0

    def setUp(self):
        super().setUp()
        # invitee-0001..0005@example.com; 0003 is an owner, 0005 is accepted.
        self.emu.reset(seed=5)

    def openai_emails(self):
        return [i["email"].lower() for i in self.cli("openai", "invites", "list", "--all").lines()]

    def desired_openai(self):
        return self.write("desired.csv", "email,role\n"
                          "INVITEE-0001@example.com,reader\n"   # present (case-insensitive)
                          "invitee-0003@example.com,reader\n"   # present, role owner: present_different
                          "invitee-0005@example.com,reader\n"   # accepted: present
                          "new1@example.com,reader\n"
                          "new2@example.com,owner\n")

    def test_openai_plan_apply_rerun(self):
        desired = self.desired_openai()
        r = self.cli("openai", "invites", "sync", "--desired", desired, code=EXIT_PLAN_CHANGES)
        plan = r.json()
        s = plan["summary"]
        self.assertEqual((s["create"], s["present"], s["present_different"], s["delete"], s["not_in_file_kept"]),
                         (2, 2, 1, 0, 2))
        by = {(e["action"], e["email"].lower()) for e in plan["plan"]}
        self.assertIn(("create", "new1@example.com"), by)
        self.assertIn(("create", "new2@example.com"), by)
        self.assertIn(("present", "invitee-0001@example.com"), by)
        self.assertIn(("present_different", "invitee-0003@example.com"), by)
        self.assertIn(("keep", "invitee-0002@example.com"), by)  # pending, not in the file, no --prune
        self.assertNotIn("invitee-0005@example.com", [e["email"] for e in plan["plan"] if e["action"] == "keep"])
        # --dry-run is the default and nothing was sent but GETs.
        self.assertEqual(len(self.openai_emails()), 5)
        # Table and NDJSON plans.
        t = self.cli("-o", "table", "openai", "invites", "sync", "--desired", desired, "--dry-run",
                     code=EXIT_PLAN_CHANGES)
        self.assertTrue(t.out.startswith("ACTION"))
        self.assertIn("Plan: 2 to create, 0 to delete", t.out)
        nd = self.cli("-o", "ndjson", "openai", "invites", "sync", "--desired", desired, code=EXIT_PLAN_CHANGES)
        lines = nd.lines()
        self.assertEqual(lines[-1]["summary"]["create"], 2)
        self.assertEqual(len(lines), 8)
        # Apply.
        a = self.cli("openai", "invites", "sync", "--desired", desired, "--apply")
        res = a.lines()
        self.assertEqual(sorted(l["input"]["email"] for l in res), ["new1@example.com", "new2@example.com"])
        self.assertTrue(all(l["status"] == "ok" and l["outcome"] == "created" for l in res))
        self.assertEqual(sorted(l["row"] for l in res), [4, 5])
        self.assertIn("created 2", a.err)
        emails = self.openai_emails()
        self.assertEqual(len(emails), 7)
        # Re-run: nothing to do.
        again = self.cli("openai", "invites", "sync", "--desired", desired)
        self.assertEqual(again.json()["summary"]["changes"], 0)
        self.cli("openai", "invites", "sync", "--desired", desired, "--apply")
        self.assertEqual(sorted(self.openai_emails()), sorted(emails))

    def test_apply_creates_absent_rows_without_a_lookup_per_row(self):
        # The plan's listing is the lookup: --apply sends one plain create per absent row (the bulk
        # create path), not an ensure that lists the invites again for every row.
        def requests(*cmd, code=EXIT_OK, path="organization/invites"):
            self.emu.clear_requests()
            r = self.cli(*cmd, code=code)
            methods = [q["method"] for q in self.emu.requests() if path in q["target"]]
            return r, methods.count("GET"), methods.count("POST")
        desired = self.desired_openai()
        _, plan_gets, _ = requests("openai", "invites", "sync", "--desired", desired, code=EXIT_PLAN_CHANGES)
        a, gets, posts = requests("openai", "invites", "sync", "--desired", desired, "--apply")
        self.assertTrue(all(l["outcome"] == "created" for l in a.lines()))
        self.assertEqual((gets, posts), (plan_gets, 2))
        desired = self.write("desired-fastly.csv", "email,role\nfnew@example.com,engineer\n")
        cmd = ("fastly", "invitations", "sync", "--desired", desired)
        _, plan_gets, _ = requests(*cmd, code=EXIT_PLAN_CHANGES, path="/invitations")
        f, gets, posts = requests(*cmd, "--apply", path="/invitations")
        self.assertEqual([l["outcome"] for l in f.lines()], ["created"])
        self.assertEqual((gets, posts), (plan_gets, 1))

    def test_openai_prune(self):
        desired = self.desired_openai()
        r = self.cli("openai", "invites", "sync", "--desired", desired, "--prune", code=EXIT_PLAN_CHANGES)
        deletes = sorted(e["email"] for e in r.json()["plan"] if e["action"] == "delete")
        self.assertEqual(deletes, ["invitee-0002@example.com", "invitee-0004@example.com"])
        self.cli("openai", "invites", "sync", "--desired", desired, "--apply", "--prune", "--results",
                 self.path("prune.jsonl"))
        emails = sorted(self.openai_emails())
        self.assertEqual(emails, ["invitee-0001@example.com", "invitee-0003@example.com",
                                  "invitee-0005@example.com", "new1@example.com", "new2@example.com"])
        # The accepted invitee-0005 is never deleted, even when it leaves the file.
        only_new = self.write("only-new.csv", "email,role\nnew1@example.com,reader\n")
        r = self.cli("openai", "invites", "sync", "--desired", only_new, "--prune", code=EXIT_PLAN_CHANGES)
        deletes = sorted(e["email"] for e in r.json()["plan"] if e["action"] == "delete")
        self.assertEqual(deletes, ["invitee-0001@example.com", "invitee-0003@example.com", "new2@example.com"])
        self.cli("openai", "invites", "sync", "--desired", only_new, "--prune", "--apply", "--results",
                 self.path("prune2.jsonl"))
        self.assertEqual(sorted(self.openai_emails()), ["invitee-0005@example.com", "new1@example.com"])
        self.cli("openai", "invites", "sync", "--desired", only_new, "--prune")

    def test_resume_after_failed_rows(self):
        rows = ["email,role"] + ["r%02d@example.com,reader" % i for i in range(1, 21)]
        desired = self.write("resume.csv", "\n".join(rows) + "\n")
        results = self.path("resume.jsonl")
        self.emu.fault("POST /v1/organization/invites every=4 status=400")
        self.cli("openai", "invites", "sync", "--desired", desired, "--apply", "--results", results,
                 "--concurrency", "4", code=EXIT_BULK_FAILED)
        with open(results) as f:
            first = [json.loads(l) for l in f if l.strip()]
        failed = sorted(l["row"] for l in first if l["status"] == "error")
        self.assertEqual(len(failed), 5)
        # The emulator's every=N option (docs/EMULATOR.md): every 4th of the 20 creates, so 5 applied.
        faults = self.emu.control("GET", "faults")["faults"]
        self.assertEqual((faults[0]["every"], faults[0]["used"]), (4, 5))
        with self.assertRaises(urllib.error.HTTPError) as cm:
            self.emu.fault("POST /v1/organization/invites every=0 status=400")
        self.assertEqual(cm.exception.code, 400)
        self.emu.clear_faults()
        r = self.cli("openai", "invites", "sync", "--desired", desired, "--apply", "--results", results, "--resume")
        self.assertIn("5 to create", r.err)
        with open(results) as f:
            both = [json.loads(l) for l in f if l.strip()]
        second = both[len(first):]
        self.assertEqual(sorted(l["row"] for l in second), failed)
        self.assertTrue(all(l["status"] == "ok" and l["outcome"] == "created" for l in second))
        emails = self.openai_emails()
        self.assertEqual(len(emails), len(set(emails)))
        self.assertEqual(len([e for e in emails if e.startswith("r")]), 20)
        self.cli("openai", "invites", "sync", "--desired", desired)

    def test_fastly_ndjson_desired(self):
        desired = self.write("fastly.ndjson",
                             '{"email": "Invitee-0001@example.com", "role": "user"}\n'
                             '\n'
                             '{"email": "zoe@example.com", "role": "engineer"}\n'
                             '{"email": "yann@example.com"}\n')
        r = self.cli("fastly", "invitations", "sync", "--desired", desired, "--prune", code=EXIT_PLAN_CHANGES)
        s = r.json()["summary"]
        self.assertEqual((s["create"], s["present"], s["delete"]), (2, 1, 4))
        self.cli("fastly", "invitations", "sync", "--desired", desired, "--apply", "--prune", "--concurrency", "2",
                 "--results", self.path("f.jsonl"))
        emails = sorted(i["attributes"]["email"].lower()
                        for i in self.cli("fastly", "invitations", "list", "--all").lines())
        self.assertEqual(emails, ["invitee-0001@example.com", "yann@example.com", "zoe@example.com"])
        self.cli("fastly", "invitations", "sync", "--desired", desired, "--prune")

    def test_twilio_invites_and_users(self):
        desired = self.write("tw.csv", "identity,role_sid\nuser-0001,\nuser-0002,RL%s\nnewbie,\n" % ("2" * 32))
        r = self.cli("twilio", "invites", "sync", "--service", SERVICE, "--channel", CHANNEL, "--desired", desired,
                     "--prune", code=EXIT_PLAN_CHANGES)
        s = r.json()["summary"]
        self.assertEqual((s["create"], s["present"], s["present_different"], s["delete"]), (1, 1, 1, 3))
        self.cli("twilio", "invites", "sync", "--service", SERVICE, "--channel", CHANNEL, "--desired", desired,
                 "--prune", "--apply", "--results", self.path("tw.jsonl"))
        ids = sorted(i["identity"] for i in self.cli("twilio", "invites", "list", "--service", SERVICE,
                                                       "--channel", CHANNEL, "--all").lines())
        self.assertEqual(ids, ["newbie", "user-0001", "user-0002"])
        self.cli("twilio", "invites", "sync", "--service", SERVICE, "--channel", CHANNEL, "--desired", desired,
                 "--prune")
        # Users: members, so --prune is refused; users not in the file are kept and listed.
        users = self.write("users.ndjson", '{"identity": "user-0001", "friendly_name": "Seed User 0001"}\n'
                                           '{"identity": "zed", "attributes": {"team": "a"}}\n')
        r = self.cli("twilio", "users", "sync", "--service", SERVICE, "--desired", users, "--prune", code=EXIT_USAGE)
        self.assertIn("members", r.err)
        r = self.cli("twilio", "users", "sync", "--service", SERVICE, "--desired", users, code=EXIT_PLAN_CHANGES)
        s = r.json()["summary"]
        self.assertEqual((s["create"], s["present"], s["not_in_file_kept"]), (1, 1, 4))
        self.cli("twilio", "users", "sync", "--service", SERVICE, "--desired", users, "--apply")
        zed = self.cli("twilio", "users", "get", "--service", SERVICE, "zed").json()
        self.assertEqual(json.loads(zed["attributes"]), {"team": "a"})
        self.cli("twilio", "users", "sync", "--service", SERVICE, "--desired", users)

    def test_plan_is_a_table_on_a_terminal(self):
        desired = self.desired_openai()
        code, text = TestBulk.run_in_pty(self, ["openai", "invites", "sync", "--desired", desired])
        self.assertEqual(code, EXIT_PLAN_CHANGES, text)
        self.assertTrue(text.startswith("ACTION"), text)
        self.assertIn("Plan: 2 to create", text)
        code, text = TestBulk.run_in_pty(self, ["openai", "invites", "sync", "--desired", desired, "-o", "json"])
        self.assertEqual(code, EXIT_PLAN_CHANGES, text)
        self.assertEqual(json.loads(text)["summary"]["create"], 2)  # --output wins over the terminal

    def test_usage_errors(self):
        dup = self.write("dup.csv", "email,role\na@example.com,reader\nA@example.com,owner\n")
        r = self.cli("openai", "invites", "sync", "--desired", dup, code=EXIT_USAGE)
        self.assertIn("already on line 2", r.err)
        ok = self.write("ok.csv", "email,role\na@example.com,reader\n")
        self.cli("openai", "invites", "sync", "--desired", ok, "--results", self.path("x.jsonl"), code=EXIT_USAGE)
        self.cli("openai", "invites", "sync", "--desired", ok, "--apply", "--dry-run", code=EXIT_USAGE)
        bad = self.write("bad.csv", "email,colour\na@example.com,red\n")
        self.cli("openai", "invites", "sync", "--desired", bad, code=EXIT_USAGE)
        badj = self.write("bad.ndjson", '{"email": "a@example.com", "role": "reader"\n')
        self.cli("openai", "invites", "sync", "--desired", badj, code=EXIT_USAGE)
        self.cli("openai", "invites", "sync", "--desired", ok, code=EXIT_AUTH, creds=False)

    def test_measure_script_small(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sync_measure.py")
        p = subprocess.run([sys.executable, script, "--people", "100", "--concurrency", "8", "--cli=" + CLI,
                            "--emulator=" + EMULATOR], capture_output=True, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        report = json.loads(p.stdout)
        self.assertEqual(report["duplicates"], 0)
        self.assertEqual(report["missing"], 0)
        self.assertEqual(report["outcomes"].get("recovered"), 10)
        self.assertEqual(report["outcomes"].get("created"), 90)


if __name__ == "__main__":
    argv = [sys.argv[0]]
    for a in sys.argv[1:]:
        if a.startswith("--cli="):
            CLI = a.split("=", 1)[1]
        elif a.startswith("--emulator="):
            EMULATOR = a.split("=", 1)[1]
        else:
            argv.append(a)
    unittest.main(argv=argv, verbosity=2)

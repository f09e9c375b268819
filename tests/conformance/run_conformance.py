#!/usr/bin/env python3
"""Conformance suite: invitekit against the vendors' OpenAPI documents.

Mode "mock":  one Stoplight Prism mock per spec in ../shared/specs (request
              validation on, --errors). The driver sends every operation with
              every optional parameter; Prism rejects (422/401) anything the
              spec does not allow, and answers from the spec's examples, which
              the driver's typed accessors must reproduce.
Mode "proxy": one Prism proxy per spec in front of invitekit-emulator; Prism
              validates both the requests and the emulator's responses.

Exit codes: 0 all checks passed, 1 a check failed, 77 skipped (no node/npm,
no specs, no emulator for proxy mode). Python 3 standard library only.
"""
import argparse
import base64
import datetime
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SKIP = 77
SPEC_FILES = {
    "tw1": "twilio_chat_v1_invites.json",
    "tw2": "twilio_chat_v2_users.json",
    "oa": "openai_invites.yaml",
    "fa": "fastly_invitations.json",
}
# operationId in the spec -> driver operation key
OPERATION_IDS = {
    "CreateInvite": "tw1.create", "ListInvite": "tw1.list", "FetchInvite": "tw1.fetch",
    "DeleteInvite": "tw1.delete",
    "CreateUser": "tw2.create", "ListUser": "tw2.list", "FetchUser": "tw2.fetch",
    "UpdateUser": "tw2.update", "DeleteUser": "tw2.delete",
    "inviteUser": "oa.create", "list-invites": "oa.list", "retrieve-invite": "oa.retrieve",
    "delete-invite": "oa.delete",
    "createInvitation": "fa.create", "listInvitations": "fa.list", "deleteInvitation": "fa.delete",
}
ALL_OPS = sorted(set(OPERATION_IDS.values()))
EXPECTED_HTTP = {
    "tw1.create": 201, "tw1.list": 200, "tw1.fetch": 200, "tw1.delete": 204,
    "tw2.create": 201, "tw2.list": 200, "tw2.fetch": 200, "tw2.update": 200, "tw2.delete": 204,
    "oa.create": 200, "oa.list": 200, "oa.retrieve": 200, "oa.delete": 200,
    "fa.create": 200, "fa.list": 200, "fa.delete": 204,
}
PAGE_MAX = {"tw1": 1000, "tw2": 100, "oa": 100, "fa": 100}
EMULATOR_CREDENTIALS = {
    "twilio_sid": "AC00000000000000000000000000000000",
    "twilio_token": "emulator-twilio-token",
    "openai_key": "sk-admin-emulator",
    "fastly_key": "emulator-fastly-token",
}
EMULATOR_BASE = [None]  # set in proxy mode, for failure hints
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# RFC 3986 pchar (unreserved / pct-encoded / sub-delims / ":" / "@")
PCHAR = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$")


def log(msg=""):
    print(msg, flush=True)


# --------------------------------------------------------------------------
# Check bookkeeping
# --------------------------------------------------------------------------
class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def add(self, ok, where, what, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed.append((where, what, detail))
            log(f"FAIL [{where}] {what}" + (f"\n     {detail}" if detail else ""))
        return ok


# --------------------------------------------------------------------------
# Prism installation (npm ci into the build tree, cached by lock hash)
# --------------------------------------------------------------------------
def ensure_prism(pkg_dir, work_dir, npm, node):
    os.makedirs(work_dir, exist_ok=True)
    files = ["package.json", "package-lock.json"]
    h = hashlib.sha256()
    for f in files:
        with open(os.path.join(pkg_dir, f), "rb") as fh:
            h.update(fh.read())
    digest = h.hexdigest()
    marker = os.path.join(work_dir, ".installed-lock-sha256")
    with open(os.path.join(work_dir, ".install.lock"), "w") as lockfh:
        fcntl.flock(lockfh, fcntl.LOCK_EX)
        entry = prism_entry(work_dir)
        if entry and os.path.exists(marker) and open(marker).read().strip() == digest:
            log(f"prism: already installed in {work_dir} (lock sha256 {digest[:12]})")
            return entry
        for f in files:
            shutil.copyfile(os.path.join(pkg_dir, f), os.path.join(work_dir, f))
        if os.path.exists(marker):
            os.unlink(marker)
        log(f"prism: npm ci in {work_dir} ...")
        env = dict(os.environ)
        env.update({"npm_config_update_notifier": "false", "npm_config_fund": "false",
                    "npm_config_audit": "false"})
        # npm's own shebang uses `node` from PATH: put the node we found first.
        env["PATH"] = os.path.dirname(node) + os.pathsep + env.get("PATH", "")
        t0 = time.time()
        with open(os.path.join(work_dir, "npm-ci.log"), "w") as out:
            try:
                rc = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=work_dir, env=env,
                                    stdout=out, stderr=subprocess.STDOUT, timeout=480).returncode
            except subprocess.TimeoutExpired:
                rc = "timeout"
        if rc != 0:
            tail = open(os.path.join(work_dir, "npm-ci.log"), errors="replace").read()[-3000:]
            raise RuntimeError(f"npm ci failed ({rc}):\n{tail}")
        entry = prism_entry(work_dir)
        if not entry:
            raise RuntimeError("npm ci succeeded but @stoplight/prism-cli has no bin entry")
        with open(marker, "w") as fh:
            fh.write(digest + "\n")
        log(f"prism: installed in {time.time() - t0:.1f}s")
        return entry


def prism_entry(work_dir):
    pj = os.path.join(work_dir, "node_modules", "@stoplight", "prism-cli", "package.json")
    try:
        with open(pj) as fh:
            meta = json.load(fh)
    except (OSError, ValueError):
        return None
    b = meta.get("bin")
    rel = b.get("prism") if isinstance(b, dict) else b
    if not rel:
        return None
    path = os.path.join(os.path.dirname(pj), rel)
    return path if os.path.exists(path) else None


def prism_version(node, entry):
    try:
        return subprocess.run([node, entry, "--version"], capture_output=True, text=True,
                              timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


# --------------------------------------------------------------------------
# Processes: start on ephemeral ports, stop by PID
# --------------------------------------------------------------------------
def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def stop_process(proc, name):
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        log(f"{name}: did not stop on SIGTERM within 5s; sending SIGKILL to pid {proc.pid}")
        proc.kill()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    except ProcessLookupError:
        pass


class Prism:
    def __init__(self, name, node, entry, argv_fn, log_path):
        self.name, self.node, self.entry, self.argv_fn, self.log_path = name, node, entry, argv_fn, log_path
        self.proc = None
        self.port = None

    def launch(self):
        env = dict(os.environ)
        env.update({"NO_COLOR": "1", "FORCE_COLOR": "0"})
        self.port = free_port()
        self.logfh = open(self.log_path, "w")
        self.proc = subprocess.Popen([self.node, self.entry] + self.argv_fn(self.port),
                                     stdout=self.logfh, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env)

    def start(self, tries=5, launched=False):
        """Waits for Prism (launching it first unless already launched); on a
        port race (EADDRINUSE) relaunches on a new port, a bounded number of times."""
        last = ""
        for attempt in range(1, tries + 1):
            if not launched or attempt > 1:
                self.launch()
            ok, last = self._wait_ready(timeout=60)
            if ok:
                return True
            stop_process(self.proc, self.name)
            self.logfh.close()
            if "EADDRINUSE" not in last:
                break
            log(f"{self.name}: port {self.port} taken (attempt {attempt}); retrying")
        raise RuntimeError(f"{self.name}: Prism did not start:\n{last[-3000:]}")

    def _wait_ready(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = self.read_log()
            if self.proc.poll() is not None:
                return False, text
            if "Prism is listening on" in text and port_open(self.port):
                return True, text
            time.sleep(0.1)
        return False, self.read_log() + "\n(timed out waiting for Prism)"

    def read_log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as fh:
                return ANSI.sub("", fh.read())
        except OSError:
            return ""

    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        stop_process(self.proc, self.name)
        try:
            self.logfh.close()
        except Exception:
            pass


def start_all(prisms):
    """Launches every Prism at once (each needs a few seconds), then waits for each."""
    for p in prisms.values():
        p.launch()
    for p in prisms.values():
        p.start(launched=True)


class Emulator:
    def __init__(self, exe, log_path):
        self.exe, self.log_path = exe, log_path
        self.err_path = log_path + ".stderr"
        self.proc = None
        self.base = None

    def start(self, timeout=30):
        """Starts invitekit-emulator on a free port (--port 0); its first
        stdout line carries the base URL."""
        self.logfh = open(self.log_path, "w")
        self.errfh = open(self.err_path, "w")
        self.proc = subprocess.Popen([self.exe, "--port", "0", "--log-requests"], stdout=self.logfh,
                                     stderr=self.errfh, stdin=subprocess.DEVNULL)
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = open(self.log_path, errors="replace").read()
            first = text.split("\n", 1)[0] if "\n" in text else ""
            m = re.search(r"http://127\.0\.0\.1:(\d+)", first)
            if m and port_open(int(m.group(1))):
                self.base = f"http://127.0.0.1:{m.group(1)}"
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        out = open(self.log_path, errors="replace").read()[-1000:]
        err = open(self.err_path, errors="replace").read()[-2000:]
        raise RuntimeError(f"invitekit-emulator did not start (exit {self.proc.poll()}):\n{out}\n{err}")

    def stop(self):
        stop_process(self.proc, "emulator")
        for fh in (getattr(self, "logfh", None), getattr(self, "errfh", None)):
            try:
                fh.close()
            except Exception:
                pass


# --------------------------------------------------------------------------
# Prism log parsing
# --------------------------------------------------------------------------
REQ_RE = re.compile(r"\[HTTP SERVER\] (\w+) (\S+) .*Request received")
END_ERR_RE = re.compile(r"\[HTTP SERVER\] (\w+) (\S+) .*Request terminated with error: (.*)$")
VALID_ERR_RE = re.compile(r"\[VALIDATOR\]\s+(✖\s+error|⚠\s+warning)\s+(.*)$")


def parse_prism_log(text):
    """Returns the list of requests Prism saw: {method, path, problems[]}."""
    reqs = []
    cur = None
    for line in text.splitlines():
        m = REQ_RE.search(line)
        if m:
            cur = {"method": m.group(1).upper(), "path": m.group(2), "problems": []}
            reqs.append(cur)
            continue
        if cur is None:
            continue
        m = VALID_ERR_RE.search(line)
        if m:
            msg = m.group(2).strip()
            if msg != "Request did not pass the validation rules":
                cur["problems"].append(("warning: " if "warning" in m.group(1) else "") + msg)
            continue
        m = END_ERR_RE.search(line)
        if m:
            cur["problems"].append("terminated: " + m.group(3).strip())
    return reqs


def path_segments(raw_path):
    p = raw_path.split("?", 1)[0].split("#", 1)[0]
    return [s for s in p.split("/")][1:]


def decode_segments(raw_path):
    return [urllib.parse.unquote(s, errors="strict") for s in path_segments(raw_path)]


# --------------------------------------------------------------------------
# Spec examples
# --------------------------------------------------------------------------
def load_json_spec(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def spec_examples(spec):
    """{op_key: [(name_or_'-', value), ...]} in spec order; '-' = single `example`."""
    result = {}
    for _path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            key = OPERATION_IDS.get(op.get("operationId"))
            if not key:
                continue
            for code, resp in sorted(op.get("responses", {}).items()):
                if not code.startswith("2"):
                    continue
                for _ct, media in resp.get("content", {}).items():
                    exs = media.get("examples") or {}
                    for name, ex in exs.items():
                        result.setdefault(key, []).append((name, ex.get("value")))
                    if not exs and "example" in media:
                        result.setdefault(key, []).append(("-", media["example"]))
    return result


def iso_unix(s):
    if s is None:
        return None
    try:
        return int(datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def proj_tw_invite(o):
    keys = ["sid", "account_sid", "channel_sid", "service_sid", "identity", "role_sid", "created_by", "url",
            "date_created", "date_updated"]
    d = {k: o.get(k) for k in keys}
    d["date_created_unix"] = iso_unix(o.get("date_created"))
    d["date_updated_unix"] = iso_unix(o.get("date_updated"))
    return d


def proj_tw_user(o):
    keys = ["sid", "account_sid", "service_sid", "attributes", "friendly_name", "role_sid", "identity",
            "is_online", "is_notifiable", "date_created", "date_updated", "url"]
    d = {k: o.get(k) for k in keys}
    d["date_created_unix"] = iso_unix(o.get("date_created"))
    d["date_updated_unix"] = iso_unix(o.get("date_updated"))
    d["joined_channels_count"] = o.get("joined_channels_count")  # optional integer: null when absent
    links = o.get("links") or {}
    d["links"] = {"user_channels": links.get("user_channels"), "user_bindings": links.get("user_bindings")}
    return d


def proj_oa_invite(o):
    d = {k: o.get(k) for k in ["object", "id", "email", "role", "status", "created_at", "expires_at",
                                "accepted_at"]}
    if "created_at" not in o:
        d["created_at"] = o.get("invited_at")  # the spec's older name, read by created_at_unix
    d["has_projects"] = 1 if "projects" in o else 0
    d["projects"] = [{"id": p.get("id"), "role": p.get("role")} for p in (o.get("projects") or [])]
    return d


def proj_fa_invitation(o):
    a = o.get("attributes") or {}
    rel = o.get("relationships") or {}
    cust = ((rel.get("customer") or {}).get("data") or {}).get("id")
    sis = ((rel.get("service_invitations") or {}).get("data")) or []
    return {
        "id": o.get("id"), "type": o.get("type"), "email": a.get("email"),
        "limit_services": a.get("limit_services"), "role": a.get("role"), "roles": list(a.get("roles") or []),
        "status_code": a.get("status_code"), "created_at": a.get("created_at"),
        "updated_at": a.get("updated_at"), "deleted_at": a.get("deleted_at"),
        "created_at_unix": iso_unix(a.get("created_at")), "updated_at_unix": iso_unix(a.get("updated_at")),
        "deleted_at_unix": iso_unix(a.get("deleted_at")),
        "customer_id": cust, "service_invitations": [s.get("id") for s in sis],
    }


def proj_page(op, body):
    """Expected page dump (without next_cursor, which is opaque)."""
    prov = op.split(".")[0]
    if prov in ("tw1", "tw2"):
        meta = body.get("meta") or {}
        items = body.get(meta.get("key") or ("invites" if prov == "tw1" else "users")) or []
        proj = proj_tw_invite if prov == "tw1" else proj_tw_user
        return {
            "count": len(items),
            "has_more": meta.get("next_page_url") is not None,
            "meta": {k: meta.get(k) for k in ["page", "page_size", "key", "url", "first_page_url",
                                              "previous_page_url", "next_page_url"]},
            "items": [proj(i) for i in items],
        }
    if prov == "oa":
        items = body.get("data") or []
        return {"count": len(items), "has_more": bool(body.get("has_more")),
                "meta": {"first_id": body.get("first_id"), "last_id": body.get("last_id")},
                "items": [proj_oa_invite(i) for i in items]}
    items = body.get("data") or []
    links = body.get("links") or {}
    meta = body.get("meta") or {}
    return {"count": len(items),
            "meta": {"links": {k: links.get(k) for k in ["first", "last", "prev", "next"]},
                     **{k: meta.get(k) for k in ["current_page", "per_page", "record_count", "total_pages"]}},
            "items": [proj_fa_invitation(i) for i in items]}


# IK_KIND_* of each operation's items (pager.h), as the driver prints them.
KIND = {"oa": 1, "tw1": 2, "tw2": 3, "fa": 4}
# The typed field that ik_page_item_id reads, per provider.
ITEM_ID = {"oa": "id", "tw1": "sid", "tw2": "sid", "fa": "id"}


def proj_deletion(op, body, sent):
    """Expected ik_deletion dump: OpenAI answers a body; the others 204, and the
    deletion then reports the id it was given and deleted = true."""
    prov = op.split(".")[0]
    if op == "oa.delete":
        return {"kind": KIND[prov], "object": body.get("object"), "id": body.get("id"),
                "deleted": body.get("deleted"), "body_present": 1}
    return {"kind": KIND[prov], "object": None, "id": (sent or {}).get("sid", (sent or {}).get("id")),
            "deleted": True, "raw_json": None, "body_present": 0}


def project(op, body, sent=None):
    if op.endswith(".list"):
        return proj_page(op, body)
    if op.endswith(".delete"):
        return proj_deletion(op, body, sent)
    if op.startswith("tw1."):
        return proj_tw_invite(body)
    if op.startswith("tw2."):
        return proj_tw_user(body)
    if op.startswith("oa."):
        return proj_oa_invite(body)
    return proj_fa_invitation(body.get("data") or {})


def diff(expected, actual, path=""):
    """List of 'path: expected X, got Y' for every leaf of `expected`."""
    out = []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected an object, got {json.dumps(actual)}"]
        for k, v in expected.items():
            out += diff(v, actual.get(k, "<missing>"), f"{path}.{k}")
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {json.dumps(expected)[:300]}, got {json.dumps(actual)[:300]}"]
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += diff(e, a, f"{path}[{i}]")
    else:
        if expected != actual or type(expected) is not type(actual) and not (
                isinstance(expected, (int, float)) and isinstance(actual, (int, float))):
            out.append(f"{path}: expected {json.dumps(expected)}, got {json.dumps(actual)}")
    return out


# --------------------------------------------------------------------------
# Checks on driver records
# --------------------------------------------------------------------------
def parse_raw(text, what, problems):
    try:
        return json.loads(text)
    except (TypeError, ValueError) as e:
        problems.append(f"{what}: not JSON ({e}): {str(text)[:200]!r}")
        return None


def check_raw_json(checks, rec):
    """The borrowed raw JSON of a result (ik_*_raw_json, ik_page_raw_json,
    ik_page_item_raw_json, ik_deletion_raw_json) says what its typed accessors
    say, and ik_page_item_id names each item: the result read back through its
    own bytes. Run on successful calls in both modes."""
    op, res = rec["op"], rec.get("result")
    if not isinstance(res, dict):
        return
    prov = op.split(".")[0]
    problems = []
    if op.endswith(".delete"):
        if op == "oa.delete":
            body = parse_raw(res.get("raw_json"), ".raw_json", problems)
            if isinstance(body, dict):
                problems += diff(proj_deletion(op, body, rec["sent"]), res)
        elif res.get("raw_json") is not None:
            problems.append(f".raw_json: a 204 deletion has no body, got {res.get('raw_json')!r}")
    elif op.endswith(".list"):
        page_raw = res.get("raw_json")
        body = parse_raw(page_raw, ".raw_json (page)", problems)
        if isinstance(body, dict):
            problems += diff(proj_page(op, body), res)
        items = res.get("items") or []
        ids, raws = res.get("item_ids"), res.get("item_raw_json")
        if not isinstance(ids, list) or len(ids) != len(items):
            problems.append(f".item_ids: {len(items)} items, ik_page_item_id gave {ids!r}")
            ids = [None] * len(items)
        if not isinstance(raws, list) or len(raws) != len(items):
            problems.append(f".item_raw_json: {len(items)} items, ik_page_item_raw_json gave "
                            f"{str(raws)[:200]}")
            raws = [None] * len(items)
        proj = {"tw1": proj_tw_invite, "tw2": proj_tw_user, "oa": proj_oa_invite,
                "fa": proj_fa_invitation}[prov]
        for i, (item, iid, raw) in enumerate(zip(items, ids, raws)):
            if not isinstance(item, dict):
                continue
            if iid != item.get(ITEM_ID[prov]):
                problems.append(f".item_ids[{i}]: {iid!r}, the item's {ITEM_ID[prov]} is "
                                f"{item.get(ITEM_ID[prov])!r}")
            if raw != item.get("raw_json"):
                problems.append(f".item_raw_json[{i}] differs from the typed item's raw_json")
            if isinstance(raw, str) and isinstance(page_raw, str) and raw not in page_raw:
                problems.append(f".item_raw_json[{i}]: not a slice of the page body: {raw[:200]!r}")
            o = parse_raw(raw, f".item_raw_json[{i}]", problems)
            if isinstance(o, dict):
                problems += diff(proj(o), item, f".items[{i}]")
    else:
        body = parse_raw(res.get("raw_json"), ".raw_json", problems)
        if op == "fa.create" and isinstance(body, dict):
            # fastly.h: a created invitation's raw JSON is the `data` resource object
            if "data" in body:
                problems.append(".raw_json: the whole body, not the `data` resource object (fastly.h)")
            body = {"data": body}
        if isinstance(body, dict):
            problems += diff(project(op, body), res)
    checks.add(not problems, rec["case"], f"{op}: the result's raw JSON agrees with its typed accessors",
               "\n     ".join(problems))


def describe_failure(rec):
    parts = [f"{rec.get('method') or '?'} {rec.get('url') or '(url not reported)'}",
             f"-> {rec.get('status')} HTTP {rec.get('http')}"]
    err = rec.get("error")
    if err:
        parts.append(f"error: {err.get('message')}")
        if err.get("body"):
            parts.append(f"body: {err['body'][:1500]}")
    if rec.get("violations"):
        parts.append(f"sl-violations: {rec['violations'][:1500]}")
    msg = err.get("message") or "" if err else ""
    if err and ("refusing to send credentials" in msg or "not on the configured base URL" in msg) and \
            EMULATOR_BASE[0] and \
            EMULATOR_BASE[0] in err.get("message", ""):
        parts.append("hint: the emulator built this absolute URL from its own address; Prism replaces the Host "
                     "header, so the emulator must honour X-Forwarded-Host (the driver sends it) for its "
                     "next-page URLs to point back at Prism")
    return "\n     ".join(parts)


def check_outcome(checks, rec):
    """status OK, expected HTTP status, no violation header. True if the call succeeded."""
    cs, op = rec["case"], rec["op"]
    ok = rec.get("status") == "IK_STATUS_OK"
    checks.add(ok, cs, f"{op} succeeds", "" if ok else describe_failure(rec))
    if not ok:
        return False
    if op in EXPECTED_HTTP:
        checks.add(rec.get("http") == EXPECTED_HTTP[op], cs, f"{op} answers HTTP {EXPECTED_HTTP[op]}",
                   f"got HTTP {rec.get('http')}")
    checks.add(not rec.get("violations"), cs, "Prism reports no violation (sl-violations)",
               rec.get("violations") or "")
    return True


def clamp(n, hi):
    return max(1, min(n, hi))


def check_query(checks, rec):
    """Query parameters of list calls, from the URL the library reports through its log callback."""
    op = rec["op"]
    if not op.endswith(".list") or rec.get("status") != "IK_STATUS_OK":
        return
    url = rec.get("url")
    if not url:
        log(f"note [{rec['case']}] the library reported no URL through its log callback; query not checked")
        return
    q = urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True)
    prov = op.split(".")[0]
    lo = rec["sent"].get("list") or {"page_size": 0, "cursor": None}
    size_name = {"tw1": "PageSize", "tw2": "PageSize", "oa": "limit", "fa": "page[size]"}[prov]
    got_size = [v for k, v in q if k == size_name]
    ps = lo.get("page_size") or 0
    want = [str(clamp(ps, PAGE_MAX[prov]))] if ps > 0 else []
    if lo.get("cursor") and prov in ("tw1", "tw2") and got_size == []:
        want = []  # a Twilio next-page URL may carry the page size already or not
    if not (lo.get("cursor") and prov in ("tw1", "tw2")):
        checks.add(got_size == want, rec["case"], f"{size_name} sent as {want or 'absent'} (page_size {ps})",
                   f"library-reported URL: {url}")
    if prov == "tw1" and not lo.get("cursor"):
        ids = [v for k, v in q if k == "Identity"]
        checks.add(ids == rec["sent"].get("identities", []), rec["case"],
                   "identities sent as repeated Identity keys, in order",
                   f"got {ids!r} from library-reported URL {url}")
    if lo.get("cursor"):
        names = {"tw1": ["PageToken"], "tw2": ["PageToken"], "oa": ["after"], "fa": ["page[number]"]}[prov]
        checks.add(any(k in names for k, _ in q), rec["case"], f"cursor sent as {names[0]}",
                   f"library-reported URL: {url}")


def match_paths(checks, records, prism_reqs, start_index, label):
    """Every call's path reached Prism as the right (decoded) segments, each
    segment a valid RFC 3986 pchar sequence."""
    used = set()
    for rec in records:
        if rec.get("kind") != "call" or "path" not in rec.get("sent", {}):
            continue
        if rec.get("status") != "IK_STATUS_OK" and not rec.get("http"):
            continue  # nothing was sent
        want = rec["sent"]["path"]
        found = None
        for i in range(start_index, len(prism_reqs)):
            if i in used:
                continue
            r = prism_reqs[i]
            if r["method"] != (rec.get("method") or r["method"]):
                continue
            try:
                segs = decode_segments(r["path"])
            except UnicodeDecodeError:
                continue
            if segs == want:
                found = i
                break
        if found is None:
            seen = [r["path"] for r in prism_reqs[start_index:]][-8:]
            checks.add(False, rec["case"], f"{label} saw the path {'/'.join(want)!r} (one segment per value)",
                       f"recent paths Prism saw: {seen}")
            continue
        used.add(found)
        raw = prism_reqs[found]["path"]
        bad = [s for s in path_segments(raw) if not PCHAR.match(s)]
        checks.add(not bad, rec["case"], "path segments are RFC 3986 percent-encoded",
                   f"raw path {raw!r}; bad segments {bad}")


def canary(checks, prism, method, path, headers, expect_status, expect_problem):
    """Sends a request Prism must flag, straight from the runner, and checks that
    Prism flags it (status and a log entry): proves that validation is on and
    that this runner sees what Prism reports. Runs before the driver; its log
    entries are not counted against the library."""
    req = urllib.request.Request(prism.url() + path, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    except OSError as e:
        code = f"{type(e).__name__}: {e}"
    seen = []
    deadline = time.time() + 5
    while time.time() < deadline:
        seen = [r for r in parse_prism_log(prism.read_log())
                if r["method"] == method and r["path"] == path.split("?")[0]]
        if seen and any(expect_problem in p for p in seen[-1]["problems"]):
            break
        time.sleep(0.1)
    problems = seen[-1]["problems"] if seen else []
    checks.add(code == expect_status and any(expect_problem in p for p in problems), prism.name,
               f"canary: Prism flags {method} {path} ({expect_status}, '{expect_problem}')",
               f"got status {code}, logged problems {problems}")


def check_prism_log(checks, name, reqs, start_index):
    bad = [r for r in reqs[start_index:] if r["problems"]]
    detail = "\n     ".join(f"{r['method']} {r['path']}: " + "; ".join(r["problems"]) for r in bad[:30])
    checks.add(not bad, name, f"Prism log shows no request/response violation ({len(reqs) - start_index} "
               f"requests)", detail)


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------
def run_driver(driver, args, report_path):
    cmd = [driver] + args
    log("driver: " + " ".join(cmd[:11]) + (" ..." if len(cmd) > 11 else ""))
    t0 = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=300)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = "timeout", e.stdout or b"", e.stderr or b""
    with open(report_path, "wb") as fh:
        fh.write(out)
    records = []
    for line in out.decode("utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            records.append({"kind": "garbage", "line": line[:500]})
    log(f"driver: exit {rc}, {len(records)} records, {time.time() - t0:.1f}s")
    return rc, records, err.decode("utf-8", errors="replace")


def common_record_checks(checks, rc, records, stderr):
    ended = any(r.get("kind") == "end" for r in records)
    checks.add(rc == 0 and ended, "driver", "driver ran to completion",
               f"exit {rc}; stderr tail:\n{stderr[-2000:]}")
    garbage = [r for r in records if r.get("kind") == "garbage"]
    checks.add(not garbage, "driver", "driver output is valid JSON lines", str(garbage[:3]))
    for r in records:
        if r.get("kind") == "check":
            checks.add(bool(r.get("ok")), r.get("case", "?"), r.get("name", "?"), r.get("detail", ""))
    ops = {r["op"] for r in records if r.get("kind") == "call"}
    missing = [o for o in ALL_OPS if o not in ops]
    checks.add(not missing, "coverage", "all sixteen operations driven", f"missing: {missing}")


def check_pager(checks, rec, expect_items=None):
    res = rec.get("result") or {}
    ok = rec.get("status") == "IK_STATUS_OK" and res
    checks.add(bool(ok), rec["case"], f"{rec['op']} iterates without error", describe_failure(rec))
    if not ok:
        return
    checks.add(not rec.get("violations"), rec["case"], "Prism reports no violation (sl-violations)",
               rec.get("violations") or "")
    lo = rec["sent"].get("list") or {}
    n = len(res.get("keys", []))
    mx = lo.get("max_items") or 0
    checks.add(not res.get("hit_page_limit") and res.get("done") == 1, rec["case"], "pager finishes",
               f"pages {res.get('pages')}, done {res.get('done')}")
    checks.add(res.get("items_delivered") == n and (mx == 0 or n <= mx), rec["case"],
               "pager delivers at most max_items", f"delivered {res.get('items_delivered')}, keys {n}, max {mx}")
    if expect_items is not None:
        checks.add(n == expect_items, rec["case"], f"pager delivers {expect_items} item(s)",
                   f"got {n}: {res.get('keys')}")


def check_pager_not_advancing(checks, rec):
    """Prism's OpenAI placeholder list answers every page with the same item, the same last_id and
    has_more: true, i.e. pagination that never advances: the pager must deliver the first page, request
    the next one (validated by Prism like every request) and stop with IK_STATUS_PARSE saying so."""
    res = rec.get("result") or {}
    err = rec.get("error") or {}
    msg = err.get("message") or ""
    checks.add(rec.get("status") == "IK_STATUS_PARSE" and "pagination did not advance" in msg, rec["case"],
               f"{rec['op']} stops when the pagination does not advance", describe_failure(rec))
    checks.add(not rec.get("violations"), rec["case"], "Prism reports no violation (sl-violations)",
               rec.get("violations") or "")
    n = len(res.get("keys", []))
    checks.add(res.get("pages") == 1 and n >= 1 and res.get("items_delivered") == n and
               not res.get("hit_page_limit"), rec["case"], "the first page is delivered before the error",
               f"pages {res.get('pages')}, delivered {res.get('items_delivered')}, keys {n}")


# --------------------------------------------------------------------------
# Mode: mock
# --------------------------------------------------------------------------
def openai_reference(base):
    """What the OpenAI mock answers (placeholders: the spec has no examples), fetched directly."""
    hdr = {"Authorization": "Bearer sk-admin-reference", "Accept": "application/json"}

    def call(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        h = dict(hdr)
        if data:
            h["Content-Type"] = "application/json"
        req = urllib.request.Request(base + path, data=data, method=method, headers=h)
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read().decode("utf-8"))

    return {
        "oa.list": call("GET", "/organization/invites"),
        "oa.retrieve": call("GET", "/organization/invites/invite-abc"),
        "oa.create": call("POST", "/organization/invites", {"email": "a@example.com", "role": "reader"}),
        "oa.delete": call("DELETE", "/organization/invites/invite-abc"),
    }


def run_mock(a, node, entry, checks):
    work = a.workdir
    prisms = {}
    try:
        for key, fname in SPEC_FILES.items():
            spec = os.path.join(a.specs, fname)
            prisms[key] = Prism(f"prism-mock-{key}", node, entry,
                                lambda port, spec=spec: ["mock", "-h", "127.0.0.1", "-p", str(port), "--errors",
                                                         spec],
                                os.path.join(work, f"prism-mock-{key}.log"))
        t0 = time.time()
        # start all four, then wait (Prism needs a few seconds each)
        start_all(prisms)
        log(f"prism: 4 mocks ready in {time.time() - t0:.1f}s: " +
            ", ".join(f"{k}={p.url()}" for k, p in prisms.items()))

        examples = {}
        for key in ("tw1", "tw2", "fa"):
            for op, exs in spec_examples(load_json_spec(os.path.join(a.specs, SPEC_FILES[key]))).items():
                examples[op] = exs
        n_ex = sum(len(v) for v in examples.values())
        log(f"spec examples: {n_ex} ({', '.join(f'{op}={[n for n, _ in v]}' for op, v in sorted(examples.items()))})")
        oa_ref = openai_reference(prisms["oa"].url())
        basic = "Basic " + base64.b64encode(b"AC0123456789abcdef0123456789abcdef:x").decode()
        canary(checks, prisms["tw1"], "GET", "/v1/Services/IS0123456789abcdef0123456789abcdef/Channels/CH1/Invites"
               "?PageSize=5000", {"Authorization": basic}, 422, "must be <= 1000")
        canary(checks, prisms["tw2"], "GET", "/v2/Services/IS0123456789abcdef0123456789abcdef/Users", {}, 401,
               "Invalid security scheme")
        starts = {k: len(parse_prism_log(p.read_log())) for k, p in prisms.items()}

        args = ["--mode", "mock", "--tw1", prisms["tw1"].url(), "--tw2", prisms["tw2"].url(),
                "--openai", prisms["oa"].url(), "--fastly", prisms["fa"].url()]
        for op, exs in sorted(examples.items()):
            for name, _ in exs:
                args += ["--example", f"{op}={name}"]
        rc, records, stderr = run_driver(a.driver, args, os.path.join(work, "driver-mock.jsonl"))
        settle_logs(prisms)
        reqs = {k: parse_prism_log(p.read_log()) for k, p in prisms.items()}
    finally:
        for p in prisms.values():
            p.stop()

    common_record_checks(checks, rc, records, stderr)
    # every named example was requested and parsed
    seen_examples = {r["case"] for r in records if r.get("kind") == "call" and r["case"].startswith("example:")}
    for op, exs in examples.items():
        for name, _ in exs:
            checks.add(f"example:{op}:{name}" in seen_examples, "coverage", f"example {op}/{name} exercised")

    calls = [r for r in records if r.get("kind") == "call"]
    for rec in calls:
        op = rec["op"]
        if op == "oa.pager":
            check_pager_not_advancing(checks, rec)  # the placeholder list always says has_more: true
            continue
        if op.endswith(".pager"):
            expect = {"tw1.pager": default_count(examples, "tw1.list"),
                      "tw2.pager": min(default_count(examples, "tw2.list"), 3),
                      "fa.pager": default_count(examples, "fa.list")}.get(op)
            check_pager(checks, rec, expect)
            continue
        if not check_outcome(checks, rec):
            continue
        check_query(checks, rec)
        check_raw_json(checks, rec)
        # the expected body: the requested example, else Prism's default (the first)
        if op.startswith("oa."):
            body, src = oa_ref[op], "Prism's placeholder answer (fetched directly)"
        elif op.endswith(".delete") and op != "oa.delete":
            body, src = {}, "204"
        else:
            exs = examples.get(op) or []
            pref = rec["sent"].get("prefer")
            pick = [v for n, v in exs if n == pref] if pref and pref != "-" else []
            if pick:
                body, src = pick[0], f"example {pref!r}"
            elif exs:
                body, src = exs[0][1], f"default example {exs[0][0]!r}"
            else:
                checks.add(False, rec["case"], "spec has an example for this response")
                continue
        expected = project(op, body, rec["sent"])
        actual = dict(rec.get("result") or {})
        problems = diff(expected, actual)
        if op.endswith(".list"):
            nc = actual.get("next_cursor")
            more = expected.get("has_more")
            if op == "fa.list":
                m = expected["meta"]
                more = m["links"]["next"] is not None and (m["current_page"] or 0) < (m["total_pages"] or 0)
            if more and nc is None:
                problems.append(".next_cursor: expected a cursor (the page says more follow), got null")
            if not more and nc is not None:
                problems.append(f".next_cursor: expected null on the last page, got {nc!r}")
            if op != "fa.list" and actual.get("has_more") != bool(more):
                problems.append(f".has_more: expected {bool(more)}, got {actual.get('has_more')}")
        checks.add(not problems, rec["case"], f"typed accessors reproduce {src}", "\n     ".join(problems))

    # OpenAI cursor: after=<last_id of the previous page>
    for rec in calls:
        if rec["case"] == "oa.list.cursor" and rec.get("url"):
            q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(rec["url"]).query))
            checks.add(q.get("after") == oa_ref["oa.list"].get("last_id"), rec["case"],
                       "cursor from ik_page_next_cursor continues after the previous page's last_id",
                       f"library-reported URL {rec['url']}")

    for key in SPEC_FILES:
        mine = [r for r in records if r.get("kind") == "call" and r["op"].startswith(key + ".")
                and not r["op"].endswith(".pager")]
        match_paths(checks, mine, reqs[key], starts[key], f"Prism ({SPEC_FILES[key]})")
        check_prism_log(checks, f"prism-mock-{key}", reqs[key], starts[key])
    return calls


def default_count(examples, op):
    exs = examples.get(op) or []
    if not exs:
        return None
    body = exs[0][1]
    return proj_page(op, body)["count"]


def settle_logs(prisms, max_wait=3.0):
    """Waits (bounded) until Prism's log files stop growing."""
    deadline = time.time() + max_wait
    sizes = None
    while time.time() < deadline:
        now = [os.path.getsize(p.log_path) for p in prisms.values()]
        if now == sizes:
            return
        sizes = now
        time.sleep(0.25)


# --------------------------------------------------------------------------
# Mode: proxy (Prism in front of invitekit-emulator)
# --------------------------------------------------------------------------
def run_proxy(a, node, entry, checks):
    work = a.workdir
    emu = Emulator(a.emulator, os.path.join(work, "emulator.log"))
    prisms = {}
    try:
        emu.start()
        log(f"emulator: {emu.base}")
        EMULATOR_BASE[0] = emu.base
        for key, fname in SPEC_FILES.items():
            spec = os.path.join(a.specs, fname)
            prisms[key] = Prism(f"prism-proxy-{key}", node, entry,
                                lambda port, spec=spec: ["proxy", "-h", "127.0.0.1", "-p", str(port), "--errors",
                                                         spec, emu.base],
                                os.path.join(work, f"prism-proxy-{key}.log"))
        t0 = time.time()
        start_all(prisms)
        log(f"prism: 4 proxies ready in {time.time() - t0:.1f}s")
        basic = "Basic " + base64.b64encode(
            (EMULATOR_CREDENTIALS["twilio_sid"] + ":" + EMULATOR_CREDENTIALS["twilio_token"]).encode()).decode()
        canary(checks, prisms["tw1"], "GET", "/v1/Services/IS0123456789abcdef0123456789abcdef/Channels/CH1/Invites"
               "?PageSize=5000", {"Authorization": basic}, 422, "UNPROCESSABLE_ENTITY")  # no detail in proxy logs
        # the emulator answers 404, which the spec does not declare: a response violation
        canary(checks, prisms["oa"], "GET", "/organization/invites/invite-conformance-canary",
               {"Authorization": "Bearer " + EMULATOR_CREDENTIALS["openai_key"]}, 404, "Violation: response")
        starts = {k: len(parse_prism_log(p.read_log())) for k, p in prisms.items()}
        args = ["--mode", "proxy", "--tw1", prisms["tw1"].url(), "--tw2", prisms["tw2"].url(),
                "--openai", prisms["oa"].url(), "--fastly", prisms["fa"].url(),
                "--twilio-sid", EMULATOR_CREDENTIALS["twilio_sid"],
                "--twilio-token", EMULATOR_CREDENTIALS["twilio_token"],
                "--openai-key", EMULATOR_CREDENTIALS["openai_key"],
                "--fastly-key", EMULATOR_CREDENTIALS["fastly_key"]]
        rc, records, stderr = run_driver(a.driver, args, os.path.join(work, "driver-proxy.jsonl"))
        settle_logs(prisms)
        reqs = {k: parse_prism_log(p.read_log()) for k, p in prisms.items()}
        try:
            wire = fetch_emulator_requests(emu.base)
        except Exception as e:  # noqa: BLE001
            wire = None
            checks.add(False, "emulator", "the emulator's request log is readable", f"{type(e).__name__}: {e}")
    finally:
        for p in prisms.values():
            p.stop()
        emu.stop()

    common_record_checks(checks, rc, records, stderr)
    calls = [r for r in records if r.get("kind") == "call"]
    created = {}  # id/sid -> sent
    for rec in calls:
        op, cs, sent = rec["op"], rec["case"], rec["sent"]
        if op.endswith(".pager"):
            check_pager(checks, rec, None)
            continue
        if not check_outcome(checks, rec):
            continue
        check_query(checks, rec)
        check_raw_json(checks, rec)
        res = rec.get("result") or {}
        problems = []

        def want(field, value, actual=None):
            got = res.get(field) if actual is None else actual
            if value is not None and got != value:
                problems.append(f".{field}: sent {json.dumps(value)}, got {json.dumps(got)}")

        if op == "tw1.create":
            want("identity", sent.get("identity"))
            want("role_sid", sent.get("role_sid"))
            want("service_sid", sent["path"][2])
            want("channel_sid", sent["path"][4])
            if not re.match(r"^IN[0-9a-fA-F]{32}$", res.get("sid") or ""):
                problems.append(f".sid: not an IN sid: {res.get('sid')!r}")
            created[res.get("sid")] = sent
        elif op == "tw1.fetch":
            want("sid", sent["sid"])
            if sent["sid"] in created:
                want("identity", created[sent["sid"]].get("identity"))
        elif op == "tw1.list":
            ids = sent.get("identities") or []
            got = [i.get("identity") for i in res.get("items", [])]
            if ids and (sorted(got) != sorted(ids)):
                problems.append(f"items: filter {ids} returned identities {got}")
        elif op in ("tw2.create", "tw2.update"):
            if op == "tw2.create":
                want("identity", sent.get("identity"))
                if not re.match(r"^US[0-9a-fA-F]{32}$", res.get("sid") or ""):
                    problems.append(f".sid: not a US sid: {res.get('sid')!r}")
            else:
                want("identity", sent.get("sid"))
            want("role_sid", sent.get("role_sid"))
            want("friendly_name", sent.get("friendly_name"))
            if sent.get("attributes") is not None:
                try:
                    same = json.loads(res.get("attributes") or "null") == json.loads(sent["attributes"])
                except ValueError:
                    same = False
                if not same:
                    problems.append(f".attributes: sent {sent['attributes']!r}, got {res.get('attributes')!r}")
        elif op == "tw2.fetch":
            want("identity", sent.get("sid"))
        elif op == "oa.create":
            want("email", sent.get("email"))
            want("role", sent.get("role"))
            want("object", "organization.invite")
            want("status", "pending")
            pr = sent.get("projects")
            if isinstance(pr, list):
                want("projects", pr)
            created[res.get("id")] = sent
        elif op == "oa.retrieve":
            want("id", sent.get("id"))
            if sent.get("id") in created:
                want("email", created[sent["id"]].get("email"))
        elif op == "oa.delete":
            want("kind", KIND["oa"])
            want("id", sent.get("id"))
            want("object", "organization.invite.deleted")
            want("deleted", True)
            want("body_present", 1)
        elif op == "fa.create":
            want("email", sent.get("email"))
            want("role", sent.get("role"))
            want("type", "invitation")
            if sent.get("roles"):
                want("roles", sent.get("roles"))
            if sent.get("limit_services") is not None:
                want("limit_services", sent["limit_services"] == "true")
            want("customer_id", sent.get("customer_id"))
            if sent.get("services"):
                n = len(res.get("service_invitations") or [])
                if n != len(sent["services"]):
                    problems.append(f".service_invitations: sent {len(sent['services'])} grants, got {n} ids")
        elif op in ("tw1.delete", "tw2.delete", "fa.delete"):
            problems += diff(proj_deletion(op, {}, sent), res)
        checks.add(not problems, cs, f"{op}: typed accessors return what was sent (through the spec)",
                   "\n     ".join(problems))

    if wire is not None:
        wire_checks(checks, calls, wire)
    for key in SPEC_FILES:
        mine = [r for r in records if r.get("kind") == "call" and r["op"].startswith(key + ".")
                and not r["op"].endswith(".pager")]
        match_paths(checks, mine, reqs[key], starts[key], f"Prism proxy ({SPEC_FILES[key]})")
        check_prism_log(checks, f"prism-proxy-{key}", reqs[key], starts[key])
    return calls


# --------------------------------------------------------------------------
# Wire content behind Prism (the emulator's request log, read directly)
# --------------------------------------------------------------------------
OP_METHOD = {"create": "POST", "update": "POST", "list": "GET", "fetch": "GET", "retrieve": "GET",
             "delete": "DELETE"}


def fetch_emulator_requests(base):
    with urllib.request.urlopen(base + "/__emulator/requests", timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


def wire_checks(checks, calls, entries):
    """What actually crossed Prism: form/JSON bodies, headers and query of each
    request as the emulator recorded them (bodies and headers are not visible in
    Prism's log). Matches calls to recorded requests in order."""
    idx = 0
    for rec in calls:
        op, cs, sent = rec["op"], rec["case"], rec["sent"]
        if op.endswith(".pager") or rec.get("status") != "IK_STATUS_OK":
            continue
        method = OP_METHOD[op.split(".")[1]]
        found = None
        for j in range(idx, len(entries)):
            e = entries[j]
            target = e.get("target", "")
            try:
                segs = decode_segments(target)
            except UnicodeDecodeError:
                continue
            if e.get("method") == method and segs == sent["path"]:
                found = j
                break
        if found is None:
            checks.add(False, cs, "the request reached the emulator through Prism",
                       f"no recorded {method} {'/'.join(sent['path'])} after entry {idx}")
            continue
        idx = found + 1
        e = entries[found]
        hdr = {k.lower(): v for k, v in (e.get("headers") or {}).items()}
        body = e.get("body") or ""
        query = urllib.parse.parse_qsl(urllib.parse.urlsplit(e.get("target", "")).query, keep_blank_values=True)
        problems = []
        prov = op.split(".")[0]
        if prov in ("tw1", "tw2") and not hdr.get("authorization", "").startswith("Basic "):
            problems.append(f"Authorization is not HTTP Basic: {hdr.get('authorization')!r}")
        if prov == "oa":
            if not hdr.get("authorization", "").startswith("Bearer "):
                problems.append(f"Authorization is not Bearer: {hdr.get('authorization')!r}")
            for h, v in (("openai-organization", "org-conformance"), ("openai-project", "proj_conformance")):
                if hdr.get(h) != v:
                    problems.append(f"{h}: expected {v!r}, got {hdr.get(h)!r}")
        if prov == "fa" and not hdr.get("fastly-key"):
            problems.append("no Fastly-Key header")

        if op in ("tw1.create", "tw2.create", "tw2.update"):
            if not hdr.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                problems.append(f"Content-Type {hdr.get('content-type')!r}")
            form = sorted(urllib.parse.parse_qsl(body, keep_blank_values=True))
            names = [("identity", "Identity"), ("role_sid", "RoleSid"), ("attributes", "Attributes"),
                     ("friendly_name", "FriendlyName")]
            want = sorted((wire_name, sent[k]) for k, wire_name in names if sent.get(k) is not None)
            if form != want:
                problems.append(f"form body {form} != expected {want} (raw {body!r})")
            if op != "tw1.create":
                got = hdr.get("x-twilio-webhook-enabled")
                if got != sent.get("webhook"):
                    problems.append(f"X-Twilio-Webhook-Enabled: sent {sent.get('webhook')!r}, wire {got!r}")
        elif op == "tw1.list" and not (sent.get("list") or {}).get("cursor"):
            ids = [v for k, v in query if k == "Identity"]
            if ids != (sent.get("identities") or []):
                problems.append(f"Identity query values {ids} != {sent.get('identities')}")
        elif op == "oa.create":
            if not hdr.get("content-type", "").startswith("application/json"):
                problems.append(f"Content-Type {hdr.get('content-type')!r}")
            try:
                j = json.loads(body)
            except ValueError:
                j = None
            want = {"email": sent["email"], "role": sent["role"]}
            if isinstance(sent.get("projects"), list):
                want["projects"] = sent["projects"]
            if j != want:
                problems.append(f"JSON body {body!r} != expected {json.dumps(want)} "
                                f"(projects {'omitted' if 'projects' not in want else 'as given'})")
        elif op == "fa.create":
            if not hdr.get("content-type", "").startswith("application/vnd.api+json"):
                problems.append(f"Content-Type {hdr.get('content-type')!r}")
            try:
                j = json.loads(body)
            except ValueError:
                j = None
            attrs = {"email": sent["email"]}
            if sent.get("role") is not None:
                attrs["role"] = sent["role"]
            if sent.get("roles"):
                attrs["roles"] = sent["roles"]
            if sent.get("limit_services") is not None:
                attrs["limit_services"] = sent["limit_services"] == "true"
            rel = {}
            if sent.get("customer_id"):
                rel["customer"] = {"data": {"type": "customer", "id": sent["customer_id"]}}
            if sent.get("services"):
                rel["service_invitations"] = {"data": [
                    {"type": "service_invitation", "attributes": {"permission": g["permission"]},
                     "relationships": {"service": {"data": {"type": "service", "id": g["service_id"]}}}}
                    for g in sent["services"]]}
            want = {"data": {"type": "invitation", "attributes": attrs}}
            if rel:
                want["data"]["relationships"] = rel
            d = (j or {}).get("data") if isinstance(j, dict) else None
            problems += diff(want, j)
            if isinstance(d, dict):
                extra = set((d.get("attributes") or {}).keys()) - set(attrs)
                if extra:
                    problems.append(f"attributes not asked for were sent: {sorted(extra)}")
                if not rel and d.get("relationships"):
                    problems.append(f"relationships sent though none asked: {d.get('relationships')}")
        elif op.endswith(".delete") and body:
            problems.append(f"DELETE carries a body: {body[:200]!r}")
        checks.add(not problems, cs, f"{op}: the wire request behind Prism carries exactly the inputs",
                   "\n     ".join(problems))


# --------------------------------------------------------------------------
def summarize(calls):
    ops = {}
    for r in calls:
        d = ops.setdefault(r["op"], [0, 0])
        d[0 if r.get("status") == "IK_STATUS_OK" else 1] += 1
    log("calls per operation (ok/failed): " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(ops.items())))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=["mock", "proxy"], required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--specs", required=True)
    ap.add_argument("--package-dir", required=True, help="directory with package.json + package-lock.json")
    ap.add_argument("--workdir", required=True, help="build-tree directory for node_modules and logs")
    ap.add_argument("--node", default="")
    ap.add_argument("--npm", default="")
    ap.add_argument("--emulator", default="")
    a = ap.parse_args()
    tag = f"conformance-{a.mode}"

    def skip(why):
        log(f"{tag}: SKIPPED: {why}")
        sys.exit(SKIP)

    if not os.path.isdir(a.specs):
        skip(f"the vendors' OpenAPI documents are not present ({a.specs}); "
             "they live in the project's shared/ folder beside the repository")
    missing = [f for f in SPEC_FILES.values() if not os.path.isfile(os.path.join(a.specs, f))]
    if missing:
        skip(f"spec files missing in {a.specs}: {missing}")
    node = a.node if a.node and os.path.exists(a.node) else shutil.which("node")
    npm = a.npm if a.npm and os.path.exists(a.npm) else shutil.which("npm")
    if not node or not npm:
        skip("node and npm are needed to run Stoplight Prism (install nodejs and npm)")
    if a.mode == "proxy" and (not a.emulator or not os.path.exists(a.emulator)):
        skip("invitekit-emulator was not built (-Demulator=false?)")
    if not os.path.exists(a.driver):
        log(f"{tag}: driver not found: {a.driver}")
        sys.exit(1)

    a.workdir = os.path.abspath(a.workdir)
    os.makedirs(a.workdir, exist_ok=True)
    checks = Checks()
    t0 = time.time()
    calls = []
    try:
        entry = ensure_prism(a.package_dir, os.path.join(a.workdir, "prism"), npm, node)
        log(f"prism: version {prism_version(node, entry)} (node {subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()})")
        logs = os.path.join(a.workdir, a.mode)
        os.makedirs(logs, exist_ok=True)
        a.workdir = logs
        calls = (run_mock if a.mode == "mock" else run_proxy)(a, node, entry, checks)
    except Exception as e:  # setup failures are failures, not skips
        checks.add(False, tag, "suite setup", f"{type(e).__name__}: {e}")
    summarize(calls)
    log(f"{tag}: logs and driver output in {a.workdir}; {time.time() - t0:.1f}s")
    if checks.failed:
        log(f"{tag}: {len(checks.failed)} failed check(s):")
        for where, what, _ in checks.failed:
            log(f"  - [{where}] {what}")
    log(f"conformance: {checks.passed} passed, {len(checks.failed)} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()

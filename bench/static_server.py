#!/usr/bin/env python3
"""invitekit against a server that is not the bottleneck (issue #19; docs/BENCHMARKS.md).

    meson setup build-bench -Dbench=true -Dbuildtype=release
    meson compile -C build-bench
    python3 bench/static_server.py build-bench        # --quick for a smoke run

Builds nothing. Starts Debian's nginx (nginx-light) as an unprivileged process on
127.0.0.1 with an ephemeral port, serving static pages generated for this run in
a temporary directory: 100,000 records per provider (OpenAI invites, Twilio
users, Fastly invitations), pretty-printed or compact as the vendors send them,
each page a file addressed by the URL the client requests. Then, in one run and
against that one server:

  list   every record, page size 100: invitekit (ik_bench list), raw libcurl
         without parsing and raw libcurl + simdjson DOM (raw_list).
  fetch  one object in sequence (Fastly, which has no fetch: a list of 1):
         invitekit (ik_bench fetch), raw libcurl with the same headers and
         options (raw_curl fetch prod), the same + simdjson DOM
         (raw_curl fetch simdjson:PROVIDER).
  create 5,000 creates with 16 in flight after 320 untimed (nginx answers
         every POST with one fixed created object, the vendor's status and
         headers): invitekit from 16 threads sharing one client (ik_bench
         create) and from one thread on the non-blocking engine (ik_bench
         create_async 16), raw libcurl multi (one multi handle, 16 reused easy
         handles) and raw libcurl with 16 threads (raw_curl create). CPU per
         create (getrusage of the client over the timed part) and wall.
  sdk    the vendors' npm SDKs (bench/node/sdk_bench.mjs, installed by run.py's
         setup_node) against the same server, interleaved with invitekit doing
         the same work: listing (OpenAI every record, Twilio and Fastly 10,000,
         as run.py) by wall time, fetch in sequence by CPU per request.
         --skip-sdk leaves them out.

Reports instructions per record / request / create (callgrind, marginal: two
sizes subtracted), the median of interleaved runs and peak RSS (VmHWM) at
10k and 100k records, and the targets of issue #19 as PASS/MISS (never
asserted). Raw numbers: <builddir>/bench-static-results.json. Exit status 0 when
every measurement ran, 1 when one could not run, 77 when nginx is not installed
(nothing measured).
"""
from __future__ import annotations

import argparse
import json
import os
import grp
import platform
import pwd
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as R  # noqa: E402  (the emulator runner: process, callgrind and report helpers)

PROVIDERS = R.PROVIDERS
PAGE_SIZE = 100
SKIP_STATUS = 77
CREATE_IN_FLIGHT = 16

# Issue #19's targets (ratios in one run).
TARGETS = {
    "list_instr_vs_simdjson": 1.3,  # invitekit / raw libcurl + simdjson DOM, instructions per record
    "list_wall_vs_noparse": 1.4,    # invitekit / raw libcurl without parsing, median wall time
    "list_peak_kb": 16 * 1024,      # invitekit peak RSS
    "list_flat_kb": 1024,           # invitekit peak RSS growth from 10k to 100k records (at most)
    "fetch_instr_vs_raw": 1.10,     # invitekit / raw libcurl with the same headers, instructions per request
    "create_cpu_vs_multi": 1.2,     # invitekit / raw libcurl multi, CPU per create, 16 in flight
    "sdk_list_wall": 10.0,          # every SDK / invitekit, listing wall time (at least)
    "sdk_fetch_cpu": 8.0,           # every SDK / invitekit, CPU per fetch (at least)
}

# Fixed ids the pages use (the record ids are derived from the record number).
OPENAI_ORG = "org-bench000000000000000000"
TWILIO_ACCOUNT = "AC" + "0123456789abcdef" * 2
TWILIO_ROLE = "RL" + "fedcba9876543210" * 2
FASTLY_CUSTOMER = "7i6HN3TK9wS159v2gPAZ8A"

# Response headers besides nginx's own (Server, Date, Content-Type,
# Content-Length, Last-Modified, Connection, Accept-Ranges): the ones the
# vendor fixtures' recordings show (/work/shared/vendor-fixtures/*.meta.json).
VENDOR_HEADERS = {
    "openai": [("openai-organization", OPENAI_ORG), ("openai-processing-ms", "37"),
               ("openai-version", "2020-10-01"), ("x-request-id", "req_c45bfc7515dca54ef87c667f8210af23"),
               ("strict-transport-security", "max-age=31536000; includeSubDomains; preload"),
               ("X-Content-Type-Options", "nosniff"), ("vary", "Origin")],
    "twilio": [("Twilio-Request-Id", "RQdace92da15444f12b8d65c1357490d59"), ("Twilio-Request-Duration", "0.034"),
               ("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "ETag"),
               ("Strict-Transport-Security", "max-age=15768000"), ("X-Powered-By", "AT-5000"),
               ("X-Shenanigans", "none")],
    "fastly": [("Cache-Control", "no-store"), ("Strict-Transport-Security", "max-age=31536000"),
               ("Vary", "Accept-Encoding"), ("Via", "1.1 varnish, 1.1 varnish"), ("X-Cache", "MISS, MISS"),
               ("X-Cache-Hits", "0, 0"), ("X-Served-By", "cache-control-slwdc9035-CONTROL-SLWDC, cache-man4137-MAN"),
               ("X-Timer", "S1655921241.354275,VS0,VE988")],
}
CONTENT_TYPES = {"openai": "application/json", "twilio": "application/json; charset=utf-8",
                 "fastly": "application/vnd.api+json"}


def log(msg: str) -> None:
    R.log(msg)


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------
def mix(i: int, bits: int) -> int:
    """A bijection of 0..2^bits-1 (odd multiplier), so that ids look random and never collide."""
    return (i * 0x9E3779B97F4A7C15 + 0x1234567) & ((1 << bits) - 1)


def openai_id(i: int) -> str:
    return f"invite-{mix(i, 96):024x}"


def twilio_sid(i: int) -> str:
    return f"US{mix(i, 128):032x}"


def fastly_id(i: int) -> str:
    return f"{mix(i, 88):022x}"


def iso(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def openai_invite(i: int) -> dict:
    created = 1711471533 + 61 * i
    state = ("pending", "accepted", "expired")[i % 3]
    inv = {"object": "organization.invite", "id": openai_id(i), "email": f"user{i:06d}@example.com",
           "role": "owner" if i % 10 == 0 else "reader", "status": state, "created_at": created,
           "expires_at": created + 604800, "accepted_at": created + 3600 if state == "accepted" else None}
    inv["projects"] = [] if i % 2 else [{"id": f"proj_{mix(i, 64):016x}", "role": "member"}]
    return inv


def twilio_user(i: int) -> dict:
    sid, created = twilio_sid(i), 1458853519 + 97 * i
    base = f"https://chat.twilio.com/v2/Services/{R.TWILIO_SERVICE}/Users/{sid}"
    return {"sid": sid, "account_sid": TWILIO_ACCOUNT, "service_sid": R.TWILIO_SERVICE, "role_sid": TWILIO_ROLE,
            "identity": f"user-{i:06d}", "attributes": (None, "{}", '{"team": "blue"}')[i % 3],
            "is_online": None, "is_notifiable": None, "friendly_name": f"User {i}" if i % 2 else None,
            "joined_channels_count": i % 7, "date_created": iso(created),
            "date_updated": iso(created + 3600) if i % 4 else None,
            "links": {"user_channels": base + "/Channels", "user_bindings": base + "/Bindings"}, "url": base}


def fastly_invitation(i: int) -> dict:
    created = 1558439903 + 59 * i
    return {"id": fastly_id(i), "type": "invitation",
            "attributes": {"created_at": iso(created), "email": f"user{i:06d}@example.com", "deleted_at": None,
                           "role": ("engineer", "user", "billing", "superuser")[i % 4], "status_code": i % 2,
                           "updated_at": iso(created), "limit_services": bool(i % 3 == 0)},
            "relationships": {"customer": {"data": {"id": FASTLY_CUSTOMER, "type": "customer"}}}}


class Layout:
    """How each provider's bodies are formatted. "vendor" follows the fixtures:
    OpenAI pretty-printed with a 2-space indent and a trailing newline (live
    recordings); Twilio 2-space (its vendor and SDK examples; no live capture
    exists); Fastly compact, `&` in links written as \\u0026 (go-fastly's live
    recordings). "pretty" indents all three, "compact" none."""

    def __init__(self, name: str):
        self.name = name

    def dump(self, prov: str, obj) -> bytes:
        pretty = self.name == "pretty" or (self.name == "vendor" and prov != "fastly")
        text = json.dumps(obj, indent=2) + "\n" if pretty else json.dumps(obj, separators=(",", ":"))
        if prov == "fastly" and self.name == "vendor":
            text = text.replace("&", "\\u0026")  # only the links hold '&'
        return text.encode()


class Pages:
    """Writes every page and object of the run under root/: the nginx config
    maps each request URL to one of these files (see NGINX_CONF)."""

    def __init__(self, root: str, base: str, records: int, layout: Layout):
        self.root, self.base, self.n, self.layout = root, base, records, layout
        self.bytes = {p: 0 for p in PROVIDERS}
        self.files = 0

    def write(self, prov: str, rel: str, obj) -> None:
        path = os.path.join(self.root, rel)
        data = self.layout.dump(prov, obj)
        with open(path, "wb") as f:
            f.write(data)
        self.bytes[prov] += len(data)
        self.files += 1

    def generate(self, providers) -> dict:
        """Returns the ids the fetch benchmarks request."""
        for d in ("openai/list", "openai/invites", "twilio/users", "twilio/user", "fastly/size-100", "fastly/size-1"):
            os.makedirs(os.path.join(self.root, d), exist_ok=True)
        pages = (self.n + PAGE_SIZE - 1) // PAGE_SIZE
        ids = {"openai": openai_id(0), "twilio": twilio_sid(0), "fastly": "-"}
        if "openai" in providers:
            # GET /v1/organization/invites?limit=100[&after=<last_id>]
            for p in range(pages):
                lo, hi = p * PAGE_SIZE, min(self.n, (p + 1) * PAGE_SIZE)
                data = [openai_invite(i) for i in range(lo, hi)]
                after = openai_id(lo - 1) if p else ""
                self.write("openai", f"openai/list/limit-{PAGE_SIZE}-after-{after}.json",
                           {"object": "list", "data": data, "first_id": data[0]["id"], "last_id": data[-1]["id"],
                            "has_more": hi < self.n})
            self.write("openai", f"openai/invites/{ids['openai']}", openai_invite(0))
        if "twilio" in providers:
            # GET /v2/Services/IS.../Users?PageSize=100, then meta.next_page_url:
            # ...?PageSize=100&Page=<n>&PageToken=PA<last sid of page n-1>
            users = f"{self.base}/v2/Services/{R.TWILIO_SERVICE}/Users?PageSize={PAGE_SIZE}"

            def page_url(p):
                return f"{users}&Page=0" if p == 0 else f"{users}&Page={p}&PageToken=PA{twilio_sid(p * PAGE_SIZE - 1)}"
            for p in range(pages):
                lo, hi = p * PAGE_SIZE, min(self.n, (p + 1) * PAGE_SIZE)
                meta = {"page": p, "page_size": PAGE_SIZE, "first_page_url": page_url(0),
                        "previous_page_url": page_url(p - 1) if p else None, "url": page_url(p),
                        "next_page_url": page_url(p + 1) if hi < self.n else None, "key": "users"}
                name = "page--" if p == 0 else f"page-{p}-PA{twilio_sid(lo - 1)}"
                self.write("twilio", f"twilio/users/size-{PAGE_SIZE}-{name}.json",
                           {"meta": meta, "users": [twilio_user(i) for i in range(lo, hi)]})
            self.write("twilio", f"twilio/user/{ids['twilio']}", twilio_user(0))
        if "fastly" in providers:
            # GET /invitations?page[size]=100, then ?page[number]=<n>&page[size]=100
            def link(p, size):
                return f"{self.base}/invitations?page%5Bnumber%5D={p}&page%5Bsize%5D={size}"

            def page(p, size):  # p is 1-based
                lo, hi = (p - 1) * size, min(self.n, p * size)
                total = (self.n + size - 1) // size
                links = {"next": link(p + 1, size)} if p < total else {}
                links["last"] = link(total, size)
                return {"data": [fastly_invitation(i) for i in range(lo, hi)], "links": links,
                        "meta": {"current_page": p, "per_page": size, "record_count": self.n, "total_pages": total}}
            for p in range(1, pages + 1):
                self.write("fastly", f"fastly/size-{PAGE_SIZE}/page-{p}.json", page(p, PAGE_SIZE))
            os.link(os.path.join(self.root, f"fastly/size-{PAGE_SIZE}/page-1.json"),
                    os.path.join(self.root, f"fastly/size-{PAGE_SIZE}/page-.json"))
            self.write("fastly", "fastly/size-1/page-.json", page(1, 1))  # the "fetch": a list of 1
        with open(os.path.join(self.root, "ready"), "w") as f:
            f.write("ok\n")
        return ids


# Creates (--only create): what each provider answers to the POST ik_bench create sends to the list URL,
# per ../shared/reference/api-contract.md and the vendor fixtures: OpenAI 200 with the invite, Twilio 201 with
# the Chat v2 user (ik_bench create makes users, as run.py's create does), Fastly 200 (not 201) with
# {data: invitation}; Fastly's mutating calls also carry its rate-limit headers. The answer is one fixed object
# (every create gets the same id); the clients send unique bodies.
CREATE_STATUS = {"openai": 200, "twilio": 201, "fastly": 200}
CREATE_HEADERS = {"openai": [], "twilio": [],
                  "fastly": [("Fastly-Ratelimit-Remaining", "4996"), ("Fastly-Ratelimit-Reset", "1655924400")]}


def create_object(prov: str) -> dict:
    if prov == "openai":
        return openai_invite(3)  # pending, role reader, accepted_at null, no projects
    if prov == "twilio":
        user = twilio_user(4)  # attributes "{}", friendly_name null; a new user: updated when created
        user["date_updated"] = user["date_created"]
        return user
    return {"data": fastly_invitation(4)}  # engineer, status_code 0


def nginx_string(text: str) -> str:
    """text as an nginx single-quoted string (no variables: `$` would be expanded)."""
    if "$" in text:
        raise ValueError("nginx_string: '$' in a literal")
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def create_block(prov: str, layout: Layout) -> str:
    """The POST branch of a provider's list location: the vendor headers, then the fixed created object."""
    hdrs = "".join(f'        add_header {k} "{v}" always;\n' for k, v in VENDOR_HEADERS[prov] + CREATE_HEADERS[prov])
    body = nginx_string(layout.dump(prov, create_object(prov)).decode())
    return (f"      if ($request_method = POST) {{\n{hdrs}        return {CREATE_STATUS[prov]} {body};\n      }}")


# --------------------------------------------------------------------------
# nginx
# --------------------------------------------------------------------------
NGINX_CONF = """# Written by bench/static_server.py for one run; everything under {d}.
daemon off;
master_process off;   # one process: the one we start, stopped by its PID
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {d}/tmp/body;
  proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fastcgi;
  uwsgi_temp_path {d}/tmp/uwsgi;
  scgi_temp_path {d}/tmp/scgi;
  types {{ }}
  sendfile on;
  tcp_nodelay on;
  server_tokens off;
  etag off;
  # Creates: small request bodies, read into memory and discarded by `return` (the connection stays open).
  client_max_body_size 64k;
  client_body_buffer_size 16k;
  # One keep-alive connection carries a whole run (nginx closes after 1,000 requests by default).
  keepalive_requests 10000000;
  keepalive_timeout 600s;
  open_file_cache max=4096 inactive=600s;
  open_file_cache_valid 600s;
  # Fastly: page[number] and page[size], brackets literal or percent-encoded, in either order of
  # arrival that the clients use (number first, as invitekit and links.next do; or size alone).
  map $args $fastly_page {{
    "~^(?:page(?:\\[|%5B)number(?:\\]|%5D)=(?<pn>[0-9]+)&)?page(?:\\[|%5B)size(?:\\]|%5D)=(?<ps>[0-9]+)$" /fastly/size-$ps/page-$pn.json;
    default /missing;
  }}
  server {{
    listen 127.0.0.1:{port};
    root {www};
    location = /ready {{ default_type text/plain; }}
    # OpenAI: /v1/organization/invites?limit=100[&after=<id>]; /v1/organization/invites/<id>;
    # creates (POST to the list URL, every provider): one fixed object, see CREATES.
    location = /v1/organization/invites {{
      default_type "{ct_openai}";
{h_openai}
{create_openai}
      try_files /openai/list/limit-$arg_limit-after-$arg_after.json =404;
    }}
    location /v1/organization/invites/ {{
      default_type "{ct_openai}";
{h_openai}
      alias {www}/openai/invites/;
    }}
    # Twilio: /v2/Services/<IS>/Users?PageSize=100[&Page=<n>&PageToken=<t>]; /v2/Services/<IS>/Users/<sid>
    location = /v2/Services/{service}/Users {{
      default_type "{ct_twilio}";
{h_twilio}
{create_twilio}
      try_files /twilio/users/size-$arg_PageSize-page-$arg_Page-$arg_PageToken.json =404;
    }}
    location /v2/Services/{service}/Users/ {{
      default_type "{ct_twilio}";
{h_twilio}
      alias {www}/twilio/user/;
    }}
    # Fastly: /invitations?page[number]=<n>&page[size]=<s>
    location = /invitations {{
      default_type "{ct_fastly}";
{h_fastly}
{create_fastly}
      try_files $fastly_page =404;
    }}
    location / {{ return 404; }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_nginx(explicit: str | None) -> str | None:
    for cand in ([explicit] if explicit else [shutil.which("nginx"), "/usr/sbin/nginx"]):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


class StaticServer:
    """nginx on 127.0.0.1:<ephemeral port> serving pages generated for this
    run; one process (master_process off), run as `nobody` when this runner is
    root, stopped by its PID. Everything lives in a temporary directory that is
    removed on exit."""

    def __init__(self, nginx: str, records: int, providers, layout: Layout, keep: bool = False):
        self.nginx, self.records, self.providers, self.layout, self.keep = nginx, records, providers, layout, keep
        self.dir = None
        self.proc = None
        self.url = None
        self.ids = {}
        self.page_bytes = {}
        self.gen_s = 0.0

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="ik-nginx-")
        try:
            for attempt in range(3):  # the port may be taken between probing and nginx's bind
                port = free_port()
                if self.start(port):
                    return self
                log(f"static server: nginx did not start on port {port} (attempt {attempt + 1}/3)")
            raise R.BenchError(f"nginx did not start; see {self.dir}/error.log:\n{self.error_log()}")
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def error_log(self) -> str:
        try:
            with open(os.path.join(self.dir, "error.log"), errors="replace") as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def start(self, port: int) -> bool:
        d = self.dir
        www = os.path.join(d, "www")
        shutil.rmtree(www, ignore_errors=True)
        os.makedirs(www)
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        self.url = f"http://127.0.0.1:{port}"
        t0 = time.monotonic()
        pages = Pages(www, self.url, self.records, self.layout)
        self.ids = pages.generate(self.providers)
        self.page_bytes = pages.bytes
        self.gen_s = time.monotonic() - t0
        log(f"static server: {pages.files} files, {sum(pages.bytes.values()) / 1e6:.0f} MB in {self.gen_s:.1f} s")

        def hdrs(prov):
            return "\n".join(f'      add_header {k} "{v}" always;' for k, v in VENDOR_HEADERS[prov])
        conf = NGINX_CONF.format(d=d, www=www, port=port, service=R.TWILIO_SERVICE,
                                 ct_openai=CONTENT_TYPES["openai"], ct_twilio=CONTENT_TYPES["twilio"],
                                 ct_fastly=CONTENT_TYPES["fastly"], h_openai=hdrs("openai"),
                                 h_twilio=hdrs("twilio"), h_fastly=hdrs("fastly"),
                                 **{f"create_{p}": create_block(p, self.layout) for p in PROVIDERS})
        conf_path = os.path.join(d, "nginx.conf")
        with open(conf_path, "w") as f:
            f.write(conf)
        user = {}
        if os.geteuid() == 0:  # never serve as root: hand the directory to nobody and run as nobody
            pw = pwd.getpwnam("nobody")
            gid = grp.getgrnam("nogroup").gr_gid if "nogroup" in {g.gr_name for g in grp.getgrall()} else pw.pw_gid
            for dirpath, dirnames, filenames in os.walk(d):
                os.chown(dirpath, pw.pw_uid, gid)
                for name in filenames:
                    os.chown(os.path.join(dirpath, name), pw.pw_uid, gid)
            user = {"user": pw.pw_uid, "group": gid, "extra_groups": []}
        cmd = [self.nginx, "-p", d, "-c", conf_path, "-e", os.path.join(d, "error.log")]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True, **user)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # bounded wait for readiness
            if self.proc.poll() is not None:
                self.proc = None
                return False
            try:
                with urllib.request.urlopen(f"{self.url}/ready", timeout=2) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        return False

    def cpu_us(self) -> int | None:
        """CPU time nginx has used so far (utime + stime from /proc/<pid>/stat)."""
        if not self.proc:
            return None
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return int((int(fields[11]) + int(fields[12])) * 1e6 / os.sysconf("SC_CLK_TCK"))
        except (OSError, IndexError, ValueError):
            return None

    def stop(self):
        R.stop_process(self.proc)
        self.proc = None

    def __exit__(self, *exc):
        self.stop()
        if self.dir and not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
        elif self.dir:
            log(f"static server: kept {self.dir}")


# --------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------
class Bench:
    def __init__(self, args, server: StaticServer, exes: dict, ua: str):
        self.a, self.srv, self.exe, self.ua = args, server, exes, ua
        self.failures: list[str] = []
        self.valgrind = shutil.which("valgrind")
        self.cgdir = os.path.join(args.builddir_abs, "bench-callgrind")
        os.makedirs(self.cgdir, exist_ok=True)
        self.res: dict = {"list": {}, "fetch": {}, "create": {}, "sdk": {}}

    def attempt(self, what: str, cmd: list[str]) -> dict | None:
        try:
            s0 = self.srv.cpu_us()
            r = R.run_json(cmd, timeout=self.a.timeout)
            s1 = self.srv.cpu_us()
            r.pop("_stderr", None)
            if s0 is not None and s1 is not None:
                r["server_cpu_us"] = s1 - s0
            return r
        except R.BenchError as e:
            log(f"FAILED {what}: {e}")
            self.failures.append(f"{what}: {e}".splitlines()[0])
            return None

    # Commands -----------------------------------------------------------------
    def list_cmd(self, variant: str, prov: str, n: int) -> list[str]:
        base = self.srv.url
        if variant == "invitekit":
            return [self.exe["ik"], "list", prov, base, str(PAGE_SIZE), str(n)]
        mode = "noparse" if variant == "raw_noparse" else "simdjson"
        return [self.exe["raw_list"], mode, prov, base, str(PAGE_SIZE), str(n), *R.request_headers(prov, self.ua)]

    def fetch_cmd(self, variant: str, prov: str, warm: int, n: int) -> list[str]:
        base, oid = self.srv.url, self.srv.ids[prov]
        if variant == "invitekit":
            return [self.exe["ik"], "fetch", prov, base, oid, str(warm), str(n)]
        mode = "prod" if variant == "raw" else f"simdjson:{prov}"
        return [self.exe["raw"], "fetch", mode, R.raw_fetch_url(prov, base, oid), str(warm), str(n),
                *R.request_headers(prov, self.ua)]

    def callgrind(self, what: str, tag: str, cmd_of, n1: int, n2: int) -> tuple[dict | None, tuple]:
        """Marginal instructions per unit over n2 - n1 units, and the two output files."""
        files, tot = [], []
        for n in (n1, n2):
            out = os.path.join(self.cgdir, f"static-{tag}-{n}.out")
            files.append(out)
            r = self.attempt(f"callgrind {what} {n}",
                             [self.valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *cmd_of(n)])
            tot.append(R.callgrind_total(out) if r else None)
        if None in tot:
            return None, tuple(files)
        return {"total_n1": tot[0], "total_n2": tot[1], "per_unit": (tot[1] - tot[0]) / (n2 - n1)}, tuple(files)

    def profile(self, ik_files, raw_files, dn: int) -> list:
        ikp = R.marginal_profile(R.annotate(ik_files[0]), R.annotate(ik_files[1]), dn)
        rawp = R.marginal_profile(R.annotate(raw_files[0]), R.annotate(raw_files[1]), dn)
        extra = sorted(((k, ikp.get(k, 0) - rawp.get(k, 0)) for k in set(ikp) | set(rawp)), key=lambda kv: -kv[1])
        return [[k, round(v, 1)] for k, v in extra[:25]]

    # List ---------------------------------------------------------------------
    def bench_list(self):
        a = self.a
        small = a.list_small
        variants = {"invitekit": a.records, f"invitekit_{small}": small, "raw_noparse": a.records,
                    "raw_simdjson": a.records}
        for prov in a.providers:
            self.res["list"][prov] = {"runs": {}, "small": small}
        for rep in range(a.rounds):  # interleaved: every variant of every provider once per round
            log(f"list: round {rep + 1}/{a.rounds} ...")
            for prov in a.providers:
                for name, n in variants.items():
                    v = "invitekit" if name.startswith("invitekit") else name
                    r = self.attempt(f"list {prov} {name}", self.list_cmd(v, prov, 0 if n == a.records else n))
                    if r:
                        if r["items"] != n:
                            self.failures.append(f"list {prov} {name}: {r['items']} items, expected {n}")
                        self.res["list"][prov]["runs"].setdefault(name, []).append(r)
        if not self.valgrind or a.skip_callgrind:
            return
        l1, l2 = a.list_profile
        for prov in a.providers:
            log(f"list/{prov}: callgrind ({l1} and {l2} records) ...")
            ins, files = {}, {}
            for v in ("invitekit", "raw_noparse", "raw_simdjson"):
                r, files[v] = self.callgrind(f"list {prov} {v}", f"list-{prov}-{v}",
                                             lambda n, v=v: self.list_cmd(v, prov, n), l1, l2)
                if r:
                    ins[v] = r
            self.res["list"][prov]["instructions"] = ins
            if "invitekit" in ins and "raw_simdjson" in ins and not a.skip_annotate:
                self.res["list"][prov]["profile_extra_vs_simdjson"] = self.profile(
                    files["invitekit"], files["raw_simdjson"], l2 - l1)

    # Fetch --------------------------------------------------------------------
    def bench_fetch(self):
        a = self.a
        variants = ("invitekit", "raw", "raw_simdjson")
        for prov in a.providers:
            self.res["fetch"][prov] = {"id": self.srv.ids[prov], "runs": {}}
        for rep in range(a.rounds):
            log(f"fetch: round {rep + 1}/{a.rounds} ...")
            for prov in a.providers:
                for v in variants:
                    r = self.attempt(f"fetch {prov} {v}", self.fetch_cmd(v, prov, a.fetch_warmup, a.fetch_n))
                    if r:
                        self.res["fetch"][prov]["runs"].setdefault(v, []).append(r)
        if not self.valgrind or a.skip_callgrind:
            return
        n1, n2 = a.fetch_profile
        for prov in a.providers:
            log(f"fetch/{prov}: callgrind ({n1} and {n2} requests) ...")
            ins, files = {}, {}
            for v in variants:
                r, files[v] = self.callgrind(f"fetch {prov} {v}", f"fetch-{prov}-{v}",
                                             lambda n, v=v: self.fetch_cmd(v, prov, 0, n), n1, n2)
                if r:
                    ins[v] = r
            self.res["fetch"][prov]["instructions"] = ins
            if "invitekit" in ins and "raw" in ins and not a.skip_annotate:
                self.res["fetch"][prov]["profile_extra_vs_raw"] = self.profile(files["invitekit"], files["raw"],
                                                                               n2 - n1)


    # Create ---------------------------------------------------------------------
    CREATE_VARIANTS = ("invitekit", "invitekit_engine", "raw_multi", "raw_threads")

    def create_cmd(self, variant: str, prov: str, n: int, warm: int, prefix: str) -> list[str]:
        base, conc = self.srv.url, str(CREATE_IN_FLIGHT)
        if variant == "invitekit":  # CREATE_IN_FLIGHT threads sharing one client, blocking calls
            return [self.exe["ik"], "create", prov, base, conc, str(n), prefix, str(warm)]
        if variant == "invitekit_engine":  # the non-blocking engine from one thread, CREATE_IN_FLIGHT started
            return [self.exe["ik"], "create_async", prov, base, conc, str(n), prefix, str(warm)]
        url, ct, fmt, hdrs = R.raw_create_args(prov, base, self.ua)
        mode = "multi" if variant == "raw_multi" else "threads"
        return [self.exe["raw"], "create", mode, url, conc, str(n), str(warm), prefix, ct, fmt, *hdrs]

    def bench_create(self):
        a = self.a
        for prov in a.providers:
            self.res["create"][prov] = {"runs": {}, "in_flight": CREATE_IN_FLIGHT, "n": a.create_n,
                                        "warmup": a.create_warmup, "status": CREATE_STATUS[prov]}
        for rep in range(a.rounds):
            log(f"create: round {rep + 1}/{a.rounds} ...")
            for prov in a.providers:
                for v in self.CREATE_VARIANTS:
                    r = self.attempt(f"create {prov} {v}", self.create_cmd(v, prov, a.create_n, a.create_warmup,
                                                                          f"b-{v}-{rep}"))
                    if r:
                        self.res["create"][prov]["runs"].setdefault(v, []).append(r)
        if not self.valgrind or a.skip_callgrind:
            return
        n1, n2 = a.create_profile
        for prov in a.providers:
            log(f"create/{prov}: callgrind ({n1} and {n2} creates) ...")
            ins, files = {}, {}
            for v in self.CREATE_VARIANTS:
                # The warm-up opens the connections in both runs, so that they cancel out.
                r, files[v] = self.callgrind(f"create {prov} {v}", f"create-{prov}-{v}",
                                             lambda n, v=v: self.create_cmd(v, prov, n, CREATE_IN_FLIGHT, "cg"),
                                             n1, n2)
                if r:
                    ins[v] = r
            self.res["create"][prov]["instructions"] = ins
            if "invitekit" in ins and "raw_multi" in ins and not a.skip_annotate:
                self.res["create"][prov]["profile_extra_vs_multi"] = self.profile(files["invitekit"],
                                                                                  files["raw_multi"], n2 - n1)

    # The vendors' npm SDKs --------------------------------------------------------
    def bench_sdk(self, nodedir: str):
        """Every SDK against this server, interleaved with invitekit doing the same work: listing
        (wall time) and fetching in sequence (CPU per request); sdk_bench.mjs is run.py's."""
        a, base, node = self.a, self.srv.url, shutil.which("node")
        for prov in a.providers:
            items = a.records if prov == "openai" else a.sdk_list_other
            self.res["sdk"][prov] = {"list_items": items, "runs": {}}
        for rep in range(a.sdk_rounds):
            log(f"sdk: round {rep + 1}/{a.sdk_rounds} ...")
            for prov in a.providers:
                p = self.res["sdk"][prov]
                n = p["list_items"]
                cmds = {"list_invitekit": self.list_cmd("invitekit", prov, 0 if n == a.records else n),
                        "list_sdk": R.sdk_cmd(node, nodedir, "list", prov, base, PAGE_SIZE,
                                              0 if n == a.records else n),
                        "fetch_invitekit": self.fetch_cmd("invitekit", prov, a.fetch_warmup, a.fetch_n),
                        "fetch_sdk": R.sdk_cmd(node, nodedir, "fetch", prov, base, self.srv.ids[prov],
                                               a.fetch_warmup, a.fetch_n)}
                for name, cmd in cmds.items():
                    r = self.attempt(f"sdk {prov} {name}", cmd)
                    if r:
                        if name.startswith("list") and r["items"] != n:
                            self.failures.append(f"sdk {prov} {name}: {r['items']} items, expected {n}")
                        p["runs"].setdefault(name, []).append(r)


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------
def report(res: dict, args) -> list[str]:
    ratio, fr, verdict = R.ratio, R.fmt_ratio, R.verdict
    rows, lines = [], []
    summary = res["summary"] = {}

    def med(runs, key):
        return statistics.median(r[key] for r in runs)

    lines.append(f"Static server: nginx, {args.records:,} records per provider, page size {PAGE_SIZE}, "
                 f"layout '{args.layout}'; wall = median of {args.rounds} interleaved runs (best in brackets).")
    cg = "not measured" if args.skip_callgrind else "callgrind, marginal"
    if res.get("list"):
        lines.append("")
        lines.append(f"List (instructions per record: {cg} {args.list_profile[0]:,} -> {args.list_profile[1]:,} "
                     "records)")
        lines.append(f"   {'provider':8} {'variant':18} {'records':>8} {'instr/rec':>10} {'vs simdjson':>11} "
                     f"{'wall ms':>9} {'(best)':>9} {'vs noparse':>10} {'CPU ms':>8} {'nginx CPU ms':>12} "
                     f"{'RSS MB':>7}")
    for prov, p in res.get("list", {}).items():
        runs, ins = p["runs"], {k: v["per_unit"] for k, v in p.get("instructions", {}).items()}
        wall = {k: med(v, "wall_us") for k, v in runs.items()}
        rss = {k: max(x["maxrss_kb"] for x in v) for k, v in runs.items()}
        for name, v in runs.items():
            i = ins.get(name)
            srv = [x["server_cpu_us"] for x in v if "server_cpu_us" in x]
            lines.append(f"   {prov:8} {name:18} {v[0]['items']:>8,} {('%.0f' % i) if i else '-':>10} "
                         f"{fr(ratio(i, ins.get('raw_simdjson'))) if i else '-':>11} {wall[name] / 1000:>9.1f} "
                         f"{min(x['wall_us'] for x in v) / 1000:>9.1f} "
                         f"{fr(ratio(wall[name], wall.get('raw_noparse'))) if not name[-1].isdigit() else '-':>10} "
                         f"{med(v, 'cpu_us') / 1000:>8.1f} "
                         f"{(statistics.median(srv) / 1000) if srv else float('nan'):>12.1f} {rss[name] / 1024:>7.1f}")
        q = ratio(ins.get("invitekit"), ins.get("raw_simdjson"))
        w = ratio(wall.get("invitekit"), wall.get("raw_noparse"))
        peak, small = rss.get("invitekit"), rss.get(f"invitekit_{p['small']}")
        growth = None if peak is None or small is None else peak - small
        summary[f"list_{prov}"] = {"instr_per_record": ins, "instr_vs_simdjson": q, "wall_vs_noparse": w,
                                   "wall_vs_simdjson": ratio(wall.get("invitekit"), wall.get("raw_simdjson")),
                                   "peak_rss_kb": peak, "rss_growth_kb": growth}
        rows.append((f"list {prov}", "instructions/record vs raw+simdjson", fr(q),
                     f"<= {TARGETS['list_instr_vs_simdjson']}x",
                     verdict(None if q is None else q <= TARGETS["list_instr_vs_simdjson"])))
        rows.append((f"list {prov}", "wall (median) vs raw no-parse", fr(w), f"<= {TARGETS['list_wall_vs_noparse']}x",
                     verdict(None if w is None else w <= TARGETS["list_wall_vs_noparse"])))
        rows.append((f"list {prov}", "peak RSS", "n/a" if peak is None else f"{peak / 1024:.1f} MB",
                     f"<= {TARGETS['list_peak_kb'] // 1024} MB",
                     verdict(None if peak is None else peak <= TARGETS["list_peak_kb"])))
        rows.append((f"list {prov}", f"RSS growth {p['small']:,} -> {args.records:,}",
                     "n/a" if growth is None else f"{growth / 1024:+.2f} MB",
                     f"<= {TARGETS['list_flat_kb'] // 1024} MB",
                     verdict(None if growth is None else growth <= TARGETS["list_flat_kb"])))
    if res.get("fetch"):
        lines.append("")
        lines.append(f"Fetch one object in sequence (instructions per request: {cg} "
                     f"{args.fetch_profile[0]:,} -> {args.fetch_profile[1]:,}; wall per request over {args.fetch_n:,} "
                     f"after {args.fetch_warmup:,})")
        lines.append(f"   {'provider':8} {'variant':14} {'instr/req':>10} {'vs raw':>8} {'wall us/req':>11} "
                     f"{'(best)':>8} {'vs raw':>8} {'CPU us/req':>10} {'nginx CPU us/req':>16}")
    for prov, p in res.get("fetch", {}).items():
        runs, ins = p["runs"], {k: v["per_unit"] for k, v in p.get("instructions", {}).items()}
        wall = {k: med(v, "wall_us") / v[0]["requests"] for k, v in runs.items()}
        for name, v in runs.items():
            i = ins.get(name)
            srv = [x["server_cpu_us"] / x["requests"] for x in v if "server_cpu_us" in x]
            lines.append(f"   {prov:8} {name:14} {('%.0f' % i) if i else '-':>10} {fr(ratio(i, ins.get('raw'))):>8} "
                         f"{wall[name]:>11.1f} {min(x['wall_us'] for x in v) / v[0]['requests']:>8.1f} "
                         f"{fr(ratio(wall[name], wall.get('raw'))):>8} "
                         f"{med(v, 'cpu_us') / v[0]['requests']:>10.1f} "
                         f"{statistics.median(srv) if srv else float('nan'):>16.1f}")
        q = ratio(ins.get("invitekit"), ins.get("raw"))
        summary[f"fetch_{prov}"] = {"instr_per_request": ins, "instr_vs_raw": q,
                                    "instr_vs_simdjson": ratio(ins.get("invitekit"), ins.get("raw_simdjson")),
                                    "wall_vs_raw": ratio(wall.get("invitekit"), wall.get("raw"))}
        what = "list of 1" if prov == "fastly" else "fetch"
        rows.append((f"fetch {prov}", f"instructions/request ({what}) vs raw, same headers", fr(q),
                     f"<= {TARGETS['fetch_instr_vs_raw']}x",
                     verdict(None if q is None else q <= TARGETS["fetch_instr_vs_raw"])))
    if res.get("create"):
        lines.append("")
        lines.extend(report_create(res, args, rows))
    if res.get("sdk"):
        lines.append("")
        lines.extend(report_sdk(res, args, rows))
    lines.append("")
    lines.append("Targets (issue #19; reported, never asserted):")
    lines.extend(R.target_lines(rows, 9))
    res["targets"] = R.target_dicts(rows)
    for prov, p in res.get("list", {}).items():
        if p.get("profile_extra_vs_simdjson"):
            lines.append("")
            lines.append(f"List {prov}: marginal instructions per record by function (callgrind_annotate, self "
                         "cost), invitekit minus raw libcurl + simdjson, largest first:")
            lines.extend(f"   {v:>8.0f}  {k[:110]}" for k, v in p["profile_extra_vs_simdjson"][:12])
    for prov, p in res.get("fetch", {}).items():
        if p.get("profile_extra_vs_raw"):
            lines.append("")
            lines.append(f"Fetch {prov}: marginal instructions per request by function, invitekit minus raw "
                         "libcurl (same headers), largest first:")
            lines.extend(f"   {v:>8.0f}  {k[:110]}" for k, v in p["profile_extra_vs_raw"][:12])
    for prov, p in res.get("create", {}).items():
        if p.get("profile_extra_vs_multi"):
            lines.append("")
            lines.append(f"Create {prov}: marginal instructions per create by function, invitekit (16 threads) minus "
                         "raw libcurl multi, largest first:")
            lines.extend(f"   {v:>8.0f}  {k[:110]}" for k, v in p["profile_extra_vs_multi"][:12])
    return lines


CREATE_NAMES = {"invitekit": "invitekit, 16 threads, one client", "invitekit_engine": "invitekit engine, one thread",
                "raw_multi": "raw libcurl multi", "raw_threads": "raw libcurl, 16 threads"}


def num(x, fmt: str) -> str:
    """x formatted with fmt ("{:,.1f}"), or a dash when it was not measured."""
    return "–" if x is None else fmt.format(x)


def create_table(res: dict) -> dict:
    """Per provider and variant: instructions, CPU and wall per create (medians and best), nginx CPU, and
    the ratios to raw libcurl multi; the summary and the targets come from here."""
    out = {}
    for prov, p in res.get("create", {}).items():
        ins = {k: v["per_unit"] for k, v in p.get("instructions", {}).items()}
        rows = {}
        for name, v in p["runs"].items():
            n = v[0]["created"]
            srv = [x["server_cpu_us"] / n for x in v if "server_cpu_us" in x]
            rows[name] = {"instr": ins.get(name), "cpu_us": statistics.median(x["cpu_us"] for x in v) / n,
                          "cpu_best_us": min(x["cpu_us"] for x in v) / n,
                          "wall_ms": statistics.median(x["wall_us"] for x in v) / 1000,
                          "wall_best_ms": min(x["wall_us"] for x in v) / 1000,
                          "nginx_cpu_us": statistics.median(srv) if srv else None,
                          "threads": max((x.get("threads_peak", 0) for x in v), default=0) or None,
                          "connections": max((x.get("connections", 0) for x in v), default=0) or None}
        m = rows.get("raw_multi", {})
        for r in rows.values():
            r["instr_vs_multi"] = R.ratio(r["instr"], m.get("instr"))
            r["cpu_vs_multi"] = R.ratio(r["cpu_us"], m.get("cpu_us"))
            r["wall_vs_multi"] = R.ratio(r["wall_ms"], m.get("wall_ms"))
        out[prov] = rows
    return out


CREATE_HEAD = ("provider", "variant", "instructions / create", "vs raw multi", "CPU µs / create, median (best)",
               "vs raw multi", "wall ms, median (best)", "vs raw multi", "nginx CPU µs / create")


def create_cells(res: dict) -> list[list[str]]:
    """One row of cells per provider and variant (CREATE_HEAD), for the text report and the Markdown."""
    fr = R.fmt_ratio
    return [[prov, CREATE_NAMES[name], num(r["instr"], "{:,.0f}"), fr(r["instr_vs_multi"]),
             f"{r['cpu_us']:.1f} ({r['cpu_best_us']:.1f})", fr(r["cpu_vs_multi"]),
             f"{r['wall_ms']:,.1f} ({r['wall_best_ms']:,.1f})", fr(r["wall_vs_multi"]),
             num(r["nginx_cpu_us"], "{:.1f}")]
            for prov, table in create_table(res).items() for name, r in table.items()]


def sdk_table(res: dict) -> dict:
    """Per provider: listing wall (median) and fetch CPU per request (median), invitekit and SDK, and
    the SDK's multiple of invitekit."""
    out = {}
    for prov, p in res.get("sdk", {}).items():
        runs = p["runs"]

        def med(name, key, per=None):
            v = runs.get(name)
            return statistics.median(x[key] / (x[per] if per else 1) for x in v) if v else None
        r = {"list_items": p["list_items"],
             "list_wall_ms": {k: (med(f"list_{k}", "wall_us") or 0) / 1000 or None for k in ("invitekit", "sdk")},
             "list_cpu_ms": {k: (med(f"list_{k}", "cpu_us") or 0) / 1000 or None for k in ("invitekit", "sdk")},
             "fetch_cpu_us": {k: med(f"fetch_{k}", "cpu_us", "requests") for k in ("invitekit", "sdk")},
             "fetch_wall_us": {k: med(f"fetch_{k}", "wall_us", "requests") for k in ("invitekit", "sdk")},
             "sdk_peak_rss_kb": max((x["maxrss_kb"] for x in runs.get("list_sdk", [])), default=None)}
        r["list_wall_sdk_over_ik"] = R.ratio(r["list_wall_ms"]["sdk"], r["list_wall_ms"]["invitekit"])
        r["fetch_cpu_sdk_over_ik"] = R.ratio(r["fetch_cpu_us"]["sdk"], r["fetch_cpu_us"]["invitekit"])
        out[prov] = r
    return out


SDK_HEAD = ("provider", "records listed", "list wall ms, invitekit", "list wall ms, SDK", "SDK / invitekit",
            "fetch CPU µs / request, invitekit", "fetch CPU µs / request, SDK", "SDK / invitekit", "SDK peak RSS MB")


def sdk_cells(res: dict) -> list[list[str]]:
    """One row of cells per provider (SDK_HEAD), for the text report and the Markdown."""
    fr = R.fmt_ratio
    return [[prov, f"{r['list_items']:,}", num(r["list_wall_ms"]["invitekit"], "{:,.1f}"),
             num(r["list_wall_ms"]["sdk"], "{:,.1f}"), fr(r["list_wall_sdk_over_ik"]),
             num(r["fetch_cpu_us"]["invitekit"], "{:,.1f}"), num(r["fetch_cpu_us"]["sdk"], "{:,.1f}"),
             fr(r["fetch_cpu_sdk_over_ik"]), num(r["sdk_peak_rss_kb"] and r["sdk_peak_rss_kb"] / 1024, "{:.1f}")]
            for prov, r in sdk_table(res).items()]


def text_table(head, cells) -> list[str]:
    """cells under head, the first two columns left-aligned, the others right-aligned."""
    w = [max(len(str(c)) for c in col) for col in zip(head, *cells)]
    return ["   " + " ".join(str(c).ljust(w[k]) if k < 2 else str(c).rjust(w[k]) for k, c in enumerate(row))
            for row in (head, *cells)]


def md_table(head, cells, bold=lambda row: False) -> list[str]:
    """cells under head as a Markdown table, numbers right-aligned; bold(row) marks a row's variant."""
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 2)]
    for row in cells:
        row = [row[0], f"**{row[1]}**" if bold(row) else row[1], *row[2:]]
        out.append("| " + " | ".join(row) + " |")
    return out


def report_create(res: dict, args, rows: list) -> list[str]:
    fr, verdict, t = R.fmt_ratio, R.verdict, TARGETS["create_cpu_vs_multi"]
    cg = "not measured" if args.skip_callgrind else \
        f"callgrind, marginal {args.create_profile[0]:,} -> {args.create_profile[1]:,}"
    lines = [f"Create {args.create_n:,} with {CREATE_IN_FLIGHT} in flight after {args.create_warmup} untimed (CPU: "
             f"getrusage of the client over the timed part, median of {args.rounds}; instructions: {cg})"]
    lines += text_table(CREATE_HEAD, create_cells(res))
    summary = res.setdefault("summary", {})
    for prov, table in create_table(res).items():
        summary[f"create_{prov}"] = table
        for name, what in (("invitekit", "16 threads, one client"), ("invitekit_engine", "engine, one thread")):
            q = table.get(name, {}).get("cpu_vs_multi")
            rows.append((f"create {prov}", f"CPU/create vs raw multi ({what})", fr(q), f"<= {t}x",
                         verdict(None if q is None else q <= t)))
    return lines


def report_sdk(res: dict, args, rows: list) -> list[str]:
    fr, verdict = R.fmt_ratio, R.verdict
    sdk = res.get("sdk_info", {})
    vers = ", ".join(f"{k}@{v}" for k, v in sdk.get("versions", {}).items())
    lines = [f"npm SDKs on the same server ({sdk.get('note', '')}; {vers}); medians of {args.sdk_rounds} interleaved "
             f"rounds. List: wall time, page size {PAGE_SIZE}. Fetch: CPU per request over {args.fetch_n:,} after "
             f"{args.fetch_warmup:,} (Fastly: a list of 1)."]
    lines += text_table(SDK_HEAD, sdk_cells(res))
    summary = res.setdefault("summary", {})
    for prov, r in sdk_table(res).items():
        summary[f"sdk_{prov}"] = r
        q, tl = r["list_wall_sdk_over_ik"], TARGETS["sdk_list_wall"]
        rows.append((f"sdk {prov}", f"list wall SDK / invitekit ({r['list_items']:,} records)", fr(q), f">= {tl}x",
                     verdict(None if q is None else q >= tl)))
        q, tf = r["fetch_cpu_sdk_over_ik"], TARGETS["sdk_fetch_cpu"]
        rows.append((f"sdk {prov}", "fetch CPU/request SDK / invitekit", fr(q), f">= {tf}x",
                     verdict(None if q is None else q >= tf)))
    return lines


def markdown(res: dict) -> list[str]:
    """The tables of docs/BENCHMARKS.md (section "Static server") from one run's results."""
    ratio, fr = R.ratio, R.fmt_ratio
    out = []
    if res.get("list"):
        out += ["| provider | variant | records | instructions / record | vs raw + simdjson | wall ms, median (best) | "
                "vs raw no-parse | CPU ms | nginx CPU ms | peak RSS MB |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    names = {"invitekit": "**invitekit**", "raw_noparse": "raw libcurl, no parse", "raw_simdjson": "raw libcurl + simdjson",
             "raw": "raw libcurl, same headers"}
    for prov, p in res.get("list", {}).items():
        runs, ins = p["runs"], {k: v["per_unit"] for k, v in p.get("instructions", {}).items()}
        wall = {k: statistics.median(x["wall_us"] for x in v) for k, v in runs.items()}
        for name, v in runs.items():
            i = ins.get(name)
            srv = [x["server_cpu_us"] for x in v if "server_cpu_us" in x]
            label = names.get(name, f"invitekit, first {v[0]['items']:,}")
            out.append(f"| {prov} | {label} | {v[0]['items']:,} | "
                       f"{f'{i:,.0f}' if i else '–'} | {fr(ratio(i, ins.get('raw_simdjson'))) if i else '–'} | "
                       f"{wall[name] / 1000:,.1f} ({min(x['wall_us'] for x in v) / 1000:,.1f}) | "
                       f"{fr(ratio(wall[name], wall.get('raw_noparse'))) if not name[-1].isdigit() else '–'} | "
                       f"{statistics.median(x['cpu_us'] for x in v) / 1000:,.1f} | "
                       f"{statistics.median(srv) / 1000 if srv else float('nan'):,.0f} | "
                       f"{max(x['maxrss_kb'] for x in v) / 1024:.1f} |")
    if res.get("fetch"):
        out += ["", "| provider | variant | instructions / request | vs raw | vs raw + simdjson | wall µs / request, "
                "median (best) | CPU µs / request | nginx CPU µs / request |",
                "|---|---|---:|---:|---:|---:|---:|---:|"]
    for prov, p in res.get("fetch", {}).items():
        runs, ins = p["runs"], {k: v["per_unit"] for k, v in p.get("instructions", {}).items()}
        for name, v in runs.items():
            i, n = ins.get(name), v[0]["requests"]
            srv = [x["server_cpu_us"] / n for x in v if "server_cpu_us" in x]
            out.append(f"| {prov} | {names[name]} | {f'{i:,.0f}' if i else '–'} | "
                       f"{fr(ratio(i, ins.get('raw')))} | {fr(ratio(i, ins.get('raw_simdjson')))} | "
                       f"{statistics.median(x['wall_us'] for x in v) / n:.1f} ({min(x['wall_us'] for x in v) / n:.1f}) | "
                       f"{statistics.median(x['cpu_us'] for x in v) / n:.1f} | "
                       f"{statistics.median(srv) if srv else float('nan'):.0f} |")
    if res.get("create"):
        out += ["", *md_table(CREATE_HEAD, create_cells(res), bold=lambda row: row[1].startswith("invitekit"))]
    if res.get("sdk"):
        out += ["", *md_table(SDK_HEAD, sdk_cells(res))]
    out += ["", "| target (issue #19) | measure | value | verdict |", "|---|---|---:|---|"]
    for t in res.get("targets", []):
        out.append(f"| {t['benchmark']} | {t['measure']} ({t['target']}) | {t['value']} | {t['verdict']} |")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("builddir")
    ap.add_argument("--nginx", help="nginx binary (default: nginx on PATH, else /usr/sbin/nginx)")
    ap.add_argument("--only", default="list,fetch,create,sdk", help="comma list of list,fetch,create,sdk")
    ap.add_argument("--skip-sdk", action="store_true", help="do not install or run the npm SDKs (--only without sdk)")
    ap.add_argument("--sdk-rounds", type=int, default=3, help="interleaved rounds of the SDK comparison (median used)")
    ap.add_argument("--providers", default=",".join(PROVIDERS), help="comma list of openai,twilio,fastly")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved wall-clock runs of every variant (median used)")
    ap.add_argument("--layout", choices=("vendor", "pretty", "compact"), default="vendor",
                    help="body formatting: as the vendors send them (default), all pretty-printed, all compact")
    ap.add_argument("--quick", action="store_true", help="10,000 records, fewer requests (a smoke run, not for figures)")
    ap.add_argument("--skip-callgrind", action="store_true")
    ap.add_argument("--skip-annotate", action="store_true", help="no per-function callgrind profile")
    ap.add_argument("--keep", action="store_true", help="keep the server's temporary directory (pages, nginx.conf)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds allowed for one measured process")
    ap.add_argument("--output", help="results file (default <builddir>/bench-static-results.json)")
    ap.add_argument("--markdown", help="also write the tables as Markdown (docs/BENCHMARKS.md) to this file")
    args = ap.parse_args()
    args.providers = [p for p in args.providers.split(",") if p]
    for p in args.providers:
        if p not in PROVIDERS:
            ap.error(f"unknown provider {p}")
    only = set(args.only.split(","))
    q = args.quick
    args.records = 10000 if q else 100000
    args.list_small = 1000 if q else 10000
    args.list_profile = (1000, 3000) if q else (2000, 12000)  # marginal over 10,000 records
    args.fetch_profile = (50, 550) if q else (100, 1100)      # marginal over 1,000 requests
    args.fetch_warmup, args.fetch_n = (100, 1000) if q else (1000, 10000)
    # Creates: as the emulator's workload 3 (320 untimed first, here only to open the 16 connections).
    args.create_n, args.create_warmup = (500, 64) if q else (5000, 320)
    args.create_profile = (100, 300) if q else (200, 1200)  # marginal over 1,000 creates
    args.sdk_list_other = 2000 if q else 10000              # Twilio and Fastly SDK listings, as run.py
    if q:
        args.rounds = min(args.rounds, 2)
        args.sdk_rounds = min(args.sdk_rounds, 1)
    if args.skip_sdk:
        only.discard("sdk")
    args.builddir_abs = os.path.abspath(args.builddir)

    nginx = find_nginx(args.nginx)
    if not nginx:
        log("static_server.py: SKIPPED: nginx not found (Debian: apt-get install nginx-light, or "
            "scripts/install-deps.sh --bench); nothing measured")
        return SKIP_STATUS
    bdir = os.path.join(args.builddir_abs, "bench")
    exes = {"ik": os.path.join(bdir, "ik_bench"), "raw": os.path.join(bdir, "raw_curl"),
            "raw_list": os.path.join(bdir, "raw_list")}
    for exe in exes.values():
        if not os.access(exe, os.X_OK):
            log(f"static_server.py: {exe} missing: configure with -Dbench=true and run meson compile -C {args.builddir}")
            return 1
    srcdir = os.path.dirname(os.path.abspath(__file__))
    ua = R.ik_user_agent(srcdir)
    nginx_ver = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
    results: dict = {"machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                                 "loadavg_start": os.getloadavg()},
                     "nginx": nginx_ver, "params": {k: v for k, v in vars(args).items()}}
    nodedir = None
    if "sdk" in only:
        nodedir, note = R.setup_node(args.builddir_abs, srcdir, False)
        results["sdk_info"] = {"note": note, "versions": R.sdk_versions(nodedir)}
        log(f"npm SDKs: {note}")
    t0 = time.monotonic()
    try:
        with StaticServer(nginx, args.records, args.providers, Layout(args.layout), keep=args.keep) as srv:
            results["server"] = {"url": srv.url, "page_bytes": srv.page_bytes, "generate_s": round(srv.gen_s, 1)}
            bench = Bench(args, srv, exes, ua)
            if "list" in only:
                bench.bench_list()
            if "fetch" in only:
                bench.bench_fetch()
            if "create" in only:
                bench.bench_create()
            if "sdk" in only and nodedir:
                bench.bench_sdk(nodedir)
            elif "sdk" in only:
                bench.failures.append(f"sdk: {results['sdk_info']['note']}")
            results.update({k: v for k, v in bench.res.items() if v})
            results["failures"] = bench.failures
    except R.BenchError as e:
        log(f"static_server.py: {e}")
        results.setdefault("failures", []).append(str(e).splitlines()[0])
    results["machine"]["loadavg_end"] = os.getloadavg()
    results["elapsed_s"] = round(time.monotonic() - t0, 1)
    print("\n".join(report(results, args)))
    if results.get("failures"):
        print("\nFAILED measurements:\n" + "\n".join(f"   {x}" for x in results["failures"]))
    out = args.output or os.path.join(args.builddir_abs, "bench-static-results.json")
    with open(out, "w") as fh:
        json.dump(results, fh, indent=1, sort_keys=True)
        fh.write("\n")
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write("\n".join(markdown(results)) + "\n")
    log(f"results written to {out} ({results['elapsed_s']} s)")
    return 1 if results.get("failures") else 0


if __name__ == "__main__":
    sys.exit(main())

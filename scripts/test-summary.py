#!/usr/bin/env python3
"""Prints one line "N passed, N failed, N skipped" for one or more Meson test logs.

Each GoogleTest executable counts its test cases (from the JUnit XML it wrote),
the binding suites count their runners' own results (cargo test's "test result:
ok. N passed; M failed; K ignored" lines, go test -v's top-level "--- PASS/FAIL/
SKIP" lines), suites that report their own counts with a line "<name>: N passed,
M failed" count those, and every other Meson test counts as one. Checks run
outside Meson are given as NAME=EXITCODE (one each) or --count-file=PATH (a log
whose last "<name>: N passed, M failed" line counts, e.g. scripts/fuzz.sh's
"fuzz: N passed, N failed"; a log without one counts as one failure). One more check greps the
complete output of every test for the secrets the suites use (redaction)."""
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

COUNT_LINE = re.compile(r"^\S*:?\s*(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$", re.M)
CARGO_LINE = re.compile(r"^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", re.M)
GO_LINE = re.compile(r"^--- (PASS|FAIL|SKIP): ", re.M)


def runner_counts(stdout):
    """Counts from cargo test or go test -v output, or None when neither ran."""
    cargo = CARGO_LINE.findall(stdout)
    if cargo:
        return tuple(sum(int(c[i]) for c in cargo) for i in range(3))
    go = GO_LINE.findall(stdout)
    if go:
        return go.count("PASS"), go.count("FAIL"), go.count("SKIP")
    return None


def gtest_counts(xml_path):
    root = ET.parse(xml_path).getroot()
    passed = failed = skipped = 0
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.get("result") == "skipped" or case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


# Secrets the suites use on purpose to prove redaction (SECRET-…, S3CR3T…):
# none may appear anywhere in the complete output of any test.
SECRET_PATTERN = re.compile(r"SECRET-[A-Za-z0-9]|S3CR3T")


def redaction_check(logs):
    leaks = []
    for log in logs:
        txt = log.with_name("testlog.txt")
        if not txt.exists():
            continue
        for n, line in enumerate(txt.read_text(errors="replace").splitlines(), 1):
            if SECRET_PATTERN.search(line):
                leaks.append(f"{txt}:{n}: {line[:200]}")
    for leak in leaks[:20]:
        print("redaction: a test secret appears in the test output: " + leak)
    return not leaks


def main():
    passed = failed = skipped = 0
    # Arguments: Meson testlog.json files, and NAME=EXITCODE for extra checks
    # run outside Meson (e.g. quickstart=0).
    logs = [Path(a) for a in sys.argv[1:] if "=" not in a]
    for arg in (a for a in sys.argv[1:] if a.startswith("--count-file=")):
        p, f, s = count_file(Path(arg.partition("=")[2]))
        passed, failed, skipped = passed + p, failed + f, skipped + s
    for extra in (a for a in sys.argv[1:] if "=" in a and not a.startswith("--")):
        name, _, code = extra.partition("=")
        if code == "0":
            passed += 1
        else:
            failed += 1
            print(f"{name}: failed (exit code {code})")
    for log in logs:
        p, f, s = count_log(log)
        passed, failed, skipped = passed + p, failed + f, skipped + s
    if redaction_check(logs):
        passed += 1
    else:
        failed += 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


def count_file(path):
    """Counts of the last "<name>: N passed, M failed" line of a plain log."""
    try:
        m = COUNT_LINE.findall(path.read_text(errors="replace"))
    except OSError:
        m = []
    if not m:
        print(f"{path}: no 'N passed, N failed' line: counted as one failure")
        return 0, 1, 0
    p, f, s = (int(x or 0) for x in m[-1])
    if f:
        print(f"{path}: {f} failed")
    return p, f, s


def count_log(log):
    build = log.parent.parent
    passed = failed = skipped = 0
    for line in log.read_text().splitlines():
        if not line.strip():
            continue
        t = json.loads(line)
        result = t.get("result")
        name = t.get("name", "")
        if result == "SKIP":
            skipped += 1
            continue
        counted = False
        short = name.split(" / ", 1)[-1]  # "invitekit:unit / openai" -> "openai"
        xml = build / (short + ".xml")     # written by tests with protocol 'gtest'
        if xml.exists() and xml.stat().st_mtime >= float(t.get("starttime", 0)) - 1:
            p, f, s = gtest_counts(xml)
            if result not in ("OK", "EXPECTEDFAIL") and f == 0:
                f = 1  # crashed or timed out without reporting a failing case
            passed, failed, skipped = passed + p, failed + f, skipped + s
            counted = True
        if not counted:
            rc = runner_counts(t.get("stdout", "") or "")
            if rc:
                p, f, s = rc
                if result not in ("OK", "EXPECTEDFAIL") and f == 0:
                    f = 1  # the runner failed outside its test cases (build, vet, crash)
                passed, failed, skipped = passed + p, failed + f, skipped + s
                counted = True
        if not counted:
            m = COUNT_LINE.findall(t.get("stdout", "") or "")
            if m:
                p, f, s = (int(x or 0) for x in m[-1])
                if result not in ("OK", "EXPECTEDFAIL") and f == 0:
                    f = 1
                passed, failed, skipped = passed + p, failed + f, skipped + s
                counted = True
        if not counted:
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            else:
                failed += 1
    return passed, failed, skipped


if __name__ == "__main__":
    sys.exit(main())

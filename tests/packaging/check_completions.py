#!/usr/bin/env python3
"""The shell completions and manual pages of invitekit, as a user gets them.

bash: sources the generated completion in a real `bash --norc`, checks that it
registered itself for `invitekit`, and runs its completion function on command
lines (COMP_WORDS/COMP_CWORD as readline sets them): commands, aliases, options,
option values and file names. Every top-level command listed by
`invitekit --help` (parsed here on its own, not by the generator) and every
command one level below must be offered.
zsh (when installed): the same lines through zsh's bashcompinit, which is how
the installed _invitekit runs.
man: each page exists, is a section-1 page for the right program and mentions
every top-level command.

Usage: check_completions.py INVITEKIT BASH_COMPLETION ZSH_COMPLETION MAN_DIR|-
Prints "completions: N passed, M failed"."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

exe, bash_file, zsh_file, man_dir = sys.argv[1:5]
passed = failed = 0


def report(ok, what, detail=""):
    global passed, failed
    print(("ok: " if ok else "FAIL: ") + what + (("\n    " + detail) if detail and not ok else ""))
    if ok:
        passed += 1
    else:
        failed += 1


def commands_of(path):
    out = subprocess.run([exe] + path + ["--help"], stdout=subprocess.PIPE, text=True, timeout=30).stdout
    cmds, inside = [], False
    for line in out.splitlines():
        if re.match(r"^\S.*:\s*$", line):
            inside = line.strip() == "Subcommands:"
            continue
        m = re.match(r"^  ([A-Za-z][\w-]*)", line)
        if inside and m:
            cmds.append(m.group(1))
    return cmds


BASH_DRIVER = r'''
source "$1"
complete -p invitekit >/dev/null || { echo "NOT-REGISTERED"; exit 3; }
cd "$2"
shift 2
for line in "$@"; do
  eval "COMP_WORDS=($line)"
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMP_LINE="$line"
  COMPREPLY=()
  __invitekit_complete invitekit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  printf '%s\n' "${COMPREPLY[*]}"
done
'''

# zsh: what _bash_complete does (1-based COMP_WORDS, COMP_CWORD = CURRENT - 1),
# without the compadd that only works inside a completion widget.
ZSH_DRIVER = r'''
autoload -U +X bashcompinit && bashcompinit
eval "$(sed '$d' "$1")"
cd "$2"
shift 2
for line in "$@"; do
  eval "words=($line)"
  COMP_WORDS=( "${words[@]}" )
  (( COMP_CWORD = ${#words} - 1 ))
  print -r -- "$(compgen -F __invitekit_complete -- "${words[-1]}" | tr '\n' ' ' | sed 's/ $//')"
done
'''

# (command line as shell words, the last one being completed; must contain; must not contain)
CASES = [
    ("invitekit op", ["openai"], ["twilio"]),
    ("invitekit ''", ["openai", "twilio", "fastly"], []),
    ("invitekit openai ''", ["invites", "listInvites"], ["create"]),
    ("invitekit openai invites ''", ["create", "list", "get", "retrieve", "delete"], ["invites"]),
    ("invitekit openai invites re", ["retrieve"], ["create"]),
    ("invitekit --out", ["--output"], []),
    ("invitekit --output ''", ["json", "ndjson", "table"], []),
    ("invitekit -o t", ["table"], ["json"]),
    ("invitekit --base-url http://127.0.0.1:1 openai invites create --ro", ["--role"], []),
    ("invitekit openai invites create --role ''", ["reader", "owner"], []),
    ("invitekit openai invites create --from-csv peo", ["people.csv"], []),
    ("invitekit openai invites create --ver", ["--verbose"], []),
    ("invitekit -v twilio users ''", ["create", "get", "fetch", "list", "update", "delete"], []),
    ("invitekit twilio users fetch --", ["--service"], ["--email"]),
    ("invitekit fastly ''", ["invitations", "invites"], []),
    ("invitekit fastly invites ''", ["create", "list", "delete"], []),
    ("invitekit openai invites list --a", ["--after", "--all"], []),
]


def run_cases(shell, driver, script, lines, scratch):
    r = subprocess.run(shell + ["-c", driver, "driver", script, scratch] + lines, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60, stdin=subprocess.DEVNULL)
    outs = r.stdout.splitlines()
    if r.returncode != 0 or len(outs) != len(lines):
        return None, "exit %d, %d line(s) for %d case(s): %s %s" % (r.returncode, len(outs), len(lines), r.stdout,
                                                                   r.stderr)
    return [o.split() for o in outs], r.stderr


def check_shell(name, shell, driver, script):
    scratch = tempfile.mkdtemp(prefix="ik-completion-")
    try:
        open(os.path.join(scratch, "people.csv"), "w").close()
        top = commands_of([])
        report(len(top) >= 3, "%s: invitekit --help lists %d top-level commands %s" % (name, len(top), top))
        extra = [("invitekit ''", top, [])]
        for cmd in top:
            extra.append(("invitekit %s ''" % cmd, commands_of([cmd]), []))
        cases = CASES + extra
        results, err = run_cases(shell, driver, script, [c[0] for c in cases], scratch)
        if results is None:
            report(False, "%s: the completion ran" % name, err)
            return
        for (line, want, unwanted), got in zip(cases, results):
            missing = [w for w in want if w not in got]
            extra_ = [w for w in unwanted if w in got]
            report(not missing and not extra_ and (got or not want), "%s: %s<TAB> -> %s" % (name, line, " ".join(got)),
                   "missing %s, unexpected %s" % (missing, extra_))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


check_shell("bash", ["bash", "--norc", "--noprofile"], BASH_DRIVER, bash_file)
if shutil.which("zsh"):
    check_shell("zsh", ["zsh", "-f"], ZSH_DRIVER, zsh_file)
else:
    print("skip: zsh is not installed; the zsh completion is not exercised")

if man_dir != "-":
    top = commands_of([])
    for prog in ("invitekit", "invitekit-emulator"):
        path = os.path.join(man_dir, prog + ".1")
        if not os.path.exists(path):
            report(False, "man page %s.1 exists" % prog)
            continue
        text = open(path, encoding="utf-8").read()
        th = re.search(r'^\.TH\s+"?([^"\s]+)"?\s+"?1"?', text, re.M)
        ok = bool(th) and th.group(1).lower() == prog and ".SH OPTIONS" in text and "\\-\\-help" in text
        missing = []
        if prog == "invitekit":  # the COMMANDS section lists every command path
            plain = text.replace("\\-", "-")
            paths = [c for c in top] + ["%s %s" % (c, s) for c in top for s in commands_of([c])]
            missing = [p for p in paths if ("invitekit %s\\fR" % p) not in plain]
        report(ok and not missing, "man page %s.1: section 1, OPTIONS, every command" % prog,
               "missing commands %s" % missing if missing else text[:300])

print("completions: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)

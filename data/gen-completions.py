#!/usr/bin/env python3
"""Generates the bash and zsh completions of `invitekit` from its own --help,
and the COMMANDS section of its manual page (a help2man include file).

The command tree, the aliases, every option, which options take a value and
their choices all come from `invitekit [COMMAND...] --help` (CLI11's format),
walked recursively, so the completions cannot drift from the program. The zsh
completion runs the same shell function through zsh's bashcompinit.

Usage: gen-completions.py INVITEKIT BASH_OUT ZSH_OUT [COMMANDS_H2M_OUT]"""
import os
import re
import subprocess
import sys

ENTRY = re.compile(r"^  (\S.*)$")
SECTION = re.compile(r"^(\S.*):\s*$")


def help_of(exe, path):
    env = dict(os.environ, COLUMNS="200")
    r = subprocess.run([exe] + path + ["--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=30, env=env)
    if r.returncode != 0:
        sys.exit("gen-completions: `%s --help` failed (%d): %s" % (" ".join([exe] + path), r.returncode, r.stderr))
    return r.stdout


def parse(text):
    """Returns (options, subcommands) of one --help page.

    options: [(names, value)] where value is None (a flag), "" (free text),
    "@file" (a file name) or a space-separated list of choices.
    subcommands: [names] (canonical name first, then aliases).
    descriptions: {canonical subcommand name: its one-line description}."""
    options, subs, section, descriptions = [], [], None, {}
    pending = None  # a subcommand whose description is on the next line
    for line in text.splitlines():
        if pending and re.match(r"^\s{4,}\S", line):
            descriptions[pending] = line.strip()
            pending = None
            continue
        pending = None
        m = SECTION.match(line)
        if m:
            section = m.group(1)
            continue
        m = ENTRY.match(line)
        if not m or section is None:
            continue
        body = m.group(1)
        if body.startswith("-"):
            head = re.split(r"\s{2,}", body, maxsplit=1)[0]
            tokens = head.split(" ")
            names = tokens[0].split(",")
            rest = tokens[1] if len(tokens) > 1 else None
            if rest in (None, "Excludes:", "Needs:", "REQUIRED"):
                value = None
            else:
                choice = re.search(r":\{([^}]*)\}", rest)
                if choice:
                    value = " ".join(choice.group(1).split(","))
                elif rest == "FILE" or rest.startswith("FILE:"):
                    value = "@file"
                else:
                    value = ""
            options.append((names, value))
        elif section == "Subcommands":
            parts = re.split(r"\s{2,}", body, maxsplit=1)
            names = [n.strip() for n in parts[0].split(",") if n.strip()]
            subs.append(names)
            if len(parts) > 1:
                descriptions[names[0]] = parts[1].strip()
            else:
                pending = names[0]
    return options, subs, descriptions


def walk(exe):
    """{path: (options, [subcommand names incl. aliases])} with alias paths repeated."""
    tree, commands = {}, []

    def visit(canonical, shown_as):
        options, subs, descriptions = parse(help_of(exe, canonical))
        names = [n for group in subs for n in group]
        for path in shown_as:
            tree[" ".join(path)] = (options, names)
        for group in subs:
            commands.append((canonical + [group[0]], group[1:], descriptions.get(group[0], "")))
            visit(canonical + [group[0]], [p + [n] for p in shown_as for n in group])

    visit([], [[]])
    return tree, commands


def roff(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return ("\\&" + text) if text[:1] in (".", "'") else text


def render_commands(commands):
    """help2man include: a COMMANDS section with every command path, its aliases and what it does."""
    out = ["[COMMANDS]", "Every command; global options may appear anywhere on the line.",
           "Run \\fBinvitekit\\fR \\fICOMMAND\\fR... \\fB\\-\\-help\\fR for its options."]
    for path, aliases, desc in commands:
        out.append(".TP")
        line = "\\fBinvitekit %s\\fR" % roff(" ".join(path))
        if aliases:
            line += " (alias: %s)" % roff(", ".join(aliases))
        out.append(line)
        out.append(roff(desc) if desc else "")
    return "\n".join(out) + "\n"


def sh_words(words):
    for w in words:
        if not re.fullmatch(r"[A-Za-z0-9_.:@,=/+-]+", w):
            sys.exit("gen-completions: unexpected word %r" % w)
    return " ".join(words)


def render(tree):
    subs_cases, opts_cases, value_cases = [], [], []
    for path in sorted(tree):
        options, names = tree[path]
        subs_cases.append('    "%s") REPLY="%s" ;;' % (path, sh_words(names)))
        opts_cases.append('    "%s") REPLY="%s" ;;' % (path, sh_words([n for names_, _ in options for n in names_])))
        for names_, value in options:
            if value is None:
                continue
            pats = "|".join('"%s|%s"' % (path, n) for n in names_)
            value_cases.append('    %s) REPLY="%s" ;;' % (pats, sh_words(value.split())))
    return FUNCTIONS % {
        "subs": "\n".join(subs_cases),
        "opts": "\n".join(opts_cases),
        "values": "\n".join(value_cases),
        "top": sh_words(tree[""][1]),
    }


FUNCTIONS = r'''# Generated by data/gen-completions.py from `invitekit --help` (and the --help
# of every subcommand): the command tree, the aliases, the options, which take
# a value, and their choices. Do not edit; rebuild instead.
# Top-level commands: %(top)s

# Subcommands (with aliases) of a command path; fails for an unknown path.
__invitekit_subcommands() {
  case "$1" in
%(subs)s
    *) REPLY=""; return 1 ;;
  esac
}

# Options of a command path (global options are those of the empty path).
__invitekit_options() {
  case "$1" in
%(opts)s
    *) REPLY=""; return 1 ;;
  esac
}

# What the value of option $2 of command path $1 is: choices, "@file", or ""
# for free text; fails when the option takes no value.
__invitekit_value() {
  case "$1|$2" in
%(values)s
    *) REPLY=""; return 1 ;;
  esac
}

# COMPREPLY = the words of $1 that start with $2 (bash and zsh alike).
__invitekit_reply() {
  local w
  COMPREPLY=()
  for w in $1; do
    case "$w" in "$2"*) COMPREPLY+=("$w") ;; esac
  done
}

__invitekit_complete() {
  if [ -n "${ZSH_VERSION-}" ]; then setopt localoptions ksharrays shwordsplit; fi
  local cur="${COMP_WORDS[COMP_CWORD]}" path="" word key opt i=1 REPLY=""
  COMPREPLY=()
  # Follow the command path, skipping options and the values they take;
  # global options may appear anywhere.
  while [ "$i" -lt "$COMP_CWORD" ]; do
    word="${COMP_WORDS[i]}"
    case "$word" in
      --*=*|=) ;;
      -*)
        if __invitekit_value "$path" "$word" || __invitekit_value "" "$word"; then
          if [ "${COMP_WORDS[i+1]-}" = "=" ]; then i=$((i + 1)); fi
          i=$((i + 1))
        fi ;;
      *)
        if [ -z "$path" ]; then key="$word"; else key="$path $word"; fi
        if __invitekit_options "$key"; then path="$key"; fi ;;
    esac
    i=$((i + 1))
  done
  # The value of an option: "--output <TAB>", "--output=<TAB>".
  opt=""
  if [ "$COMP_CWORD" -ge 2 ] && [ "${COMP_WORDS[COMP_CWORD-1]}" = "=" ]; then
    opt="${COMP_WORDS[COMP_CWORD-2]}"
  elif [ "$COMP_CWORD" -ge 2 ] && [ "$cur" = "=" ]; then
    opt="${COMP_WORDS[COMP_CWORD-1]}"; cur=""
  elif [ "$COMP_CWORD" -ge 1 ]; then
    case "${COMP_WORDS[COMP_CWORD-1]}" in -*) opt="${COMP_WORDS[COMP_CWORD-1]}" ;; esac
  fi
  case "$cur" in --*=*) opt="${cur%%%%=*}"; cur="${cur#*=}" ;; esac
  if [ -n "$opt" ] && { __invitekit_value "$path" "$opt" || __invitekit_value "" "$opt"; }; then
    case "$REPLY" in
      @file) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
      "") ;;
      *) __invitekit_reply "$REPLY" "$cur" ;;
    esac
    return 0
  fi
  case "$cur" in
    -*)
      local words=""
      __invitekit_options "$path" && words="$REPLY"
      if [ -n "$path" ]; then __invitekit_options "" && words="$words $REPLY"; fi
      __invitekit_reply "$words" "$cur" ;;
    *)
      __invitekit_subcommands "$path"
      __invitekit_reply "$REPLY" "$cur" ;;
  esac
  return 0
}
'''

BASH = "# bash completion for invitekit -*- shell-script -*-\n%s\ncomplete -F __invitekit_complete invitekit\n"
ZSH = ("#compdef invitekit\n# zsh completion for invitekit: the bash completion through bashcompinit.\n"
       "autoload -U +X bashcompinit && bashcompinit\n%s\n"
       "complete -F __invitekit_complete invitekit\n"
       "_bash_complete -F __invitekit_complete\n")


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    exe, bash_out, zsh_out = sys.argv[1:4]
    tree, commands = walk(os.path.abspath(exe))
    if not tree.get("", ([], []))[1]:
        sys.exit("gen-completions: `invitekit --help` lists no subcommand")
    body = render(tree)
    with open(bash_out, "w") as f:
        f.write(BASH % body)
    with open(zsh_out, "w") as f:
        f.write(ZSH % body)
    if len(sys.argv) == 5:
        with open(sys.argv[4], "w") as f:
            f.write(render_commands(commands))


if __name__ == "__main__":
    sys.exit(main())

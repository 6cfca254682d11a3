"""The member table of docs/expressions.md, from runtime/common/csx_members.def as
`apim validate --list-expression-members` prints it:

    python3 docs/gen/expressions.py build/runtime/cli/apim > /tmp/e.md && mv /tmp/e.md docs/expressions.md

It prints docs/expressions.md with the part between the markers regenerated;
tests/docs/check-expressions.sh requires the file unchanged."""
import os
import subprocess
import sys

APIM = sys.argv[1] if len(sys.argv) > 1 else "apim"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN, END = "<!-- generated: members -->", "<!-- end generated -->"

types, members = [], {}
out = subprocess.run([APIM, "validate", "--list-expression-members"], capture_output=True,
                     text=True, check=True).stdout
for line in out.splitlines():
    f = line.split("\t")
    if f[0] == "T":
        types.append((f[1], f[2]))
    else:
        members.setdefault(f[1], []).append(f[2:])


def args(lo, hi):
    return lo if lo == hi else "%s-%s" % (lo, hi)


def section(name, kind):
    rows = members.get(name, [])
    if not rows:
        return []
    lines = ["", "**`%s`** (%s)" % (name, kind), "",
             "| member | kind | arguments | result |", "|---|---|---|---|"]
    for m, k, lo, hi, res in rows:
        shown = "new %s(...)" % name if m == ".ctor" else "[...]" if m == "[]" else m
        lines.append("| `%s` | %s | %s | `%s` |" % (shown, k, args(lo, hi), res))
    return lines


body = []
for name, kind in types:
    body += section(name, kind)
text = open(os.path.join(ROOT, "docs", "expressions.md")).read()
head, rest = text.split(BEGIN, 1)
tail = rest.split(END, 1)[1]
sys.stdout.write(head + BEGIN + "\n" + "\n".join(body).lstrip("\n") + "\n" + END + tail)

"""The gatewayLog field table of docs/streaming.md, from runtime/common/gwlog_fields.def
(the one list the engine and `apim validate` use):

    python3 docs/gen/gwlog.py > /tmp/s.md && mv /tmp/s.md docs/streaming.md

It prints docs/streaming.md with the part between the markers regenerated;
tests/docs/check-gwlog.sh requires the file unchanged."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN, END = "<!-- generated: gatewayLog fields -->", "<!-- end generated -->"
STR = r'"((?:[^"\\]|\\.)*)"'
ROW = re.compile(r"^GWLOG_FIELD\(\s*" + STR + r",\s*(?:" + STR + r"|NULL),\s*" + STR + r"\s*\)",
                 re.M)

text = open(os.path.join(ROOT, "runtime", "common", "gwlog_fields.def")).read()
rows = ROW.findall(text)
if not rows or len(rows) != text.count("\nGWLOG_FIELD("):
    sys.exit("docs/gen/gwlog.py: a GWLOG_FIELD row of gwlog_fields.def was not understood")
body = ["| field | from the access log | notes |", "|---|---|---|"]
for column, source, notes in rows:
    row = "| `%s` | %s | %s" % (column, "`%s`" % source if source else "computed", notes)
    body.append(row.rstrip() + " |")
page = open(os.path.join(ROOT, "docs", "streaming.md")).read()
head, rest = page.split(BEGIN, 1)
tail = rest.split(END, 1)[1]
sys.stdout.write(head + BEGIN + "\n" + "\n".join(body) + "\n" + END + tail)

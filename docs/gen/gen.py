import os, sys, subprocess, shutil
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
import entries1, entries2, entries3, entries4, entries5, entries6, entries7, entries8
import entries10, entries12, entries13, entries14, entries15, entries16, entries19

ALL = (entries1.E + entries2.E + entries3.E + entries4.E + entries5.E + entries6.E + entries7.E +
       entries8.E + entries10.E + entries12.E + entries13.E + entries14.E +
       entries15.E + entries16.E + entries19.E)
codes = {}
for line in subprocess.run([APIM, "validate", "--list-codes"], capture_output=True,
                           text=True).stdout.splitlines():
    c, level, slug = line.split()
    codes[c] = (level, slug)

FAMILIES = [
    ("1", "APIM1xxx: reading input and JSON syntax",
     "These are found while a file is read and parsed. A file with a JSON error (not a "
     "warning) is not checked any further: fix these first."),
    ("2", "APIM2xxx: ARM template expressions",
     "These are found while the `[...]` expressions of a template are parsed and evaluated, "
     "with the parameter values given and local stand-ins for the deployment environment: "
     "subscription `00000000-0000-0000-0000-000000000000`, resource group `apimlocal` in "
     "`eastus`, deployment named after the file."),
    ("3", "APIM3xxx: template structure, parameters, resources and deployments",
     "These are about the template as Azure Resource Manager reads it: its top-level "
     "sections, parameter declarations and values, resource declarations, copy loops, "
     "dependencies, nested deployments and outputs."),
    ("4", "APIM4xxx: API Management resource properties",
     "These are about single `Microsoft.ApiManagement` resources: their types, names and "
     "properties, as the API Management REST API (api-version 2024-05-01) defines them, and "
     "the simple API document."),
    ("5", "APIM5xxx: checks across API Management resources",
     "These look at what the template deploys as a whole: operations and their URL templates, "
     "API paths, versions and revisions, and references from one resource to another (version "
     "sets, products, backends, named values, loggers, gateways, policy fragments).\n\n"
     "A reference to something the template does not declare is an error when the template "
     "also declares the `Microsoft.ApiManagement/service` resource (then nothing else can "
     "exist), and a warning when the template only adds to a service deployed elsewhere (the "
     "target may exist there)."),
    ("6", "APIM6xxx: what the local gateway does with the configuration",
     "These are about what this gateway does with a configuration, not about whether Azure "
     "accepts it: policies it does not apply yet (APIM6001), APIs it cannot serve (APIM6004), "
     "operations that fail closed (APIM6005), and making the routing plan (APIM6002, "
     "APIM6003). `apim validate`, `apim compile` and `apim gateway start` report the first "
     "three the same way (one code, one wording, the same places), each once; APIM6002 and "
     "APIM6003 come from the commands that make a plan (`apim compile`, `apim gateway start`, "
     "`apim api list --config`). With `--strict` they are errors like any warning."),
    ("7", "APIM7xxx: imported specifications and APIOps folders",
     "These are about what an API imports (an OpenAPI or Swagger specification given with "
     "`format` and `value`, a specification file of an APIOps folder, a bare specification "
     "served with `--path`) and about APIOps artifact folders. apimlocal imports specifications "
     "as API Management's importer does, offline: [openapi.md](openapi.md) has the rules and "
     "their sources."),
    ("8", "APIM8xxx: policy expressions",
     "These are about the C# written in policies: single expressions `@(...)` and blocks "
     "`@{...}` (https://learn.microsoft.com/azure/api-management/api-management-policy-expressions). "
     "Each is read by apimlocal's own C# front end, which reports where inside the expression "
     "the mistake is; [expressions.md](expressions.md) lists what it reads. The front end is "
     "not yet called by `apim validate`: the codes are reserved and documented here, and the "
     "unit tests (tests/unit/test_csx.c) pin each message."),
    ("9", "APIM9xxx: streaming jobs",
     "These are about streaming jobs declared next to the API Management resources: in a "
     "template's `metadata` (`\"apimlocal\": { \"streamingJobs\": [...] }`, which ARM does not "
     "evaluate) or in a sidecar file (`{ \"streamingJobs\": [...] }`). The rules are Spark "
     "Streaming's; [streaming.md](streaming.md) describes the format, its defaults and the "
     "checks."),
]


import re
HEAD = re.compile(r"^(.*:\d+:\d+|apim): (error|warning|note)(\[(APIM\d{4})\])?: ")


def only_code(lines, code):
    """The diagnostics of one code, with their notes and excerpts."""
    blocks, cur = [], None
    for l in lines:
        m = HEAD.match(l)
        if m and m.group(4):
            cur = [m.group(4), [l]]
            blocks.append(cur)
        elif cur is not None:
            cur[1].append(l)
    keep = [l for c, ls in blocks if c == code for l in ls]
    return keep


def render(e):
    level, slug = codes[e["code"]]
    out = ["", '<a id="%s"></a>' % e["code"].lower(), "",
           "### %s %s" % (e["code"], slug), ""]
    out.append("Level: %s." % level)
    out.append("")
    out.append(e["meaning"])
    out.append("")
    rc, err, so = (None, "", "")
    if e["files"] is not None:
        rc, err, so = run(e["code"], e["files"], e["args"], command=e.get("command", "validate"))
    # the input
    if e["snippet"] is not None:
        if e["snippet"] == "":
            out += ["Input: an empty `azuredeploy.json`.", ""]
        else:
            out += ["```%s" % (e["lang"] or ""), e["snippet"], "```", ""]
    elif e["show"] is not None:
        fn = next(iter(e["files"]))
        text = e["files"][fn]
        snippet = lines_between(text, *e["show"])
        out += ["```" + (e["lang"] or "json"), snippet, "```", ""]
    elif not e["cmd"]:
        fn = next(iter(e["files"]))
        out += ["```" + (e["lang"] or "json"), e["files"][fn].rstrip("\n"), "```", ""]
    if e["cmd"]:
        out += ["```sh", "$ " + e["cmd"], "```", ""]
    # the output
    if e["files"] is None:
        out += ["`apim validate` does not report this code today, so there is no output to show.", ""]
        out.append("Fix: " + e["fix"])
        return "\n".join(out)
    lines = only_code(err.rstrip("\n").split("\n"), e["code"])
    if e["out"] == "trim":
        lines = [l if len(l) < 110 else l[:100] + " ..." for l in lines]
    elif e["out"] == "first":
        lines = lines[:1]
    elif e["out"] == "last2":
        lines = ["..."] + lines[-6:]
    elif callable(e["out"]):
        lines = e["out"](lines)
    out += ["```", "\n".join(lines), "```", ""]
    if e["note"]:
        out += [e["note"], ""]
    out.append("Fix: " + e["fix"])
    return "\n".join(out)


def main():
    seen = set()
    body = []
    for fam, title, intro in FAMILIES:
        body += ["", "## " + title, "", intro]
        for e in ALL:
            if e["code"][4] == fam:
                body.append(render(e))
                seen.add(e["code"])
    missing = set(codes) - seen
    if missing:
        print("MISSING", sorted(missing), file=sys.stderr)
    extra = seen - set(codes)
    if extra:
        print("EXTRA", sorted(extra), file=sys.stderr)
    intro = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "intro.md")).read()
    index = ["", "## Index", "", "| code | level | name |", "|---|---|---|"]
    for c in sorted(codes):
        index.append("| [%s](#%s) | %s | %s |" % (c, c.lower(), codes[c][0], codes[c][1]))
    text = intro.rstrip("\n") + "\n" + "\n".join(index) + "\n" + "\n".join(body) + "\n"
    sys.stdout.write(text)
    shutil.rmtree(ROOT, ignore_errors=True)
    if missing or extra:
        sys.exit(1)


main()

#!/usr/bin/env python3
"""Policy corpus: every policy document of the public corpus that is a bare
XML file (policy-snippets/, policy-toolkit-testdata/, ai-gateway/, apiops/)
goes through `apim validate` inside a template that makes it an API policy
(a <fragment> root: a policy fragment), and the policy diagnostics
(APIM4011..APIM4049, and the expressions' APIM8001..APIM8019) are printed one a line, without the wrapper's noise:

    path: line:col: level[code]: message

then a count per code. Run as a test, the output must equal
tests/corpus/expected/policies.out (UPDATE=1 rewrites it).

    tests/corpus/policy-corpus.py build/runtime/cli/apim ../shared/corpus
"""
import json, os, re, subprocess, sys, tempfile

apim, corpus = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
DIRS = ["policy-snippets", "policy-toolkit-testdata", "ai-gateway", "apiops"]
LINE = re.compile(r"^[^:]*:(\d+):(\d+): (error|warning|note)\[(APIM[48]\d{3})\]: (.*)$")
POLICY_CODES = set("APIM40%02d" % n for n in range(11, 50))
POLICY_CODES |= set("APIM80%02d" % n for n in range(1, 20))  # policy expressions


def template(text):
    fragment = text.lstrip().startswith("<fragment")
    res = [{"type": "Microsoft.ApiManagement/service", "apiVersion": "2024-05-01",
            "name": "svc", "location": "westeurope",
            "sku": {"name": "Developer", "capacity": 1},
            "properties": {"publisherEmail": "a@contoso.com", "publisherName": "c"}}]
    if fragment:
        res.append({"type": "Microsoft.ApiManagement/service/policyFragments",
                    "apiVersion": "2024-05-01", "name": "svc/f",
                    "properties": {"format": "rawxml", "value": text}})
    else:
        res.append({"type": "Microsoft.ApiManagement/service/apis", "apiVersion": "2024-05-01",
                    "name": "svc/a", "properties": {"displayName": "a", "path": "a",
                                                    "serviceUrl": "http://127.0.0.1:1"}})
        res.append({"type": "Microsoft.ApiManagement/service/apis/policies",
                    "apiVersion": "2024-05-01", "name": "svc/a/policy",
                    "properties": {"format": "rawxml", "value": text}})
    return {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/"
            "deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": res}


files = []
for d in DIRS:
    for root, _, names in os.walk(os.path.join(corpus, d)):
        files += [os.path.join(root, n) for n in names if n.endswith(".xml")]
files.sort()
counts, out, checked = {}, [], 0
with tempfile.TemporaryDirectory() as tmp:
    for f in files:
        text = open(f, encoding="utf-8", errors="replace").read()
        if "<policies" not in text and "<fragment" not in text:
            continue
        checked += 1
        path = os.path.join(tmp, "t.json")
        json.dump(template(text), open(path, "w"), indent=1)
        err = subprocess.run([apim, "validate", "-q", path], capture_output=True,
                             text=True).stderr
        for line in err.splitlines():
            m = LINE.match(line)
            if m and m.group(4) in POLICY_CODES:
                counts[m.group(4)] = counts.get(m.group(4), 0) + 1
                out.append("%s: %s" % (os.path.relpath(f, corpus), line.split(": ", 1)[1]))
report = "\n".join(out) + "\n\n%d policy files checked\n" % checked
report += "".join("%s %d\n" % (c, counts[c]) for c in sorted(counts))
expected = os.path.join(here, "expected", "policies.out")
if os.environ.get("UPDATE") == "1":
    open(expected, "w").write(report)
elif len(sys.argv) > 3 and sys.argv[3] == "--check":
    if open(expected).read() != report:
        sys.stdout.write(report)
        sys.exit("policy-corpus: output differs from %s (UPDATE=1 rewrites it)" % expected)
else:
    sys.stdout.write(report)

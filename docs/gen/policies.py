"""docs/policies.md from the policy catalog (compiler/policies.def and
compiler/policy_attrs.def), as `apim validate --list-policies` and
`apim validate --list-policy-elements` print them:

    python3 docs/gen/policies.py build/runtime/cli/apim > docs/policies.md

tests/docs/check-policies.sh regenerates it and requires it unchanged."""
import subprocess
import sys

APIM = sys.argv[1] if len(sys.argv) > 1 else "apim"
FAMILIES = ["Rate limiting and quotas", "Authentication and authorization", "Content validation",
            "Routing", "Caching", "Transformation", "Cross-domain",
            "Integration and external communication", "Logging and metrics",
            "GraphQL resolvers", "Policy control and flow"]

rows = []
out = subprocess.run([APIM, "validate", "--list-policies"], capture_output=True, text=True,
                     check=True).stdout
for line in out.splitlines():
    name, family, sections, scopes, flags, local = line.split("\t")
    rows.append(dict(name=name, family=family, sections=sections, scopes=scopes,
                     flags=flags.split(), local=local))


ELEMENTS, ATTRS, CHILDREN = {}, {}, {}
out = subprocess.run([APIM, "validate", "--list-policy-elements"], capture_output=True,
                     text=True, check=True).stdout
for line in out.splitlines():
    f = line.split("\t")
    if f[0] == "E":
        ELEMENTS[f[1]] = dict(content=f[2], rules=f[3].split())
    elif f[0] == "A":
        ATTRS.setdefault(f[1], []).append(dict(name=f[2], type=f[3], flags=f[4].split(),
                                               default=f[5], allowed=f[6], range=f[7]))
    elif f[0] == "C":
        CHILDREN.setdefault(f[1], []).append(dict(name=f[2], path=f[3], min=f[4], max=f[5],
                                                  flags=f[6].split()))


def local_text(r):
    if r["local"] != "-":
        return r["local"][0].upper() + r["local"][1:]
    if "fail-closed" in r["flags"]:
        return ("Not applied: operations whose effective policy holds it fail closed "
                "(500, APIM6005)")
    return "Not applied yet: reported (APIM6001), the request goes on without it"


print("""# Policies

Every policy element of Azure API Management that apimlocal knows: where it
may stand (sections), where its document may live (scopes), and what the local
gateway does with it today. This page is generated from the catalog,
[`compiler/policies.def`](../compiler/policies.def), by `docs/gen/policies.py`
(`apim validate --list-policies`); a test keeps it in step. The same rows drive
the checks: an element where a policy stands that is not here is APIM4011
(with "did you mean"), a policy in a section or at a scope its row does not
list is APIM4012 or APIM4013.

Sections and scopes come from the "Usage" block of each policy's page in
Microsoft's policy reference (learn.microsoft.com/azure/api-management,
"API Management policy reference"), collected with their sources in the
project's policy catalog reference: 72 rows, of which the Dapr form of
`set-backend-service` is the same element as the plain one, so it is one row
here (sections inbound and backend). Where the pages disagree: `trace` is
allowed in on-error (Microsoft's error-handling page and samples use it
there), `check-header` at workspace scope (every sibling access policy lists
it).

**Fails closed** marks policies whose job is to refuse requests: access
control (`check-header`, `ip-filter`, `validate-jwt`,
`validate-azure-ad-token`, `validate-client-certificate`), limits
(`rate-limit`, `rate-limit-by-key`, `quota`, `quota-by-key`,
`llm-token-limit`, `azure-openai-token-limit`, `limit-concurrency`) and
content validation (`validate-content`, `validate-parameters`,
`validate-headers`, `validate-status-code`, `validate-odata-request`,
`validate-graphql-request`, `llm-content-safety`). Skipping one would let
through a request Azure refuses, so an operation whose effective policy holds
one answers `{ "statusCode": 500, "message": "Internal server error" }`
instead (docs/gateway.md, "Fail closed"). `limit-concurrency` is among them:
an unlimited gateway is not a limited one. Validation policies in detect-only
mode (`action="detect"`) close the operation too; the fail-closed rule does
not read attributes yet. Policies that answer in the backend's place (`return-response`,
`mock-response`) or steer the flow (`choose`) are not in this set: they are
reported (APIM6001) and the request is forwarded.

**Container** policies hold policies (`retry`, `wait`, `limit-concurrency`);
`choose` holds them in its `when` and `otherwise`. Everything else inside a
policy (`<value>`, `<openid-config>`, `<set-url>` in `send-request`, ...) is
that policy's own configuration, not a policy.

Sections: I inbound, B backend, O outbound, E on-error. Scopes: G global,
W workspace, P product, A API, Op operation, resolver (GraphQL resolver
policies only).""")

SEC = {"inbound": "I", "backend": "B", "outbound": "O", "on-error": "E", "none": "-"}
SCO = {"global": "G", "workspace": "W", "product": "P", "API": "A", "operation": "Op",
       "GraphQL resolver": "resolver"}


def short(text, table):
    return " ".join(table[p] for p in text.split(", "))


for fam in FAMILIES:
    group = [r for r in rows if r["family"] == fam]
    if not group:
        continue
    print("\n## %s\n" % fam)
    print("| policy | sections | scopes | kind | local gateway |")
    print("|---|---|---|---|---|")
    for r in group:
        kind = ", ".join(f for f in r["flags"]) or ""
        print("| `%s` | %s | %s | %s | %s |" % (r["name"], short(r["sections"], SEC),
                                               short(r["scopes"], SCO), kind, local_text(r)))

# ---- what each policy holds (compiler/policy_attrs.def) ----

CONTENT = {"empty": "nothing else", "text": "text or a policy expression",
           "elements": "only the elements below", "mixed": "the elements below and text",
           "policies": "policies", "some-policies": "only the policies below",
           "any": "free-form content (not checked)"}
RULES = {"once-per-document": "once per policy document", "once-per-section": "once per section",
         "not-in-fragment": "not in a policy fragment",
         "inherits": "inherits the parent scope's section; once per section; nothing to inherit "
                     "at global scope"}


def values(a):
    if "sets-var" in a["flags"]:
        return "names the context variable the policy sets (APIM4034)"
    if a["allowed"] != "-":
        return ", ".join("`%s`" % v for v in a["allowed"].split("|"))
    if a["range"] != "-":
        lo, hi = a["range"].split("..")
        return "%s to %s" % (lo, hi) if hi else "at least %s" % lo
    return ""


def required(a):
    if "required" in a["flags"]:
        return "yes"
    if "one-of" in a["flags"]:
        return "one of a group" + (" (only one)" if "exclusive" in a["flags"] else "")
    return "at most one of a group" if "exclusive" in a["flags"] else "no"


def occurs(c):
    hi = "any number" if c["max"] == "many" else c["max"]
    if c["max"] == "0":
        return "not allowed"
    if c["min"] == c["max"]:
        return c["min"]
    if c["min"] == "0" and c["max"] == "many":
        return "any number"
    return "%s to %s" % (c["min"], hi) if c["max"] != "many" else "at least %s" % c["min"]


def element(path, title, depth, seen, head=""):
    e = ELEMENTS[path]
    holds = "Holds %s%s." % (CONTENT[e["content"]], "".join("; " + RULES[r] for r in e["rules"]))
    lines = ["", "%s %s" % ("#" * depth, title), "", head + holds]
    if ATTRS.get(path):
        lines += ["", "| attribute | type | required | default | values | expression |",
                  "|---|---|---|---|---|---|"]
        for a in ATTRS[path]:
            lines.append("| `%s` | %s | %s | %s | %s | %s |" % (
                a["name"], a["type"], required(a),
                "`%s`" % a["default"] if a["default"] != "-" else "", values(a),
                "no" if "no-expr" in a["flags"] else "yes"))
    kids = CHILDREN.get(path, [])
    if kids:
        lines += ["", "| element | occurs | described |", "|---|---|---|"]
        for c in kids:
            where = ("free-form" if c["path"] == "-" else "policy `%s`" % c["path"]
                     if " " not in c["path"] else "below")
            note = " (last)" if "last" in c["flags"] else ""
            note += " (one of a group)" if "one-of" in c["flags"] else ""
            lines.append("| `<%s>` | %s%s | %s |" % (c["name"], occurs(c), note, where))
    print("\n".join(lines))
    for c in kids:
        if c["path"] != "-" and " " in c["path"] and c["path"] not in seen:
            seen.add(c["path"])
            element(c["path"], "`<%s>` in `%s`" % (c["name"], path.split(" ")[0]), 4, seen)


print("""
## What each policy holds

Attributes and child elements of every policy, from
[`compiler/policy_attrs.def`](../compiler/policy_attrs.def), as each policy's
page in Microsoft's policy reference gives them ("Attributes" and "Elements"
tables, learn.microsoft.com/azure/api-management/<name>-policy). The checks
read the same rows: an unknown attribute is APIM4020, a missing required one
APIM4021, a literal value of the wrong type, not among the allowed values or
out of range APIM4022, an expression where the page allows none APIM4023,
attributes of which only one is allowed APIM4024, an unknown, missing or
repeated child element APIM4025 to APIM4027, a policy allowed once per
document or section that appears again APIM4028. Every policy also takes the
optional `id` attribute. Expression "yes" means the attribute may be a policy
expression (`@(...)`, `@{...}`); literal values are checked, expressions and
`{{named values}}` when the request runs.""")
for fam in FAMILIES:
    for r in [r for r in rows if r["family"] == fam]:
        if r["name"] not in ELEMENTS:
            sys.exit("policies.py: no element row for %s" % r["name"])
        head = "Sections %s; scopes %s. Local gateway: %s. " % (
            short(r["sections"], SEC), short(r["scopes"], SCO), local_text(r))
        element(r["name"], "`%s`" % r["name"], 3, set(), head)

missing = [r["name"] for r in rows if r["family"] not in FAMILIES]
if missing:
    sys.exit("policies.py: rows without a known family: %s" % missing)

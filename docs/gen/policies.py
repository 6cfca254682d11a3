"""docs/policies.md from the policy catalog (compiler/policies.def), as
`apim validate --list-policies` prints it:

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
mode (`action="detect"`) close the operation too; the catalog does not read
attributes yet. Policies that answer in the backend's place (`return-response`,
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
missing = [r["name"] for r in rows if r["family"] not in FAMILIES]
if missing:
    sys.exit("policies.py: rows without a known family: %s" % missing)

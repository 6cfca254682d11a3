from lib import *

E = []


def add(code, meaning, fix, files=None, args=None, show=None, lang="json", out=None,
        cmd=None, note=None, snippet=None, command="validate"):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=show,
                  lang=lang, out=out, cmd=cmd, note=note, snippet=snippet, command=command))


API_URL = res("service/apis", "contoso-apim/orders-api",
              '{ "displayName": "Orders API", "path": "orders", '
              '"serviceUrl": "https://orders.contoso.com" }')


# ---------------------------------------------------------------- APIM1xxx

add("APIM1016",
    "The run found nothing to check: the folders given hold no ARM template, parameters file "
    "or simple API document (or are empty), so nothing was validated. A run that checked "
    "nothing fails, so a pipeline pointed at the wrong folder does not pass quietly. Notes say "
    "what was seen instead: Bicep files (Azure deploys their compiled JSON, not the `.bicep` "
    "text), and JSON files that are none of the kinds above (counted, as they are skipped "
    "without a word otherwise).",
    "Point `apim validate` at the folder that holds the templates. For Bicep, compile first: "
    "`az bicep build --file main.bicep` writes `main.json` beside it.",
    files={"infra/main.bicep": "param serviceName string = 'contoso-apim'\n",
           "infra/package.json": '{ "name": "infra", "version": "1.0.0" }\n'},
    args=["infra"], cmd="apim validate infra",
    snippet="infra/\n  main.bicep\n  package.json", lang=None)

# ---------------------------------------------------------------- APIM4xxx

add("APIM4011",
    "An element stands where a policy stands (directly in a section, or inside `retry`, "
    "`wait`, `limit-concurrency` or a `when`/`otherwise` of `choose`) and is not one of the "
    "policies of Microsoft's policy reference (docs/policies.md lists them). API Management "
    "refuses to save such a policy document. Elements inside a policy (such as `<value>` in "
    "`set-header` or `<openid-config>` in `validate-jwt`) are the policy's own and are not "
    "checked here.",
    "Correct the spelling (the note suggests the closest policy), or move the element into "
    "the policy it belongs to.",
    files={"azuredeploy.json": T(API_URL + ",\n" + api_policy(
        doc('<base /><validate-jwtt header-name="Authorization"><openid-config '
            'url="https://login.contoso.com/.well-known/openid-configuration" /></validate-jwtt>'
            )))},
    show=('"value"',), out=trim_excerpts)

add("APIM4012",
    "A policy stands in a section its reference page does not list (for example `rewrite-uri`, "
    "which rewrites the inbound request, placed in `backend`), a section has a name "
    "other than `inbound`, `backend`, `outbound` and `on-error`, or the document's root "
    "element is not `<policies>` (`<fragment>` for a policy fragment). API Management refuses "
    "these when the policy is saved (\"Policy section is not allowed in the specified "
    "scope\").",
    "Move the policy to a section it allows (the message lists them), or fix the section "
    "name. A document starts with `<policies>` and holds the four sections.",
    files={"azuredeploy.json": T(API_URL + ",\n" + api_policy(
        '<policies><inbound><base /></inbound><backend><rewrite-uri template="/v2" />'
        '<forward-request /></backend><outbound><base /></outbound></policies>'))},
    show=('"value"',), out=trim_excerpts)

add("APIM4013",
    "A policy is used at a scope its reference page does not allow: `quota` only at product "
    "scope, `cross-domain` only at global scope, `rate-limit` not at global scope, "
    "`validate-odata-request` not at operation scope, the GraphQL data sources only in "
    "resolver policies. API Management refuses to save it there.",
    "Move the policy to a scope it allows (the message lists them): for `quota`, the product's "
    "policy; for a limit per API, `rate-limit-by-key` or `quota-by-key`.",
    files={"azuredeploy.json": T(API_URL + ",\n" + api_policy(
        doc('<base /><quota calls="1000" renewal-period="3600" />')))},
    show=('"value"',), out=trim_excerpts)

add("APIM4014",
    "The policy reader stopped before the end of a policy document: its elements nest deeper "
    "than the reader's cap (128 levels, APIM1038) or it holds more syntax errors than are "
    "reported per document (50). The policies after that point are not checked, and, as what "
    "they do cannot be known, the operations that use the document fail closed in the local "
    "gateway (APIM6005). Other syntax errors (APIM1030-APIM1039) do not stop the reader.",
    "Fix the errors reported before it, or flatten the document.",
    files={"azuredeploy.json": T(API_URL + ",\n" + api_policy(
        doc('<base />' + '<choose><when condition="@(true)">' * 130)))},
    snippet=('"value": "<policies><inbound><base /><choose><when condition=\\"@(true)\\">'
             '<choose><when condition=\\"@(true)\\"> ... (130 levels) ... </inbound>'
             '<backend><base /></backend> ... </policies>"'),
    out=trim_excerpts)

# ---------------------------------------------------------------- APIM5xxx

add("APIM5025",
    "All the files of a run are one deployment, so the same resource (the same type and full "
    "name, compared without case as Azure Resource Manager does) declared in two places must "
    "say the same thing: the second deployment would overwrite the first. Declarations that "
    "are the same are fine (deployments are idempotent): the same evaluated declaration, "
    "without `apiVersion`, `comments`, `metadata` and `dependsOn`, with values known only at "
    "deployment counting as the same when they depend on the same thing. The first "
    "declaration is kept; a note points at it.",
    "Declare the resource in one file only, or make the declarations agree.",
    files={"apim/service.json": T(SERVICE + ",\n" + API_URL),
           "apim/orders-api.json": T(res("service/apis", "contoso-apim/orders-api",
                                         '{ "displayName": "Orders API", "path": "sales/orders", '
                                         '"serviceUrl": "https://orders.contoso.com" }'))},
    args=["apim"], cmd="apim validate apim", lang=None,
    snippet='apim/service.json     declares contoso-apim/orders-api with "path": "orders"\n'
            'apim/orders-api.json  declares contoso-apim/orders-api with "path": "sales/orders"')

# ---------------------------------------------------------------- APIM6xxx

JWT = ('<validate-jwt header-name="Authorization" failed-validation-httpcode="401">'
       '<openid-config url="https://login.contoso.com/.well-known/openid-configuration" />'
       '</validate-jwt>')
OP_LIST = res("service/apis/operations", "contoso-apim/orders-api/list-orders",
              '{ "displayName": "List orders", "method": "GET", "urlTemplate": "/orders" }')

add("APIM6005",
    "The operation's effective policy (global, product, API and operation scopes, composed "
    "through `<base />` as Azure does: a section without `<base />` drops the outer scope's "
    "section) holds a policy that refuses requests (access control, limits, content "
    "validation: docs/policies.md marks them) which the local gateway does not apply yet. "
    "Rather than let such requests through, the gateway fails closed: it answers "
    "`{ \"statusCode\": 500, \"message\": \"Internal server error\" }` and logs which policy at "
    "which scope. A product's policy closes the operation only for requests that run under "
    "that product (the message says which); a policy document that cannot be read (linked "
    "from a URL, known only at deployment, a fragment that is not there) counts as one that "
    "refuses. With `--allow-unenforced-policies` (compile, gateway start) the operation is "
    "served anyway and the message says so.",
    "Nothing, if the operation need not be called locally. To call it locally without the "
    "policy, start the gateway with `--allow-unenforced-policies`, or give the operation a "
    "policy whose section does not run the outer one (no `<base />`).",
    files={"azuredeploy.json": T(API_URL + ",\n" + OP_LIST + ",\n" + api_policy(
        doc("<base />" + JWT)))},
    show=('"name": "contoso-apim/orders-api/list-orders"',), out=trim_excerpts)


# APIM6006: what the local gateway cannot resolve in set-backend-service.

SECRET = res("service/namedValues", "contoso-apim/orders-host",
             '{ "displayName": "orders-host", "value": "https://orders.contoso.com", "secret": true }')

POLICY_NV = res("service/apis/policies", "contoso-apim/orders-api/policy", '''{
        "format": "rawxml",
        "value": "<policies><inbound><base /><set-backend-service base-url=\\"{{orders-host}}/v1\\" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"
      }''')

add("APIM6006",
    "A `set-backend-service` policy that the local gateway applies (at the top of `inbound`, "
    "outside product scope) has a `base-url` built from named values (`{{name}}`), and one of "
    "them cannot be resolved when the plan is compiled. A plain named value whose value is "
    "literal text is replaced by its value (named values are documented as usable in policy "
    "attribute values: https://learn.microsoft.com/azure/api-management/"
    "api-management-howto-properties), so `base-url=\"{{orders-host}}/v1\"` sends requests "
    "there. What cannot be resolved: a Key Vault named value (its secret is in Azure Key "
    "Vault, which the local gateway cannot read), a secret one (a plan file never holds "
    "secrets), one whose value is a policy expression or known only at deployment, and one "
    "the template does not define. Sending such requests to the API's `serviceUrl` instead "
    "would test the wrong backend without a word, so the document's `inbound` section fails "
    "closed: its operations answer 500 (APIM6005 lists them) and the backend is never called.",
    "Make the named value plain (`\"secret\": false`, a literal `value`) for local runs, give "
    "the URL in a backend (`backend-id`), or accept that these operations answer 500 locally.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + SECRET + ",\n" + API_URL + ",\n" + OP + ",\n" +
                                 POLICY_NV)},
    args=["azuredeploy.json", "--file-path", "app.plan"],
    cmd="apim compile azuredeploy.json --file-path app.plan", command="compile",
    show=('base-url',))

from lib import *

# APIM6006: what the local gateway cannot resolve in set-backend-service.

E = []


def add(code, meaning, fix, files, args, cmd, show=None, snippet=None, note=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=show,
                  lang="json", out=None, cmd=cmd, note=note, snippet=snippet,
                  command="compile"))


def res(type_, name, props):
    return '''    {
      "type": "Microsoft.ApiManagement/%s",
      "apiVersion": "2024-05-01",
      "name": "%s",
      "properties": %s
    }''' % (type_, name, props)


API_URL = res("service/apis", "contoso-apim/orders-api",
              '{ "displayName": "Orders API", "path": "orders", "serviceUrl": "http://127.0.0.1:5000" }')

SECRET = res("service/namedValues", "contoso-apim/orders-host",
             '{ "displayName": "orders-host", "value": "https://orders.contoso.com", "secret": true }')

POLICY = res("service/apis/policies", "contoso-apim/orders-api/policy", '''{
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
                                 POLICY)},
    args=["azuredeploy.json", "--file-path", "app.plan"],
    cmd="apim compile azuredeploy.json --file-path app.plan",
    show=('base-url',))

from lib import *

E = []


def add(code, meaning, fix, files, args, cmd, show=None, snippet=None, note=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=show,
                  lang="json", out=None, cmd=cmd, note=note, snippet=snippet,
                  command="compile"))


API_URL = '''    {
      "type": "Microsoft.ApiManagement/service/apis",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/orders-api",
      "properties": { "displayName": "Orders API", "path": "orders", "serviceUrl": "http://127.0.0.1:5000" }
    }'''

POLICY = res("service/apis/policies", "contoso-apim/orders-api/policy", '''{
        "format": "rawxml",
        "value": "<policies><inbound><base /><rate-limit calls=\\"10\\" renewal-period=\\"60\\" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"
      }''')

add("APIM6001",
    "A policy in the configuration is one the local gateway does not run yet. The plan is made "
    "without it, so requests behave as if the policy were not there; this warning makes sure "
    "that never happens silently. Today the gateway honours `set-backend-service` (with a "
    "literal `backend-id` or `base-url`, or a `base-url` built from plain named values, "
    "APIM6006), `forward-request` and `base`.",
    "Nothing, if the policy does not matter for local testing; with `--strict` the warning is "
    "an error, for pipelines that must run every policy.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API_URL + ",\n" + OP + ",\n" + POLICY)},
    args=["azuredeploy.json", "--file-path", "app.plan"],
    cmd="apim compile azuredeploy.json --file-path app.plan",
    show=('"value"',))

add("APIM6002",
    "The plan serves one API Management service, and the configuration does not say which: it "
    "deploys several services with APIs, or none, or `--service-name` names one it does not have.",
    "Choose the service with `--service-name NAME`, or split the template.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API_URL + ",\n" + OP)},
    args=["azuredeploy.json", "--file-path", "app.plan", "--service-name", "fabrikam-apim"],
    cmd="apim compile azuredeploy.json --file-path app.plan --service-name fabrikam-apim",
    snippet=None)

add("APIM6003",
    "`--api-name` asks to serve only one API, and the service has no API of that name.",
    "Use an API name from `apim api list --config FILE` (the resource name, such as "
    "`orders-api`, not the display name).",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API_URL + ",\n" + OP)},
    args=["azuredeploy.json", "--file-path", "app.plan", "--api-name", "billing-api"],
    cmd="apim compile azuredeploy.json --file-path app.plan --api-name billing-api")

add("APIM6004",
    "An API cannot be served by the local gateway: it has no `path` (Azure allows an empty "
    "one only for some API types) or it is a WebSocket API. The plan is made without it.",
    "Give the API a path, or ignore the warning if the API is not needed locally.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + res(
        "service/apis", "contoso-apim/chat-api", '''{
        "displayName": "Chat",
        "path": "chat",
        "type": "websocket",
        "protocols": [ "wss" ],
        "serviceUrl": "ws://127.0.0.1:5000/chat"
      }''') + ",\n" + API_URL + ",\n" + OP)},
    args=["azuredeploy.json", "--file-path", "app.plan"],
    cmd="apim compile azuredeploy.json --file-path app.plan",
    show=('"type": "websocket"',))

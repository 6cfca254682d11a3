from lib import *

# APIM4015-4019, APIM5026-5029: the model accepts what Azure accepts (issue 8);
# APIM5027: a method one typo from a common one (issue 9).

E = []


def add(code, meaning, fix, files=None, args=None, show=None, lang="json", out=None,
        cmd=None, note=None, snippet=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=show,
                  lang=lang, out=out, cmd=cmd, note=note, snippet=snippet))


add("APIM4015",
    "An API's `type` (or `apiType`) is a value apimlocal does not know, at an api-version newer "
    "than the newest it knows. The REST API's ApiType is an open enum (\"new types can be added "
    "in the future\"; 2025-09-01-preview lists `http`, `soap`, `websocket`, `graphql`, `grpc`, "
    "`odata` and `mcp`), so the value may be valid there. At an api-version apimlocal knows, an "
    "unknown type stays an error (APIM4005); `mcp` is accepted at every api-version, as Azure "
    "deploys it from 2024-06-01-preview templates. Properties are read by the resource's own "
    "api-version: up to 2018-01-01 an API imports `contentFormat` + `contentValue`, later ones "
    "`format` + `value` (Microsoft.ApiManagement service/apis template reference, per "
    "api-version).",
    "Check the type's spelling against the ApiType of the api-version you use (learn.microsoft.com: "
    "Microsoft.ApiManagement service/apis template reference).",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/apis",
      "apiVersion": "2099-01-01-preview",
      "name": "contoso-apim/agents",
      "properties": { "type": "a2a", "displayName": "Agents", "path": "agents" }
    }''')},
    show=('"type"',))

add("APIM5026",
    "A note: the template refers to a product (`starter`, `unlimited`), an API (`echo-api`) or a "
    "group (`administrators`, `developers`, `guests`) that it does not declare, but that API "
    "Management creates with every new instance outside the Consumption tier (learn.microsoft.com: "
    "\"Tutorial: Create and publish a product\", \"How to use groups\"). It exists unless someone "
    "deleted it, which a template cannot show. Links to groups (`products/groups`, `groups/users`) get the note for the built-in groups. A Consumption-tier service has none of them, so "
    "there the reference is an error (APIM5008, APIM5009, APIM5021). apimlocal's gateway serves "
    "what the template declares: it does not make up the default products or echo-api (whose "
    "backend, http://echoapi.cloudapp.net/api, is a public service).",
    "Nothing, if the instance still has it. To depend on it explicitly (and to test it locally), "
    "declare it in the template.",
    files={"azuredeploy.json": T(SERVICE + ''',
    {
      "type": "Microsoft.ApiManagement/service/subscriptions",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/partner",
      "properties": { "displayName": "Partner", "scope": "/products/starter", "state": "active" }
    }''')},
    show=('"scope"',))

add("APIM5027",
    "An operation's `method` is a valid token but neither in IANA's HTTP Method Registry (nor "
    "the common `PURGE`) and one or two typos away from a method people use (`GTE` for `GET`, "
    "`POTS` for `POST`). API Management accepts any method token (the REST API's `method` is a "
    "free string), so the template deploys, and every call to the operation with the method "
    "meant then gets 404. Registered methods (WebDAV's `PROPFIND`, ...) and methods far from "
    "every common one (`SUBSCRIBE`) are taken as meant.",
    "Correct the method, or keep it if the custom method is meant.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ''',
    {
      "type": "Microsoft.ApiManagement/service/apis/operations",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/order-api/get-order",
      "properties": { "displayName": "Get order", "method": "GTE", "urlTemplate": "/orders/{id}",
                      "templateParameters": [ { "name": "id", "type": "string", "required": true } ] }
    }''')},
    show=('"method"',))

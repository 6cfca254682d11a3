from lib import *

# APIM4015-4019, APIM5026-5029: the model accepts what Azure accepts (issue 8).

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
    "deleted it, which a template cannot show. (Links to groups, `products/groups` and `groups/users`, are not checked, so the built-in groups never need the note.) A Consumption-tier service has none of them, so "
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

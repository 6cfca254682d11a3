from lib import *

E = []


def add(code, meaning, fix, files=None, args=None, show=None, lang="json", out=None,
        cmd=None, note=None, snippet=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=show,
                  lang=lang, out=out, cmd=cmd, note=note, snippet=snippet))


def op(name, method, url, params=None, api="orders-api"):
    tp = ""
    if params:
        tp = ',\n        "templateParameters": [\n' + ",\n".join(
            '          { "name": "%s", "type": "string", "required": true }' % p for p in params) + "\n        ]"
    return res("service/apis/operations", "contoso-apim/%s/%s" % (api, name), '''{
        "displayName": "%s",
        "method": "%s",
        "urlTemplate": "%s"%s
      }''' % (name, method, url, tp))


OP2 = op("list-orders", "GET", "/orders")

# ---------------------------------------------------------------- APIM4xxx

add("APIM4001",
    "A resource type starts with `Microsoft.ApiManagement/` but is not an API Management "
    "resource type, usually a misspelling (`service/namedValue` for `service/namedValues`). "
    "The resource is skipped.",
    "Correct the type; the API Management template reference lists the types.",
    files={"azuredeploy.json": T(res("service/namedValue", "contoso-apim/backend-host",
                                      '{ "displayName": "backend-host", "value": "orders.contoso.com" }'))},
    show=('"type"',))

add("APIM4002",
    "The template deploys a resource that is not part of API Management (Application Insights, "
    "Key Vault, a storage account, ...). It is skipped locally; Azure deploys it as usual. "
    "Reported once per type and file. Being a note, it does not make the template invalid.",
    "Nothing to fix. Values read from such resources (`reference()`, `listKeys()`) are known "
    "only at deployment, so checks that need them are skipped.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.Insights/components",
      "apiVersion": "2020-02-02",
      "name": "contoso-apim-insights",
      "location": "westeurope",
      "kind": "web",
      "properties": { "Application_Type": "web" }
    }''')},
    show=('"type"',))

add("APIM4003",
    "An API Management resource lacks a property that Azure requires: an API's `path`, an "
    "operation's `displayName`, `method` or `urlTemplate`, a product's `displayName`, a "
    "subscription's `displayName` and `scope`, a backend's `url` and `protocol` (or `pool` for "
    "a pool), a named value's `displayName` and its `value` or `keyVault`, a version set's "
    "`displayName` and `versioningScheme` (and `versionQueryName` or `versionHeaderName` for "
    "the Query and Header schemes), an `apiLinks` resource's `apiId`, a `templateParameters` "
    "entry's `name`, a logger's "
    "`loggerType`, a diagnostic's `loggerId`, a policy's `value`, a policy fragment's `value`.",
    "Add the property.",
    files={"azuredeploy.json": T(res("service/apis/operations", "contoso-apim/orders-api/create-order",
                                     '{ "displayName": "Create order", "urlTemplate": "/orders" }'))},
    show=('"type"', '"properties"'))

add("APIM4004",
    "An API Management resource's `properties` has a property that its type does not have in "
    "the REST API. Azure rejects or ignores it, so a misspelled property silently does nothing. "
    "A close known name is suggested.",
    "Correct or remove the property.",
    files={"azuredeploy.json": T(res("service/apis", "contoso-apim/orders-api", '''{
        "displayName": "Orders API",
        "path": "orders",
        "subscriptionKeyRequired": false
      }''') + ",\n" + OP2)},
    show=('"properties": {', '"subscriptionKeyRequired"'))

add("APIM4005",
    "A property of an API Management resource has a value of the wrong JSON type (`\"false\"` "
    "for a bool, `\"10\"` for an int), a value outside its enumeration (backend `protocol` "
    "`http` or `soap`, product `state` `published` or `notPublished`, API `protocols` `http`, "
    "`https`, `ws`, `wss`, policy `format`, version set `versioningScheme`, ...), or a named "
    "value `displayName` with characters other than letters, digits, `.`, `-` and `_`. "
    "Enumerations are compared without case. An int where a string is taken (an `int` "
    "parameter passed to `apiRevision`, say) is a warning, not an error: the REST API's type is "
    "string, but no Microsoft documentation says a number is refused, and public templates "
    "written so exist; the local model takes the number's text.",
    "Use a value of the right type from the listed ones. A backend that is reached over HTTPS "
    "still has `\"protocol\": \"http\"`; the scheme is in its `url`.",
    files={"azuredeploy.json": T(res("service/backends", "contoso-apim/orders-backend", '''{
        "url": "https://orders.contoso.com/api",
        "protocol": "https"
      }'''))},
    show=('"properties": {', '"protocol"'))

add("APIM4006",
    "The name of an API Management entity has an empty segment or a character that API "
    "Management does not allow in names: `*`, `#`, `&`, `+`, `:`, `<`, `>`, `?`. The resource "
    "is skipped.",
    "Rename the resource; letters, digits, `-`, `_` and `.` are safe. Revisions use `;rev=N`.",
    files={"azuredeploy.json": T(res("service/apis", "contoso-apim/orders-api:v2",
                                     '{ "displayName": "Orders API v2", "path": "orders/v2" }'))},
    show=('"name"',))

add("APIM4007",
    "A policy resource (`service/policies`, `apis/policies`, `apis/operations/policies`, "
    "`products/policies`) is not named `policy`. API Management has one policy document per "
    "scope, and its name is always `policy`.",
    "Name the resource `policy` (the last segment of its full name).",
    files={"azuredeploy.json": T(res("service/apis/policies", "contoso-apim/orders-api/policies", '''{
        "format": "rawxml",
        "value": "<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"
      }'''))},
    show=('"name"',))

add("APIM4008",
    "A policy's `format` is `xml-link` or `rawxml-link`: its `value` is a URL that Azure "
    "fetches at deployment. `apim validate` does not fetch it, so the policy is neither "
    "checked nor applied locally.",
    "Inline the policy (`format` `xml` or `rawxml`) to have it checked, or accept the warning.",
    files={"azuredeploy.json": T(API + ",\n" + OP + ",\n" + res(
        "service/apis/policies", "contoso-apim/orders-api/policy", '''{
        "format": "rawxml-link",
        "value": "https://contosoartifacts.blob.core.windows.net/policies/orders-api.xml"
      }'''))},
    show=('"format": "rawxml-link"', '"value"'))

add("APIM4009",
    "The `apiVersion` of a `Microsoft.ApiManagement` resource is not one of the REST API's "
    "published versions (2016-07-07 to 2025-03-01-preview). Azure fails the deployment with "
    "\"No registered resource provider found ... API version\". The usual slip is a `-preview` "
    "suffix added to a stable version or left off a preview. A well-formed date after the "
    "newest version apimlocal knows is only a note, since Microsoft may have published it "
    "since.",
    "Use a published version, such as `2024-05-01` (the newest stable one).",
    files={"azuredeploy.json": T(SERVICE.replace('"apiVersion": "2024-05-01"',
                                                 '"apiVersion": "2024-05-01-preview"'))},
    show=('"type": "Microsoft.ApiManagement/service"', '"name"'))

add("APIM4010",
    "A simple API document (the seed format: `name`, `properties.apiName`, "
    "`properties.paths[].methods[]`) has a missing or malformed member: a path without `path` "
    "or `methods`, a method without `method` or `backend`, a backend `type` other than `http` "
    "or no `endpoint`, a `signedInUserOnly` that is not a bool.",
    "Complete the document; `examples/seed/simple-api.json` shows every member.",
    files={"simple-api.json": '''{
  "name": "OrdersAPI",
  "properties": {
    "apiName": "orders-api",
    "paths": [
      {
        "path": "/orders",
        "methods": [
          { "method": "get", "backend": { "type": "http" } }
        ]
      }
    ]
  }
}
'''},
    args=["simple-api.json"])

# ---------------------------------------------------------------- APIM5xxx

add("APIM5001",
    "An operation's `method` is not a valid HTTP method token: it is empty, or holds a space, "
    "`/`, `,` or another character that HTTP does not allow in a method. API Management "
    "accepts any token, not only GET, POST, ...",
    "Write one method per operation (`GET`, `POST`, ...) without spaces; declare one "
    "operation per method.",
    files={"azuredeploy.json": T(API + ",\n" + op("upsert-order", "PUT/POST", "/orders"))},
    show=('"method"',))

add("APIM5002",
    "An operation's `urlTemplate` is malformed: it does not start with `/`, a `{` has no "
    "matching `}` (or the reverse), a parameter name is empty or holds a character other than "
    "letters, digits, `_`, `-`, `.` and `$`, a name appears twice, there is an empty segment "
    "`//`, a `*` wildcard is not the whole last segment, a query parameter name is empty or "
    "is a `{parameter}`, or a query value mixes text and a `{parameter}`. Literal path text "
    "may hold non-ASCII characters (`/kursgjennomføring/`): the REST specification gives "
    "`urlTemplate` no pattern (Microsoft.ApiManagement service/apis/operations template "
    "reference), and exports of live instances carry such templates; the local gateway matches "
    "them against the percent-decoded request path.",
    "Correct the template, for example `/orders/{orderId}/items?status={status}`.",
    files={"azuredeploy.json": T(API + ",\n" + op("get-order", "GET", "/orders/{orderId", ["orderId"]))},
    show=('"urlTemplate"',))

add("APIM5003",
    "A `{parameter}` of an operation's `urlTemplate` is not declared in its "
    "`templateParameters`. API Management requires every template parameter to be declared. "
    "Names are compared with case.",
    "Add `{ \"name\": \"...\", \"type\": \"string\", \"required\": true }` to "
    "`templateParameters`, or correct the name.",
    files={"azuredeploy.json": T(API + ",\n" + op("get-order-item", "GET",
                                                 "/orders/{orderId}/items/{itemId}", ["orderId"]))},
    show=('"urlTemplate"', ']'))

add("APIM5004",
    "An entry of an operation's `templateParameters` does not appear in its `urlTemplate`. API "
    "Management rejects the operation. Query string parameters that are not part of the "
    "template belong in `request.queryParameters`.",
    "Remove the entry, add `{name}` to the `urlTemplate`, or move the parameter to "
    "`request.queryParameters`.",
    files={"azuredeploy.json": T(API + ",\n" + op("list-orders", "GET", "/orders", ["customerId"]))},
    show=('"urlTemplate"', ']'))

add("APIM5005",
    "Two operations of one API have the same method and the same URL template once parameter "
    "names, letter case and a trailing `/` are ignored, so API Management cannot tell which "
    "one a request is for. Each later operation is reported once, against the first one it "
    "matches.",
    "Remove one of them, or change its method or URL template.",
    files={"azuredeploy.json": T(API + ",\n" + op("get-order", "GET", "/orders/{orderId}", ["orderId"])
                                 + ",\n" + op("get-order-by-number", "GET", "/orders/{orderNumber}",
                                              ["orderNumber"]))},
    snippet='''"name": "contoso-apim/orders-api/get-order",
"properties": { ..., "method": "GET", "urlTemplate": "/orders/{orderId}" }

"name": "contoso-apim/orders-api/get-order-by-number",
"properties": { ..., "method": "GET", "urlTemplate": "/orders/{orderNumber}" }''')

add("APIM5006",
    "Two APIs of one service use the same `path` (compared without case and without leading "
    "or trailing `/`). Only the versions of one version set, and the revisions of one API, may "
    "share a path. Each later API is reported once, against the first one it clashes with.",
    "Give each API its own path, or make them versions of one version set (`apiVersionSetId` "
    "and distinct `apiVersion`).",
    files={"azuredeploy.json": T(API + ",\n" + OP + ",\n" + res(
        "service/apis", "contoso-apim/orders-api-legacy",
        '{ "displayName": "Orders API (legacy)", "path": "/Orders/" }') + ",\n" + op(
        "list-orders", "GET", "/orders", api="orders-api-legacy"))},
    snippet='''"name": "contoso-apim/orders-api",
"properties": { "displayName": "Orders API", "path": "orders" }

"name": "contoso-apim/orders-api-legacy",
"properties": { "displayName": "Orders API (legacy)", "path": "/Orders/" }''')

add("APIM5007",
    "An API's `apiVersionSetId` refers to a version set (`service/apiVersionSets`) that the "
    "template does not declare.",
    "Correct the id (the last segment is the version set's name), or declare the version set.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + res("service/apiVersionSets", "contoso-apim/orders-version-set",
                                                       '{ "displayName": "Orders", "versioningScheme": "Segment" }')
                                 + ",\n" + res("service/apis", "contoso-apim/orders-api-v2", '''{
        "displayName": "Orders API",
        "path": "orders",
        "apiVersion": "v2",
        "apiVersionSetId": "[resourceId('Microsoft.ApiManagement/service/apiVersionSets', 'contoso-apim', 'orders-versions')]"
      }''') + ",\n" + op("list-orders", "GET", "/orders", api="orders-api-v2"))},
    show=('"apiVersionSetId"',))

add("APIM5008",
    "A product-API link (`products/apis` or `products/apiLinks`) names a product or an API "
    "that the template does not declare; or a group link (`products/groups`, `groups/users`) "
    "names a group or product that the template does not declare. Azure answers such a PUT with "
    "404 Not Found. The built-in products and groups of a new instance are not errors (see "
    "APIM5026). When the template does not declare the service itself (it adds to an existing "
    "instance), this is a warning: the entity may exist there.",
    "Correct the product, API or group name in the link's name (or `apiId`), or declare the "
    "missing entity.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ",\n" + OP + ",\n" + res(
        "service/products", "contoso-apim/starter", '{ "displayName": "Starter" }') + ''',
    {
      "type": "Microsoft.ApiManagement/service/products/apis",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/starter/order-api"
    }''')},
    show=('"type": "Microsoft.ApiManagement/service/products/apis"', '"name"'))

add("APIM5009",
    "A subscription's `scope` names an API or a product that the template does not declare, "
    "or is not one of the forms `/apis` (all APIs), `/apis/{apiId}`, `/products/{productId}` "
    "(or a full resource id ending so). The service's own id, alone or followed by `/`, is "
    "the all-access scope of the built-in `master` subscription (\"Subscriptions in Azure API "
    "Management\": every instance has a service-scoped all-access subscription); portal "
    "exports declare it that way.",
    "Correct the scope.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + res(
        "service/products", "contoso-apim/starter", '{ "displayName": "Starter" }') + ",\n" + res(
        "service/subscriptions", "contoso-apim/mobile-app", '''{
        "displayName": "Mobile app",
        "scope": "/products/starter-plan",
        "state": "active"
      }'''))},
    show=('"scope"',))

add("APIM5010",
    "A policy's `<set-backend-service backend-id=\"...\">` (or any `backend-id` attribute) "
    "names a backend that the template does not declare, or a backend pool includes a missing "
    "backend or another pool.",
    "Correct the backend id, or declare the backend (`service/backends`).",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ",\n" + OP + ",\n" + res(
        "service/apis/policies", "contoso-apim/orders-api/policy", '''{
        "format": "rawxml",
        "value": "<policies><inbound><set-backend-service backend-id=\\"orders-backend\\" /></inbound></policies>"
      }'''))},
    show=('"value"',))

add("APIM5011",
    "Policy text (of a policy or a policy fragment) uses a named value `{{name}}` that the "
    "template does not declare (by name or by `displayName`). Inside a Liquid template "
    "(`<set-body template=\"liquid\">`), `{{ ... }}` and `{% ... %}` are Liquid (the set-body "
    "policy reference, https://learn.microsoft.com/azure/api-management/set-body-policy: "
    "`{{body.x}}`, `{{context.Request...}}`), not named values, so they are not checked; the "
    "named values page (https://learn.microsoft.com/azure/api-management/"
    "api-management-howto-properties) documents `{{name}}` in policy element and attribute "
    "values, and those are still checked everywhere else in the document.",
    "Declare the named value (`service/namedValues`), or correct the name between the double "
    "braces.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ",\n" + OP + ",\n" + res(
        "service/apis/policies", "contoso-apim/orders-api/policy", '''{
        "format": "rawxml",
        "value": "<policies><inbound><set-header name=\\"x-api-key\\"><value>{{orders-key}}</value></set-header></inbound></policies>"
      }'''))},
    show=('"value"',))

VS = "[resourceId('Microsoft.ApiManagement/service/apiVersionSets', 'contoso-apim', 'orders')]"
add("APIM5012",
    "API versioning is inconsistent: two APIs of the same version set have the same "
    "`apiVersion` (an error), or an API has an `apiVersion` but no `apiVersionSetId`, so the "
    "version is not part of its URL (reported as a warning).",
    "Give each API of a version set its own `apiVersion`; give a versioned API an "
    "`apiVersionSetId`.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + res("service/apiVersionSets", "contoso-apim/orders",
                                                       '{ "displayName": "Orders", "versioningScheme": "Segment" }')
                                 + ",\n" + res("service/apis", "contoso-apim/orders-v1",
                                               '{ "displayName": "Orders", "path": "orders", "apiVersion": "v1", "apiVersionSetId": "%s" }' % VS)
                                 + ",\n" + op("list-orders", "GET", "/orders", api="orders-v1")
                                 + ",\n" + res("service/apis", "contoso-apim/orders-v2",
                                               '{ "displayName": "Orders", "path": "orders", "apiVersion": "v1", "apiVersionSetId": "%s" }' % VS)
                                 + ",\n" + op("list-orders", "GET", "/orders", api="orders-v2"))},
    snippet='''"name": "contoso-apim/orders-v1",
"properties": { ..., "path": "orders", "apiVersion": "v1", "apiVersionSetId": "[resourceId(..., 'orders')]" }

"name": "contoso-apim/orders-v2",
"properties": { ..., "path": "orders", "apiVersion": "v1", "apiVersionSetId": "[resourceId(..., 'orders')]" }''')

add("APIM5013",
    "API revisions are inconsistent: a release (`apis/releases`) refers to a revision that the "
    "template does not declare, an API declares the same revision twice, two revisions are "
    "both current (both say `\"isCurrent\": true`: a revision that says so is current, and "
    "one that is current only by default, without `isCurrent`, stops being current, as when "
    "Azure deploys it; https://learn.microsoft.com/azure/api-management/"
    "api-management-revisions), or a revision (`api;rev=N`) has no `path` while the API it "
    "belongs to is not in the template. The local gateway serves a revision that is not current "
    "only at `path;rev=N`, never at the plain path: when the current revision is not in the "
    "template, the plain path answers 404.",
    "Correct the revision number (`;rev=N` in the name or in `apiId`), or declare the base API.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ",\n" + OP + ",\n" + res(
        "service/apis/releases", "contoso-apim/orders-api/release-3", '''{
        "apiId": "[resourceId('Microsoft.ApiManagement/service/apis', 'contoso-apim', 'orders-api;rev=3')]"
      }'''))},
    show=('"apiId"',))

add("APIM5014",
    "An API's `path` is not a valid URL path prefix: it holds `?`, `#`, `{`, `}`, `\\` or "
    "whitespace, has an empty segment `//`, or is longer than 400 characters.",
    "Use a plain path such as `orders` or `sales/orders`; query parameters belong in the "
    "operations' URL templates.",
    files={"azuredeploy.json": T(API.replace('"path": "orders"', '"path": "orders?api-version=1"') + ",\n" + OP)},
    show=('"properties"',))

add("APIM5015",
    "A diagnostic's `loggerId` refers to a logger (`service/loggers`) that the template does "
    "not declare.",
    "Correct the logger id (its last segment is the logger's name), or declare the logger.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + res(
        "service/diagnostics", "contoso-apim/applicationinsights", '''{
        "loggerId": "[resourceId('Microsoft.ApiManagement/service/loggers', 'contoso-apim', 'appinsights-logger')]"
      }'''))},
    show=('"loggerId"',))

add("APIM5017",
    "An HTTP API has no operations in the template (and is not imported from a `format`/`value` "
    "specification, and is not a revision copied with `sourceApiId`). API Management answers "
    "every request to it with 404.",
    "Add its operations, or import them with `format` and `value` (for example an OpenAPI "
    "document).",
    files={"azuredeploy.json": T(API)},
    show=('"name"', '"properties"'))

add("APIM5019",
    "A URL is not absolute: an API's `serviceUrl` or a backend's `url` without an `http://` or "
    "`https://` scheme (`ws://`, `wss://` for WebSocket APIs and backends), without a host, or "
    "with whitespace; or a simple API document's backend `endpoint`.",
    "Write the full URL, for example `https://orders.contoso.com/api`.",
    files={"azuredeploy.json": T(API.replace('"path": "orders"', '"path": "orders", "serviceUrl": "orders.contoso.com/api"') + ",\n" + OP)},
    show=('"properties"',))

add("APIM5020",
    "A gateway-API link (`gateways/apis`) names a self-hosted gateway or an API that the "
    "template does not declare.",
    "Correct the gateway or API name in the link's name, or declare it.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ",\n" + OP + ",\n" + res(
        "service/gateways", "contoso-apim/factory-gateway",
        '{ "locationData": { "name": "Lyon" } }') + ''',
    {
      "type": "Microsoft.ApiManagement/service/gateways/apis",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/factory-gw/orders-api"
    }''')},
    show=('"type": "Microsoft.ApiManagement/service/gateways/apis"', '"name"'))

add("APIM5021",
    "A resource belongs to an API that the template does not declare: an operation, an API "
    "policy or diagnostic, or a revision copied with `sourceApiId`. The name segment for the "
    "API is usually misspelled.",
    "Correct the API name, or declare the API.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ",\n" + op("get-order", "GET", "/orders/{orderId}",
                                                                      ["orderId"], api="order-api"))},
    show=('"type": "Microsoft.ApiManagement/service/apis/operations"', '"name"'))

add("APIM5022",
    "A policy's `<include-fragment fragment-id=\"...\">` names a policy fragment "
    "(`service/policyFragments`) that the template does not declare.",
    "Correct the fragment id, or declare the fragment.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ",\n" + OP + ",\n" + res(
        "service/apis/policies", "contoso-apim/orders-api/policy", '''{
        "format": "rawxml",
        "value": "<policies><inbound><include-fragment fragment-id=\\"cors-defaults\\" /></inbound></policies>"
      }'''))},
    show=('"value"',))

add("APIM5023",
    "A subscription has no `state`. Created through the REST API or a template, it is then "
    "`submitted`, and a submitted subscription's keys grant no access.",
    "Set `\"state\": \"active\"` (or another state on purpose).",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ",\n" + OP + ",\n" + res(
        "service/subscriptions", "contoso-apim/mobile-app", '''{
        "displayName": "Mobile app",
        "scope": "/apis/orders-api"
      }'''))},
    show=('"type": "Microsoft.ApiManagement/service/subscriptions"', '"scope"'))

add("APIM5024",
    "A subscription's `primaryKey` or `secondaryKey` is empty or longer than 256 characters. "
    "API Management accepts keys of 1 to 256 characters.",
    "Give a key of 1 to 256 characters, or leave the property out to have a key generated.",
    files={"azuredeploy.json": T(SERVICE + ",\n" + API + ",\n" + OP + ",\n" + res(
        "service/subscriptions", "contoso-apim/load-test", '''{
        "displayName": "Load test",
        "scope": "/apis/orders-api",
        "primaryKey": "",
        "state": "active"
      }'''))},
    show=('"name": "contoso-apim/load-test"', '"primaryKey"'))

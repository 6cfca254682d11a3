from lib import *

E = []


def add(code, meaning, fix, files=None, args=None, show=None, lang="json", out=None,
        cmd=None, note=None, snippet=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=show,
                  lang=lang, out=out, cmd=cmd, note=note, snippet=snippet))


def IMPORT(props):
    """A template with one API whose properties are given (final indentation)."""
    return T('''    {
      "type": "Microsoft.ApiManagement/service/apis",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/orders-api",
      "properties": {
''' + props + '''
      }
    }''')


def SPEC(paths, extra=""):
    """An OpenAPI 3 document in YAML with these paths (indented under paths:)."""
    return ("openapi: 3.0.3\n"
            "info:\n  title: Orders\n  version: \"1\"\n"
            "servers:\n  - url: https://orders.contoso.com/api\n"
            "paths:\n" + paths + extra)


# ---------------------------------------------------------------- APIM7xxx: imports

add("APIM7001",
    "An API imports a specification in a format apimlocal does not import: WSDL (SOAP), WADL, "
    "GraphQL, gRPC or OData. Azure imports it; apimlocal keeps the API (its path, products, "
    "policies) but creates no operations from the specification, so the local gateway answers "
    "404 for its calls.",
    "Nothing, if the API does not matter for local testing; with `--strict` the warning is an "
    "error. Declaring the API's operations as `apis/operations` resources makes them served.",
    files={"azuredeploy.json": IMPORT('''        "path": "calculator",
        "type": "soap",
        "format": "wsdl-link",
        "value": "https://calculator.contoso.com/calculator.asmx?WSDL"''')},
    show=('"path"', '"value"'))

add("APIM7002",
    "An API imports its specification from a URL (`openapi-link`, `openapi+json-link`, "
    "`swagger-link-json`, `swagger-link`). apimlocal works offline and does not download it; it "
    "looks for a local copy instead (named with `--import-file URL=FILE`, or beside the template "
    "under the name the URL ends with), and found none. The API gets no operations.",
    "Put the specification beside the template under the file name the URL ends with, or name "
    "the local copy on the command line: `--import-file URL=FILE`.",
    files={"azuredeploy.json": IMPORT('''        "path": "petstore",
        "format": "openapi-link",
        "value": "https://contoso.example/specs/petstore.yaml"''')},
    show=('"path"', '"value"'))

add("APIM7003",
    "The document is not one API Management imports: it has neither an `openapi` nor a "
    "`swagger` version, or the version is not Swagger 2.0, OpenAPI 3.0.x or OpenAPI 3.1.x "
    "(the versions of the import restrictions page).",
    "Import an OpenAPI 3.0 or 3.1 (or Swagger 2.0) document; convert older Swagger 1.x "
    "documents first.",
    files={"openapi.yaml": "openapi: 2.5.0\ninfo:\n  title: Orders\n  version: \"1\"\npaths: {}\n"},
    args=["openapi.yaml"], lang="yaml")

add("APIM7004",
    "The specification is not shaped as OpenAPI says: no `paths` (OpenAPI 3.0, Swagger 2.0), "
    "`paths` or an operation that is not an object, a path that does not start with `/`, a "
    "parameter without `name` or `in` or with an `in` the version does not have, a response key "
    "that is not a status code, `default` or a range.",
    "Fix the specification at the place shown (an OpenAPI validator, such as the portal's "
    "editor, reports the same).",
    files={"openapi.yaml": SPEC('''  /orders:
    get:
      operationId: listOrders
      parameters:
        - in: query
          schema: {type: string}
      responses:
        "200": {description: OK}
''')},
    args=["openapi.yaml"], lang="yaml")

add("APIM7005",
    "A path item has a key that is neither an HTTP method API Management imports (get, put, "
    "post, delete, options, head, patch) nor a path item field (summary, description, "
    "parameters, servers, $ref, x-...): usually a misspelt or indented-wrong method.",
    "Spell the method in lower case, at the level of the path item.",
    files={"openapi.yaml": SPEC('''  /orders:
    GET:
      operationId: listOrders
      responses:
        "200": {description: OK}
''')},
    args=["openapi.yaml"], lang="yaml")

add("APIM7006",
    "A `$ref` points at nothing in the document: a misspelt component name, a component that "
    "was moved, or a JSON Pointer with a `/` that should be escaped as `~1`. Every `$ref` of the "
    "document is checked, not only those an operation uses.",
    "Point the `$ref` at an existing component; write `/` in a name as `~1` and `~` as `~0`.",
    files={"openapi.yaml": SPEC('''  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - $ref: "#/components/parameters/OrderID"
      responses:
        "200": {description: OK}
''', '''components:
  parameters:
    OrderId: {name: id, in: path, required: true, schema: {type: string}}
''')},
    args=["openapi.yaml"], lang="yaml")

add("APIM7007",
    "A chain of `$ref`s leads back to where it started (`A: {$ref: B}`, `B: {$ref: A}`), or "
    "runs longer than 32 references to references, so it never reaches a definition. A schema "
    "that refers to itself through its properties (a tree, a linked list) is a recursive type, "
    "not this error.",
    "Make one of the references a real definition.",
    files={"openapi.yaml": SPEC('''  /orders:
    post:
      operationId: createOrder
      requestBody:
        $ref: "#/components/requestBodies/NewOrder"
      responses:
        "201": {description: Created}
''', '''components:
  requestBodies:
    NewOrder: {$ref: "#/components/requestBodies/Order"}
    Order: {$ref: "#/components/requestBodies/NewOrder"}
''')},
    args=["openapi.yaml"], lang="yaml")

add("APIM7008",
    "A `$ref` points into another file or a URL. API Management imports one document: "
    "\"`$ref` pointers can't reference external files\" (import restrictions).",
    "Bundle the specification into one file first (for example with `redocly bundle` or "
    "`swagger-cli bundle`).",
    files={"openapi.yaml": SPEC('''  /orders:
    get:
      operationId: listOrders
      parameters:
        - $ref: "common.yaml#/components/parameters/Top"
      responses:
        "200": {description: OK}
''')},
    args=["openapi.yaml"], lang="yaml")

add("APIM7009",
    "The parameters of an operation do not fit its URL template as API Management needs: a "
    "`{name}` in the path that no `in: path` parameter defines, an `in: path` parameter the "
    "path does not use, or two path and required query parameters whose names differ only in "
    "case (names must be unique in the whole URL template, ignoring case).",
    "Define each path parameter once, with the name the path uses; rename clashing query "
    "parameters.",
    files={"openapi.yaml": SPEC('''  /orders/{orderId}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: OK}
''')},
    args=["openapi.yaml"], lang="yaml")

add("APIM7010",
    "Two operations have the same `operationId`. OpenAPI requires them unique; API Management "
    "names the second operation with a numbered suffix (its name de-duplication), and users "
    "report the portal refusing such documents, so the names you get may not be the ones you "
    "expect.",
    "Give every operation its own `operationId`.",
    files={"openapi.yaml": SPEC('''  /orders:
    get:
      operationId: orders
      responses:
        "200": {description: OK}
    post:
      operationId: orders
      responses:
        "201": {description: Created}
''')},
    args=["openapi.yaml"], lang="yaml")

add("APIM7011",
    "Part of the specification is not imported, as API Management does not import it: TRACE "
    "operations, cookie parameters, Swagger 2.0 form parameters, `style`/`explode` other than "
    "`form`/`true` on array and object query parameters, and `servers` on a path or an "
    "operation (their calls go to the API's service URL).",
    "Nothing, if that is acceptable; a policy can handle cookies and forms, and "
    "`set-backend-service` can send an operation elsewhere.",
    files={"openapi.yaml": SPEC('''  /orders:
    get:
      operationId: listOrders
      parameters:
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        "200": {description: OK}
''')},
    args=["openapi.yaml"], lang="yaml")

add("APIM7012",
    "The API gets no service URL from the specification: its server URL is relative (or it "
    "names no server, which means `/`) and the document was imported inline, so there is no "
    "URL to resolve it against; or a server URL uses a `{variable}` its `variables` do not "
    "define. Calls to the API have no backend.",
    "Set the API's `serviceUrl`, or give the specification an absolute server URL.",
    files={"openapi.yaml": "openapi: 3.0.3\ninfo:\n  title: Orders\n  version: \"1\"\n"
                            "servers:\n  - url: /api\npaths: {}\n"},
    args=["openapi.yaml"], lang="yaml")

add("APIM7013",
    "A Swagger 2.0 document written in YAML. API Management imports Swagger 2.0 as JSON only "
    "(\"OpenAPI version 2 support is limited to JSON format only\").",
    "Convert the document to JSON (and import it with `swagger-json`), or to OpenAPI 3.",
    files={"swagger.yaml": "swagger: \"2.0\"\ninfo:\n  title: Orders\n  version: \"1\"\n"
                            "paths: {}\n"},
    args=["swagger.yaml"], lang="yaml")

add("APIM7014",
    "An inline specification (`value` holding the text) is larger than 4 MB, API Management's "
    "limit for inline imports. Imports from a URL have no such limit.",
    "Publish the specification and import it with a `*-link` format.",
    snippet='''"properties": {
  "path": "orders",
  "format": "openapi+json",
  "value": "{ \\"openapi\\": \\"3.0.1\\", ... 5 MB ... }"
}''')

add("APIM7015",
    "The import's `format` names one version and the document is the other: `swagger-json` "
    "holding OpenAPI 3, or `openapi` holding Swagger 2.0. The document is imported as what it "
    "is.",
    "Use `openapi` or `openapi+json` for OpenAPI 3 and `swagger-json` for Swagger 2.0.",
    files={"azuredeploy.json": IMPORT('''        "path": "orders",
        "format": "swagger-json",
        "value": "{ \\"openapi\\": \\"3.0.1\\", \\"info\\": { \\"title\\": \\"Orders\\", \\"version\\": \\"1\\" }, \\"servers\\": [ { \\"url\\": \\"https://orders.contoso.com\\" } ], \\"paths\\": {} }"''')},
    show=('"path"', '"value"'), out="trim")

add("APIM7016",
    "An API's `format` and `value` do not go together: a `format` without a `value`, a "
    "`value` without a `format` (API Management cannot tell what it holds), a `value` that "
    "is not a string (the specification text, or its URL), or an empty `value` (a parameter "
    "whose default is `\"\"`, say).",
    "Give both, with the specification as a string: a JSON specification inline is a JSON "
    "string (`string(variables('spec'))`, or Bicep's `loadTextContent()`).",
    files={"azuredeploy.json": IMPORT('''        "path": "orders",
        "value": "https://contoso.example/specs/orders.yaml"''')},
    show=('"path"', '"value"'))

add("APIM7017",
    "An operation's contract (its parameters, request and responses with their examples) "
    "would take more than 1 MiB as JSON, or nest deeper than 256 levels: usually YAML aliases "
    "that expand a small text into a huge example. The routing plan does not carry it.",
    "Shorten the examples, or give them by `externalValue`.",
    snippet='''x0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
x1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
...
x11: &a11 [*a10, *a10, *a10, *a10, *a10, *a10, *a10, *a10]
paths:
  /a:
    get:
      responses:
        "200": {description: d, content: {application/json: {example: *a11}}}''', lang="yaml")

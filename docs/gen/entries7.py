from lib import *

E = []


def add(code, meaning, fix, files=None, args=None, show=None, lang="json", out=None,
        cmd=None, note=None, snippet=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=show,
                  lang=lang, out=out, cmd=cmd, note=note, snippet=snippet))


# ---------------------------------------------------------------- APIM7xxx: imports

add("APIM7001",
    "An API imports a specification in a format apimlocal does not import: WSDL (SOAP), WADL, "
    "GraphQL, gRPC or OData. Azure imports it; apimlocal keeps the API (its path, products, "
    "policies) but creates no operations from the specification, so the local gateway answers "
    "404 for its calls.",
    "Nothing, if the API does not matter for local testing; with `--strict` the warning is an "
    "error. Declaring the API's operations as `apis/operations` resources makes them served.",
    snippet='''"properties": {
  "path": "calculator",
  "format": "wsdl",
  "value": "<wsdl:definitions ...>"
}''')

add("APIM7002",
    "An API imports its specification from a URL (`openapi-link`, `openapi+json-link`, "
    "`swagger-link-json`, ...). apimlocal works offline and does not download it; it looks for a "
    "local copy instead, and found none.",
    "Put the specification beside the template under the file name the URL ends with, or name "
    "the local copy on the command line.",
    snippet='''"properties": {
  "path": "petstore",
  "format": "openapi-link",
  "value": "https://contoso.example/specs/petstore.yaml"
}''')

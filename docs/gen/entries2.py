from lib import *

E = []


def add(code, meaning, fix, files=None, args=None, show=None, lang="json", out=None,
        cmd=None, note=None, snippet=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=show,
                  lang=lang, out=out, cmd=cmd, note=note, snippet=snippet))


def api_with(props, name="[format('{0}/orders-api', parameters('serviceName'))]"):
    return '''    {
      "type": "Microsoft.ApiManagement/service/apis",
      "apiVersion": "2024-05-01",
      "name": "%s",
      "properties": {
%s
      }
    }''' % (name, props)


add("APIM2001",
    "A string that starts with `[` and ends with `]` is an ARM expression, and this one cannot "
    "be parsed: a missing comma or parenthesis, a string in double quotes instead of single "
    "quotes, an unexpected character. Only the first syntax error of each expression is "
    "reported. The note points at the whole string, because a literal string that happens to "
    "start with `[` and end with `]` is read as an expression too.",
    "Correct the expression. Strings inside expressions use single quotes (`'orders'`), and a "
    "single quote inside them is doubled (`'it''s'`). For a literal string that starts with "
    "`[`, write `[[`.",
    files={"azuredeploy.json": T(api_with('''        "displayName": "Orders API",
        "path": "orders"''', name="[format('{0}/{1}' parameters('serviceName'), 'orders-api')]"),
        params=SVC_PARAM)},
    show=('"name": "[format',))

add("APIM2002",
    "An expression calls a function that ARM templates do not have, or a user-defined "
    "function (`namespace.name(...)`) that the template's `functions` section does not "
    "declare. Function names are not case-sensitive. A close built-in name is suggested.",
    "Use the right function name; the list is in the ARM template functions reference. "
    "Resource provider actions (`listKeys`, `listSecrets`, ...) are accepted with two or more "
    "arguments.",
    files={"azuredeploy.json": T(SERVICE.replace('"location": "westeurope"',
                                                 '"location": "[resourceGroups().location]"'))},
    show=('"location"',))

add("APIM2003",
    "A function is called with too few or too many arguments. For user-defined functions the "
    "count must match the declared `parameters`; lambdas must take the number of parameters "
    "the function that calls them passes.",
    "Pass the arguments the function takes; the message says how many.",
    files={"azuredeploy.json": T(api_with('''        "displayName": "Orders API",
        "path": "orders"'''), params=SVC_PARAM + ''',
    "apiName": {
      "type": "string",
      "defaultValue": "Orders API"
    }''', variables='''    "apiId": "[replace(toLower(parameters('apiName')), ' ')]"''')},
    show=('"apiId"',))

add("APIM2004",
    "A function argument, or a value being indexed, has the wrong type: a string where an int "
    "is needed, an object indexed with a number, a non-lambda where a lambda is expected. ARM "
    "does not convert between strings and numbers on its own.",
    "Convert explicitly (`int('1')`, `string(1)`) or pass a value of the right type.",
    files={"azuredeploy.json": T(SERVICE.replace('"capacity": 1',
                                                 '''"capacity": "[add(parameters('skuCount'), '1')]"'''),
                                 params='''    "skuCount": {
      "type": "int",
      "defaultValue": 1
    }''')},
    show=('"sku"',))

add("APIM2005",
    "`parameters('name')` names a parameter that the template does not declare. Inside a "
    "user-defined function, it names a parameter the function does not declare (template "
    "parameters are not visible there). Parameter names are not case-sensitive; a close name is "
    "suggested.",
    "Declare the parameter in `parameters`, or correct the name.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/products",
      "apiVersion": "2024-05-01",
      "name": "[concat(parameters('apiServiceName'), '/starter')]",
      "properties": { "displayName": "Starter" }
    }''', params='''    "apimServiceName": {
      "type": "string",
      "defaultValue": "contoso-apim"
    }''')},
    show=('"name": "[concat',))

add("APIM2006",
    "`variables('name')` names a variable that the template does not declare. A close name is "
    "suggested.",
    "Declare the variable in `variables`, or correct the name.",
    files={"azuredeploy.json": T(api_with('''        "displayName": "Orders API",
        "path": "orders"''', name="[format('{0}/{1}', parameters('serviceName'), variables('orderApiName'))]"),
        params=SVC_PARAM, variables='''    "ordersApiName": "orders-api"''')},
    show=('"name": "[format',))

add("APIM2007",
    "Variables (or parameter default values) refer to each other in a circle, so none of them "
    "can be computed. The error is at the reference that closes the circle; the note shows the "
    "declaration.",
    "Break the circle: compute one of the values from parameters or literals only.",
    files={"azuredeploy.json": T(API, variables='''    "gatewayUrl": "[format('https://contoso-apim.azure-api.net/{0}', variables('ordersPath'))]",
    "ordersPath": "[concat('orders?gateway=', variables('gatewayUrl'))]"''')},
    show=('"gatewayUrl"', '"ordersPath"'))

add("APIM2008",
    "An expression reads a property that the object does not have, reads a property of null, "
    "or uses an array index outside the array. A close property name is suggested. Properties "
    "and items of runtime values are not checked, at any depth: `reference(...)` (also with "
    "`'Full'`, for new and `existing` resources: `.identity.principalId` exists only after "
    "deployment), `list*(...)`, outputs of a deployment that is not evaluated here; `tryGet()` "
    "on them is unknown, not null. With `--sample-parameters`, members and items a sample value "
    "does not have (and items of what is computed from one, such as `split()`) are unknown too. "
    "An object key that is an expression (`\"[format(...)]\": value`) is evaluated and must "
    "give a string (APIM2010 otherwise).",
    "Correct the property name or index, or use `tryGet(object, 'name')` when the property "
    "may be absent.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/backends",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/orders-backend",
      "properties": {
        "url": "[parameters('backend').uri]",
        "protocol": "http"
      }
    }''', params='''    "backend": {
      "type": "object",
      "defaultValue": { "url": "https://orders.contoso.com/api" }
    }''')},
    show=('"url": "[param',))

add("APIM2009",
    "A function is used where ARM does not allow it: `utcNow()` and `newGuid()` outside a "
    "parameter's default value; `reference()`, `list*()` in variables or parameter defaults "
    "(they need a deployed resource); `copyIndex()` outside a copy loop; `lambda()` outside "
    "the functions that take one; `variables()` or another user-defined function inside a "
    "user-defined function.",
    "Move the call where it is allowed: `utcNow()` into a parameter's `defaultValue`, "
    "`reference()` into the resource that needs the value, `copyIndex()` into a resource, "
    "property or variable with a `copy` loop.",
    files={"azuredeploy.json": T(API, variables='''    "releaseTag": "[concat('release-', utcNow('yyyyMMdd'))]"''')},
    show=('"releaseTag"',))

add("APIM2010",
    "A function failed on the values it was given: `int('ten')`, a `format()` placeholder "
    "without an argument, `resourceId()` with fewer names than the resource type has "
    "segments, a division by zero, invalid base64 or JSON, a date that is not ISO 8601.",
    "Correct the argument; the message names the function and the value.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/apis/operations",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/orders-api/get-order",
      "dependsOn": [
        "[resourceId('Microsoft.ApiManagement/service/apis', 'contoso-apim')]"
      ],
      "properties": { "displayName": "Get order", "method": "GET", "urlTemplate": "/orders" }
    }''')},
    show=('"dependsOn"', ']'))

add("APIM2011",
    "A string looks like an expression but is not one, because there is whitespace before the "
    "`[` or after the `]`. Azure Resource Manager deploys such a string as literal text, so "
    "the expression silently never runs.",
    "Remove the whitespace around the brackets.",
    files={"azuredeploy.json": T(api_with('''        "displayName": "Orders API",
        "path": "orders",
        "serviceUrl": " [parameters('ordersBackendUrl')]"'''), params=SVC_PARAM + ''',
    "ordersBackendUrl": {
      "type": "string",
      "defaultValue": "https://orders.contoso.com/api"
    }''') .replace('"path": "orders",', '"path": "orders",') },
    show=('"serviceUrl"',),
    note="Here the literal text then also fails APIM5019, because it is not a URL.")

add("APIM2012",
    "A function would build a value larger than `apim validate` allows: a string over 4 MiB "
    "or an array over 100000 items (for example with `padLeft`, `concat` or `split`).",
    "Check the arguments; usually a length or count has a typo.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/namedValues",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/build-number",
      "properties": {
        "displayName": "build-number",
        "value": "[padLeft(parameters('buildNumber'), 60000000, '0')]"
      }
    }''', params='''    "buildNumber": {
      "type": "string",
      "defaultValue": "42"
    }''')},
    show=('"value": "[padLeft',))

add("APIM2013",
    "A value that decides what is deployed is known only when Azure deploys the template: a "
    "resource name or a copy count computed from `reference()`, `list*()` or a Key Vault "
    "parameter. The resource (or all copies) is skipped locally, so nothing depending on it "
    "is checked. For a resource type outside API Management (a role assignment named "
    "`guid(principalId)`) it is a note: such resources are skipped locally anyway.",
    "Where possible, compute names and counts from parameters and variables. Otherwise the "
    "warning only says what `apim validate` could not check.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/backends",
      "apiVersion": "2024-05-01",
      "name": "[format('contoso-apim/{0}', reference(resourceId('Microsoft.Web/sites', 'orders-func'), '2022-09-01').defaultHostName)]",
      "properties": { "url": "https://orders-func.azurewebsites.net/api", "protocol": "http" }
    }''')},
    show=('"name": "[format',))

add("APIM2014",
    "`lambdaVariables('name')` names a variable that no enclosing `lambda(...)` declares.",
    "Use the name given as the lambda's parameter (the first arguments of `lambda`).",
    files={"azuredeploy.json": T(API, params='''    "products": {
      "type": "array",
      "defaultValue": [ { "name": "starter", "published": true } ]
    }''', variables='''    "published": "[filter(parameters('products'), lambda('product', lambdaVariables('p').published))]"''')},
    show=('"published": "[filter',))

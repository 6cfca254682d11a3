from lib import *

E = []


def add(code, meaning, fix, files=None, args=None, show=None, lang="json", out=None,
        cmd=None, note=None, snippet=None, extra_input=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=show,
                  lang=lang, out=out, cmd=cmd, note=note, snippet=snippet,
                  extra_input=extra_input))


PARAMS_HDR = '''{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
%s
  }
}
'''

SKU_TEMPLATE = T(SERVICE.replace('"name": "Developer", "capacity": 1',
                                 '''"name": "[parameters('sku')]", "capacity": "[parameters('skuCount')]"'''),
                 params='''    "sku": {
      "type": "string",
      "defaultValue": "Developer",
      "allowedValues": [ "Developer", "Standard", "Premium" ]
    },
    "skuCount": {
      "type": "int",
      "defaultValue": 1,
      "minValue": 1,
      "maxValue": 10
    },
    "serviceName": {
      "type": "string",
      "defaultValue": "contoso-apim",
      "minLength": 3,
      "maxLength": 50
    }''')

add("APIM3001",
    "The template's top-level structure is wrong: the template is not an object; it has no "
    "`resources`; its `parameters`, `variables` or `resources` section has the wrong JSON "
    "type; or its `languageVersion` is unknown. `resources` may be an object (resources by symbolic name) "
    "only with `\"languageVersion\": \"2.0\"`. A template without `$schema` gets this code as "
    "a warning.",
    "Give each section the type Azure Resource Manager expects: `parameters` and `variables` "
    "are objects, `resources` is an array (or an object with languageVersion 2.0).",
    files={"azuredeploy.json": '''{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": {
    "ordersApi": {
      "type": "Microsoft.ApiManagement/service/apis",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/orders-api",
      "properties": { "displayName": "Orders API", "path": "orders" }
    }
  }
}
'''})

add("APIM3002",
    "A parameter has no default value and none was supplied (no parameters file, no "
    "`--parameters`; for a nested deployment with inner scope, nothing in its "
    "`properties.parameters`). Azure would refuse to deploy the template. A malformed entry "
    "of a parameters file (APIM3010) counts as supplied. With `--sample-parameters`, "
    "such parameters get a sample value of their declared type instead and this code is "
    "reported as a note saying which value was used: the first allowed value, `sample-<name>` "
    "(an https URL for names ending in `Url`, `Uri` or `Endpoint`, a path for `UrlTemplate`), "
    "`minValue`, `false`, `[]`, `{}`, user-defined types (`$ref`) with their required "
    "properties. A sample passed on to a nested deployment's parameter with `allowedValues` "
    "becomes that parameter's own sample. A sample is no value the author chose: a property "
    "with a fixed set of values (a product's `state`, for example) is not checked against "
    "it. A parameter that is `nullable` (itself, or through a "
    "`$ref` to a definition with `\"nullable\": true`, as Bicep writes `T?`) needs no value: "
    "it is `null`.",
    "Pass a value: `--parameters name=value`, `--parameters @file.json`, or a "
    "`<template>.parameters.json` file next to the template. To check a reusable module on its "
    "own, use `--sample-parameters`.",
    files={"azuredeploy.json": T(SERVICE.replace('"admin@contoso.com"', '''"[parameters('publisherEmail')]"'''),
                                 params='''    "publisherEmail": {
      "type": "string",
      "minLength": 1
    }''')},
    show=('"publisherEmail": {', '}'))

add("APIM3003",
    "A value does not have the declared type: a parameter value (from a parameters file, "
    "`--parameters` or a nested deployment), an output value, or a part of an object or array "
    "checked against a user-defined type (`definitions`, `$ref`, `properties`, `items`, "
    "`additionalProperties`, `sealed`, `nullable`, `discriminator`). `--parameters name=value` "
    "is read according to the declared type, as `az deployment group` does.",
    "Supply a value of the declared type. In a parameters file, `\"value\": 1` is an int and "
    "`\"value\": \"1\"` is a string.",
    files={"azuredeploy.json": SKU_TEMPLATE},
    args=["azuredeploy.json", "--parameters", "skuCount=two"],
    cmd="apim validate azuredeploy.json --parameters skuCount=two",
    show=('"skuCount": {', '}'))

add("APIM3004",
    "A parameter value is not one of the parameter's `allowedValues`. For an array parameter, "
    "every element must be allowed. Strings are compared with case; a note points out an "
    "allowed value that differs only in case.",
    "Use one of the listed values, spelled exactly, or add the value to `allowedValues`.",
    files={"azuredeploy.json": SKU_TEMPLATE,
           "azuredeploy.parameters.json": PARAMS_HDR % '''    "sku": { "value": "premium" }'''},
    args=["azuredeploy.json"],
    snippet='''// azuredeploy.parameters.json
"parameters": {
  "sku": { "value": "premium" }
}''')

add("APIM3005",
    "An int parameter is below its `minValue` or above its `maxValue`.",
    "Use a value within the declared range, or change the range.",
    files={"azuredeploy.json": SKU_TEMPLATE},
    args=["azuredeploy.json", "--parameters", "skuCount=12"],
    cmd="apim validate azuredeploy.json --parameters skuCount=12",
    show=('"skuCount": {', '}'))

add("APIM3006",
    "A string or array parameter is shorter than its `minLength` or longer than its "
    "`maxLength`. Strings are measured in characters, not bytes.",
    "Use a value of allowed length, or change the declared bounds.",
    files={"azuredeploy.json": SKU_TEMPLATE},
    args=["azuredeploy.json", "--parameters", "serviceName=ab"],
    cmd="apim validate azuredeploy.json --parameters serviceName=ab",
    show=('"serviceName": {', '}'))

add("APIM3007",
    "A value is supplied for a parameter the template does not declare. Azure rejects the "
    "deployment. A close declared name is suggested.",
    "Correct the parameter name, or remove the value.",
    files={"azuredeploy.json": SKU_TEMPLATE},
    args=["azuredeploy.json", "--parameters", "skuName=Premium"],
    cmd="apim validate azuredeploy.json --parameters skuName=Premium",
    show=('"sku": {', '}'))

add("APIM3008",
    "A parameter declaration is malformed: it is not an object, has no `type` or an unknown "
    "one, its `allowedValues` is not an array, `minValue`/`maxValue`/`minLength`/`maxLength` "
    "is not an int, or `$ref` points at a type that `definitions` does not have.",
    "Declare the parameter as an object with a `type` of `string`, `securestring`, `int`, "
    "`bool`, `object`, `secureobject` or `array`.",
    files={"azuredeploy.json": T(API, params='''    "skuCount": {
      "type": "integer",
      "defaultValue": 1
    }''')},
    show=('"skuCount"', '}'))

add("APIM3010",
    "A parameters file is malformed: it has no `parameters` object, a parameter is not an "
    "object with a `value` or a `reference`, or a Key Vault `reference` lacks `keyVault` or "
    "`secretName`.",
    "Write each parameter as `\"name\": { \"value\": ... }`, or as a Key Vault reference "
    "`\"name\": { \"reference\": { \"keyVault\": { \"id\": \"...\" }, \"secretName\": \"...\" } }`.",
    files={"azuredeploy.json": SKU_TEMPLATE,
           "azuredeploy.parameters.json": PARAMS_HDR % '''    "serviceName": "contoso-apim-prod"'''},
    args=["azuredeploy.json"],
    snippet='''// azuredeploy.parameters.json
"parameters": {
  "serviceName": "contoso-apim-prod"
}''')

add("APIM3011",
    "A template (or a parameters file) has a top-level property that Azure Resource Manager "
    "does not know, usually a misspelling such as `output` or `parameter`. Azure ignores or "
    "rejects it; either way the section it was meant to be is missing.",
    "Correct the property name; a close known name is suggested.",
    files={"azuredeploy.json": T(API + ",\n" + OP, outputs='''    "apiPath": { "type": "string", "value": "orders" }''').replace('"outputs"', '"output"')},
    show=('"output"',))

add("APIM3012",
    "A copy loop is invalid: it has no `name` or `count`, its `count` is not an int in "
    "0..800 (Azure's limit), its `mode` is neither `serial` nor `parallel`, or it is on a "
    "child resource nested in its parent's `resources` (Azure does not allow that).",
    "Correct the `copy` object; move a looping child resource to the top level with its full "
    "type and name.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/namedValues",
      "apiVersion": "2024-05-01",
      "name": "[format('contoso-apim/tenant-{0}', copyIndex())]",
      "copy": { "name": "tenantLoop", "count": 1000 },
      "properties": { "displayName": "[format('tenant-{0}', copyIndex())]", "value": "x" }
    }''')},
    show=('"copy"',))

add("APIM3013",
    "A resource declaration is incomplete or malformed: it is not an object, it has no `type`, "
    "`name` or `apiVersion`, its type or name is not a string, or its `condition` is not a "
    "bool.",
    "Give every resource a `type`, an `apiVersion` and a `name` (all strings).",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/apis",
      "name": "contoso-apim/orders-api",
      "properties": { "displayName": "Orders API", "path": "orders" }
    },
''' + OP)},
    show=('"type": "Microsoft.ApiManagement/service/apis"', '"properties"'))

add("APIM3014",
    "A resource name has the wrong number of `/`-separated segments for its type: a type "
    "`Namespace/t1/t2/t3` needs a name `n1/n2/n3`. For example an operation "
    "(`service/apis/operations`) needs `service/api/operation`. The resource is skipped.",
    "Write one name segment per type segment after the namespace. A child resource nested in "
    "its parent's `resources` may give only its own segment.",
    files={"azuredeploy.json": T(API + ''',
    {
      "type": "Microsoft.ApiManagement/service/apis/operations",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/list-orders",
      "properties": { "displayName": "List orders", "method": "GET", "urlTemplate": "/orders" }
    }''')},
    show=('"type": "Microsoft.ApiManagement/service/apis/operations"', '"name"'))

add("APIM3015",
    "Two resources of the same deployment have the same type and name (compared without "
    "case, as Azure does). The second would overwrite the first. Extension resources with "
    "different `scope`s (`Microsoft.Resources/tags` named `default` on two resources) are "
    "different resources.",
    "Rename one of them, or merge their properties into one resource.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/products",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/starter",
      "properties": { "displayName": "Starter" }
    },
    {
      "type": "Microsoft.ApiManagement/service/products",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/Starter",
      "properties": { "displayName": "Starter (trial)" }
    }''')})

add("APIM3016",
    "A `dependsOn` entry names no resource of the same deployment, or `dependsOn` is not an "
    "array of strings. An entry may be a resource id (`resourceId(...)`), `type/name`, a "
    "resource name (a child resource's own name too: `orders-backend` for "
    "`contoso-apim/orders-backend`, as Microsoft's ARM docs team confirmed in "
    "MicrosoftDocs/azure-docs#45431), a symbolic name (languageVersion 2.0), one member of a symbolic copy "
    "collection (`apis[0]`) or a copy loop name. An id at any scope names the template's "
    "resource of that type and name: `subscriptionResourceId()`, `tenantResourceId()`, "
    "`managementGroupResourceId()`, `extensionResourceId()` and `resourceId(subscriptionId, "
    "resourceGroupName, ...)` name resource groups and deployments of subscription-, "
    "management-group- and tenant-level templates (Microsoft Learn: \"Resource functions for "
    "ARM templates\", \"Define the order for deploying resources in ARM templates\"). "
    "Resources left out by a false `condition` still count.",
    "Correct the entry (often a typo in a name passed to `resourceId`), or remove it when the "
    "resource is deployed elsewhere.",
    files={"azuredeploy.json": T(API + ''',
    {
      "type": "Microsoft.ApiManagement/service/apis/operations",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/orders-api/list-orders",
      "dependsOn": [
        "[resourceId('Microsoft.ApiManagement/service/apis', 'contoso-apim', 'order-api')]"
      ],
      "properties": { "displayName": "List orders", "method": "GET", "urlTemplate": "/orders" }
    }''')},
    show=('"dependsOn"', ']'))

add("APIM3017",
    "A nested deployment (`Microsoft.Resources/deployments`) uses `templateLink` instead of an "
    "inline `template`. `apim validate` does not fetch linked templates, so their resources are "
    "not checked.",
    "Validate the linked template on its own (`apim validate apis/orders-api.json "
    "--parameters ...`), or inline it.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "orders-api-deployment",
      "properties": {
        "mode": "Incremental",
        "templateLink": {
          "uri": "https://contosoartifacts.blob.core.windows.net/templates/apis/orders-api.json"
        }
      }
    }''')},
    show=('"templateLink"', '}'))

add("APIM3018",
    "A nested deployment is malformed: a nested template with outer scope (the default) "
    "declares parameters, which only an inner-scope template may have; a deployment parameter "
    "has neither `value` nor `reference`; or deployments are nested more than 8 deep.",
    "Set `\"expressionEvaluationOptions\": { \"scope\": \"inner\" }` to give the nested "
    "template its own parameters, and pass them as `\"name\": { \"value\": ... }`.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "products-deployment",
      "properties": {
        "mode": "Incremental",
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": {
            "productName": { "type": "string" }
          },
          "resources": []
        }
      }
    }''')},
    show=('"template": {', '"resources": []'))

add("APIM3019",
    "An output is malformed: `outputs` is not an object, or an output has no `value` (or "
    "`copy`). A value of the wrong type is reported as APIM3003.",
    "Give every output a `type` and a `value`.",
    files={"azuredeploy.json": T(API + ",\n" + OP, outputs='''    "gatewayUrl": {
      "type": "string",
      "defaultValue": "https://contoso-apim.azure-api.net"
    }''')},
    show=('"gatewayUrl"', '}'))

add("APIM3020",
    "A resource has a property that ARM resource declarations do not have, usually a "
    "misspelling such as `dependOn` or `propeties`. Azure ignores or rejects it.",
    "Correct the property name; a close known name is suggested.",
    files={"azuredeploy.json": T(API + ''',
    {
      "type": "Microsoft.ApiManagement/service/apis/operations",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/orders-api/list-orders",
      "dependOn": [ "[resourceId('Microsoft.ApiManagement/service/apis', 'contoso-apim', 'orders-api')]" ],
      "properties": { "displayName": "List orders", "method": "GET", "urlTemplate": "/orders" }
    }''')},
    show=('"dependOn"',))

add("APIM3021",
    "An entry of a variable copy loop (`variables.copy`) lacks `name`, `count` or `input`.",
    "Give each entry a `name`, a `count` and an `input`; `input` is the expression evaluated "
    "for each element (a common mistake is to call it `value`).",
    files={"azuredeploy.json": T(API + ",\n" + OP, params='''    "environments": {
      "type": "array",
      "defaultValue": [ "dev", "test", "prod" ]
    }''', variables='''    "copy": [
      {
        "name": "namedValueNames",
        "count": "[length(parameters('environments'))]",
        "value": "[concat('backend-url-', parameters('environments')[copyIndex('namedValueNames')])]"
      }
    ]''')},
    show=('"copy": [', '"value"'))

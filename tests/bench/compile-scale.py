#!/usr/bin/env python3
"""Write one ARM template of N APIs for compile-scale.sh.

Each API brings what makes cross-resource checks costly when they scan:
an operation, a product link, a named value its policy uses, a policy,
and, for every tenth API, a second revision and a version in a shared
version set. Usage: compile-scale.py N OUT.json
"""
import json
import sys

n, out = int(sys.argv[1]), sys.argv[2]
SVC = "bench"


def res(type_, name, props=None):
    r = {"type": "Microsoft.ApiManagement/service/" + type_, "apiVersion": "2024-05-01",
         "name": SVC + "/" + name}
    if props is not None:
        r["properties"] = props
    return r


POLICY = ("<policies><inbound><base /><set-header name=\"x-nv\" exists-action=\"override\">"
          "<value>{{{{nv{0}}}}}</value></set-header></inbound><backend><base /></backend>"
          "<outbound><base /></outbound><on-error><base /></on-error></policies>")

resources = [
    {"type": "Microsoft.ApiManagement/service", "apiVersion": "2024-05-01", "name": SVC,
     "location": "westeurope", "sku": {"name": "Developer", "capacity": 1},
     "properties": {"publisherEmail": "api@contoso.com", "publisherName": "Contoso"}},
    res("products", "gold", {"displayName": "Gold", "state": "published"}),
    res("apiVersionSets", "vs", {"displayName": "VS", "versioningScheme": "Segment"}),
]
for i in range(n):
    api = {"displayName": f"API {i}", "path": f"p{i}", "protocols": ["https"],
           "serviceUrl": "https://backend.example.com"}
    if i % 10 == 0:
        api.update({"path": "versioned", "apiVersion": f"v{i}",
                    "apiVersionSetId": "[resourceId('Microsoft.ApiManagement/service/"
                                       f"apiVersionSets', '{SVC}', 'vs')]"})
    resources += [
        res("apis", f"api{i}", api),
        res("apis/operations", f"api{i}/get",
            {"displayName": "Get", "method": "GET", "urlTemplate": "/items/{id}",
             "templateParameters": [{"name": "id", "type": "string", "required": True}]}),
        res("products/apis", f"gold/api{i}"),
        res("namedValues", f"nv{i}", {"displayName": f"nv{i}", "value": "v"}),
        res("apis/policies", f"api{i}/policy", {"format": "rawxml",
                                                "value": POLICY.format(i)}),
    ]
    if i % 10 == 0:
        resources.append(res("apis", f"api{i};rev=2",
                             {"path": "versioned", "apiRevision": "2",
                              "sourceApiId": "[resourceId('Microsoft.ApiManagement/service/"
                                             f"apis', '{SVC}', 'api{i}')]"}))
template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/"
                       "deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "resources": resources}
with open(out, "w") as f:
    json.dump(template, f, indent=1)

#!/usr/bin/env python3
"""Write the generated templates compile-scale.sh measures.

  compile-scale.py apis N OUT.json
      N APIs, each with what makes cross-resource checks costly when they
      scan: an operation, a product link, a named value its policy uses, a
      policy, and, for every tenth API, a version in a shared version set
      and a second revision.
  compile-scale.py ops N OUT.json [API]
      one API of N operations, each with an operation policy holding two
      policy expressions (issue 9's measure).
  compile-scale.py folder K N DIR
      K templates of N operations each (as ops), one API per template, in
      DIR: one deployment of K*N operations.
"""
import json
import os
import sys

SVC = "bench"
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def res(type_, name, props=None):
    r = {"type": "Microsoft.ApiManagement/service/" + type_, "apiVersion": "2024-05-01",
         "name": SVC + "/" + name}
    if props is not None:
        r["properties"] = props
    return r


def service():
    return {"type": "Microsoft.ApiManagement/service", "apiVersion": "2024-05-01", "name": SVC,
            "location": "westeurope", "sku": {"name": "Developer", "capacity": 1},
            "properties": {"publisherEmail": "api@contoso.com", "publisherName": "Contoso"}}


def write(path, resources):
    with open(path, "w") as f:
        json.dump({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}, f,
                  indent=1)


API_POLICY = ("<policies><inbound><base /><set-header name=\"x-nv\" exists-action=\"override\">"
              "<value>{{{{nv{0}}}}}</value></set-header></inbound><backend><base /></backend>"
              "<outbound><base /></outbound><on-error><base /></on-error></policies>")

OP_POLICY = ("<policies><inbound><base /><set-variable name=\"caller\" "
             "value=\"@(context.Request.Headers.GetValueOrDefault(&quot;X-Caller&quot;, "
             "&quot;anonymous&quot;))\" /><set-header name=\"x-op\" exists-action=\"override\">"
             "<value>@(context.Operation.Id + &quot;-{0}&quot;)</value></set-header></inbound>"
             "<backend><base /></backend><outbound><base /></outbound>"
             "<on-error><base /></on-error></policies>")


def apis(n):
    out = [service(), res("products", "gold", {"displayName": "Gold", "state": "published"}),
           res("apiVersionSets", "vs", {"displayName": "VS", "versioningScheme": "Segment"})]
    for i in range(n):
        api = {"displayName": f"API {i}", "path": f"p{i}", "protocols": ["https"],
               "serviceUrl": "https://backend.example.com"}
        if i % 10 == 0:
            api.update({"path": "versioned", "apiVersion": f"v{i}",
                        "apiVersionSetId": "[resourceId('Microsoft.ApiManagement/service/"
                                           f"apiVersionSets', '{SVC}', 'vs')]"})
        out += [
            res("apis", f"api{i}", api),
            res("apis/operations", f"api{i}/get",
                {"displayName": "Get", "method": "GET", "urlTemplate": "/items/{id}",
                 "templateParameters": [{"name": "id", "type": "string", "required": True}]}),
            res("products/apis", f"gold/api{i}"),
            res("namedValues", f"nv{i}", {"displayName": f"nv{i}", "value": "v"}),
            res("apis/policies", f"api{i}/policy", {"format": "rawxml",
                                                    "value": API_POLICY.format(i)}),
        ]
        if i % 10 == 0:
            out.append(res("apis", f"api{i};rev=2",
                           {"path": "versioned", "apiRevision": "2",
                            "sourceApiId": "[resourceId('Microsoft.ApiManagement/service/"
                                           f"apis', '{SVC}', 'api{i}')]"}))
    return out


def ops(n, api="orders"):
    out = [service(), res("apis", api, {"displayName": api, "path": api, "protocols": ["https"],
                                        "serviceUrl": "https://backend.example.com"})]
    for i in range(n):
        out += [
            res("apis/operations", f"{api}/op{i}",
                {"displayName": f"Op {i}", "method": "GET" if i % 2 else "POST",
                 "urlTemplate": f"/r{i}/{{id}}",
                 "templateParameters": [{"name": "id", "type": "string", "required": True}]}),
            res("apis/operations/policies", f"{api}/op{i}/policy",
                {"format": "xml", "value": OP_POLICY.format(i)}),
        ]
    return out


def main():
    mode = sys.argv[1]
    if mode == "apis":
        write(sys.argv[3], apis(int(sys.argv[2])))
    elif mode == "ops":
        write(sys.argv[3], ops(int(sys.argv[2]), *(sys.argv[4:5])))
    elif mode == "folder":
        k, n, folder = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        os.makedirs(folder, exist_ok=True)
        for j in range(k):
            resources = ops(n, f"api{j}")
            if j > 0:
                resources = resources[1:]  # the service once, in the first template
            write(os.path.join(folder, f"api{j}.json"), resources)
    else:
        sys.exit("usage: compile-scale.py apis|ops N OUT | folder K N DIR")


main()

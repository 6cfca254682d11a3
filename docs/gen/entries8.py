from lib import *

# APIM7050-7064: APIOps artifact folders and their publisher configuration
# (docs/apiops.md has the layout and the rules).

E = []


def add(code, meaning, fix, files=None, args=None, cmd=None, snippet=None, lang="text",
        note=None, out=None):
    E.append(dict(code=code, meaning=meaning, fix=fix, files=files, args=args, show=None,
                  lang=lang, out=out, cmd=cmd, note=note, snippet=snippet))


API = '''{
  "properties": {
    "displayName": "Orders",
    "path": "orders",
    "serviceUrl": "https://orders.contoso.com"
  }
}
'''

BASE = {"artifacts/apis/orders/apiInformation.json": API}


def folder(**more):
    files = dict(BASE)
    for path, text in more.items():
        files["artifacts/" + path.replace("__", "/").replace("_sp_", " ")] = text
    return files


def tree(*paths):
    return "artifacts/\n" + "\n".join("  " + p for p in paths)


add("APIM7050",
    "A file or folder in an APIOps artifact folder that is not part of the layout the APIOps "
    "publisher reads: a misspelt collection folder (`named-values` for `named values`), a "
    "`specification.yml` (the publisher reads `.yaml`), notes, a publisher configuration kept "
    "inside the folder, a `policy.xml` directly in a workspace's folder (the publisher deploys "
    "no workspace-scope policy). The publisher skips such files without a word, so a misspelt folder "
    "means resources that are silently not deployed.",
    "Rename it to the name the layout uses (the note suggests one), or move it out of the "
    "artifact folder. Configuration files are given with `--configuration`.",
    files=folder(**{"named-values__env__namedValueInformation.json":
                    '{ "properties": { "displayName": "env", "value": "dev" } }\n'}),
    args=["artifacts"], cmd="apim validate artifacts",
    snippet=tree("apis/orders/apiInformation.json",
                 "named-values/env/namedValueInformation.json"))

add("APIM7051",
    "A resource folder without its information file (`apiInformation.json`, "
    "`productInformation.json`, ...). The publisher creates nothing for it, so its policies, "
    "links and children fail to deploy unless the resource already exists.",
    "Add the information file (the extractor writes one for every resource), or remove the "
    "folder.",
    files=folder(**{"products__gold__policy.xml": "<policies />\n"}),
    args=["artifacts"], cmd="apim validate artifacts",
    snippet=tree("apis/orders/apiInformation.json", "products/gold/policy.xml"))

add("APIM7052",
    "An information file that parses as JSON but is not what the publisher reads: not an "
    "object, a `properties` that is not an object, or a link named in its file (a product "
    "group link; every link inside a workspace) without its `name` and the property naming "
    "its target (`properties.groupId`, `apiId`, `productId`) or in a folder other than the "
    "resource it names. The "
    "publisher ignores such a file (or API Management rejects it).",
    "Write the file as the extractor does: `{ \"properties\": { ... } }`.",
    files=folder(**{"backends__legacy__backendInformation.json":
                    '[\n  { "properties": { "url": "https://legacy.contoso.com" } }\n]\n'}),
    args=["artifacts"], cmd="apim validate artifacts",
    snippet='[\n  { "properties": { "url": "https://legacy.contoso.com" } }\n]', lang="json")

add("APIM7053",
    "A tag links an API or product, or a product links a group, that is not in the folder "
    "(inside a workspace: any link whose target is not in that workspace). "
    "The folder adds to a service that may already hold it (extracts can be partial), so this "
    "is a warning; the publisher's PUT fails if the service does not have it. The built-in "
    "groups (administrators, developers, guests) are never extracted and need no folder.",
    "Fix the folder name, add the missing resource, or make sure the target service has it.",
    files=folder(**{"tags__finance__tagInformation.json":
                    '{ "properties": { "displayName": "Finance" } }\n',
                    "tags__finance__apis__invoices__tagApiInformation.json": "{}\n"}),
    args=["artifacts"], cmd="apim validate artifacts",
    snippet=tree("apis/orders/apiInformation.json", "tags/finance/tagInformation.json",
                 "tags/finance/apis/invoices/tagApiInformation.json"))

add("APIM7054",
    "An API folder holds more than one specification file. The publisher imports only the "
    "first it finds, in this order: `specification.graphql`, `.wsdl`, `.wadl`, `.json`, "
    "`.yaml`; the others are never read.",
    "Keep one specification per API.",
    files=folder(**{"apis__orders__specification.json":
                    '{ "openapi": "3.0.1", "info": { "title": "Orders", "version": "1" }, '
                    '"paths": {} }\n',
                    "apis__orders__specification.yaml":
                    "openapi: 3.0.1\ninfo: { title: Orders, version: '1' }\npaths: {}\n"}),
    args=["artifacts"], cmd="apim validate artifacts",
    snippet=tree("apis/orders/apiInformation.json", "apis/orders/specification.json",
                 "apis/orders/specification.yaml"))

add("APIM7055",
    "A secret named value with neither a value nor a Key Vault secret: the extractor cannot "
    "read secrets, so it writes them this way. The publisher skips such a named value (with a "
    "warning), so it must already exist in the target service, or policies using it fail to "
    "deploy. apimlocal keeps it, with a value only Azure knows, so its uses are not reported "
    "again.",
    "Give the value for each environment in the publisher configuration (a `{#token#}` the "
    "pipeline replaces), or a Key Vault secret identifier.",
    files=folder(**{"named_sp_values__db-password__namedValueInformation.json":
                    '{\n  "properties": {\n    "displayName": "db-password",\n'
                    '    "secret": true\n  }\n}\n'}),
    args=["artifacts"], cmd="apim validate artifacts",
    snippet='{\n  "properties": {\n    "displayName": "db-password",\n    "secret": true\n'
            '  }\n}', lang="json")

add("APIM7056",
    "Something the publisher sends but API Management ignores, or the publisher drops: a key "
    "outside `properties` in an information file or in an override (for example `verbosity` "
    "written beside `properties` instead of inside it), `apiRevision` or `isCurrent` in an API "
    "override (the publisher removes them), `properties` on an override of a resource without "
    "a body (operations, links, workspaces), or a top-level configuration key that is not a "
    "section the publisher reads.",
    "Move the key under `properties`, or remove it.",
    files=dict(folder(), **{"configuration.prod.yaml":
                            "apis:\n  - name: orders\n    serviceUrl: https://orders.prod.contoso.com\n"}),
    args=["artifacts", "--configuration", "configuration.prod.yaml"],
    cmd="apim validate artifacts --configuration configuration.prod.yaml",
    snippet="apis:\n  - name: orders\n    serviceUrl: https://orders.prod.contoso.com",
    lang="yaml")

add("APIM7057",
    "An operation policy (`apis/<api>/operations/<operation>/policy.xml`) for an operation the "
    "API's specification does not declare. The publisher creates an API's operations by "
    "importing its specification, so the policy's PUT fails. Checked only for APIs whose "
    "OpenAPI specification was imported.",
    "Rename the folder to the operation's id (the normalised `operationId`), or remove it.",
    snippet=tree("apis/orders/apiInformation.json", "apis/orders/specification.yaml",
                 "apis/orders/operations/delete-order/policy.xml"))

add("APIM7060",
    "A publisher configuration the publisher cannot use as written: not a mapping, a section "
    "that is not a list of overrides, an override that is not a mapping or has no `name`, a "
    "`properties` that is not a mapping, or a service name that is not a string.",
    "Write each section as a list of `- name: ...` entries with their `properties`, as in "
    "Azure/apiops's configuration.prod.yaml.",
    files=dict(folder(), **{"configuration.prod.yaml":
                            "backends:\n  name: orders-backend\n  properties:\n"
                            "    url: https://orders.prod.contoso.com\n"}),
    args=["artifacts", "--configuration", "configuration.prod.yaml"],
    cmd="apim validate artifacts --configuration configuration.prod.yaml",
    snippet="backends:\n  name: orders-backend\n  properties:\n"
            "    url: https://orders.prod.contoso.com", lang="yaml")

add("APIM7061",
    "An override whose name matches no resource of the folder. The publisher merges overrides "
    "only into the artifacts it publishes, and compares names exactly, with case; an override "
    "for something else creates nothing. A note shows a resource whose name differs only in "
    "case.",
    "Fix the name (it is the resource's folder name, `name` for links), or remove the "
    "override.",
    files=dict(folder(), **{"configuration.prod.yaml":
                            "apis:\n  - name: Orders\n    properties:\n"
                            "      serviceUrl: https://orders.prod.contoso.com\n"}),
    args=["artifacts", "--configuration", "configuration.prod.yaml"],
    cmd="apim validate artifacts --configuration configuration.prod.yaml",
    snippet="apis:\n  - name: Orders\n    properties:\n"
            "      serviceUrl: https://orders.prod.contoso.com", lang="yaml")

add("APIM7062",
    "A `{#name#}` token left in the configuration. The APIOps pipelines replace these with "
    "secrets before the publisher runs (a replace-tokens step); neither the publisher nor "
    "apimlocal replaces them, so the text would be deployed as it is.",
    "Run the same token replacement before `apim` (for example with `sed` or `envsubst`), or "
    "write a local value.",
    files=dict(folder(**{"named_sp_values__db-password__namedValueInformation.json":
                         '{ "properties": { "displayName": "db-password", "secret": true } }\n'}),
               **{"configuration.prod.yaml":
                  'namedValues:\n  - name: db-password\n    properties:\n'
                  '      value: "{#dbPassword#}"\n'}),
    args=["artifacts", "--configuration", "configuration.prod.yaml"],
    cmd="apim validate artifacts --configuration configuration.prod.yaml",
    snippet='namedValues:\n  - name: db-password\n    properties:\n'
            '      value: "{#dbPassword#}"', lang="yaml")

add("APIM7063",
    "Two overrides in one section name the same resource. The publisher looks for exactly one "
    "and applies neither when there are two.",
    "Merge the two entries.",
    files=dict(folder(), **{"configuration.prod.yaml":
                            "apis:\n  - name: orders\n    properties:\n"
                            "      serviceUrl: https://orders.prod.contoso.com\n"
                            "  - name: orders\n    properties:\n"
                            "      subscriptionRequired: true\n"}),
    args=["artifacts", "--configuration", "configuration.prod.yaml"],
    cmd="apim validate artifacts --configuration configuration.prod.yaml",
    snippet="apis:\n  - name: orders\n    properties:\n"
            "      serviceUrl: https://orders.prod.contoso.com\n"
            "  - name: orders\n    properties:\n      subscriptionRequired: true", lang="yaml")

add("APIM7064",
    "`--configuration` was given, but none of the inputs is an APIOps artifact folder, so the "
    "configuration applies to nothing. (A configuration named by `CONFIGURATION_YAML_PATH` "
    "is not reported: the variable may be meant for the publisher.)",
    "Pass the artifact folder, or drop `--configuration`.",
    files={"azuredeploy.json": T('''    {
      "type": "Microsoft.ApiManagement/service/namedValues",
      "apiVersion": "2024-05-01",
      "name": "contoso-apim/environment",
      "properties": { "displayName": "environment", "value": "dev" }
    }'''), "configuration.prod.yaml": "apimServiceName: contoso-prod\n"},
    args=["azuredeploy.json", "--configuration", "configuration.prod.yaml"],
    cmd="apim validate azuredeploy.json --configuration configuration.prod.yaml")

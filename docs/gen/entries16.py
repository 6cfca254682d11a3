from lib import *

# APIM4034..APIM4038: data-flow checks over each operation's effective
# pipeline (compiler/policy_flow.h): context variables read before, or
# without, a policy that sets them. Which attributes set a variable is the
# A_SETS_VAR column of compiler/policy_attrs.def, from each policy's page
# (https://learn.microsoft.com/azure/api-management/<name>-policy: "the
# name of the context variable that will receive ..."). APIM4039: workspace
# policies, which apimlocal does not compose.

E = []

ORDER = ("Order: the composed pipeline (`apim policy show`) runs inbound, backend, outbound, "
         "and on-error after any of them; within a section, document order, so an API "
         "document's `<base />` places the product and global sections where it stands and "
         "a fragment's policies where it is included. A policy's own expressions run before "
         "it stores its result (`send-request` builds its request, then stores the "
         "response). A read in an expression that also asks `ContainsKey(\"x\")` or "
         "`TryGetValue(\"x\", ...)` is guarded and not judged. `context.Variables` is an "
         "`IReadOnlyDictionary<string, object>` (\"Context variable\" in Microsoft's policy "
         "expressions reference): its indexer throws for a missing name, and the request "
         "goes to on-error; `GetValueOrDefault` returns the default.")


SEE = "The order and what counts as a read are as for APIM4034."


def add(code, meaning, fix, resources):
    E.append(dict(code=code, meaning=meaning, fix=fix,
                  files={"azuredeploy.json": T(resources)},
                  args=None, show=('"value"',), lang="json", out=trim_excerpts, cmd=None,
                  note=None, snippet=None, command="validate"))


def api_with(xml):
    return API + ",\n" + OP + ",\n" + api_policy(xml)


SEND = ('<send-request mode="new" response-variable-name="stock" timeout="10">'
        '<set-url>https://stock.contoso.com/items</set-url><set-method>GET</set-method>'
        '</send-request>')

add("APIM4034",
    "An expression reads `context.Variables[\"x\"]` before the policy that sets `x` has run "
    "in the operation's effective pipeline: the indexer throws and the request fails. "
    + ORDER,
    "Move the policy that sets the variable (the note shows it) before the read, or read "
    "with `GetValueOrDefault` where a missing value is expected.",
    api_with(doc('<base /><set-header name="X-Stock" exists-action="override"><value>'
                 '@(((IResponse)context.Variables["stock"]).StatusCode.ToString())</value>'
                 '</set-header>' + SEND)))

add("APIM4035",
    "An expression reads `context.Variables.GetValueOrDefault(\"x\")` before the policy that "
    "sets `x`: at that point it always gives the default, which is rarely what was meant. "
    + SEE,
    "Move the setter (the note shows it) before the read.",
    api_with(doc('<base /><set-header name="X-User" exists-action="override"><value>'
                 '@(context.Variables.GetValueOrDefault<string>("user", "anonymous"))</value>'
                 '</set-header><set-variable name="user" value="@(context.Request.Headers'
                 '.GetValueOrDefault("X-User", ""))" />')))

add("APIM4036",
    "An expression reads `context.Variables[\"x\"]` and no policy of the operation's "
    "effective pipeline, of the global policy or of any product sets `x`: the indexer "
    "throws on every call. Often a misspelt name. A setter whose name is itself an "
    "expression makes this unknowable, and such reads are not judged. " + SEE,
    "Correct the name, or add the policy that sets it (`set-variable`, or the "
    "`response-variable-name` of `send-request`, ...).",
    api_with(doc('<base /><set-variable name="tenant" value="contoso" /><set-header '
                 'name="X-Tenant" exists-action="override"><value>'
                 '@((string)context.Variables["tenantId"])</value></set-header>')))

add("APIM4037",
    "An expression reads `context.Variables.GetValueOrDefault(\"x\")` and nothing sets `x`: "
    "it always gives the default. Often a misspelt name. " + SEE,
    "Correct the name, or add the policy that sets it.",
    api_with(doc('<base /><choose><when condition="@(context.Variables'
                 '.GetValueOrDefault<bool>(&quot;isMobile&quot;))"><set-header name="X-Mobile" '
                 'exists-action="override"><value>1</value></set-header></when></choose>')))

PRODUCT = (res("service/products", "contoso-apim/starter",
               '{ "displayName": "Starter", "subscriptionRequired": true, '
               '"state": "published" }') + ",\n" +
           res("service/products/apis", "contoso-apim/starter/orders-api", "{}") + ",\n" +
           api_policy(doc('<base /><set-variable name="tier" value="starter" />'),
                      "contoso-apim/starter/policy", "service/products/policies"))

add("APIM4038",
    "The variable is set only by a product's policy. The product scope is chosen per "
    "request (the subscription's product), so calls under another product, or without one, "
    "do not have it. " + SEE,
    "Set the variable at API or global scope too (a default), or read it with "
    "`GetValueOrDefault` and a default.",
    PRODUCT + ",\n" + api_with(doc('<base /><set-header name="X-Tier" '
                                   'exists-action="override"><value>'
                                   '@((string)context.Variables["tier"])</value></set-header>')))

add("APIM4039",
    "A workspace policy (`service/workspaces/policies`, or the policies of a workspace's APIs, "
    "operations or products). Workspaces are a scope of their own between the global and the "
    "product scope ([Policies in Azure API Management](https://learn.microsoft.com/azure/"
    "api-management/api-management-howto-policies): global, workspace, product, API, "
    "operation), but apimlocal does not serve workspace APIs (APIM4002) and does not compose "
    "workspace policies: they are left out of `apim policy show`, the plan's pipelines and "
    "the data-flow checks. Each such document is reported where it is declared, so nothing "
    "is left out silently. Its text is still checked as a service's is: the XML, the catalog "
    "(the workspace's own document at workspace scope, its APIs', operations' and products' "
    "at API, operation and product scope), the expressions, and its `{{named values}}`, "
    "`include-fragment` and `backend-id`, which resolve in the workspace's own "
    "`workspaces/namedValues`, `workspaces/policyFragments` and `workspaces/backends` "
    "(the same checks run on the workspace's fragments and named values). A workspace's "
    "resources use those of the same workspace: named values and policy fragments are "
    "defined in a workspace for use in its policies ([Workspaces in Azure API "
    "Management](https://learn.microsoft.com/azure/api-management/workspaces-overview)); a "
    "service-level one of the same name is shown in a note. A name the workspace lacks is an "
    "error when the template declares the workspace, a warning when it adds to a workspace "
    "deployed elsewhere.",
    "Nothing to fix for Azure. To see the policy run locally, declare it at service, product, "
    "API or operation scope.",
    res("service/workspaces", "contoso-apim/team-a", '{ "displayName": "Team A" }') + ",\n" +
    api_policy(doc('<base /><set-header name="X-Team" exists-action="override"><value>a'
                   '</value></set-header>'), "contoso-apim/team-a/policy",
               "service/workspaces/policies"))

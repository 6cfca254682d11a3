from lib import *
from entries6 import API_URL

# APIM4020..APIM4033: policy attributes, child elements and placement,
# checked against the catalog's element table (compiler/policy_attrs.def,
# docs/policies.md). Rules come from each policy's page in Microsoft's
# policy reference: https://learn.microsoft.com/azure/api-management/<name>-policy

E = []


def add(code, meaning, fix, xml, scope="api"):
    E.append(dict(code=code, meaning=meaning, fix=fix,
                  files={"azuredeploy.json": T(API_URL + ",\n" + policy(xml, scope))},
                  args=None, show=('"value"',), lang="json", out=trim_excerpts, cmd=None,
                  note=None, snippet=None, command="validate"))


def policy(xml, scope):
    if scope == "global":
        return api_policy(xml, "contoso-apim/policy", "service/policies")
    return api_policy(xml)


TABLE = ("docs/policies.md lists every policy's attributes and elements, generated from the "
         "same table the check reads.")

add("APIM4020",
    "A policy, or an element inside one, has an attribute its reference page does not list "
    "(often a misspelling). API Management validates policy documents against its schema when "
    "they are saved and refuses them. Every policy also takes the optional `id` attribute "
    "(reported as `context.LastError.PolicyId`, \"Error handling in API Management "
    "policies\"). " + TABLE,
    "Correct the name (the note suggests the closest attribute) or remove it.",
    doc('<base /><set-header nmae="X-Trace" exists-action="override"><value>1</value>'
        '</set-header>'))

add("APIM4021",
    "A required attribute is missing, or none of a group of which one is needed: "
    "`validate-jwt` needs one of `header-name`, `query-parameter-name`, `token-value`; "
    "`set-backend-service` one of `base-url`, `backend-id`; `quota` one of `calls`, "
    "`bandwidth`. The attribute tables of the policy reference mark them Required. Two "
    "attributes documented as required are not enforced here because Microsoft's own "
    "samples omit them and deploy: `set-status` `reason`, and the `<message>` of `trace`. "
    + TABLE,
    "Add the attribute the message names.",
    doc('<base /><rate-limit-by-key calls="10" renewal-period="60" />'))

add("APIM4022",
    "A literal attribute value is not of the attribute's type or outside what the page "
    "allows: an integer that is not one, a `true`/`false` that is neither, a value not among "
    "the allowed ones (`exists-action` is `override`, `skip`, `append` or `delete`), or a "
    "number out of range (`renewal-period` of `rate-limit` is at most 300 seconds; `count` "
    "of `retry` 1 to 50; an HTTP status code 100 to 599). Values that are policy expressions "
    "or hold `{{named values}}` are only known later and are not checked here. Boolean and "
    "enumerated values are compared without regard to case. " + TABLE,
    "Write a value the message allows, or an expression if the value is known only when the "
    "request runs (where the attribute takes one, see APIM4023).",
    doc('<base /><rate-limit calls="100" renewal-period="3600" />'), scope="api")

add("APIM4023",
    "A policy expression (`@(...)` or `@{...}`) stands in an attribute whose reference page "
    "says \"Policy expressions aren't allowed\": `fragment-id` of `include-fragment`, `calls` "
    "and `renewal-period` of `rate-limit` and `quota`, `name` of `set-variable`, `logger-id` "
    "of `log-to-eventhub`, `source` and `severity` of `trace`, `max-count` of "
    "`limit-concurrency` and the attributes of `mock-response`. API Management checks "
    "attributes against its XML schema: where an int, bool or choice is expected, an "
    "expression fails it and the document is refused (an error; a public report quotes \"The "
    "'calls' attribute is invalid ... is not a valid Int32 value\"), and so does a "
    "`fragment-id`, which must name a fragment when the policy is saved. In a text attribute "
    "(`set-variable` `name`, `trace` `source`, ...) the expression passes the schema and is "
    "taken as literal text, never evaluated: a warning (Microsoft's own AVM azd module writes "
    "`trace source=\"@(context.Api.Name)\"`).",
    "Write a literal value. For a limit that depends on the request, use `rate-limit-by-key` "
    "or `quota-by-key`, whose attributes take expressions; for a fragment chosen at run time, "
    "`choose` between `include-fragment` policies.",
    doc('<base /><include-fragment fragment-id="@(context.Api.Name)" />'))

add("APIM4024",
    "Attributes of which a policy takes only one are given together: `header-name`, "
    "`query-parameter-name` and `token-value` of `validate-jwt` and "
    "`validate-azure-ad-token` (where the token is), `partition-id` and `partition-key` of "
    "`log-to-eventhub`, `timeout` and `timeout-ms` of `forward-request` (\"You can specify "
    "either timeout or timeout-ms but not both\").",
    "Keep the one that says where the value is; remove the others.",
    doc('<base /><validate-jwt header-name="Authorization" query-parameter-name="token">'
        '<openid-config url="https://login.contoso.com/.well-known/openid-configuration" />'
        '</validate-jwt>'))

add("APIM4025",
    "An element inside a policy is not one of the elements the policy's page lists (often a "
    "misspelling, or an element that belongs to another policy). Policies that hold text "
    "(`set-body`, `<value>`, `log-to-eventhub`, ...) may hold any markup as payload and are "
    "not checked. " + TABLE,
    "Correct the element's name (the note suggests the closest one) or move it to the policy "
    "it belongs to.",
    doc('<base /><cors><allowed-origin><origin>*</origin></allowed-origin></cors>'))

add("APIM4026",
    "A policy lacks a child element its page requires (`<allowed-origins>` in `cors`, a "
    "`<when>` in `choose`, a `<dimension>` in `emit-metric`, `<payload>` in "
    "`send-service-bus-message`), or has none of a group of which one is needed (an "
    "`<address>` or `<address-range>` in `ip-filter`).",
    "Add the element the message names.",
    doc('<base /><ip-filter action="allow" />'))

add("APIM4027",
    "A child element appears more often than the page allows: one `<allowed-origins>` in "
    "`cors`, one `<otherwise>` in `choose`, at most 5 `<dimension>` elements in `emit-metric` "
    "and `llm-emit-token-metric` (10 in the older `azure-openai-emit-token-metric`), one "
    "`<set-status>` in `return-response`.",
    "Merge the elements into one, or remove the extra ones.",
    doc('<base /><choose><when condition="@(true)"><base /></when><otherwise /><otherwise />'
        '</choose>'))

add("APIM4028",
    "A policy that its page allows once per policy document (`rate-limit`, `quota`) or once "
    "per section (`cors`, `cache-lookup`, `cache-store`, `jsonp`, `authentication-basic`, "
    "`redirect-content-urls`, `xsl-transform`, the `validate-*` policies except "
    "`validate-content`, the semantic cache policies) appears again. Only policies that "
    "stand directly in a section count: each branch of a `choose` may hold its own. "
    "`cache-lookup-value` and `cache-store-value` are not limited: Microsoft's own snippets "
    "and AI gateway labs use several in one section.",
    "Keep one; to vary it, put the policies in the branches of a `choose`.",
    doc('<base /><cors><allowed-origins><origin>*</origin></allowed-origins></cors>'
        '<cors><allowed-origins><origin>https://contoso.com</origin></allowed-origins></cors>'))

add("APIM4029",
    "The children of a policy are out of the order its page requires: in `choose`, "
    "`<otherwise>` must come after every `<when>` (\"choose policy\": the `when` elements "
    "are evaluated in order, `otherwise` applies when none matched).",
    "Move `<otherwise>` to the end of the `choose`.",
    doc('<base /><choose><otherwise><base /></otherwise><when condition="@(true)">'
        '<base /></when></choose>'))

add("APIM4030",
    "A policy stands where its page forbids it: `wait` inside `retry` (\"retry policy\": "
    "any policy but `wait`), anything but `send-request`, `cache-lookup-value` and `choose` "
    "inside `wait`, or `cache-lookup` and `cache-lookup-value` in a policy fragment "
    "(their pages: not allowed in policy fragments).",
    "Move the policy out of the container or fragment.",
    doc('<base /><retry condition="@(true)" count="3" interval="1"><wait><send-request '
        'response-variable-name="r"><set-url>https://contoso.com</set-url></send-request>'
        '</wait></retry>'))

add("APIM4031",
    "`<base />` appears twice in one section. It stands for the parent scope's section "
    "(\"Set or edit policies\": it inherits the policies of the broader scope at that "
    "point), so a second one would run the parent's policies twice; API Management refuses "
    "it.",
    "Keep one `<base />` where the parent's policies should run.",
    doc('<base /><set-header name="X-A" exists-action="override"><value>1</value>'
        '</set-header><base />'))

add("APIM4032",
    "`<base />` in the global (All APIs) policy: there is no broader scope to inherit from, "
    "so it does nothing (\"Set or edit policies\": base at global scope has no effect). A "
    "warning, as API Management accepts it.",
    "Remove `<base />` from the global policy.",
    doc('<base /><set-header name="X-A" exists-action="override"><value>1</value>'
        '</set-header>'), scope="global")

add("APIM4033",
    "An element that holds only attributes or child elements has text in it. API Management "
    "refuses it with its own words, \"The element 'set-header' cannot contain text\" "
    "(as reported in microsoft/vscode-apimanagement#145); the usual cause is a value written "
    "as text where the policy wants a `<value>` element or an attribute.",
    "Put the text in the element the policy takes for it (`<value>` for `set-header` and "
    "`set-query-parameter`) or in the attribute its page names.",
    doc('<base /><set-header name="X-A" exists-action="override">1</set-header>'))

from lib import *
from entries6 import API_URL
import entries13

# APIM8010-8016: names and types of policy expressions (compiler/csx/csx_bind.c),
# checked against the member table runtime/common/csx_members.def
# ([expressions.md](expressions.md) prints it). Sources: "Policy expressions"
# (https://learn.microsoft.com/azure/api-management/api-management-policy-expressions:
# the allowed .NET types, the context variable) and the set-variable policy page.

E = []

OPEN = (" Only types the table models completely are checked member by member: the context "
        "model (`context`, `context.Request`, ...) and `string`; a member of any other type "
        "(JSON, DateTime, collections, ...) that the table lacks binds as dynamic and is not "
        "reported, so a valid expression is never refused for a gap in the table.")


def add(code, meaning, fix, inbound, message):
    E.append(dict(code=code, meaning=meaning, fix=fix,
                  files={"azuredeploy.json": T(API_URL + ",\n" +
                                               entries13.policy(doc(inbound)))},
                  args=None, show=('"value"',), lang="json", out=trim_excerpts, cmd=None,
                  note=None, snippet=None, command="validate"))


add("APIM8010",
    "A name in an expression is none of: `context`, a local declared before it in an "
    "enclosing block (`var`, typed declarations, `foreach` variables, lambda parameters, "
    "`out var x`, `is T x`), a type API Management allows, or a namespace. C# refuses to "
    "compile it (CS0103), and API Management with it. The note suggests the closest name.",
    "correct the spelling, or declare the local before using it.",
    '<set-header name="x-user" exists-action="override">\n'
    '  <value>@(contxt.User.Email)</value>\n'
    '</set-header>',
    "unknown name 'contxt'")

add("APIM8011",
    "A member (property or method) of a type of the context model, or of `string`, does "
    "not exist: `context.Requst`, `context.Request.Headers.GetValueOrDefualt(...)`. The "
    "\"Context variable\" table of the Policy expressions page lists every member." + OPEN,
    "correct the member's name (the note suggests the closest one).",
    '<set-header name="x-ua" exists-action="override">\n'
    '  <value>@(context.Request.Headers.GetValueOrDefualt("User-Agent", ""))</value>\n'
    '</set-header>',
    "'IReadOnlyDictionary<string, string[]>' has no member 'GetValueOrDefualt'")

add("APIM8012",
    "A method of the member table is called with a number of arguments none of its "
    "overloads takes (C# CS1501): `GetValueOrDefault` of headers takes a name and an "
    "optional default.",
    "pass the arguments the method takes (see [expressions.md](expressions.md)).",
    '<set-header name="x-id" exists-action="override">\n'
    '  <value>@(context.Request.Headers.GetValueOrDefault("x-id", "", "none"))</value>\n'
    '</set-header>',
    "takes 1 to 2 arguments, not 3")

add("APIM8013",
    "An expression uses a .NET type that API Management does not allow. Policy expressions "
    "may use only the types listed under \".NET Framework types allowed in policy "
    "expressions\" on the Policy expressions page: no files (`System.IO.File`), processes, "
    "threads, environment, reflection or HTTP clients (`send-request` is the policy for "
    "calls). A type written in a declaration, cast or `new` that is not on the list is "
    "reported the same way.",
    "use an allowed type (`XDocument` rather than `XmlDocument`), or a policy for the job.",
    '<set-header name="x-host" exists-action="override">\n'
    '  <value>@(System.Environment.MachineName)</value>\n'
    '</set-header>',
    "type 'System.Environment' is not allowed in policy expressions")

add("APIM8014",
    "A multi-statement expression `@{...}` has a code path that ends without `return` "
    "(or `throw`): the Policy expressions page says \"all code paths within multi-statement "
    "expressions must end with a return statement\" (C# CS0161). An `if` without `else` "
    "and a `switch` without `default` leave a path open.",
    "add a `return` at the end of the block, or an `else` branch that returns.",
    '<set-body>@{\n'
    '  var ua = context.Request.Headers.GetValueOrDefault("User-Agent", "");\n'
    '  if (ua.Contains("Mobile")) {\n'
    '    return "mobile";\n'
    '  }\n'
    '}</set-body>',
    "not every code path of the @{...} block ends in a return statement")

add("APIM8015",
    "A method that returns nothing (`void`: `context.Trace`, `JObject.Add`) is used as a "
    "value: as the expression's result, an operand, an argument or an initializer (C# "
    "CS0029/CS0815). As a statement of a `@{...}` block it is fine.",
    "call it as a statement and return a value after it.",
    '<set-header name="x-trace" exists-action="override">\n'
    '  <value>@(context.Trace("reached"))</value>\n'
    '</set-header>',
    "'Trace' returns void: it has no value to use here")

add("APIM8016",
    "The value of `set-variable` has a type API Management does not store in a variable. "
    "The set-variable page lists the allowed types (\"Allowed types\": Boolean, the integer "
    "and floating types, Decimal, Char, String, Guid, DateTime, TimeSpan, byte[], their "
    "nullable forms, and the Newtonsoft JSON types; a send-request response is stored by "
    "`send-request` itself as `IResponse`). Reported only when the expression's type is "
    "known: an `object` from `context.Variables[...]` may hold anything.",
    "store a value of an allowed type: a header's string (`GetValueOrDefault`), "
    "`string.Join(\",\", values)` for an array, `.ToString()`.",
    '<set-variable name="headers" value="@(context.Request.Headers)" />',
    "set-variable cannot store a value of type")

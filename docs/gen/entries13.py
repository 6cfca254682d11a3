import json

from lib import *
from entries6 import API_URL

# APIM8001-8008: policy expressions, the C# in @(...) and @{...}
# (docs/expressions.md has the syntax). `apim validate` parses every
# expression of every policy document that reads (compiler/policy_expr.c),
# so each entry is a real run: an API policy in the xml format holding the
# expression, and what apim prints for it.

E = []

LOCATED = (" The diagnostic lands on the very byte of the template (or `.xml` file) where the "
           "mistake is written: JSON escapes (`\\\"`, `\\n`), XML entities (`&quot;`, `&lt;`) and "
           "character references (`&#34;`) are accounted for, and `{{named values}}` are "
           "substituted first, as API Management does ([expressions.md](expressions.md)).")


def policy(xml):
    return res("service/apis/policies", "contoso-apim/orders-api/policy", '''{
        "format": "xml",
        "value": %s
      }''' % json.dumps(xml))


def add(code, meaning, fix, inbound, message=None, snippet=None):
    E.append(dict(code=code, meaning=meaning + (LOCATED if code == "APIM8001" else ""), fix=fix,
                  files={"azuredeploy.json": T(API_URL + ",\n" + policy(doc(inbound)))},
                  args=None, show=('"value"',), lang="json", out=trim_excerpts, cmd=None,
                  note=None, snippet=snippet, command="validate"))


add("APIM8001",
    "A policy expression is not C# that API Management can compile: a token where the grammar "
    "allows none (a missing operand, an unclosed bracket), or a lone `}` inside an "
    "interpolated string. Expressions are C# 7 statements "
    "or expressions (https://learn.microsoft.com/azure/api-management/"
    "api-management-policy-expressions); [expressions.md](expressions.md) lists what is read. "
    "In a `@{...}` block each statement is checked on its own, so independent mistakes are "
    "each reported.",
    "correct the expression at the place shown; an XML attribute cannot hold a bare `\"`: "
    "write `&quot;` or quote the attribute with `'`.",
    '<set-header name="x-sum" exists-action="override">\n'
    '  <value>@(1 +)</value>\n'
    '</set-header>',
    "syntax error, unexpected ')'")

add("APIM8002",
    "A string, character, comment or interpolated string is not closed before the line or "
    "the expression ends. A string that starts with `\"` ends on its line; `@\"...\"` "
    "(verbatim) strings may span lines, as API Management's own error says (`Unterminated "
    "string literal`, Azure/azure-api-management-devops-resource-kit#350).",
    "close the string, or make it verbatim (`@\"...\"`) if it spans lines.",
    '<set-body>@{\n  var s = "abc;\n  return s;\n}</set-body>',
    "unterminated string literal: a string that starts with '\"' ends on the same line; "
    "'@\"' strings may span lines")

add("APIM8003",
    "A character that is no part of C#'s syntax (`#`, a backtick, a stray `@`, a byte that "
    "is not UTF-8) appears outside strings and comments.",
    "remove the character or put it in a string.",
    '<set-variable name="v" value="@(a # b)" />',
    "unexpected character '#'")

add("APIM8004",
    "A literal's value is not valid C#: an escape sequence C# does not have (`\\q`; C# has "
    "`\\' \\\" \\\\ \\0 \\a \\b \\f \\n \\r \\t \\v \\x \\u \\U`), a character literal that "
    "holds no character or more than one, or an integer that does not fit in 64 bits.",
    "escape the backslash (`\\\\`) or use a verbatim string (`@\"c:\\dir\"`); use a string "
    "for more than one character.",
    '<set-variable name="v" value="@(&quot;a\\qb&quot;)" />',
    "unrecognized escape sequence '\\q'")

add("APIM8005",
    "The expression uses C# that has no place in a policy expression: a `using` directive "
    "(`using System.Text;`: an expression is a method body, where C# allows none; the `using` "
    "statement `using (var h = SHA256.Create()) { ... }` is fine and Microsoft's own samples "
    "use it), or a keyword for declarations, unsafe code, asynchronous code or jumps (`class`, "
    "`static`, `unsafe`, `await`, `yield`, `goto`, `lock`, ...).",
    "write type names in full (`System.Text.Encoding.UTF8`); restructure the code without "
    "the keyword.",
    '<set-body>@{ using System.Text; return "x"; }</set-body>',
    "'using' directives are not allowed in policy expressions: write the type's full name "
    "(System.Text.Encoding)")

add("APIM8006",
    "The expression is nested deeper than 128 brackets, blocks and interpolation holes, "
    "nests operators too deeply for the parser's stack, or is longer than 64 KiB. These caps "
    "(`APIM_MAX_CSX_DEPTH`, `APIM_MAX_EXPR_LENGTH`) keep a broken or hostile policy from "
    "exhausting memory; real policies stay far below them. In a policy document the policy "
    "reader finds where an expression ends first, and it follows at most 64 nested brackets "
    "(`APIM_MAX_EXPR_DEPTH`): deeper, the expression is reported as not closed (APIM1035).",
    "split the expression, or move the data it builds into a named value or a variable.",
    '<set-variable name="v" value="@(' + '1 + ' * 16500 + '1)" />',
    snippet='"value": "<policies><inbound><set-variable name=\\"v\\" value=\\"@(1 + 1 + 1 + ... '
            '(16,500 times) ... 1)\\" /></inbound> ... </policies>"',
    message="policy expression is longer than 65536 bytes")

add("APIM8007",
    "Where C# expects a type (the variable of a `foreach`, a local function's return type, "
    "`out T name`), the expression names no type: an operator, a call, a literal. (A "
    "statement `x = 1 y = 2;` is read as missing its `;` before `y`, APIM8001, as C# does.)",
    "write a type (`var`, `string`, `JObject`, `List<string>`) before the variable's name.",
    '<set-body>@{ foreach (a + b c in d) { } return 1; }</set-body>',
    "expected a type, not this binary expression")

add("APIM8008",
    "The left side of an assignment (`=`, `+=`, ...) is not a variable, a member or an "
    "indexer (C# error CS0131): a literal, a call or an operator's result cannot be assigned.",
    "assign to a variable (`var x = ...`) or a member.",
    '<set-variable name="v" value="@(1 = 2)" />',
    "the left side of '=' must be a variable, a member or an indexer")

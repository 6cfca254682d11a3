from lib import *
from entries6 import API_URL

# APIM1030..APIM1039: the syntax of policy documents (compiler/policy/policy_xml.h).

E = []

XML_SPEC = "https://www.w3.org/TR/xml/"
EXPR_DOC = ("https://learn.microsoft.com/azure/api-management/api-management-policy-expressions")
FORMAT_DOC = ("https://learn.microsoft.com/rest/api/apimanagement/api-policy/create-or-update "
              "(PolicyContentFormat)")

COMMON = (" The policy reader reads on after each mistake, so every one in a document is "
          "reported in one run; diagnostics land at the place in the template (or `.xml` file) "
          "where the text is written, JSON escapes such as `\\\"` and `\\u003c` accounted for. ")


def add(code, meaning, fix, inbound, text=None, snippet=None):
    E.append(dict(code=code, meaning=meaning + COMMON, fix=fix,
                  files={"azuredeploy.json": T(API_URL + ",\n" + api_policy(text or doc(inbound)))},
                  args=None, show=('"value"',), lang="json", out=trim_excerpts, cmd=None,
                  note=None, snippet=snippet, command="validate"))


# A policy nested past the reader's depth cap (APIM1038, APIM4014).
DEEP = doc('<base />' + '<choose><when condition="@(true)">' * 130)
DEEP_SNIPPET = ('"value": "<policies><inbound><base /><choose><when condition=\\"@(true)\\">'
                '<choose><when condition=\\"@(true)\\"> ... (130 levels) ... </inbound>'
                '<backend><base /></backend> ... </policies>"')


add("APIM1030",
    "A policy document holds markup that is not XML: a document type declaration (`<!DOCTYPE`), "
    "or a character that cannot stand inside a tag. A policy is an XML document (" + XML_SPEC +
    "), in both the `xml` and the `rawxml` format (" + FORMAT_DOC + "); `rawxml` only lets the "
    "C# of policy expressions go unescaped.",
    "Remove the stray character or declaration.",
    '<set-header name="x-trace" exists-action="override" ;><value>1</value></set-header>')

add("APIM1031",
    "An element has no end tag. The reader closes it where its parent closes (or at the end "
    "of the text), so the elements after it keep their places.",
    "Close the element (`</name>`), or write it as an empty element (`<name />`).",
    '<set-header name="x-trace" exists-action="override"><value>1</set-header>')

add("APIM1032",
    "An end tag closes no open element: nothing of its name is open. It is skipped.",
    "Remove the end tag or fix its name.",
    '<base /></set-header><rate-limit calls="10" renewal-period="60" />')

add("APIM1033",
    "An attribute is written wrong: its value is not in quotes (`name=x`), it has no value "
    "(`name` or `name=`), it is given twice on one element, or `=` stands without a name. XML "
    "requires a quoted value for every attribute, once per element (" + XML_SPEC + ").",
    "Write every attribute once, as `name=\"value\"` or `name='value'`.",
    '<set-header name=x-request-id exists-action="skip"><value>1</value></set-header>')

add("APIM1034",
    "A `&` in text or in an attribute value starts no entity: XML knows only `&lt;` `&gt;` "
    "`&amp;` `&quot;` `&apos;` and character references (`&#65;`, `&#x41;`) of characters XML "
    "allows. Inside a policy expression (`@(...)`, `@{...}`), `&&` is C# and is not reported.",
    "Write `&amp;` for `&`, or use a character reference (`&#160;` for a no-break space).",
    '<set-header name="x-note" exists-action="override"><value>a & b&nbsp;</value>'
    '</set-header>')

add("APIM1035",
    "A policy expression (`@(` ... `)` or `@{` ... `}`) does not close: its brackets, counted "
    "with the C# string and char literals and comments inside, never come back to zero "
    "(" + EXPR_DOC + "). In element text the expression is read as text from there; in an "
    "attribute value it is taken to end where the value seems to (at a quote followed by `>`, "
    "`/>` or the next attribute), so the rest of the document is still checked.",
    "Close the expression; check the quotes of the string literals inside it.",
    '<set-variable name="id" value="@(context.Request.Headers.GetValueOrDefault(&quot;id&quot;)" />')

add("APIM1036",
    "A comment, CDATA section, processing instruction, tag or attribute value is not closed: "
    "the text ends, or the next tag starts, first. An attribute value that runs into the next "
    "tag ends there. A comment, CDATA section or processing instruction that runs to the end "
    "takes the end tags after it: the elements it leaves open are not reported again.",
    "Close it: `-->`, `]]>`, `?>`, `>`, or the value's quote.",
    '<!-- rate limit off for load tests <rate-limit calls="10" renewal-period="60" />')

add("APIM1037",
    "A policy document is one element (`<policies>`, or `<fragment>` for a policy fragment) "
    "with only white space, comments and processing instructions around it. A second element "
    "or text outside the first is reported.",
    "Move everything inside the root element.",
    None, text='<policies><inbound><base /></inbound></policies><!-- old: --><policies />')

add("APIM1038",
    "The policy document goes past a limit of the reader (apim_limits.h): elements nested "
    "deeper than 128 levels (the rest of the document is not read, APIM4014), or more than 256 "
    "attributes on one element (the others are left out). Real policies stay far below.",
    "Flatten the document.",
    None, text=DEEP, snippet=DEEP_SNIPPET)

add("APIM1039",
    "A `<` in text or in an attribute value starts no tag. XML needs `&lt;` there. Inside a "
    "policy expression a raw `<` is C#, and is not reported (" + EXPR_DOC + ").",
    "Write `&lt;`, or move the comparison into a policy expression.",
    '<set-header name="x-limit" exists-action="override"><value>size < 10</value></set-header>')

/* Unit tests for the expression binder (compiler/csx/csx_bind.c): the static
 * types of the idioms of real policies (reference/apim-facts.md section
 * 4.3) and of the operators, scoping, what is left open (no false errors),
 * and each error with its code and place inside the expression. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csx.h"
#include "csx_bind.h"
#include "csx_table.h"
#include "cunit_run.h"

#define BASE 100

static char out[8192];

/* The type of the whole expression, or "error" then each diagnostic
 * (code@start-end msg, relative to the expression), notes as "note: msg". */
static const char *bind_opts(const char *text, const struct csx_bind_opts *o)
{
    struct arena a;
    struct diag d;
    arena_init(&a, 4096);
    diag_init(&d, &a);
    size_t len = strlen(text);
    char *file = arena_alloc(&a, BASE + len + 1);
    memset(file, ' ', BASE);
    memcpy(file + BASE, text, len + 1);
    struct source *src = source_new(&d, "policy.xml", file, (uint32_t)(BASE + len));
    struct csx_node *n =
        csx_parse(&a, &d, (struct loc){ src, BASE, BASE }, (struct str){ text, len });
    unsigned errors = n != NULL ? csx_bind(&a, &d, n, o) : 1;
    struct buf b;
    buf_init(&b, sizeof(out) - 1);
    int rc = buf_puts(&b, errors == 0 ? csx_bind_type_name(n->type) : "error");
    for (size_t i = 0; i < d.n && rc == 0; i++) {
        const struct diag_entry *e = d.v[i];
        rc = buf_printf(&b, "\n%s@%u-%u %s", diag_code_str(e->code), e->loc.start - BASE,
                        e->loc.end - BASE, e->msg);
        for (const struct diag_entry *k = e->notes; k != NULL && rc == 0; k = k->next)
            rc = buf_printf(&b, "\nnote: %s", k->msg);
    }
    snprintf(out, sizeof(out), "%s", rc == 0 ? b.data : "(print failed)");
    buf_release(&b);
    diag_release(&d);
    arena_release(&a);
    return out;
}

static const char *bind(const char *text)
{
    return bind_opts(text, NULL);
}

#define TYPE(text, want) CU_ASSERT_STRING_EQUAL(bind(text), want)

static void test_table(void)
{
    size_t first;
    CU_ASSERT_EQUAL(csx_table_find(CSXT_CONTEXT, (struct str){ "Request", 7 }, &first), 1);
    CU_ASSERT_EQUAL(csx_table_at(first), CSXM_CONTEXT_REQUEST);
    CU_ASSERT_EQUAL(csx_table_find(CSXT_STRING, (struct str){ "Equals", 6 }, &first), 2);
    CU_ASSERT_EQUAL(csx_table_find(CSXT_STRING, (struct str){ "Equal", 5 }, &first), 0);
    CU_ASSERT_EQUAL(csx_table_find(CSXT_BASIC, (struct str){ "UserId", 6 }, &first), 1);
    CU_ASSERT(csx_table_owner(CSXT_JWT, &first) == 10);
    CU_ASSERT_STRING_EQUAL(csx_type_rows[CSXT_HEADERS].name,
                           "IReadOnlyDictionary<string, string[]>");
}

/* The 20 idioms of apim-facts 4.3, in order. */
static void test_idioms(void)
{
    TYPE("@(context.Variables[\"x\"])", "object");
    TYPE("@((string)context.Variables[\"x\"])", "string");
    TYPE("@(context.Variables.GetValueOrDefault<string>(\"x\", \"\"))", "string");
    TYPE("@(context.Variables.GetValueOrDefault(\"x\", 0))", "int");
    TYPE("@(context.Variables.GetValueOrDefault(\"x\"))", "object");
    TYPE("@($\"a{context.Request.Method}b\")", "string");
    TYPE("@(string.Format(\"{0}-{1}\", 1, 2))", "string");
    TYPE("@(context.Response.StatusCode.ToString())", "string");
    TYPE("@(Convert.ToBase64String(Encoding.UTF8.GetBytes(\"x\")))", "string");
    TYPE("@(Convert.FromBase64String(\"eA==\"))", "byte[]");
    TYPE("@(string.IsNullOrEmpty(context.Request.IpAddress))", "bool");
    TYPE("@(context.Request.Headers.GetValueOrDefault(\"h\", \"\"))", "string");
    TYPE("@(context.Request.Headers.GetValueOrDefault(\"Authorization\", \"\").Split(' '))",
         "string[]");
    TYPE("@(Encoding.UTF8.GetString(new byte[] { 1, 2 }))", "string");
    TYPE("@(context.Response.StatusCode)", "int");
    TYPE("@(((IResponse)context.Variables[\"r\"]).Body.As<JObject>())", "JObject");
    TYPE("@{ using (var h = new HMACSHA256(Encoding.UTF8.GetBytes(\"k\"))) {"
         " return Convert.ToBase64String(h.ComputeHash(new byte[0])); } }",
         "string");
    TYPE("@(context.Subscription.Key)", "string");
    TYPE("@(context.Api.Path)", "string");
    TYPE("@(context.Request.IpAddress)", "string");
    TYPE("@(context.Request.Headers[\"x\"].FirstOrDefault())", "string");
    TYPE("@(context.User.Groups.Select(g => g.Id).Any())", "bool");
    TYPE("@(context.Request.MatchedParameters[\"p\"])", "string");
    TYPE("@(new JObject(new JProperty(\"a\", 1)).ToString())", "string");
    TYPE("@(context.Request.OriginalUrl)", "IUrl");
    TYPE("@(context.Request.Url.Query.GetValueOrDefault(\"q\", \"\"))", "string");
    TYPE("@(context.Request.Headers.GetValueOrDefault(\"Authorization\")?.Split(' ')?[1]"
         ".AsJwt()?.Claims[\"c\"].FirstOrDefault())",
         "string");
    TYPE("@(Guid.NewGuid())", "Guid");
    TYPE("@(context.LastError.Message)", "string");
    TYPE("@(int.Parse(\"1\"))", "int");
    TYPE("@(JObject.Parse(\"{}\"))", "JObject");
    TYPE("@(context.Request.Body.As<string>(preserveContent: true))", "string");
}

static void test_operators(void)
{
    TYPE("@(1 + 2L)", "long");
    TYPE("@(1 + 2.0)", "double");
    TYPE("@(1m * 2)", "decimal");
    TYPE("@(\"a\" + 1)", "string");
    TYPE("@(1 + \"a\")", "string");
    TYPE("@(1 < 2 && true)", "bool");
    TYPE("@(!true)", "bool");
    TYPE("@(-1)", "int");
    TYPE("@(DateTime.UtcNow - DateTime.UtcNow)", "TimeSpan");
    TYPE("@(DateTime.UtcNow + context.Elapsed)", "DateTime");
    TYPE("@(DateTime.UtcNow + TimeSpan.FromSeconds(1))", "DateTime"); /* TimeSpan.From* modelled */
    TYPE("@(DateTime.UtcNow.AddDays(1))", "DateTime");
    TYPE("@((string)context.Variables[\"x\"] ?? \"d\")", "string");
    TYPE("@(true ? 1 : 2)", "int");
    TYPE("@(true ? null : \"x\")", "string");
    TYPE("@(context.Variables[\"x\"] as string)", "string");
    TYPE("@(context.Variables[\"x\"] is string)", "bool");
    TYPE("@(\"abc\"[0])", "char");
    TYPE("@(context.Request.Body?.As<JArray>()?[0])", "JToken");
}

static void test_names(void)
{
    TYPE("@{ var s = \"a\"; return s.Length; }", "int");
    TYPE("@{ string s = null; return s; }", "string");
    TYPE("@{ foreach (var p in \"a,b\".Split(',')) { return p.ToUpper(); } return \"\"; }",
         "string");
    TYPE("@{ context.Request.Headers.TryGetValue(\"a\", out var v); return v; }", "dynamic");
    TYPE("@{ string[] v; context.Request.Headers.TryGetValue(\"a\", out v); return v[0]; }",
         "string");
    TYPE("@{ if (context.Variables[\"x\"] is string s) { return s; } return \"\"; }", "string");
    TYPE("@(context.Request.Headers[\"x\"].Where(v => v.Length > 0).Count())", "int");
    TYPE("@(System.Text.Encoding.UTF8.GetBytes(\"x\"))", "byte[]");
    TYPE("@(new Newtonsoft.Json.Linq.JObject())", "JObject");
    TYPE("@(String.Empty + Int32.Parse(\"1\"))", "string");
    TYPE("@{ int f(int x) { return x + 1; } return f(1); }", "dynamic");
    TYPE("@{ var context = 1; return context; }", "int");
    TYPE("@(nameof(context))", "string");
    TYPE("@{ context.Request.Headers.TryGetValue(\"a\", out _); _ = 1; return 1; }", "int");
    TYPE("@{ return 1; }", "int");
    TYPE("@{ if (true) { return 1; } return \"a\"; }", "dynamic");
}

/* What the table does not model is dynamic, and never an error. */
static void test_open(void)
{
    TYPE("@(DateTime.UtcNow.ToUnixTimeSeconds())", "dynamic");
    TYPE("@(new JObject().Descendants().Count())", "dynamic");
    TYPE("@(context.Variables[\"x\"].Whatever)", "dynamic");
    TYPE("@(((JObject)context.Variables[\"x\"]).Foo.Bar())", "dynamic");
    TYPE("@(new List<string> { \"a\" }.ForEach(x => x.Trim()))", "dynamic");
    TYPE("@(new Dictionary<string, int> { { \"a\", 1 }, [\"b\"] = 2 })", "dynamic");
    TYPE("@(new { a = 1, b = context.Api.Id })", "dynamic");
    TYPE("@(context.Deployment.Certificates[\"x\"].Thumbprint)", "dynamic");
    TYPE("@(new Random().Next(1, 10))", "dynamic");
    TYPE("@{ try { return 1; } catch (JsonReaderException e) { return e.Message; } }", "dynamic");
    TYPE("@(((Authorization)context.Variables[\"a\"])?.Claims)", "dynamic");
    TYPE("@(((Authorization)context.Variables[\"a\"])?.AccessToken)", "string");
    TYPE("@(Math.Max(1, 2))", "int");
    /* an open type's overloads the table lacks: no argument-count error */
    TYPE("@(DateTime.Now.ToString(\"yyyy\", null))", "dynamic");
    TYPE("@(Convert.ToBase64String(new byte[1], 0, 1, 0))", "dynamic");
    /* an accumulator is not an element */
    TYPE("@(\"a,b\".Split(',').Aggregate(new StringBuilder(), (acc, x) => acc.Append(x)))",
         "dynamic");
    TYPE("@(\"ab\".Select((c, i) => c + i).Count())", "int");
}

/* A secret named value's stand-in '0' is not an int: no type follows. */
static void test_standin(void)
{
    static const uint32_t at[] = { BASE + 2 };
    struct csx_bind_opts o = { at, 1, false };
    CU_ASSERT_STRING_EQUAL(bind_opts("@(0)", &o), "dynamic");
    TYPE("@(0)", "int");
}

static void test_variable(void)
{
    struct csx_bind_opts o = { NULL, 0, true };
    CU_ASSERT_STRING_EQUAL(bind_opts("@(context.Request.Body.As<JObject>())", &o), "JObject");
    CU_ASSERT_STRING_EQUAL(bind_opts("@(context.Variables[\"x\"])", &o), "object");
    CU_ASSERT_STRING_EQUAL(bind_opts("@(new byte[2])", &o), "byte[]");
    CU_ASSERT_STRING_EQUAL(
        bind_opts("@(context.Request.Headers)", &o),
        "error\nAPIM8016@2-25 set-variable cannot store a value of type "
        "'IReadOnlyDictionary<string, "
        "string[]>': a variable holds a boolean, number, char, string, byte[], Guid, DateTime, "
        "TimeSpan or JSON value");
    CU_ASSERT_STRING_EQUAL(bind_opts("@{ return \"a\".Split(','); }", &o),
                           "error\nAPIM8016@0-27 set-variable cannot store a value of type "
                           "'string[]': a variable holds a boolean, number, char, string, "
                           "byte[], Guid, DateTime, TimeSpan or JSON value");
}

static void test_errors(void)
{
    TYPE("@(contxt.Request)",
         "error\nAPIM8010@2-8 unknown name 'contxt'\nnote: did you mean 'context'?");
    TYPE("@(context.Requst)", "error\nAPIM8011@10-16 'IProxyRequestContext' has no member "
                              "'Requst'\nnote: did you mean 'Request'?");
    TYPE("@(context.Request.Headers.GetValueOrDefualt(\"a\"))",
         "error\nAPIM8011@26-43 'IReadOnlyDictionary<string, string[]>' has no member "
         "'GetValueOrDefualt'\nnote: did you mean 'GetValueOrDefault'?");
    TYPE("@(\"x\".Lenght)",
         "error\nAPIM8011@6-12 'string' has no member 'Lenght'\nnote: did you mean 'Length'?");
    TYPE("@(string.IsNullOrEmty(\"x\"))", "error\nAPIM8011@9-21 'string' has no static member "
                                          "'IsNullOrEmty'\nnote: did you mean 'IsNullOrEmpty'?");
    TYPE("@(context.Request.Headers.GetValueOrDefault())",
         "error\nAPIM8012@26-43 'IReadOnlyDictionary<string, string[]>.GetValueOrDefault' "
         "takes 1 to 2 arguments, not 0");
    TYPE("@(context.Trace())", "error\nAPIM8012@10-15 'IProxyRequestContext.Trace' takes 1 "
                               "argument, not 0");
    TYPE("@(System.IO.File.ReadAllText(\"x\"))",
         "error\nAPIM8013@2-16 type 'System.IO.File' is not allowed in policy expressions");
    TYPE("@(new HttpClient())",
         "error\nAPIM8013@6-16 type 'HttpClient' is not allowed in policy expressions");
    TYPE("@(Environment.MachineName)",
         "error\nAPIM8013@2-13 type 'Environment' is not allowed in policy expressions");
    TYPE("@{ XmlDocument d = null; return d; }",
         "error\nAPIM8013@3-14 type 'XmlDocument' is not allowed in policy expressions (not a "
         "type API Management lists)");
    TYPE("@{ if (true) { return 1; } }",
         "error\nAPIM8014@27-28 not every code path of the @{...} block ends in a return "
         "statement");
    TYPE("@(context.Trace(\"x\"))",
         "error\nAPIM8015@10-15 'Trace' returns void: it has no value to use here");
    TYPE("@{ { var a = 1; } return a; }", "error\nAPIM8010@25-26 unknown name 'a'");
    TYPE("@(context.Request.Foo.Bar.Baz)", "error\nAPIM8011@18-21 'IRequest' has no member "
                                           "'Foo'");
    TYPE("@(context.Request[\"x\"])", "error\nAPIM8011@2-22 'IRequest' has no indexer");
    TYPE("@(\"a,b\".Split(',').Where(x => x.Lenght > 0))",
         "error\nAPIM8011@32-38 'string' has no member 'Lenght'\nnote: did you mean 'Length'?");
}

static void test_paths(void)
{
    TYPE("@{ if (true) { return 1; } else { return 2; } }", "int");
    TYPE("@{ while (true) { } }", "dynamic");
    TYPE("@{ for (;;) { } }", "dynamic");
    TYPE("@{ switch (1) { case 1: return 1; default: return 2; } }", "int");
    TYPE("@{ try { return 1; } catch (Exception) { return 2; } }", "int");
    TYPE("@{ throw new Exception(\"x\"); }", "dynamic");
    TYPE("@{ context.Trace(\"x\"); return 1; }", "int");
    CU_ASSERT_STRING_EQUAL(bind("@{ while (true) { break; } }"),
                           "error\nAPIM8014@27-28 not every code path of the @{...} block ends "
                           "in a return statement");
    CU_ASSERT_STRING_EQUAL(bind("@{ switch (1) { case 1: return 1; } }"),
                           "error\nAPIM8014@36-37 not every code path of the @{...} block ends "
                           "in a return statement");
    TYPE("@{ return \"a\".Split(',').Select(x => { if (x != \"\") return 1; return 0; })"
         ".Count(); }",
         "int");
    CU_ASSERT_STRING_EQUAL(bind("@{ new[] { 1 }.Select(x => { return 1; }); }"),
                           "error\nAPIM8014@43-44 not every code path of the @{...} block ends "
                           "in a return statement");
}

/* A thousand-term chain binds without deep recursion trouble. */
static void test_deep(void)
{
    static char text[8192];
    size_t n = 0;
    n += (size_t)snprintf(text, sizeof(text), "@(\"a\"");
    for (int i = 0; i < 1500; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "+1");
    snprintf(text + n, sizeof(text) - n, ")");
    CU_ASSERT_STRING_EQUAL(bind(text), "string");
}

/* test_csx_bind EXPR...: prints what each expression binds to (a debugging
 * aid); without arguments, the tests. */
int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        printf("%s\n", bind(argv[i]));
    if (argc > 1)
        return 0;
    static CU_TestInfo tests[] = {
        { "member table", test_table },
        { "the 20 idioms", test_idioms },
        { "operators", test_operators },
        { "names and scopes", test_names },
        { "open types", test_open },
        { "stand-ins", test_standin },
        { "set-variable", test_variable },
        { "errors", test_errors },
        { "code paths", test_paths },
        { "deep chains", test_deep },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = { { "csx_bind", NULL, NULL, NULL, NULL, tests },
                                     CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}

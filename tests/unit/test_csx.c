/* Unit tests for the C# policy-expression front end (compiler/csx): each
 * construct and each of the 20 most common idioms of real policies
 * (reference/apim-facts.md section 4.3) as a printed tree, and the errors:
 * their codes, their places inside the expression, recovery, the caps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apim_limits.h"
#include "csx.h"
#include "cunit_run.h"

/* The expression is parsed as if it sat at offset BASE of a policy file,
 * and locations are printed relative to the expression. */
#define BASE 100

static char out[65536];

/* The tree, or "error" followed by each diagnostic: code@start-end msg. */
static const char *parse(const char *text)
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
    struct buf b;
    buf_init(&b, sizeof(out) - 1);
    int rc = n != NULL ? csx_print(n, &b) : buf_puts(&b, "error");
    for (size_t i = 0; i < d.n && rc == 0; i++)
        rc = buf_printf(&b, "\n%s@%u-%u %s", diag_code_str(d.v[i]->code), d.v[i]->loc.start - BASE,
                        d.v[i]->loc.end - BASE, d.v[i]->msg);
    snprintf(out, sizeof(out), "%s", rc == 0 ? b.data : "(print failed)");
    buf_release(&b);
    diag_release(&d);
    arena_release(&a);
    return out;
}

#define TREE(text, want) CU_ASSERT_STRING_EQUAL(parse(text), want)

static void test_literals(void)
{
    TREE("@(42)", "42");
    TREE("@(0x1F + 10L + 3UL + 0b101 + 1_000)", "(+ (+ (+ (+ 0x1F 10L) 3UL) 0b101) 1_000)");
    TREE("@(1.5 + 2D + 3.0M + 4F + 1e3)", "(+ (+ (+ (+ 1.5 2D) 3.0M) 4F) 1e3)");
    TREE("@(\"a\\\"b\\n\\u0041\\x42\")", "\"a\\\"b\\nAB\"");
    TREE("@(@\"c:\\dir \"\"q\"\"\")", "\"c:\\\\dir \\\"q\\\"\"");
    TREE("@('a' + '\\'' + '\\n' + '\\u00e9')", "(+ (+ (+ 'a' '\\'') '\\n') 'é')");
    TREE("@(true || false && null == this)", "(|| true (&& false (== null this)))");
}

static void test_interpolation(void)
{
    TREE("@($\"a{x}b\")", "($ \"a\" (hole x) \"b\")");
    TREE("@($\"{x:N2}|{y,5}|{z,-3:0.0}\")",
         "($ (hole x :N2) \"|\" (hole y 5) \"|\" (hole z (- 3) :0.0))");
    TREE("@($\"{{lit}} {(a ? \"x\" : \"y\")}\")", "($ \"{lit} \" (hole (? a \"x\" \"y\")))");
    /* nested: an interpolated string inside a hole, with a '}' in a string */
    TREE("@($\"out {$\"in {v} {\"}\"}\"} end\")",
         "($ \"out \" (hole ($ \"in \" (hole v) \" \" (hole \"}\"))) \" end\")");
    TREE("@($@\"v \"\"{x}\"\"\" + @$\"{y}\")", "(+ ($ \"v \\\"\" (hole x) \"\\\"\") ($ (hole y)))");
    TREE("@($\"{d[\"k\"]}{f(a: 1)}\")", "($ (hole ([] d \"k\")) (hole (call f (: a 1))))");
}

static void test_operators(void)
{
    TREE("@(a + b * c - d / e % f)", "(- (+ a (* b c)) (% (/ d e) f))");
    TREE("@(a << 2 >> 1 & 3 | 4 ^ 5)", "(| (& (>> (<< a 2) 1) 3) (^ 4 5))");
    TREE("@(a < b == c >= d)", "(== (< a b) (>= c d))");
    TREE("@(a ?? b ?? c)", "(?? a (?? b c))");
    TREE("@(a <<= b >>= c ?\?= d)", "(<<= a (>>= b (?\?= c d)))");
    TREE("@(@if + @class + @string)", "(+ (+ if class) string)");
    TREE("@(a ? b : c ? d : e)", "(? a b (? c d e))");
    TREE("@(!a && -b < ~c)", "(&& (! a) (< (- b) (~ c)))");
    TREE("@(x is JObject && y as string != null)", "(&& (is x JObject) (!= (as y string) null))");
    TREE("@(x is JObject o ? o : x is null)", "(? (is x JObject o) o (is x null))");
    TREE("@(x as System.String[])", "(as x System.String[])");
    TREE("@(typeof(List<string>) == default(int?))", "(== (typeof List<string>) (default int?))");
}

static void test_casts(void)
{
    TREE("@((string)context.Variables[\"x\"])", "(cast string ([] (. context Variables) \"x\"))");
    TREE("@((IResponse)x)", "(cast IResponse x)");
    /* (a)(b) is a cast: the C# spec's rule, whatever a is */
    TREE("@((int)-1 + (a) - b + (a)(b))", "(+ (- (+ (cast int (- 1)) a) b) (cast a b))");
    TREE("@((List<string>)x + (int?)y + (string[])z)",
         "(+ (+ (cast List<string> x) (cast int? y)) (cast string[] z))");
    TREE("@((a.b)c)", "(cast a.b c)");
    TREE("@((x) as string)", "(as x string)");
    TREE("@(f(x) + (x))", "(+ (call f x) x)");
}

static void test_members_calls(void)
{
    TREE("@(a.b?.c?[0][1].d())", "(call (. ([] (?[] (?. (. a b) c) 0) 1) d))");
    TREE("@(x.As<JObject>(preserveContent: true))",
         "(call (. x As<JObject>) (: preserveContent true))");
    TREE("@(d.GetValueOrDefault<Dictionary<string, List<int>>>(\"k\"))",
         "(call (. d GetValueOrDefault<Dictionary<string,List<int>>>) \"k\")");
    TREE("@(a < b && c > (d))", "(&& (< a b) (> c d))");
    TREE("@(int.TryParse(s, out var n) && int.TryParse(t, out m))",
         "(&& (call (. int TryParse) s (out (decl var (n)))) (call (. int TryParse) t (out m)))");
    TREE("@(i++ + --j)", "(+ (post++ i) (-- j))");
}

static void test_creation(void)
{
    TREE("@(new JObject(new JProperty(\"a\", 1)))", "(new JObject (new JProperty \"a\" 1))");
    TREE("@(new string[] { \"a\", \"b\" })", "(new-array string[] (init \"a\" \"b\"))");
    TREE("@(new[] { 1, 2, })", "(new-array _ (init 1 2))");
    TREE("@(new byte[16])", "(new-array byte[] 16)");
    TREE("@(new List<string> { \"a\" })", "(new List<string> (init \"a\"))");
    TREE("@(new Dictionary<string, int> { { \"a\", 1 } })",
         "(new Dictionary<string,int> (init (init \"a\" 1)))");
    TREE("@(new JObject { [\"a\"] = 1, { \"b\", 2 } })",
         "(new JObject (init (= ([] \"a\") 1) (init \"b\" 2)))");
    TREE("@(new Uri(u) { Port = 80 })", "(new Uri u (init (= Port 80)))");
    TREE("@(new { a = 1, b })", "(new-anon (init (= a 1) b))");
    TREE("@(new System.Text.StringBuilder())", "(new System.Text.StringBuilder)");
}

static void test_lambdas(void)
{
    TREE("@(l.Select(h => h.Key))", "(call (. l Select) (=> (h) (. h Key)))");
    TREE("@(l.Where((a, b) => a + b > 1))", "(call (. l Where) (=> (a b) (> (+ a b) 1)))");
    TREE("@(f(() => 1))", "(call f (=> () 1))");
    TREE("@(f(x => { return x; }))", "(call f (=> (x) (block (return x))))");
}

static void test_statements(void)
{
    TREE("@{ var x = 1; x += 2; return x; }", "(block (decl var (x 1)) (+= x 2) (return x))");
    TREE("@{ string a, b = \"\"; string[] c = { \"x\" }; return b; }",
         "(block (decl string (a) (b \"\")) (decl string[] (c (init \"x\"))) (return b))");
    TREE("@{ List<JObject> l = null; const int k = 2; return l; }",
         "(block (decl List<JObject> (l null)) (const-decl int (k 2)) (return l))");
    TREE("@{ if (a) return 1; else if (b) { return 2; } return 3; }",
         "(block (if a (return 1) (if b (block (return 2)))) (return 3))");
    TREE("@{ foreach (var h in hs) { if (h == null) continue; break; } return 0; }",
         "(block (foreach var h hs (block (if (== h null) (continue)) (break))) (return 0))");
    TREE("@{ for (int i = 0, j = 1; i < 3; i++, j--) { } for (;;) ; return 0; }",
         "(block (for (decl int (i 0) (j 1)) (< i 3) (exprs (post++ i) (post-- j)) (block)) "
         "(for _ _ _ (;)) (return 0))");
    TREE("@{ while (x) x--; do { x++; } while (x < 3); return x; }",
         "(block (while x (post-- x)) (do (block (post++ x)) (< x 3)) (return x))");
    TREE("@{ try { f(); } catch (FormatException e) { throw; } catch { } finally { g(); } "
         "return 1; }",
         "(block (try (block (call f)) (catch FormatException e (block (throw))) (catch (block)) "
         "(finally (block (call g)))) (return 1))");
    TREE("@{ switch (s) { case \"a\": case \"b\": return 1; default: break; } return 0; }",
         "(block (switch s (case (\"a\" \"b\") (block (return 1))) (case (default) (block "
         "(break)))) (return 0))");
    TREE("@{ using (var h = SHA256.Create()) { return h; } }",
         "(block (using (decl var (h (call (. SHA256 Create)))) (block (return h))))");
    TREE("@{ int Twice(int v) { return v * 2; } unchecked { x = (byte)y; } return Twice(1); }",
         "(block (function int Twice ((int v)) (block (return (* v 2)))) (unchecked (block (= x "
         "(cast byte y)))) (return (call Twice 1)))");
    TREE("@{ /* c */ return 1; // d\n }", "(block (return 1))");
}

/* The 20 idioms of reference/apim-facts.md section 4.3, as real policies
 * write them. */
static void test_idioms(void)
{
    TREE("@((string)context.Variables[\"x\"])", "(cast string ([] (. context Variables) \"x\"))");
    TREE("@(\"{{name}}\")", "\"{{name}}\"");
    TREE("@(context.Variables.GetValueOrDefault<int>(\"x\", 0))",
         "(call (. (. context Variables) GetValueOrDefault<int>) \"x\" 0)");
    TREE("@(string.Format(\"{0}-{1}\", a, $\"{b}\"))",
         "(call (. string Format) \"{0}-{1}\" a ($ (hole b)))");
    TREE("@(body.ToString())", "(call (. body ToString))");
    TREE("@(Convert.ToBase64String(Convert.FromBase64String(s)))",
         "(call (. Convert ToBase64String) (call (. Convert FromBase64String) s))");
    TREE("@(!string.IsNullOrEmpty(a) || string.IsNullOrWhiteSpace(b))",
         "(|| (! (call (. string IsNullOrEmpty) a)) (call (. string IsNullOrWhiteSpace) b))");
    TREE("@(context.Request.Headers.GetValueOrDefault(\"h\", \"\"))",
         "(call (. (. (. context Request) Headers) GetValueOrDefault) \"h\" \"\")");
    TREE("@(auth.Split(' ')[1])", "([] (call (. auth Split) ' ') 1)");
    TREE("@(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)))",
         "(call (. (. Encoding UTF8) GetString) (call (. (. Encoding UTF8) GetBytes) s))");
    TREE("@(context.Response.StatusCode == 200)", "(== (. (. context Response) StatusCode) 200)");
    TREE("@(((IResponse)context.Variables[\"r\"]).Body.As<JObject>())",
         "(call (. (. (cast IResponse ([] (. context Variables) \"r\")) Body) As<JObject>))");
    TREE("@{ using (var h = new HMACSHA256(key)) { return Convert.ToBase64String("
         "h.ComputeHash(Encoding.UTF8.GetBytes(s))); } }",
         "(block (using (decl var (h (new HMACSHA256 key))) (block (return (call (. Convert "
         "ToBase64String) (call (. h ComputeHash) (call (. (. Encoding UTF8) GetBytes) s)))))))");
    TREE("@(context.Subscription.Key)", "(. (. context Subscription) Key)");
    TREE("@(context.Api.Name + context.Api.Path)",
         "(+ (. (. context Api) Name) (. (. context Api) Path))");
    TREE("@(context.Request.IpAddress)", "(. (. context Request) IpAddress)");
    TREE("@(xs.Where(x => x.Length > 0).Select(x => x.Trim()).FirstOrDefault())",
         "(call (. (call (. (call (. xs Where) (=> (x) (> (. x Length) 0))) Select) (=> (x) (call "
         "(. x Trim)))) FirstOrDefault))");
    TREE("@(context.Request.MatchedParameters[\"p\"])",
         "([] (. (. context Request) MatchedParameters) \"p\")");
    TREE("@(new JObject(new JProperty(\"a\", x)).ToString())",
         "(call (. (new JObject (new JProperty \"a\" x)) ToString))");
    TREE("@(context.Request.OriginalUrl.Query.GetValueOrDefault(\"q\") + context.Request.Method)",
         "(+ (call (. (. (. (. context Request) OriginalUrl) Query) GetValueOrDefault) \"q\") (. "
         "(. context Request) Method))");
    TREE("@(context.Request.Headers.GetValueOrDefault(\"Authorization\")?.Split(' ')?[1]"
         ".AsJwt()?.Claims[\"c\"].FirstOrDefault())",
         "(call (. ([] (?. (call (. (?[] (call (?. (call (. (. (. context Request) Headers) "
         "GetValueOrDefault) \"Authorization\") Split) ' ') 1) AsJwt)) Claims) \"c\") "
         "FirstOrDefault))");
}

static void test_errors_located(void)
{
    TREE("@(1 +)", "error\nAPIM8001@5-6 syntax error, unexpected ')'");
    TREE("@(\"abc)", "error\nAPIM8002@2-7 unterminated string literal: a string that starts with "
                     "'\"' ends on the same line; '@\"' strings may span lines");
    TREE("@(\"a\\qb\")", "error\nAPIM8004@4-6 unrecognized escape sequence '\\q'");
    TREE("@('ab')", "error\nAPIM8004@2-6 a character literal holds one character, not 2");
    TREE("@(a # b)", "error\nAPIM8003@4-5 unexpected character '#'\n"
                     "APIM8001@6-7 syntax error, unexpected identifier");
    TREE("@(99999999999999999999)",
         "error\nAPIM8004@2-22 integer literal '99999999999999999999' is too large or malformed");
    TREE("@(1 = 2)", "error\nAPIM8008@2-3 the left side of '=' must be a variable, a member or an "
                     "indexer");
    TREE("@{ a + b c = 1; return c; }",
         "error\nAPIM8001@9-10 syntax error, missing ';' before 'c'");
    TREE("@{ foreach (a + b c in d) { } return 1; }",
         "error\nAPIM8007@12-17 expected a type, not this binary expression");
    TREE("@{ using System.Text; return 1; }",
         "error\nAPIM8005@3-21 'using' directives are not allowed in policy expressions: write "
         "the type's full name (System.Text.Encoding)");
    TREE("@{ goto x; return 1; }",
         "error\nAPIM8005@3-7 'goto' is not supported in policy expressions");
    TREE("@($\"a{b\")", "error\nAPIM8002@7-9 unterminated string literal: a string that starts "
                        "with '\"' ends on the same line; '@\"' strings may span lines");
    TREE("@($\"a{b", "error\nAPIM8002@7-7 unterminated interpolated string");
    TREE("@($\"a}\")", "error\nAPIM8001@5-6 '}' in an interpolated string must be written '}}'");
    TREE("@(x) + 1",
         "error\nAPIM8001@5-6 syntax error, unexpected '+', expecting end of expression");
    TREE("(x)", "error\nAPIM8001@0-1 a policy expression starts with '@(' or '@{'");
    TREE("@(/* x", "error\nAPIM8002@2-6 unterminated comment");
}

/* Independent errors in a block are each reported, at their own place. */
static void test_recovery(void)
{
    TREE("@{ var a = ; var b = 2; var c = *; return a; }",
         "error\nAPIM8001@11-12 syntax error, unexpected ';'\n"
         "APIM8001@32-33 syntax error, unexpected '*'");
}

static void test_caps(void)
{
    /* brackets deeper than APIM_MAX_CSX_DEPTH */
    char deep[2 * APIM_MAX_CSX_DEPTH + 16];
    size_t n = 0;
    deep[n++] = '@';
    for (int i = 0; i < APIM_MAX_CSX_DEPTH + 2; i++)
        deep[n++] = '(';
    deep[n] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr(parse(deep), "APIM8006@129-130 expression is nested deeper "
                                               "than 128 levels"));
    /* a long unary chain: the parser's own stack is capped */
    static char chain[APIM_MAX_CSX_DEPTH * 40];
    memset(chain, '!', sizeof(chain) - 1);
    chain[0] = '@';
    chain[1] = '(';
    chain[sizeof(chain) - 2] = ')';
    chain[sizeof(chain) - 1] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr(parse(chain), "APIM8006"));
    /* longer than APIM_MAX_EXPR_LENGTH */
    size_t big = APIM_MAX_EXPR_LENGTH + 8;
    char *text = malloc(big + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    memset(text, '1', big);
    memcpy(text, "@(", 2);
    text[big - 1] = ')';
    text[big] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr(parse(text), "APIM8006@0-2 policy expression is longer than"));
    free(text);
    /* a<a<a<...: each look-ahead is bounded, the parse ends */
    static char angles[20000];
    for (size_t i = 0; i + 1 < sizeof(angles); i++)
        angles[i] = i % 2 ? '<' : 'a';
    memcpy(angles, "@(", 2);
    angles[sizeof(angles) - 1] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr(parse(angles), "error"));
}

/* Without a diag (a silent first pass): the same answer, nothing recorded. */
static void test_silent(void)
{
    struct arena a;
    arena_init(&a, 4096);
    CU_ASSERT_PTR_NOT_NULL(csx_parse(&a, NULL, LOC_NONE, STR_LIT("@(1 + 2)")));
    CU_ASSERT_PTR_NULL(csx_parse(&a, NULL, LOC_NONE, STR_LIT("@(1 +)")));
    CU_ASSERT_PTR_NULL(csx_parse(&a, NULL, LOC_NONE, STR_LIT("@{ var a = ; var b = ; }")));
    CU_ASSERT_PTR_NULL(csx_parse(&a, NULL, LOC_NONE, STR_LIT("x")));
    arena_release(&a);
}

static void test_kind_names(void)
{
    CU_ASSERT_STRING_EQUAL(csx_kind_name(CSX_CALL), "call");
    CU_ASSERT_STRING_EQUAL(csx_kind_name(CSX_CMEMBER), "?.");
    CU_ASSERT_STRING_EQUAL(csx_kind_name((enum csx_kind)9999), "?");
}

int main(void)
{
    static CU_TestInfo tests[] = {
        { "literals", test_literals },
        { "interpolation", test_interpolation },
        { "operators", test_operators },
        { "casts", test_casts },
        { "members and calls", test_members_calls },
        { "object creation", test_creation },
        { "lambdas", test_lambdas },
        { "statements", test_statements },
        { "the 20 idioms", test_idioms },
        { "errors are located", test_errors_located },
        { "recovery", test_recovery },
        { "caps", test_caps },
        { "silent", test_silent },
        { "kind names", test_kind_names },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = { { "csx", NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}

/* Unit tests for the expression bytecode (compiler/csx/csx_emit.c) and its
 * VM (runtime/csx): each of the 20 most common idioms of real policies
 * (reference/apim-facts.md section 4.3) evaluated against a fixed host,
 * blocks, lambdas, '?.' and '??', runtime errors with their places, the
 * step budget, and the verifier's rejection of corrupted programs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csx.h"
#include "csx_code.h"
#include "csx_emit.h"
#include "csx_vm.h"
#include "cunit_run.h"

#define JWT                                                                                       \
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYX" \
    "VkIjoiYXBpOi8vZWNobyIsImV4cCI6MTcwNDE2NDY0NSwicm9sZXMiOlsicmVhZGVyIiwid3JpdGVyIl19.c2ln"

/* A slice for static initializers (STR_LIT is a compound literal). */
#define S(s)             \
    {                    \
        s, sizeof(s) - 1 \
    }

static const struct csx_kv req_headers[] = {
    { S("Authorization"), S("Bearer " JWT) },  { S("Content-Type"), S("application/json") },
    { S("Accept"), S("text/plain") },          { S("Accept"), S("application/json") },
    { S("X-Basic"), S("Basic dXNlcjpwYXNz") },
};
static const struct csx_kv resp_headers[] = { { S("ETag"), S("\"v1\"") } };
static const struct csx_kv params[] = { { S("id"), S("42") } };
static struct csx_message send_response = {
    { NULL, 0, true }, S("{\"token\":\"abc\",\"expires_in\":3600}"), true, 200, S("OK")
};
static struct csx_var vars[3];
static struct csx_host host;

static void fixed_random(void *arg, unsigned char *out, size_t n)
{
    (void)arg;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(i * 17);
}

static void host_init(void)
{
    struct csx_host *h = &host;
    memset(h, 0, sizeof(*h));
    h->url =
        (struct csx_url){ STR_LIT("https"), STR_LIT("contoso.azure-api.net"),
                          STR_LIT("/echo/users/42"), STR_LIT("q=hello%20world&limit=10"), 443 };
    h->original_url = h->url;
    h->service_url = (struct csx_url){ STR_LIT("http"), STR_LIT("backend.local"), STR_LIT("/api"),
                                       STR_NULL, 8080 };
    h->request = (struct csx_message){ { req_headers, 5, true },
                                       STR_LIT("{\"user\":{\"name\":\"Ada\",\"roles\":[\"admin\","
                                               "\"dev\"]},\"items\":[1,2,3]}"),
                                       true,
                                       0,
                                       STR_NULL };
    h->response = (struct csx_message){
        { resp_headers, 1, true }, STR_LIT("done"), true, 201, STR_LIT("Created")
    };
    h->params = (struct csx_kvs){ params, 1, false };
    vars[0] = (struct csx_var){ STR_LIT("x"),
                                { .t = CSXV_STRING, .type = CSXT_STRING, .n = 5, .u.s = "hello" } };
    vars[1] = (struct csx_var){ STR_LIT("count"), { .t = CSXV_INT, .type = CSXT_INT, .u.i = 5 } };
    vars[2] = (struct csx_var){ STR_LIT("r"),
                                { .t = CSXV_OBJ, .type = CSXT_RESPONSE, .u.p = &send_response } };
    h->vars = vars;
    h->nvars = 3;
    h->prop[CSXM_API_NAME] = STR_LIT("Echo API");
    h->prop[CSXM_API_ID] = STR_LIT("echo-api");
    h->prop[CSXM_API_PATH] = STR_LIT("echo");
    h->prop[CSXM_SUBSCRIPTION_KEY] = STR_LIT("k3y");
    h->prop[CSXM_SUBSCRIPTION_ID] = STR_LIT("sub-1");
    h->prop[CSXM_SUBSCRIPTION_NAME] = STR_LIT("Starter");
    h->prop[CSXM_REQUEST_IPADDRESS] = STR_LIT("203.0.113.7");
    h->prop[CSXM_REQUEST_METHOD] = STR_LIT("POST");
    h->prop[CSXM_USER_EMAIL] = STR_LIT("ada@example.com");
    h->has_subscription = true;
    h->now_ms = 1704164645678; /* 2024-01-02T03:04:05.678Z */
    h->elapsed_ms = 1500;
    h->request_id = STR_LIT("0f8fad5b-d9cb-469f-a165-70867728950e");
    h->random = fixed_random;
}

static char out[65536];

/* Compiles (parse, emit, load) text: the program, or NULL with out set. */
static struct csx_prog *compile(struct arena *a, const char *text)
{
    struct diag d;
    diag_init(&d, a);
    struct str t = str_from_cstr(text);
    struct csx_node *n = csx_parse(a, &d, LOC_NONE, t);
    struct buf blob;
    buf_init(&blob, 1u << 24);
    struct csx_prog *p = NULL;
    struct csx_error err;
    if (n == NULL)
        snprintf(out, sizeof(out), "parse error");
    else if (csx_emit(a, &d, LOC_NONE, n, &blob) != 0)
        snprintf(out, sizeof(out), "emit error");
    else if ((p = csx_prog_load(blob.data, blob.len, &err)) == NULL)
        snprintf(out, sizeof(out), "load: %s", err.reason);
    buf_release(&blob);
    diag_release(&d);
    return p;
}

/* The value as text, or "error@OFFSET: reason". */
static const char *eval_steps(const char *text, uint64_t steps)
{
    struct arena a;
    arena_init(&a, 4096);
    struct csx_prog *p = compile(&a, text);
    if (p != NULL) {
        struct csx_value v;
        struct csx_error err;
        if (csx_eval(p, &host, &a, steps, &v, &err) == 0) {
            struct str s = csx_value_str(&a, &v);
            snprintf(out, sizeof(out), "%.*s", STR_FMT(s));
        } else {
            snprintf(out, sizeof(out), "error@%u: %s", err.offset, err.reason);
        }
    }
    csx_prog_free(p);
    arena_release(&a);
    return out;
}

/* Asserts the value of text, and shows what came instead. */
#define EV(text, want) EVN(text, CSX_STEPS, want)
#define EVN(text, steps, want)                                                   \
    do {                                                                         \
        const char *got_ = eval_steps(text, steps);                              \
        if (strcmp(got_, want) != 0)                                             \
            fprintf(stderr, "\n%s\n  got:  %s\n  want: %s\n", text, got_, want); \
        CU_ASSERT_STRING_EQUAL(got_, want);                                      \
    } while (0)

static void test_idioms(void)
{
    /* 1 */
    EV("@((string)context.Variables[\"x\"])", "hello");
    EV("@(context.Variables[\"count\"])", "5");
    /* 2: named values are substituted in the text before it is parsed */
    EV("@(\"Bearer \" + \"s3cr3t\")", "Bearer s3cr3t");
    /* 3 */
    EV("@(context.Variables.GetValueOrDefault<int>(\"count\", 0) + 1)", "6");
    EV("@(context.Variables.GetValueOrDefault<string>(\"missing\", \"none\"))", "none");
    EV("@(context.Variables.GetValueOrDefault<int>(\"missing\"))", "0");
    /* 4 */
    EV("@($\"{context.Api.Name}/{context.Variables[\"count\"]:D3}|{7,4}|{\"ab\",-4}|\")",
       "Echo API/005|   7|ab  |");
    EV("@(string.Format(\"{0}-{1:F1}-{{x}}\", \"a\", 2.26))", "a-2.3-{x}");
    /* 5 */
    EV("@(new JObject(new JProperty(\"a\", 1)).ToString())", "{\n  \"a\": 1\n}");
    EV("@(42.ToString() + true.ToString())", "42True");
    /* 6 */
    EV("@(Convert.ToBase64String(Encoding.UTF8.GetBytes(\"hello\")))", "aGVsbG8=");
    /* 7 */
    EV("@(string.IsNullOrEmpty(context.Request.Headers.GetValueOrDefault(\"X-None\", \"\")))",
       "True");
    EV("@(string.IsNullOrWhiteSpace(\" x \"))", "False");
    /* 8 */
    EV("@(context.Request.Headers.GetValueOrDefault(\"accept\", \"\"))",
       "text/plain,application/json");
    /* 9 */
    EV("@(context.Request.Headers.GetValueOrDefault(\"Authorization\", \"\").Split(' ')[0])",
       "Bearer");
    EV("@(\"a,b,,c\".Split(',').Length)", "4");
    /* 10 */
    EV("@(Encoding.UTF8.GetString(Convert.FromBase64String(\"aGVsbG8=\")))", "hello");
    /* 11 */
    EV("@(context.Response.StatusCode == 201 ? \"created\" : \"other\")", "created");
    /* 12 */
    EV("@(((IResponse)context.Variables[\"r\"]).Body.As<JObject>()[\"token\"].ToString())", "abc");
    EV("@((int)((IResponse)context.Variables[\"r\"]).Body.As<JObject>()[\"expires_in\"] / 60)",
       "60");
    /* 13 */
    EV("@(Convert.ToBase64String(new HMACSHA256(Encoding.UTF8.GetBytes(\"secret\"))"
       ".ComputeHash(Encoding.UTF8.GetBytes(\"hello\"))))",
       "iKqz7ejTrflNJquQ07r9SiCDBww7zOnAFO4EpEOEfAs=");
    EV("@(Convert.ToBase64String(SHA256.Create().ComputeHash(Encoding.UTF8.GetBytes(\"hello\"))))",
       "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
    /* 14, 15, 16 */
    EV("@(context.Subscription.Key + \"/\" + context.Subscription.Id + \"/\" + "
       "context.Subscription.Name)",
       "k3y/sub-1/Starter");
    EV("@(context.Api.Name + \"|\" + context.Api.Id + \"|\" + context.Api.Path)",
       "Echo API|echo-api|echo");
    EV("@(context.Request.IpAddress)", "203.0.113.7");
    /* 17 */
    EV("@(context.Request.Headers[\"Accept\"].Where(h => h.Contains(\"json\")).FirstOrDefault())",
       "application/json");
    EV("@(string.Join(\";\", context.Request.Headers[\"Accept\"].Select(h => h.ToUpper())))",
       "TEXT/PLAIN;APPLICATION/JSON");
    EV("@(context.Request.Body.As<JObject>()[\"items\"].Any(i => (int)i > 2))", "True");
    /* 18 */
    EV("@(context.Request.MatchedParameters[\"id\"])", "42");
    /* 19 */
    EV("@(new JObject(new JProperty(\"id\", 1), new JProperty(\"name\", \"x\"))"
       ".ToString(Newtonsoft.Json.Formatting.None))",
       "{\"id\":1,\"name\":\"x\"}");
    /* 20 */
    EV("@(context.Request.OriginalUrl.ToString())",
       "https://contoso.azure-api.net/echo/users/42?q=hello%20world&limit=10");
    EV("@(context.Request.Url.Query.GetValueOrDefault(\"q\", \"\"))", "hello world");
    EV("@(context.Request.Method)", "POST");
}

/* The members the corpus uses next most often (facts 4.3, "also frequent"). */
static void test_frequent(void)
{
    EV("@(Guid.NewGuid().ToString())", "00112233-4455-4677-8899-aabbccddeeff");
    /* the fixed host's bytes 00 11 22 ...: 0x0011223344556677 >> 11 / 2^53 */
    EV("@(new Random().Next(0, 100000))", "26");
    EV("@{ var random = new Random(42); var d = random.NextDouble(); return d >= 0 && d < 1; }",
       "True");
    EV("@(new Random().Next(5, 1))", "error@15: 'minValue' cannot be greater than maxValue.");
    EV("@(DateTime.UtcNow.ToString(\"o\"))", "2024-01-02T03:04:05.6780000Z");
    EV("@(DateTime.UtcNow.AddHours(1).ToString(\"yyyy-MM-ddTHH:mm:ss\"))", "2024-01-02T04:04:05");
    EV("@(int.Parse(\"12\") * 2)", "24");
    EV("@(context.Variables.ContainsKey(\"x\") && !context.Variables.ContainsKey(\"y\"))", "True");
    EV("@(JObject.Parse(\"{\\\"a\\\":{\\\"b\\\":[5,6]}}\").SelectToken(\"a.b[1]\").ToString())",
       "6");
    EV("@(context.Request.Headers.GetValueOrDefault(\"Authorization\",\"\").Split(' ')[1]"
       ".AsJwt()?.Claims.GetValueOrDefault(\"roles\", \"\"))",
       "reader,writer");
    EV("@(context.Request.Headers[\"Authorization\"][0].Split(' ')[1].AsJwt().Subject)",
       "1234567890");
    EV("@(context.Request.Headers.GetValueOrDefault(\"X-Basic\",\"\").AsBasic().UserId)", "user");
    EV("@(context.RequestId)", "0f8fad5b-d9cb-469f-a165-70867728950e");
    EV("@((string)context.Request.Body.As<JObject>(preserveContent: true)[\"user\"][\"name\"])",
       "Ada");
    EV("@(context.User == null)", "True");
    EV("@(context.Timestamp.ToString(\"s\"))", "2024-01-02T03:04:05");
    EV("@(context.Elapsed.TotalSeconds)", "1.5");
    EV("@(context.Api.ServiceUrl.ToString())", "http://backend.local:8080/api");
    EV("@(Uri.EscapeDataString(\"a b&c\"))", "a%20b%26c");
    EV("@(\"  Trim me \".Trim().ToLowerInvariant().Replace(\"me\", \"you\"))", "trim you");
    EV("@(\"abcdef\".Substring(2, 3) + \"abc\".IndexOf('c') + \"x\".PadLeft(3, '0'))", "cde200x");
    EV("@(\"Hello\".Equals(\"hello\", StringComparison.OrdinalIgnoreCase))", "True");
    EV("@(\"Hello\".StartsWith(\"He\") && \"Hello\".EndsWith(\"lo\"))", "True");
    EV("@(Math.Max(3, 7) - Math.Min(3, 7))", "4");
    EV("@(7 / 2 + 7 % 2 + 7.0 / 2)", "7.5");
}

static void test_blocks(void)
{
    EV("@{ var sum = 0; foreach (var i in new[] { 1, 2, 3 }) { sum += i; } return sum; }", "6");
    EV("@{ int i = 0; while (true) { i++; if (i == 3) break; } return i; }", "3");
    EV("@{ var n = 0; for (var i = 0; i < 10; i++) { if (i % 2 == 0) continue; n += i; } "
       "return n; }",
       "25");
    EV("@{ var x = 1; do { x *= 2; } while (x < 100); return x; }", "128");
    EV("@{ if (context.Request.Method == \"GET\") { return \"get\"; } else { return \"other\"; } }",
       "other");
    EV("@{ var body = context.Request.Body.As<JObject>(); body[\"added\"] = 1; "
       "body.Remove(\"items\"); return body.ToString(Newtonsoft.Json.Formatting.None); }",
       "{\"user\":{\"name\":\"Ada\",\"roles\":[\"admin\",\"dev\"]},\"added\":1}");
    EV("@{ var a = new JArray(); a.Add(\"x\"); a.Add(2); return a.Count; }", "2");
    EV("@{ var a = new JArray(1, 2); var b = new JArray(a); b.Add(3); "
       "return a.Count + \"/\" + b.Count; }",
       "2/3");
    EV("@{ var a = new JArray(); a.Add(a); return a.Count; }",
       "error@27: the value cannot be added to the JArray (an array cannot contain itself)");
    /* text built in a loop counts against the budget (s doubles each time) */
    EV("@{ var s = \"ab\"; for (var i = 0; i < 40; i++) { s = s + s; } return s.Length; }",
       "error@52: the expression ran longer than its budget of steps");
    EV("@{ var t = DateTime.UtcNow; while (true) { t = t.AddDays(365000); } }",
       "error@49: The added or subtracted value results in an un-representable DateTime.");
    EV("@{ object o = \"s\"; if (o is string s) { return s + \"!\"; } return \"no\"; }", "s!");
    EV("@{ switch (context.Request.Method) { case \"GET\": return 1; case \"PUT\": case "
       "\"POST\": return 2; default: return 3; } }",
       "2");
    EV("@{ switch (\"x\") { default: case \"y\": return 1; case \"x\": return 2; } }", "2");
    EV("@{ switch (\"z\") { case \"y\": return 1; } return 0; }", "0");
    /* break ends the switch, continue goes to the loop around it */
    EV("@{ var n = 0; foreach (var x in new[] { 1, 2, 3, 4 }) { switch (x) { case 2: continue; "
       "case 4: break; default: n += x; break; } n += 10; } return n; }",
       "34");
    EV("@{ using (var sha = SHA256.Create()) { return sha.ComputeHash(new byte[0]).Length; } }",
       "error@62: an array created by size is not run by apimlocal");
    EV("@{ using (var sha = SHA256.Create()) { return sha.ComputeHash(Encoding.UTF8.GetBytes(\"\"))"
       ".Length; } }",
       "32");
}

static void test_lambdas(void)
{
    /* closures over locals: the lambda reads the block's local */
    EV("@{ var min = 2; return new[] { 1, 2, 3 }.Where(x => x >= min).Count(); }", "2");
    EV("@(new[] { \"a\", \"b\" }.Select(x => new[] { 1, 2 }.Select(y => x + y).Last()).Last())",
       "b2");
    EV("@(new[] { 3, 1, 2 }.Any(x => { if (x > 2) { return true; } return false; }))", "True");
    EV("@(new[] { 1, 2, 2, 3 }.Distinct().Count() + new[] { 1, 2, 3 }.Skip(1).Take(1).First())",
       "5");
    EV("@(new[] { 1, 2 }.All(x => x > 0))", "True");
}

static void test_null_conditional(void)
{
    EV("@(context.Request.Headers.GetValueOrDefault(\"X-None\")?.Split(' ')[1].Length)", "");
    EV("@(context.Request.Headers.GetValueOrDefault(\"X-None\")?.Length ?? -1)", "-1");
    EV("@(context.User?.Email ?? \"anonymous\")", "anonymous");
    EV("@((string)null ?? \"d\")", "d");
    EV("@(context.Variables.GetValueOrDefault<string>(\"x\")?.ToUpper())", "HELLO");
    EV("@(false && context.User.Email == \"\")", "False");
    EV("@(true || context.User.Email == \"\")", "True");
}

static void test_try_catch(void)
{
    EV("@{ try { return context.User.Email; } catch (Exception ex) { return \"caught: \" + "
       "ex.Message; } }",
       "caught: Object reference not set to an instance of an object.");
    EV("@{ var n = 0; foreach (var x in new[] { \"1\", \"a\", \"3\" }) { try { n += "
       "int.Parse(x); } catch { continue; } } return n; }",
       "4");
    /* break out of a try inside a loop leaves it (ENDTRY): the later error is not caught */
    EV("@{ var r = 0; for (var i = 0; i < 5; i++) { try { if (i == 3) break; r += 10 / (2 - i); } "
       "catch (Exception) { r += 100; } } return r + 10 / (r - 115); }",
       "error@135: Attempted to divide by zero.");
    EV("@{ try { throw new Exception(\"x\"); } catch (Exception e) { return e.Message; } }", "x");
    EV("@{ throw new Exception(\"boom\"); }", "error@3: boom");
    EV("@(new[] { 1, 0 }.Select(x => { try { return 1 / x; } catch { return -1; } }).Last())",
       "-1");
    /* what no catch hides: a construct not run, the budget */
    EV("@{ try { var b = new StringBuilder(); return 1; } catch { return 2; } }",
       "error@17: 'new StringBuilder' is not run by apimlocal");
    EVN("@{ try { while (true) { } } catch { return 0; } }", 1000,
        "error@22: the expression ran longer than its budget of steps");
    EV("@{ try { return 1; } catch (FormatException) { return 2; } }",
       "error@3: 'try' with a catch of a specific exception type is not run by apimlocal");
}

static void test_runtime_errors(void)
{
    EV("@(context.User.Email)", "error@15: Object reference not set to an instance of an object.");
    EV("@((int)context.Variables[\"x\"])",
       "error@2: Unable to cast object of type 'string' to type 'int'.");
    EV("@(context.Variables[\"nope\"])",
       "error@19: The given key 'nope' was not present in the dictionary.");
    EV("@(context.Variables.GetValueOrDefault<int>(\"x\", 0))",
       "error@20: Unable to cast object of type 'string' to type 'int'.");
    EV("@(1 / (context.Response.StatusCode - 201))", "error@2: Attempted to divide by zero.");
    EV("@(\"abc\".NoSuchMethod())", "error@8: 'string' does not contain a definition for "
                                    "'NoSuchMethod'");
    EV("@(JObject.Parse(\"{}\").Property(\"a\"))",
       "error@22: 'JObject.Property' is not run by apimlocal");
    EV("@{ var x = 1; }", "error@14: a block whose end is reached without 'return' (not all code "
                          "paths return a value) is not run by apimlocal");
    EV("@(int.Parse(\"x1\"))", "error@6: The input string 'x1' was not in a correct format.");
    EV("@(new[] { 1 }.First(x => x > 5))", "error@14: Sequence contains no matching elements");
    EV("@(Guid.Parse(\"x\"))", "error@7: Unrecognized Guid format.");
    /* found by fuzz_csx_vm: a static call with more arguments than the member takes */
    EV("@(Uri.EscapeDataString(\"a\", \"b\"))",
       "error@2: 'Uri.EscapeDataString' with 2 arguments (it takes 1 to 1) is not run by "
       "apimlocal");
    EV("@(new JValue())",
       "error@2: 'new JValue' with 0 arguments (it takes 1 to 1) is not run by apimlocal");
}

/* DateTimeOffset (the host's clock: 2024-01-02T03:04:05.678Z). Formats:
 * .NET "Standard date and time format strings" ("o": the offset as
 * +00:00 for a DateTimeOffset, "R": RFC 1123) and "Custom date and time
 * format strings" ("zzz"); the default ToString() is the invariant
 * culture's "G" then the offset. */
static void test_datetimeoffset(void)
{
    /* a long literal kept its 64 bits only from this change on */
    EV("@(1704164645678 + 1)", "1704164645679");
    EV("@(DateTimeOffset.UtcNow.ToUnixTimeSeconds())", "1704164645");
    EV("@(DateTimeOffset.Now.ToUnixTimeMilliseconds())", "1704164645678");
    EV("@(DateTimeOffset.FromUnixTimeSeconds(0).ToString())", "01/01/1970 00:00:00 +00:00");
    EV("@(DateTimeOffset.FromUnixTimeSeconds(1).ToString(\"o\"))",
       "1970-01-01T00:00:01.0000000+00:00");
    EV("@(DateTimeOffset.FromUnixTimeMilliseconds(1704164645678).ToString(\"R\"))",
       "Tue, 02 Jan 2024 03:04:05 GMT");
    EV("@(DateTimeOffset.UtcNow.ToString(\"yyyy-MM-dd zzz|zz|z\"))", "2024-01-02 +00:00|+00|+0");
    EV("@(DateTimeOffset.FromUnixTimeMilliseconds(-1).ToUnixTimeSeconds())", "-1");
    EV("@(DateTimeOffset.UtcNow.AddSeconds(300).ToUnixTimeSeconds())", "1704164945");
    EV("@(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds())", "1704251045678");
    EV("@(new DateTimeOffset(DateTime.UtcNow.AddMinutes(10)).ToUnixTimeSeconds())", "1704165245");
    EV("@(((DateTimeOffset)DateTime.UtcNow).ToUnixTimeSeconds())", "1704164645");
    EV("@(DateTimeOffset.UtcNow > DateTimeOffset.FromUnixTimeSeconds(1704164645))", "True");
    EV("@(DateTimeOffset.UtcNow.UtcDateTime.ToString(\"o\"))", "2024-01-02T03:04:05.6780000Z");
    EV("@(default(DateTimeOffset).ToString())", "01/01/0001 00:00:00 +00:00");
    EV("@(DateTimeOffset.FromUnixTimeSeconds(253402300800))",
       "error@17: Valid values are between -62135596800 and 253402300799, inclusive. (Parameter "
       "'seconds')");
    EV("@(DateTimeOffset.FromUnixTimeMilliseconds(-62135596800001))",
       "error@17: Valid values are between -62135596800000 and 253402300799999, inclusive. "
       "(Parameter 'milliseconds')");
}

/* BitConverter ("System.BitConverter": ToString writes hexadecimal pairs
 * separated by hyphens, upper case; ToInt32 reads four bytes in the
 * machine's order, little-endian) and Convert.ToByte ("Convert.ToByte":
 * fromBase 2, 8, 10 or 16; doubles round half to even). */
static void test_bits(void)
{
    EV("@(BitConverter.ToString(Encoding.UTF8.GetBytes(\"Hi!\")))", "48-69-21");
    EV("@(BitConverter.ToString(Encoding.UTF8.GetBytes(\"Hi!\"), 1))", "69-21");
    EV("@(BitConverter.ToString(Encoding.UTF8.GetBytes(\"Hi!\"), 1, 1))", "69");
    EV("@(BitConverter.ToString(Encoding.UTF8.GetBytes(\"\")))", "");
    EV("@(BitConverter.ToString(Convert.FromBase64String(\"AP8Q\")).Replace(\"-\", \"\"))",
       "00FF10");
    EV("@(BitConverter.ToString(Encoding.UTF8.GetBytes(\"Hi\"), 1, 2))",
       "error@15: Destination array is not long enough to copy all the items in the collection. "
       "Check array index and length.");
    EV("@(BitConverter.ToInt32(Encoding.ASCII.GetBytes(\"ABCD\"), 0))", "1145258561");
    EV("@(BitConverter.ToInt32(Convert.FromBase64String(\"AP////8=\"), 1))", "-1");
    EV("@(BitConverter.ToInt32(Encoding.ASCII.GetBytes(\"ABC\"), 0))",
       "error@15: Destination array is not long enough to copy all the items in the collection. "
       "Check array index and length.");
    EV("@(Convert.ToByte(\"ff\", 16) + Convert.ToByte(\"0x1A\", 16))", "281");
    EV("@(Convert.ToByte(\"101\", 2) + Convert.ToByte(\"17\", 8) + Convert.ToByte(\"12\"))", "32");
    EV("@(Convert.ToByte(200) + Convert.ToByte(2.5) + Convert.ToByte(3.5) + Convert.ToByte(true))",
       "207");
    EV("@(Convert.ToByte(\"100\", 16))",
       "error@10: Value was either too large or too small for an unsigned byte.");
    EV("@(Convert.ToByte(256))",
       "error@10: Value was either too large or too small for an unsigned byte.");
    EV("@(Convert.ToByte(\"g\", 16))", "error@10: Could not find any recognizable digits.");
    EV("@(Convert.ToByte(\"1g\", 16))",
       "error@10: Additional non-parsable characters are at the end of the string.");
    EV("@(Convert.ToByte(\"1\", 3))", "error@10: Invalid Base. (Parameter 'fromBase')");
}

/* Object and collection initializers (C# lowers [k] = v to the indexer and
 * { k, v } or v to Add), anonymous objects as JSON objects. */
static void test_initializers(void)
{
    EV("@(JsonConvert.SerializeObject(new JObject { [\"a\"] = 1, [\"b\"] = \"x\" }))",
       "{\"a\":1,\"b\":\"x\"}");
    EV("@(new JObject { [\"error\"] = \"invalid_request\" }.ToString())",
       "{\n  \"error\": \"invalid_request\"\n}");
    EV("@(JsonConvert.SerializeObject(new JObject { new JProperty(\"p\", true) }))",
       "{\"p\":true}");
    EV("@(JsonConvert.SerializeObject(new JArray { 1, \"two\" }))", "[1,\"two\"]");
    EV("@(JsonConvert.SerializeObject(new JObject() { { \"k\", 2 } }))", "{\"k\":2}");
    EV("@(JsonConvert.SerializeObject(new { a = 1, b = new[] { \"x\" }, c = (string)null }))",
       "{\"a\":1,\"b\":[\"x\"],\"c\":null}");
    EV("@{ var name = \"n\"; return JsonConvert.SerializeObject(new { name, "
       "context.Api.Path }); }",
       "{\"name\":\"n\",\"Path\":\"echo\"}");
    EV("@(new Random { Seed = 1 } == null)",
       "error@15: setting 'Seed' in an object initializer is not run by apimlocal");
}

/* out arguments ("out parameter modifier"): TryParse gives false and
 * default(T) on a malformed string ("Int32.TryParse": NumberStyles.Integer,
 * white space around the digits allowed), TryGetValue false and null. */
static void test_out_args(void)
{
    EV("@(int.TryParse(\" 42 \", out var n) ? n + 1 : -1)", "43");
    EV("@{ int n = 7; bool ok = int.TryParse(\"x\", out n); return ok + \":\" + n; }", "False:0");
    EV("@{ long l; return long.TryParse(\"9000000000\", out l) ? l : 0; }", "9000000000");
    EV("@(int.TryParse(\"9000000000\", out int big) || big != 0)", "False");
    EV("@(double.TryParse(\"2.5\", out var d) ? d * 2 : 0)", "5");
    EV("@(bool.TryParse(\"TRUE\", out var b) && b)", "True");
    EV("@(int.TryParse(null, out _))", "False");
    EV("@(context.Variables.TryGetValue(\"count\", out var c) ? (int)c * 2 : 0)", "10");
    EV("@(context.Variables.TryGetValue(\"none\", out object c) || c != null)", "False");
    EV("@(context.Request.Headers.TryGetValue(\"Accept\", out var h) ? h[1] : \"-\")",
       "application/json");
    EV("@(new JObject().TryGetValue(\"a\", out var t))",
       "error@16: 'JObject.TryGetValue' is not run by apimlocal");
    /* get-authorization-context is not run: its variable is absent */
    EV("@(\"Bearer \" + ((Authorization)context.Variables.GetValueOrDefault(\"auth-context\"))"
       "?.AccessToken)",
       "Bearer ");
    EV("@(((Authorization)context.Variables[\"x\"]).AccessToken)",
       "error@3: Unable to cast object of type 'string' to type 'Authorization'.");
    EV("@(\"a\".Foo(out var t))", "error@2: an 'out' argument of 'Foo' is not run by apimlocal");
    EV("@(new object[] { 1, \"a\" }[1] + new object[] { 1 }.Length)", "a1");
}

/* Regex through PCRE2, with .NET's results ("Regular expression language -
 * quick reference", "Substitutions in regular expressions", Regex.Split:
 * captured groups are included, Regex.Escape's set of characters). */
static void test_regex(void)
{
    EV("@(Regex.IsMatch(\"abc123\", @\"\\d+\"))", "True");
    EV("@(Regex.IsMatch(\"ABC\", \"abc\", RegexOptions.IgnoreCase))", "True");
    EV("@(Regex.Match(\"key=value\", @\"(\\w+)=(\\w+)\").Groups[2].Value)", "value");
    EV("@(Regex.Match(\"2024-01-02\", @\"(?<y>\\d{4})-(?<m>\\d\\d)\").Groups[\"m\"].Value)", "01");
    /* .NET numbers unnamed groups first, then named ones */
    EV("@(Regex.Match(\"ab\", @\"(?<x>a)(b)\").Groups[1].Value + Regex.Match(\"ab\", "
       "@\"(?<x>a)(b)\").Groups[2])",
       "ba");
    EV("@(Regex.Match(\"x\", \"y\").Success + \"|\" + Regex.Match(\"x\", \"y\").Value + \"|\")",
       "False||");
    EV("@(Regex.Match(\"h\u00e9llo w\u00f6rld\", @\"w\\w+\").Index)", "6");
    EV("@(Regex.Match(\"h\u00e9llo w\u00f6rld\", @\"w\\w+\").Value)", "w\u00f6rld");
    EV("@(Regex.Match(\"a1b2\", @\"\\d\").NextMatch().Value)", "2");
    EV("@(Regex.Replace(\"a1b22c\", @\"\\d+\", \"#\"))", "a#b#c");
    EV("@(Regex.Replace(\"John Smith\", @\"(\\w+) (\\w+)\", \"$2, $1\"))", "Smith, John");
    EV("@(Regex.Replace(\"x\", \"x\", \"$$-$&-${n}-$9\"))", "$-x-${n}-$9");
    EV("@(Regex.Replace(\"baaac\", \"a*\", \"-\"))", "-b--c-");
    EV("@(Regex.Replace(\"abc\", \"\", \"-\"))", "-a-b-c-");
    EV("@(Regex.Replace(\"a1b2\", @\"\\d\", m => (int.Parse(m.Value) * 2).ToString()))", "a2b4");
    EV("@(new Regex(@\"\\d\").Replace(\"1234\", \"x\", 2))", "xx34");
    EV("@(string.Join(\"|\", Regex.Split(\"a1b2c\", @\"\\d\")))", "a|b|c");
    EV("@(string.Join(\"|\", Regex.Split(\"a1b\", @\"(\\d)\")))", "a|1|b");
    EV("@(string.Join(\"|\", Regex.Split(\"abc\", \"\")))", "|a|b|c|");
    EV("@(Regex.Matches(\"a1b22c333\", @\"\\d+\").Count)", "3");
    EV("@(Regex.Matches(\"a1b22c333\", @\"\\d+\")[2].Value)", "333");
    EV("@{ var s = \"\"; foreach (Match m in Regex.Matches(\"a1b22\", @\"\\d+\")) s += m.Value + "
       "\";\"; return s; }",
       "1;22;");
    EV("@(new Regex(@\"^\\s*(\\w+)\").Match(\"  hi there\").Groups[1].Value)", "hi");
    EV("@(Regex.Escape(\"a.b*c d#\\t]\"))", "a\\.b\\*c\\ d\\#\\t]");
    EV("@(Regex.Unescape(@\"a\\.b\\u0041\\x42\\t\"))", "a.bAB\t");
    EV("@(Regex.Unescape(@\"\\q\"))", "error@8: Unrecognized escape sequence \\q.");
    EV("@(Regex.IsMatch(\"a\", \"[a-z-[aeiou]]\"))",
       "error@8: the regular expression construct '-[' (character class subtraction) is not run "
       "by apimlocal");
    EV("@(Regex.IsMatch(\"a\", \"[[:alpha:]]\"))",
       "error@8: the regular expression construct '[:' (a POSIX class) is not run by apimlocal");
    EV("@(Regex.IsMatch(\"a\", \"a++\"))",
       "error@8: the regular expression construct '*+', '++' or '?+' (a possessive quantifier) "
       "is not run by apimlocal");
    EV("@(Regex.IsMatch(\"a\", @\"\\h\"))",
       "error@8: the regular expression construct '\\h' is not run by apimlocal");
    EV("@(Regex.IsMatch(\"a\", @\"(?<x>a)(b)\\1\"))",
       "error@8: the regular expression construct '\\1'..'\\9' (a numbered backreference) with "
       "named groups is not run by apimlocal");
    EV("@(Regex.IsMatch(\"a\", \"a\", RegexOptions.RightToLeft))",
       "error@8: RegexOptions.RightToLeft is not run by apimlocal");
    EV("@(Regex.IsMatch(\"a\", \"(\"))",
       "error@8: Invalid pattern '(' at offset 1. missing closing parenthesis");
    EVN("@(Regex.IsMatch(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", \"^(a+)+$\"))", 5000,
        "error@8: the regular expression ran longer than the expression's budget");
}

/* WebUtility.HtmlEncode/HtmlDecode ("WebUtility.HtmlEncode": <, >, &, "
 * and ' as entities, U+00A0..U+00FF and non-BMP characters as &#N;),
 * Guid.Parse ("Guid.Parse": the N, D, B and P formats; ToByteArray's first
 * three fields little-endian) and Math.Round ("Math.Round": to even by
 * default, MidpointRounding). */
static void test_web_guid_round(void)
{
    EV("@(WebUtility.HtmlEncode(\"<a href='x'>\\\"&\\\" caf\u00e9 \u00bd \u20ac \U0001F600</a>\"))",
       "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot; caf&#233; &#189; \u20ac &#128512;&lt;/a&gt;");
    EV("@(WebUtility.HtmlEncode(null) == null)", "True");
    EV("@(WebUtility.HtmlDecode(\"&lt;b&gt; &amp;amp; &#65;&#x42; &quot;&apos;&nbsp;| &foo "
       "&#xZ;\"))",
       "<b> &amp; AB \"'\u00a0| &foo &#xZ;");
    EV("@(WebUtility.HtmlDecode(\"&copy;\"))",
       "error@13: the HTML entity '&copy;' is not run by apimlocal");
    EV("@(Guid.Parse(\"{0F8FAD5B-D9CB-469F-A165-70867728950E}\"))",
       "0f8fad5b-d9cb-469f-a165-70867728950e");
    EV("@(Guid.Parse(\" 0f8fad5bd9cb469fa16570867728950e \").ToString())",
       "0f8fad5b-d9cb-469f-a165-70867728950e");
    EV("@(BitConverter.ToString(Guid.Parse(\"00112233-4455-6677-8899-aabbccddeeff\")"
       ".ToByteArray()))",
       "33-22-11-00-55-44-77-66-88-99-AA-BB-CC-DD-EE-FF");
    EV("@(Guid.Parse(\"0f8fad5b-d9cb-469f-a165-70867728950\"))",
       "error@7: Unrecognized Guid format.");
    EV("@(Guid.TryParse(\"nope\", out var g) + \" \" + g)",
       "False 00000000-0000-0000-0000-000000000000");
    EV("@(Math.Round(2.5) + \" \" + Math.Round(3.5) + \" \" + Math.Round(-2.5))", "2 4 -2");
    EV("@(Math.Round(2.345, 2) + \" \" + Math.Round(1.25, 1))", "2.35 1.2");
    EV("@(Math.Round(2.5, MidpointRounding.AwayFromZero) + \" \" + "
       "Math.Round(-1.25, 1, MidpointRounding.AwayFromZero))",
       "3 -1.3");
    EV("@(Math.Round(1.5, 16))",
       "error@7: Rounding digits must be between 0 and 15, inclusive. (Parameter 'digits')");
}

/* TimeSpan.From* ("TimeSpan.FromSeconds": the value times the unit) and new
 * DateTime(...) (DateTimeKind.Unspecified: "o" writes no zone, the "K"
 * specifier of "Custom date and time format strings" is empty). */
static void test_timespan_datetime(void)
{
    /* double.ToString() (.NET Core 3.0+): the shortest round-trip digits,
     * scientific ("E+15", "E-05") from 1e15 and below 1e-4 */
    EV("@(3690.0 + \" \" + 1e15 + \" \" + 123456789012345.0 + \" \" + 0.0001 + \" \" + 0.00001 + "
       "\" \" + 1.5e-7 + \" \" + (-0.0) + \" \" + 0.1 + \" \" + 1e21)",
       "3690 1E+15 123456789012345 0.0001 1E-05 1.5E-07 -0 0.1 1E+21");
    EV("@(TimeSpan.FromSeconds(90).ToString())", "00:01:30");
    EV("@(TimeSpan.FromMinutes(1.5).TotalSeconds + TimeSpan.FromHours(1).TotalSeconds)", "3690");
    EV("@(TimeSpan.FromDays(1) + TimeSpan.FromMilliseconds(5))", "1.00:00:00.0050000");
    EV("@((DateTime.UtcNow + TimeSpan.FromSeconds(55)).ToString(\"s\"))", "2024-01-02T03:05:00");
    EV("@(TimeSpan.FromSeconds(0.0001))",
       "error@11: a TimeSpan finer than a millisecond is not run by apimlocal");
    EV("@(TimeSpan.FromDays(1e300))",
       "error@11: TimeSpan overflowed because the duration is too long.");
    EV("@(new DateTime(1970, 1, 1).Ticks)", "621355968000000000");
    EV("@(new DateTime(2024, 2, 29, 13, 14, 15).ToString(\"o\"))", "2024-02-29T13:14:15.0000000");
    EV("@(new DateTime(2024, 1, 2, 3, 4, 5, 678).ToString())", "01/02/2024 03:04:05");
    EV("@((DateTime.UtcNow - new DateTime(1970, 1, 1)).TotalSeconds)", "1704164645.678");
    EV("@(new DateTime(2023, 2, 29))",
       "error@2: Year, Month, and Day parameters describe an un-representable DateTime.");
    EV("@(new DateTime(2023, 1, 1, 24, 0, 0))",
       "error@2: Hour, Minute, and Second parameters describe an un-representable DateTime.");
}

/* new Uri ("Uri class": scheme and host lower case, the scheme's default
 * port, AbsolutePath "/" when empty, Query with its '?'). */
static void test_uri(void)
{
    EV("@(new Uri(\"HTTPS://Example.COM:8443/a/b?x=1#f\").Host + \" \" + new "
       "Uri(\"HTTPS://Example.COM:8443/a/b?x=1#f\").Port)",
       "example.com 8443");
    EV("@{ var u = new Uri(\" http://contoso.com \"); return u.Port + \" \" + u.AbsolutePath + "
       "\" \" + u.Scheme + \" \" + u + \" \" + u.Authority; }",
       "80 / http http://contoso.com/ contoso.com");
    EV("@{ var u = new Uri(\"https://a.b:443/p/q?k=v&w#top\"); return u.PathAndQuery + \" \" + "
       "u.Query + \" \" + u.Fragment + \" \" + u.AbsoluteUri; }",
       "/p/q?k=v&w ?k=v&w #top https://a.b/p/q?k=v&w#top");
    EV("@(new Uri(\"/relative\"))",
       "error@2: Invalid URI: The format of the URI could not be determined.");
    EV("@(new Uri(\"https://a.b:99999/\"))", "error@2: Invalid URI: Invalid port specified.");
    EV("@(new Uri(\"https://a.b/x%20y\"))",
       "error@2: new Uri of a text .NET would escape or rewrite ('%') is not run by apimlocal");
    EV("@(new Uri(\"https://a.b/x/../y\"))",
       "error@2: new Uri of a path with '.' or '..' segments is not run by apimlocal");
    EV("@(new Uri(\"ftp://a.b/\"))",
       "error@2: new Uri of the scheme 'ftp' is not run by apimlocal");
    EV("@(new Uri(\"https://user@a.b/\"))",
       "error@2: new Uri of the authority 'user@a.b' is not run by apimlocal");
}

static void test_budget(void)
{
    EVN("@{ while (true) { } }", 1000,
        "error@10: the expression ran longer than its budget of steps");
    EVN("@{ var n = 0; while (n < 100) { n++; } return n; }", 100000, "100");
    /* steps inside lambdas count, and so do the elements natives walk */
    EVN("@(new[] { 1, 2, 3 }.Select(x => new[] { 1, 2, 3 }.Count()).Count())", 20,
        "error@43: the expression ran longer than its budget of steps");
    EVN("@(new[] { 1, 2, 3 }.Select(x => new[] { 1, 2, 3 }.Count()).Count())", 200, "3");
}

/* The blob of text, in b. */
static void blob_of(const char *text, struct buf *b)
{
    struct arena a;
    arena_init(&a, 4096);
    buf_init(b, 1u << 20);
    struct csx_node *n = csx_parse(&a, NULL, LOC_NONE, str_from_cstr(text));
    CU_ASSERT_FATAL(n != NULL);
    CU_ASSERT_FATAL(csx_emit(&a, NULL, LOC_NONE, n, b) == 0);
    arena_release(&a);
}

/* The reason csx_prog_load gives for blob with byte at set to v (at < 0:
 * the blob cut to -at bytes shorter), or "ok". */
static const char *load_patched(const struct buf *b, long at, unsigned char v)
{
    unsigned char *copy = xmalloc(b->len);
    memcpy(copy, b->data, b->len);
    size_t len = b->len;
    if (at >= 0)
        copy[at] = v;
    else
        len -= (size_t)-at;
    struct csx_error err;
    struct csx_prog *p = csx_prog_load(copy, len, &err);
    snprintf(out, sizeof(out), "%s", p != NULL ? "ok" : err.reason);
    csx_prog_free(p);
    free(copy);
    return out;
}

#define CODE (CSX_HEADER_SIZE + CSX_FUNC_SIZE) /* the first instruction of one function */

static void test_verifier(void)
{
    struct buf b;
    /* CONST 0; CONST 1; ADD; RET */
    blob_of("@(1 + 2)", &b);
    CU_ASSERT_STRING_EQUAL(load_patched(&b, 0, 'C'), "ok");
    CU_ASSERT_STRING_EQUAL(load_patched(&b, 0, 'X'),
                           "invalid expression program: not a program (bad magic)");
    CU_ASSERT_STRING_EQUAL(load_patched(&b, 4, 9),
                           "invalid expression program: unknown program version");
    CU_ASSERT_STRING_EQUAL(load_patched(&b, -1, 0),
                           "invalid expression program: the size does not match the header");
    CU_ASSERT_STRING_EQUAL(load_patched(&b, 8, 0),
                           "invalid expression program: a count in the header is out of range");
    CU_ASSERT_STRING_EQUAL(load_patched(&b, CODE, 200), "invalid expression program: an "
                                                        "instruction has a bad opcode or operand");
    /* CONST with a constant index out of range */
    CU_ASSERT_STRING_EQUAL(load_patched(&b, CODE + 4, 7),
                           "invalid expression program: an "
                           "instruction has a bad opcode or operand");
    /* ADD turned into POP: RET finds nothing... no: one value left; into
     * a second ADD at the first instruction: underflow */
    CU_ASSERT_STRING_EQUAL(load_patched(&b, CODE, CSX_OP_ADD),
                           "invalid expression program: the stack underflows");
    /* RET turned into NOP: the function runs off its end */
    CU_ASSERT_STRING_EQUAL(load_patched(&b, CODE + 3 * CSX_INSN_SIZE, CSX_OP_NOP),
                           "invalid expression program: a function runs off its end");
    /* a constant's kind */
    size_t k0 = CODE + 4 * CSX_INSN_SIZE;
    CU_ASSERT_STRING_EQUAL(load_patched(&b, (long)k0, 99),
                           "invalid expression program: a constant has an unknown kind");
    buf_release(&b);

    /* a jump out of its function, and paths that join with different depths */
    blob_of("@(context.Request.Method == \"GET\" ? 1 : 2)", &b);
    CU_ASSERT_STRING_EQUAL(load_patched(&b, 0, 'C'), "ok");
    size_t jmpf = CODE + 5 * CSX_INSN_SIZE; /* CONTEXT GETM GETM CONST EQ JMPF */
    CU_ASSERT_EQUAL(b.data[jmpf - CSX_INSN_SIZE], CSX_OP_EQ);
    CU_ASSERT_STRING_EQUAL(load_patched(&b, (long)jmpf + 4, 60), "invalid expression program: an "
                                                                 "instruction has a bad opcode "
                                                                 "or operand");
    CU_ASSERT_STRING_EQUAL(load_patched(&b, (long)jmpf + 4, 7),
                           "invalid expression program: paths join with different stack depths");
    /* a static call's member id out of range */
    buf_release(&b);
    blob_of("@(Guid.NewGuid())", &b);
    CU_ASSERT_EQUAL(b.data[CODE], CSX_OP_CALLS);
    CU_ASSERT_STRING_EQUAL(load_patched(&b, CODE + 5, 0x7f), "invalid expression program: an "
                                                             "instruction has a bad opcode or "
                                                             "operand");
    /* GETM given an instance member's id where a static one is due */
    CU_ASSERT_STRING_EQUAL(load_patched(&b, CODE + 4, CSXM_STRING_LENGTH & 0xff),
                           CSXM_STRING_LENGTH < 256 ? "invalid expression program: an instruction "
                                                      "has a bad opcode or operand"
                                                    : "ok");
    buf_release(&b);
}

/* Every byte of a program flipped in turn: the loader rejects it or the
 * program runs to a value or a runtime error, never a crash. */
static void test_flips(void)
{
    struct buf b;
    blob_of("@{ var s = 0; foreach (var i in new[] { 1, 2 }) { s += i; } "
            "return context.Variables.GetValueOrDefault<int>(\"count\", s); }",
            &b);
    unsigned loaded = 0;
    for (size_t i = 0; i < b.len; i++) {
        for (unsigned bit = 0; bit < 8; bit += 3) {
            unsigned char *copy = xmalloc(b.len);
            memcpy(copy, b.data, b.len);
            copy[i] ^= (unsigned char)(1u << bit);
            struct csx_error err;
            struct csx_prog *p = csx_prog_load(copy, b.len, &err);
            if (p != NULL) {
                struct arena a;
                arena_init(&a, 4096);
                struct csx_value v;
                loaded++;
                (void)!csx_eval(p, &host, &a, 10000, &v, &err);
                arena_release(&a);
            }
            csx_prog_free(p);
            free(copy);
        }
    }
    CU_ASSERT(loaded > 0);
    buf_release(&b);
}

static void test_disasm(void)
{
    struct arena a;
    arena_init(&a, 4096);
    const char *text = "@(context.Request.Headers.GetValueOrDefault(\"h\", \"\").Length)";
    struct csx_prog *p = compile(&a, text);
    CU_ASSERT_FATAL(p != NULL);
    struct buf b;
    buf_init(&b, 1u << 16);
    CU_ASSERT_EQUAL(csx_disasm(p, str_from_cstr(text), &b), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "fn0: params=0 stack=3 expression\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "CALLM argc=2 \"GetValueOrDefault\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "; @26 GetValueOrDefault(\"h\", \"\").Length)"));
    buf_release(&b);
    csx_prog_free(p);
    arena_release(&a);
}

int main(void)
{
    host_init();
    static CU_TestInfo tests[] = {
        { "the 20 idioms", test_idioms },
        { "frequent members", test_frequent },
        { "blocks", test_blocks },
        { "lambdas", test_lambdas },
        { "null-conditional and short-circuit", test_null_conditional },
        { "try and catch", test_try_catch },
        { "runtime errors", test_runtime_errors },
        { "DateTimeOffset", test_datetimeoffset },
        { "BitConverter and Convert.ToByte", test_bits },
        { "initializers and anonymous objects", test_initializers },
        { "out arguments", test_out_args },
        { "Regex", test_regex },
        { "HtmlEncode, Guid.Parse, Math.Round", test_web_guid_round },
        { "TimeSpan.From* and new DateTime", test_timespan_datetime },
        { "new Uri", test_uri },
        { "step budget", test_budget },
        { "verifier", test_verifier },
        { "bit flips", test_flips },
        { "disassembler", test_disasm },
        CU_TEST_INFO_NULL,
    };
    static CU_SuiteInfo suites[] = { { "csx_vm", NULL, NULL, NULL, NULL, tests },
                                     CU_SUITE_INFO_NULL };
    return cunit_run(suites);
}

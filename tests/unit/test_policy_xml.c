/* Unit tests for the policy XML reader (compiler/policy/policy_xml.[chly]):
 * both formats (C# escaped or raw inside expressions), every construct
 * (comments, CDATA, entities, character references, either quote, the XML
 * declaration, islands with literals of every C# shape), the ranges it
 * records, and error recovery: each independent mistake reported once, at
 * its place, with the rest of the tree still read. */
#include <stdio.h>
#include <string.h>

#include "apim_limits.h"
#include "cunit_run.h"
#include "policy_xml.h"
#include "testutil.h"

struct rd {
    struct tu t;
    struct source *src;
    struct policy_xml_doc doc;
    const char *text;
    int rc;
};

/* Reads text (backquotes become double quotes). */
static void rd_read(struct rd *r, const char *text)
{
    tu_init(&r->t);
    char *s = arena_strdup(&r->t.arena, text);
    for (char *p = s; *p; p++)
        if (*p == '`')
            *p = '"';
    r->text = s;
    r->src = source_new(&r->t.diag, "policy.xml", s, (uint32_t)strlen(s));
    r->rc = policy_xml_read(&r->t.arena, &r->t.diag, r->src, s, strlen(s), &r->doc);
}

static const char *dump_node(struct rd *r, const struct policy_xml_node *n);

/* name[a=v,...]{children}; text 'x'; expression @<x> (decoded text). */
static const char *dump_list(struct rd *r, const struct policy_xml_node *n)
{
    const char *out = "";
    for (; n; n = n->next)
        out = arena_printf(&r->t.arena, "%s%s", out, dump_node(r, n));
    return out;
}

static const char *dump_node(struct rd *r, const struct policy_xml_node *n)
{
    struct arena *a = &r->t.arena;
    if (n->kind == PXML_TEXT)
        return arena_printf(a, "'%.*s'", STR_FMT(n->text));
    if (n->kind == PXML_EXPR)
        return arena_printf(a, "<%.*s>", STR_FMT(n->text));
    const char *attrs = "";
    for (size_t i = 0; i < n->nattrs; i++)
        attrs = arena_printf(a, "%s%s%.*s=%.*s%s", attrs, i ? "," : "[", STR_FMT(n->attrs[i].name),
                             STR_FMT(n->attrs[i].value), i + 1 == n->nattrs ? "]" : "");
    return arena_printf(a, "%.*s%s{%s}", STR_FMT(n->name), attrs, dump_list(r, n->children));
}

/* "APIM1031@12 ..." of every diagnostic, in the order recorded. */
static const char *codes(struct rd *r)
{
    const char *out = "";
    for (size_t i = 0; i < r->t.diag.n; i++) {
        const struct diag_entry *e = r->t.diag.v[i];
        out = arena_printf(&r->t.arena, "%s%s%s@%u", out, i ? " " : "", diag_code_str(e->code),
                           (unsigned)e->loc.start);
    }
    return out;
}

#define EXPECT_TREE(text, want_tree, want_codes)                                   \
    do {                                                                           \
        struct rd r_;                                                              \
        rd_read(&r_, (text));                                                      \
        const char *tree_ = r_.doc.root ? dump_node(&r_, r_.doc.root) : "";        \
        const char *codes_ = codes(&r_);                                           \
        CU_ASSERT_STRING_EQUAL(tree_, (want_tree));                                \
        CU_ASSERT_STRING_EQUAL(codes_, (want_codes));                              \
        CU_ASSERT_EQUAL(r_.rc, *(want_codes) ? -1 : 0);                            \
        if (strcmp(tree_, (want_tree)) != 0 || strcmp(codes_, (want_codes)) != 0)  \
            fprintf(stderr, "\n got: %s | %s\n%s", tree_, codes_, tu_text(&r_.t)); \
        tu_release(&r_.t);                                                         \
    } while (0)

/* ---- well-formed documents ---- */

static void test_elements_and_attributes(void)
{
    EXPECT_TREE("<?xml version=`1.0` encoding=`utf-8`?>\n<policies>\n  <inbound>"
                "<set-header name=`a` exists-action='override'><value>x</value></set-header>"
                "<base /></inbound></policies>\n",
                "policies{'\n  'inbound{set-header[name=a,exists-action=override]{value{'x'}}"
                "base{}}}",
                "");
}

static void test_comments_cdata_entities(void)
{
    EXPECT_TREE("<!-- a --><policies><!-- <set-backend-service backend-id=`x` /> -->"
                "<v a=`&lt;&amp;&quot;&apos;&gt;&#65;&#x42;&#x20AC;`>a&amp;b<![CDATA[<x> & ]]>"
                "</v></policies><!-- end -->",
                "policies{v[a=<&\"'>AB\xe2\x82\xac]{'a''&''b''<x> & '}}", "");
    struct rd r;
    rd_read(&r, "<!--1--><policies><!--2--></policies>");
    CU_ASSERT_EQUAL(r.doc.ncomments, 2);
    CU_ASSERT_EQUAL(r.doc.comments[1].start, strlen("<!--1--><policies>"));
    CU_ASSERT_EQUAL(r.doc.comments[1].end, strlen("<!--1--><policies><!--2-->"));
    tu_release(&r.t);
}

/* rawxml: quotes, '<', '>', '&&' and generics inside expressions. */
static void test_raw_expressions(void)
{
    EXPECT_TREE("<p><when condition=`@(context.Variables.GetValueOrDefault<bool>(`x`) && a < 3)`"
                " /><set-body>@{ var s = `</set-body>`; return s + '}'; }</set-body></p>",
                "p{when[condition=@(context.Variables.GetValueOrDefault<bool>(\"x\") && a < 3)]{}"
                "set-body{<@{ var s = \"</set-body>\"; return s + '}'; }>}}",
                "");
    /* Verbatim and interpolated strings, comments, brackets in literals. */
    EXPECT_TREE("<p v='@($`{a}) x {{ {(b ? `)` : @`q``)`)}`)' w=`@{ // ) } `\n return 1; }`/>",
                "p[v=@($\"{a}) x {{ {(b ? \")\" : @\"q\"\")\")}\"),"
                "w=@{ // ) } \"\n return 1; }]{}",
                "");
}

/* xml format: the C# escaped; &quot;..&quot; is a string literal. */
static void test_escaped_expressions(void)
{
    EXPECT_TREE("<p><set-variable name=`x` value=`@(a == &quot;)&quot; &amp;&amp; b &lt; 1)` />"
                "<value>@(c.Split(')'))</value></p>",
                "p{set-variable[name=x,value=@(a == \")\" && b < 1)]{}value{<@(c.Split(')'))>}}",
                "");
    CU_ASSERT_EQUAL(policy_xml_island_end("@(a)", 4, 0), 4);
    CU_ASSERT_EQUAL(policy_xml_island_end("@(a", 3, 0), 0);
    CU_ASSERT_EQUAL(policy_xml_island_end("@{ '}' }x", 9, 0), 8);
    CU_ASSERT_EQUAL(policy_xml_island_end("@x", 2, 0), 0);
}

static void test_ranges(void)
{
    struct rd r;
    rd_read(&r, "<policies>\n <inbound a='1'>t</inbound><x/></policies>");
    const struct policy_xml_node *in = r.doc.root->children->next;
    CU_ASSERT_STRING_EQUAL(arena_strndup(&r.t.arena, in->name.ptr, in->name.len), "inbound");
    CU_ASSERT_EQUAL(in->name_at.start, 13);
    CU_ASSERT_EQUAL(in->at.start, 12);
    CU_ASSERT_EQUAL(in->attrs[0].name_at.start, 21);
    CU_ASSERT_EQUAL(in->attrs[0].value_at.start, 24);
    CU_ASSERT_EQUAL(in->attrs[0].value_at.end, 25);
    CU_ASSERT_EQUAL(in->content.start, 27);
    CU_ASSERT_EQUAL(in->content.end, 28);
    CU_ASSERT_EQUAL(in->at.end, 38);
    CU_ASSERT_TRUE(in->closed);
    CU_ASSERT_TRUE(in->next->empty_tag);
    CU_ASSERT_PTR_EQUAL(in->parent, r.doc.root);
    const struct policy_xml_attr *a = policy_xml_attr(in, "a");
    CU_ASSERT_PTR_NOT_NULL(a);
    CU_ASSERT_PTR_NULL(policy_xml_attr(in, "b"));
    tu_release(&r.t);
}

/* ---- errors: each one located, the rest still read ---- */

static void test_unclosed_and_stray_tags(void)
{
    /* <br> never closed (closed with <html>), </p> and </x> close nothing. */
    EXPECT_TREE("<policies><html>a<br>b</p></html></x><inbound /></policies>",
                "policies{html{'a'br{'b'}}inbound{}}", "APIM1032@22 APIM1031@18 APIM1032@33");
    EXPECT_TREE("<policies><inbound>", "policies{inbound{}}", "APIM1031@11 APIM1031@1");
}

static void test_attribute_errors(void)
{
    EXPECT_TREE("<p a=x b c=`1` c=`2` =`3` d= e=`5`/>", "p[a=x,b=,c=1,d=,e=5]{}",
                "APIM1033@5 APIM1033@7 APIM1033@15 APIM1033@21 APIM1033@29");
    /* A value that runs into the next tag ends there ('>' is allowed in a
     * value); the next tag is read. */
    EXPECT_TREE("<p><a v=`x><b/></p>", "p{a[v=x>]{b{}}}", "APIM1036@8 APIM1031@4");
}

static void test_markup_errors(void)
{
    EXPECT_TREE("<p>a & b &nbsp; &#0; 1 < 2</p>", "p{'a ''&'' b ''&nbsp;'' ''&#0;'' 1 ''<'' 2'}",
                "APIM1034@5 APIM1034@9 APIM1034@16 APIM1039@23");
    /* A comment or CDATA that runs to the end took the end tags with it:
     * the elements it leaves open are not reported again. */
    EXPECT_TREE("<p><!-- open", "p{}", "APIM1036@3");
    struct rd r;
    rd_read(&r, "<p><q><!-- open");
    CU_ASSERT_EQUAL(r.doc.root->at.end, strlen(r.text)); /* closed at the end */
    CU_ASSERT_EQUAL(r.doc.root->children->content.end, strlen(r.text));
    CU_ASSERT_FALSE(r.doc.root->closed);
    tu_release(&r.t);
    EXPECT_TREE("<p><![CDATA[x", "p{'x'}", "APIM1036@3");
    EXPECT_TREE("<p><!DOCTYPE x></p>", "p{}", "APIM1030@3");
    /* A run of junk in a tag is one error; a control byte is named. */
    EXPECT_TREE("<p ;;; \x01 a=`1`></p x>", "p[a=1]{}", "APIM1030@3 APIM1030@7 APIM1030@19");
    EXPECT_TREE("<p></p><q/>text", "p{}", "APIM1037@8 APIM1037@11");
    EXPECT_TREE("<p x=`1` <q/></p>", "p[x=1]{q{}}", "APIM1036@0");
}

static void test_expression_errors(void)
{
    /* An island that never closes is text; what follows is still read. In
     * a value, it ends where the value seems to: one mistake, one error. */
    EXPECT_TREE("<p><v>@(a.b(</v><w a=`@{x`/></p>", "p{v{'@(''a.b('}w[a=@{x]{}}",
                "APIM1035@6 APIM1035@22");
    EXPECT_TREE("<p><w a=`@(f(`x`)` b=`@(g(`a`, ``)` /></p>",
                "p{w[a=@(f(\"x\"),b=@(g(\"a\", \"\")]{}}", "APIM1035@9 APIM1035@22");
}

static void test_limits(void)
{
    struct tu t;
    tu_init(&t);
    struct buf b;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < 300; i++)
        CU_ASSERT_EQUAL(buf_puts(&b, "<a>"), 0);
    struct policy_xml_doc doc;
    CU_ASSERT_EQUAL(policy_xml_read(&t.arena, &t.diag, NULL, b.data, b.len, &doc), -1);
    CU_ASSERT_TRUE(doc.truncated);
    CU_ASSERT_EQUAL(doc.stop, 3 * APIM_MAX_XML_DEPTH);
    CU_ASSERT_PTR_NOT_NULL(doc.root);
    CU_ASSERT_EQUAL(tu_count(&t, DC_XML_LIMIT), 1);
    buf_reset(&b);
    for (int i = 0; i < 200; i++)
        CU_ASSERT_EQUAL(buf_puts(&b, "<a></b>"), 0);
    CU_ASSERT_EQUAL(policy_xml_read(&t.arena, NULL, NULL, b.data, b.len, &doc), -1);
    CU_ASSERT_TRUE(doc.truncated); /* the error cap */
    CU_ASSERT_EQUAL(doc.nerrors, APIM_MAX_ERRORS_PER_FILE + 1);
    buf_release(&b);
    tu_release(&t);
}

/* The decode map of an island: each decoded byte to where it is written,
 * and it agrees with the text the reader decoded. */
static void test_decode_map(void)
{
    struct rd r;
    rd_read(&r, "<a v='@(&quot;&#xE9;&#34; &amp;&amp; x &lt; 2 &bogus; &)'/>");
    CU_ASSERT_EQUAL(r.rc, -1); /* &bogus; and & are reported outside islands only */
    const struct policy_xml_attr *v = policy_xml_attr(r.doc.root, "v");
    CU_ASSERT_FATAL(v != NULL && v->expr);
    uint32_t map[64];
    size_t n = policy_xml_decode_map(r.text, v->value_at.start, v->value_at.end, map);
    CU_ASSERT_EQUAL(n, v->value.len);
    CU_ASSERT_NSTRING_EQUAL(v->value.ptr, "@(\"\xC3\xA9\" && x < 2 &bogus; &)", n);
    size_t s = v->value_at.start;
    CU_ASSERT_EQUAL(map[0], s);     /* '@' */
    CU_ASSERT_EQUAL(map[2], s + 2); /* &quot; */
    CU_ASSERT_EQUAL(map[3], s + 8); /* both bytes of &#xE9; at its '&' */
    CU_ASSERT_EQUAL(map[4], s + 8);
    CU_ASSERT_EQUAL(map[5], s + 14); /* &#34; */
    CU_ASSERT_EQUAL(map[7], s + 20); /* &amp;&amp; */
    CU_ASSERT_EQUAL(map[8], s + 25);
    CU_ASSERT_EQUAL(map[12], s + 33); /* &lt; */
    CU_ASSERT_EQUAL(map[16], s + 40); /* &bogus; is no entity: byte for byte */
    CU_ASSERT_EQUAL(map[n - 1], v->value_at.end - 1);
    CU_ASSERT_EQUAL(map[n], v->value_at.end);
    /* Raw text maps to itself. */
    n = policy_xml_decode_map("ab", 0, 2, map);
    CU_ASSERT(n == 2 && map[0] == 0 && map[1] == 1 && map[2] == 2);
    tu_release(&r.t);
}

static CU_TestInfo tests[] = {
    { "elements and attributes", test_elements_and_attributes },
    { "comments, CDATA, entities", test_comments_cdata_entities },
    { "rawxml expressions", test_raw_expressions },
    { "xml-escaped expressions", test_escaped_expressions },
    { "ranges", test_ranges },
    { "errors: unclosed and stray tags", test_unclosed_and_stray_tags },
    { "errors: attributes", test_attribute_errors },
    { "errors: markup", test_markup_errors },
    { "errors: expressions", test_expression_errors },
    { "limits", test_limits },
    { "decode map", test_decode_map },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "policy xml", NULL, NULL, NULL, NULL, tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cunit_run(suites);
}

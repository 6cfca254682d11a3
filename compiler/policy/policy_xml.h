/* policy_xml.h - the policy XML reader: policy text -> a located tree.
 *
 * One reader for both formats a policy is written in:
 *  - xml: XML proper, with the C# of expressions XML-escaped
 *    (condition="@(x == &quot;a&quot;)");
 *  - rawxml and hand-written .xml files: the same, but expressions raw
 *    (condition="@(x == "a" && y < 3)", GetValueOrDefault<bool>(...)).
 * It reads both because it knows where an expression island is: in an
 * attribute value or in element text, '@(' starts one that ends at the
 * matching ')', '@{' one that ends at the matching '}', counting the
 * expression's own brackets and stepping over its string and char literals
 * ("..", @"..", $"..{..}..", '.'; also &quot;..&quot; in the xml format) and
 * comments, so the quotes, '<', '>' and '&' inside mean nothing to the XML.
 * (apim-facts.md 3.5: the rule, and the corpus files that need it.)
 *
 * Around the islands it is XML: elements, attributes in either quote,
 * comments, CDATA, processing instructions and the XML declaration, the five
 * XML entities and character references (decoded in text and values).
 *
 * Locations: every offset is a byte offset into the text given, which is the
 * decoded policy text (a JSON string's value, unescaped); diagnostics are
 * located in src, which the caller makes so that those offsets land where
 * the text is written (source_embed for a JSON string: policy_scan.c).
 *
 * Errors: every syntax error is reported (APIM1030..APIM1039) and the reader
 * reads on: an element left open is closed where its parent closes (or at
 * the end), a closing tag with no open element is skipped, an expression
 * that never closes is read as text, an attribute value that runs into the
 * next tag ends there. Nesting deeper than APIM_MAX_XML_DEPTH and more than
 * APIM_MAX_ERRORS_PER_FILE errors end the reading (truncated). Never
 * crashes or loops on any input.
 * Ownership: the tree lives in the arena; names and text are slices of the
 * text given (which must outlive the tree) or arena copies when decoded.
 */
#ifndef APIM_COMPILER_POLICY_POLICY_XML_H
#define APIM_COMPILER_POLICY_POLICY_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

enum policy_xml_kind {
    PXML_ELEMENT,
    PXML_TEXT, /* character data (CDATA included), entities decoded */
    PXML_EXPR  /* an expression island: @(...) or @{...} */
};

/* [start, end) in the text. */
struct policy_xml_range {
    size_t start, end;
};

struct policy_xml_attr {
    struct str name;
    struct str raw;                            /* the value as written, between the quotes */
    struct str value;                          /* entities decoded (also inside expressions) */
    struct policy_xml_range name_at, value_at; /* value_at: between the quotes */
    bool expr;                                 /* the value holds an expression island */
    bool quoted;                               /* false: written without quotes (an error) */
};

struct policy_xml_node {
    enum policy_xml_kind kind;
    struct policy_xml_range at;      /* the whole node: '<' to after '>' of its end tag */
    struct str name;                 /* elements */
    struct policy_xml_range name_at; /* elements */
    struct policy_xml_range content; /* elements: after the start tag's '>' to the end
                                      * tag's '<' (empty for <x/>); text: the text */
    struct str text;                 /* text and expressions, entities decoded */
    struct policy_xml_attr *attrs;
    size_t nattrs;
    bool empty_tag; /* <x/> */
    bool closed;    /* false: its end tag is missing (reported) */
    struct policy_xml_node *parent, *children, *last_child, *next;
};

struct policy_xml_doc {
    const struct policy_xml_node *root; /* the first root element, or NULL */
    struct policy_xml_range *comments;  /* every comment, <!-- to -->, in order */
    size_t ncomments;
    unsigned nerrors;
    bool truncated; /* reading stopped early (depth or error cap) at stop */
    size_t stop;
};

/* Reads text[0..len) into out. Reports syntax errors in d at src (both may
 * be NULL: then they are only counted in out->nerrors). Returns 0, or -1 if
 * anything was reported; the tree is built either way. */
int policy_xml_read(struct arena *a, struct diag *d, const struct source *src, const char *text,
                    size_t len, struct policy_xml_doc *out);

/* Where the expression island starting at text[at] ('@' then '(' or '{')
 * ends: the offset just past its closing bracket, or 0 if it does not close
 * before len (or nests deeper than APIM_MAX_EXPR_DEPTH). */
size_t policy_xml_island_end(const char *text, size_t len, size_t at);

/* Where each byte of an expression island's decoded text comes from: the
 * island is text[start, end) as written, decoded as the reader decodes it
 * (the five entities and character references; text and value of
 * PXML_EXPR nodes and expression attributes). map[k] is the offset in text
 * of decoded byte k (every byte of a decoded entity: its '&'), and
 * map[n] = end. map must hold end - start + 1 entries (decoding never
 * lengthens text). Returns n, the decoded length. */
size_t policy_xml_decode_map(const char *text, size_t start, size_t end, uint32_t *map);

/* The child of element e that is its whole text (white space aside), if it
 * is an expression island; NULL otherwise: element text is an expression
 * only when nothing but white space stands beside the island. */
const struct policy_xml_node *policy_xml_sole_expr(const struct policy_xml_node *e);

/* The attribute named name (exactly), or NULL. */
const struct policy_xml_attr *policy_xml_attr(const struct policy_xml_node *e, const char *name);

#endif

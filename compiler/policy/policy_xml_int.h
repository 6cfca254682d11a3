/* policy_xml_int.h - what the policy XML lexer (policy_xml.l), grammar
 * (policy_xml.y) and driver (policy_xml.c) share; not for other modules.
 *
 * The lexer cuts the text into tokens; the driver's pxml_yylex sits between
 * it and the grammar and keeps the tags balanced (an element left open gets
 * a made-up end tag, a stray end tag is dropped, each reported), so the
 * grammar only ever sees well-nested elements and builds the tree.
 */
#ifndef APIM_COMPILER_POLICY_POLICY_XML_INT_H
#define APIM_COMPILER_POLICY_POLICY_XML_INT_H

#include "apim_limits.h"
#include "policy_xml.h"

/* An attribute value or a piece of text as the lexer read it. */
struct pxml_piece {
    struct policy_xml_range at; /* raw text (for a value: between the quotes) */
    struct str text;            /* decoded */
    bool expr, quoted;
};

struct pxml_attrs {
    struct policy_xml_attr *v;
    size_t n, cap;
};

struct pxml_list {
    struct policy_xml_node *head, *tail;
};

/* A token the driver holds back (made-up end tags, a closing '>'). */
struct pxml_token {
    int kind;
    struct str name;
    size_t start, end;
};

struct pxml_open {
    struct str name;
    size_t start, end; /* of the name */
};

struct pxml_ctx {
    struct arena *arena;
    struct diag *diag;
    const struct source *src;
    const char *text;
    size_t len;
    size_t pos;                      /* lexer position in text */
    size_t mark;                     /* where the construct being read started */
    size_t tag_start;                /* the '<' of the start tag being read */
    int ret_state;                   /* start condition to go back to after an island */
    size_t island_start, island_end; /* the island being read */
    int last_token;                  /* the last token the lexer returned (for '=') */
    struct str last_name;            /* the last attribute name read */
    struct buf value;                /* an attribute value being decoded */
    bool value_expr;
    struct pxml_token queue[APIM_MAX_XML_DEPTH + 2];
    size_t nqueue, qhead;
    struct pxml_open stack[APIM_MAX_XML_DEPTH];
    size_t depth;
    struct policy_xml_doc *doc;
    void *scanner;
    size_t comments_cap;
    bool stopped;
    bool swallowed; /* an unclosed comment, CDATA or PI ran to the end */
};

/* Reports a syntax error at text[start, end). */
void pxml_error(struct pxml_ctx *c, enum diag_code code, size_t start, size_t end, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));

/* Lexer helpers (policy_xml.c). */
/* Reports text[start, end) as out of place in where ("a start tag"). */
void pxml_unexpected(struct pxml_ctx *c, size_t start, size_t end, const char *where);
void pxml_queue(struct pxml_ctx *c, int kind, struct str name, size_t start, size_t end);
void pxml_comment(struct pxml_ctx *c, size_t start, size_t end);
/* Decodes an entity or character reference text[start, end) ("&...;")
 * into out; reports it if it is not one. */
void pxml_entity(struct pxml_ctx *c, size_t start, size_t end, struct buf *out);
/* Decodes the entities of text[start, end) into an arena string, leaving a
 * '&' that starts none as it is (inside an expression, '&&' is C#). */
struct str pxml_decode(struct pxml_ctx *c, size_t start, size_t end);
/* Starts an island at c->pos - 2 ("@(" just read): true if it closes (then
 * c->island_start/end are set), false (reported) if it does not. In an
 * attribute value (quote: its quote character, else 0) an island that does
 * not close is reported and taken to end where the value seems to. */
bool pxml_island(struct pxml_ctx *c, char quote);
struct str pxml_take_value(struct pxml_ctx *c);

/* Grammar actions (policy_xml.c). */
struct pxml_attrs pxml_attr_add(struct pxml_ctx *c, struct pxml_attrs l, struct pxml_token name,
                                const struct pxml_piece *v);
struct policy_xml_node *pxml_element(struct pxml_ctx *c, struct pxml_token stag,
                                     struct pxml_attrs attrs, size_t content,
                                     const struct pxml_list *children, struct pxml_token etag);
struct policy_xml_node *pxml_text(struct pxml_ctx *c, const struct pxml_piece *p);
struct pxml_list pxml_add(struct pxml_list l, struct policy_xml_node *n);
void pxml_document(struct pxml_ctx *c, const struct pxml_list *top);

#endif

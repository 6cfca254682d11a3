/* csx_print.c - the tree as a compact s-expression (csx_print in csx.h):
 * what the unit tests compare, and what a reader of a failing test sees.
 *   context.Request.Headers.GetValueOrDefault("a", "")
 *   -> (call (. (. (. context Request) Headers) GetValueOrDefault) "a" "")
 * Names and literals print bare, types as C# spells them, an absent part
 * of a for loop as '_'. */
#include <string.h>

#include "csx.h"

static int node(struct buf *o, const struct csx_node *n);
static int space_node(struct buf *o, const struct csx_node *n);

static int put(struct buf *o, const char *s)
{
    return buf_append(o, s, strlen(s));
}

static int put_str(struct buf *o, struct str s)
{
    return buf_append(o, s.ptr, s.len);
}

/* A literal's value, quoted, with \" \\ \n and \xNN for other controls. */
static int quoted(struct buf *o, struct str s, char q)
{
    int rc = buf_append(o, &q, 1);
    for (size_t i = 0; i < s.len && rc == 0; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if (ch == (unsigned char)q || ch == '\\')
            rc = buf_printf(o, "\\%c", ch);
        else if (ch == '\n')
            rc = put(o, "\\n");
        else if (ch < 0x20 || ch == 0x7f)
            rc = buf_printf(o, "\\x%02x", ch);
        else
            rc = buf_append(o, &ch, 1);
    }
    return rc || buf_append(o, &q, 1);
}

static int list(struct buf *o, const struct csx_list *l)
{
    int rc = 0;
    for (size_t i = 0; i < l->n && rc == 0; i++)
        rc = put(o, " ") || (l->v[i] != NULL ? node(o, l->v[i]) : put(o, "default"));
    return rc;
}

/* The list's items, space-separated, with no leading space. */
static int items(struct buf *o, const struct csx_list *l)
{
    int rc = 0;
    for (size_t i = 0; i < l->n && rc == 0; i++)
        rc = (i > 0 ? put(o, " ") : 0) || (l->v[i] != NULL ? node(o, l->v[i]) : put(o, "default"));
    return rc;
}

static int targs(struct buf *o, const struct csx_list *l)
{
    int rc = l->n > 0 ? put(o, "<") : 0;
    for (size_t i = 0; i < l->n && rc == 0; i++)
        rc = (i > 0 ? put(o, ",") : 0) || node(o, l->v[i]);
    return rc || (l->n > 0 ? put(o, ">") : 0);
}

/* (head [text] a b c d list...), skipping what is absent */
static int generic(struct buf *o, const struct csx_node *n, const char *head, bool text)
{
    int rc = put(o, "(") || put(o, head);
    if (text && n->text.len > 0)
        rc = rc || put(o, " ") || put_str(o, n->text);
    const struct csx_node *kids[] = { n->a, n->b, n->c, n->d };
    for (size_t i = 0; i < 4 && rc == 0; i++)
        if (kids[i] != NULL)
            rc = put(o, " ") || node(o, kids[i]);
    return rc || list(o, &n->list) || put(o, ")");
}

static int optional(struct buf *o, const struct csx_node *n)
{
    return put(o, " ") || (n != NULL ? node(o, n) : put(o, "_"));
}

static int type(struct buf *o, const struct csx_node *n)
{
    switch (n->kind) {
    case CSX_TYPE:
        return (n->a != NULL ? node(o, n->a) || put(o, ".") : 0) || put_str(o, n->text) ||
               targs(o, &n->targs);
    case CSX_ARRAY_TYPE:
        return node(o, n->a) || put_str(o, n->text);
    default:
        return node(o, n->a) || put(o, "?");
    }
}

static int leaf(struct buf *o, const struct csx_node *n)
{
    switch (n->kind) {
    case CSX_NAME:
        return put_str(o, n->text) || targs(o, &n->targs);
    case CSX_STRING:
        return quoted(o, n->text, '"');
    case CSX_CHAR:
        return quoted(o, n->text, '\'');
    case CSX_PREDEF:
    case CSX_INT:
    case CSX_REAL:
        return put_str(o, n->text);
    default:
        return put(o, csx_kind_name(n->kind));
    }
}

static int member(struct buf *o, const struct csx_node *n)
{
    return put(o, "(") || put(o, csx_kind_name(n->kind)) || put(o, " ") || node(o, n->a) ||
           put(o, " ") || put_str(o, n->text) || targs(o, &n->targs) || put(o, ")");
}

static int statement(struct buf *o, const struct csx_node *n)
{
    switch (n->kind) {
    case CSX_FOR:
        return put(o, "(for") || optional(o, n->a) || optional(o, n->b) || optional(o, n->c) ||
               optional(o, n->d) || put(o, ")");
    case CSX_FOREACH:
        return put(o, "(foreach ") || node(o, n->a) || put(o, " ") || put_str(o, n->text) ||
               put(o, " ") || node(o, n->b) || put(o, " ") || node(o, n->c) || put(o, ")");
    case CSX_DECLARATOR:
        return put(o, "(") || put_str(o, n->text) || (n->a ? put(o, " ") || node(o, n->a) : 0) ||
               put(o, ")");
    case CSX_SECTION:
        return put(o, "(case (") || items(o, &n->list) || put(o, ")") || put(o, " ") ||
               node(o, n->a) || put(o, ")");
    case CSX_CATCH:
        return put(o, "(catch") || (n->a ? put(o, " ") || node(o, n->a) : 0) ||
               (n->text.len ? put(o, " ") || put_str(o, n->text) : 0) || put(o, " ") ||
               node(o, n->b) || put(o, ")");
    case CSX_EXPR_STMT:
        return node(o, n->a);
    case CSX_PARAM:
        return put(o, "(") || node(o, n->a) || put(o, " ") || put_str(o, n->text) || put(o, ")");
    case CSX_LOCAL_FUNC:
        return put(o, "(function ") || node(o, n->a) || put(o, " ") || put_str(o, n->text) ||
               put(o, " (") || items(o, &n->list) || put(o, ")") || space_node(o, n->b) ||
               put(o, ")");
    case CSX_DECL:
    case CSX_CHECKED:
        return generic(o, n,
                       n->text.len > 0 && n->kind == CSX_DECL ? "const-decl"
                       : n->kind == CSX_CHECKED               ? n->text.ptr
                                                              : "decl",
                       false);
    default:
        return generic(o, n, csx_kind_name(n->kind), false);
    }
}

static int space_node(struct buf *o, const struct csx_node *n)
{
    return n != NULL ? put(o, " ") || node(o, n) : 0;
}

static int space_text(struct buf *o, const char *prefix, struct str t)
{
    return t.len > 0 ? put(o, prefix) || put_str(o, t) : 0;
}

/* The parts whose order or form generic() does not give. */
static int special(struct buf *o, const struct csx_node *n)
{
    switch (n->kind) {
    case CSX_POSTFIX:
        return put(o, "(post") || put_str(o, n->text) || space_node(o, n->a) || put(o, ")");
    case CSX_NAMED_ARG:
        return put(o, "(: ") || put_str(o, n->text) || space_node(o, n->a) || put(o, ")");
    case CSX_HOLE:
        return put(o, "(hole") || space_node(o, n->a) || space_node(o, n->b) ||
               space_text(o, " :", n->text) || put(o, ")");
    case CSX_IS:
        return put(o, "(is") || space_node(o, n->a) || space_node(o, n->b) ||
               space_text(o, " ", n->text) || put(o, ")");
    case CSX_NEW_ARRAY:
        return put(o, "(new-array") || optional(o, n->a) || list(o, &n->list) ||
               space_node(o, n->b) || put(o, ")");
    case CSX_NEW:
        return put(o, "(new") || space_node(o, n->a) || list(o, &n->list) || space_node(o, n->b) ||
               put(o, ")");
    case CSX_TRY:
        return put(o, "(try") || space_node(o, n->a) || list(o, &n->list) ||
               (n->b != NULL ? put(o, " (finally") || space_node(o, n->b) || put(o, ")") : 0) ||
               put(o, ")");
    case CSX_LAMBDA: {
        int rc = put(o, "(=> (");
        for (size_t i = 0; i < n->list.n && rc == 0; i++)
            rc = (i > 0 ? put(o, " ") : 0) || node(o, n->list.v[i]);
        return rc || put(o, ")") || space_node(o, n->a) || put(o, ")");
    }
    default:
        return statement(o, n);
    }
}

static int node(struct buf *o, const struct csx_node *n)
{
    if (n->kind < CSX_INTERP)
        return leaf(o, n);
    switch (n->kind) {
    case CSX_TYPE:
    case CSX_ARRAY_TYPE:
    case CSX_NULLABLE:
        return type(o, n);
    case CSX_MEMBER:
    case CSX_CMEMBER:
        return member(o, n);
    case CSX_UNARY:
    case CSX_BINARY:
    case CSX_ASSIGN:
        return generic(o, n, n->text.ptr, false);
    default:
        return special(o, n);
    }
}

int csx_print(const struct csx_node *n, struct buf *out)
{
    return n == NULL ? put(out, "null-tree") : node(out, n);
}

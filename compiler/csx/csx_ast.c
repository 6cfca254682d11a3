/* csx_ast.c - the syntax tree's constructors, called from the grammar's
 * actions (csx_parse.y), and the checks that the grammar leaves to them:
 * a declaration's type written as an expression, an assignment's target. */
#include <string.h>

#include "csx_int.h"

struct csx_node *csx_new(struct csx_ctx *c, enum csx_kind k, struct loc at)
{
    struct csx_node *n = ARENA_NEW(c->arena, struct csx_node);
    n->kind = k;
    n->loc = at;
    n->member = -1;
    return n;
}

struct csx_node *csx_new2(struct csx_ctx *c, enum csx_kind k, struct loc at, struct csx_node *a,
                          struct csx_node *b)
{
    struct csx_node *n = csx_new(c, k, at);
    n->a = a;
    n->b = b;
    return n;
}

struct csx_node *csx_new_op(struct csx_ctx *c, enum csx_kind k, struct loc at, const char *op,
                            struct csx_node *a, struct csx_node *b)
{
    struct csx_node *n = csx_new2(c, k, at, a, b);
    n->text = str_from_cstr(op);
    return n;
}

struct csx_node *csx_new_text(struct csx_ctx *c, enum csx_kind k, struct loc at, struct str text)
{
    struct csx_node *n = csx_new(c, k, at);
    n->text = text;
    return n;
}

struct csx_node *csx_with_list(struct csx_node *n, struct csx_list l)
{
    n->list = l;
    return n;
}

struct csx_node *csx_with_targs(struct csx_node *n, struct csx_list l)
{
    n->targs = l;
    return n;
}

struct csx_node *csx_with_text(struct csx_node *n, struct str text)
{
    n->text = text;
    return n;
}

struct csx_node *csx_with_c(struct csx_node *n, struct csx_node *c, struct csx_node *d)
{
    n->c = c;
    n->d = d;
    return n;
}

/* Lists grow by doubling: the capacity is the next power of two of n, so
 * it need not be stored. */
struct csx_list csx_list_add(struct csx_ctx *c, struct csx_list l, struct csx_node *n)
{
    if ((l.n & (l.n - 1)) == 0) {
        size_t cap = l.n == 0 ? 1 : l.n * 2;
        struct csx_node **v = ARENA_ARRAY(c->arena, struct csx_node *, cap);
        if (l.n > 0)
            memcpy(v, l.v, l.n * sizeof(*v));
        l.v = v;
    }
    l.v[l.n++] = n;
    return l;
}

struct csx_list csx_list1(struct csx_ctx *c, struct csx_node *n)
{
    return csx_list_add(c, (struct csx_list){ 0 }, n);
}

struct csx_node *csx_new_member(struct csx_ctx *c, enum csx_kind k, struct loc at,
                                struct csx_node *obj, struct csx_node *name)
{
    struct csx_node *n = csx_new_text(c, k, at, name->text);
    n->a = obj;
    n->targs = name->targs;
    n->name_loc = name->loc;
    return n;
}

/* C# assigns to variables, members, indexers (and ++/-- them): anything
 * else is CS0131, reported here rather than at run time. */
struct csx_node *csx_new_assign(struct csx_ctx *c, struct loc at, const char *op,
                                struct csx_node *target, struct csx_node *value)
{
    enum csx_kind k = target->kind;
    if (k != CSX_NAME && k != CSX_MEMBER && k != CSX_INDEX && k != CSX_ERROR)
        csx_error(c, DC_CSX_NOT_ASSIGNABLE, target->loc,
                  "the left side of '%s' must be a variable, a member or an indexer", op);
    return csx_new_op(c, CSX_ASSIGN, at, op, target, value);
}

struct csx_node *csx_new_array_type(struct csx_ctx *c, struct loc at, struct csx_node *elem,
                                    unsigned commas)
{
    char *rank = arena_alloc(c->arena, commas + 3);
    rank[0] = '[';
    memset(rank + 1, ',', commas);
    rank[commas + 1] = ']';
    rank[commas + 2] = '\0';
    struct csx_node *n = csx_new_text(c, CSX_ARRAY_TYPE, at, (struct str){ rank, commas + 2 });
    n->a = elem;
    return n;
}

struct csx_node *csx_as_type(struct csx_ctx *c, struct csx_node *e)
{
    switch (e->kind) {
    case CSX_TYPE:
    case CSX_ARRAY_TYPE:
    case CSX_NULLABLE:
    case CSX_ERROR:
        return e;
    case CSX_NAME:
    case CSX_PREDEF:
        return csx_with_targs(csx_new_text(c, CSX_TYPE, e->loc, e->text), e->targs);
    case CSX_MEMBER: {
        struct csx_node *q = csx_as_type(c, e->a);
        struct csx_node *t = csx_with_targs(csx_new_text(c, CSX_TYPE, e->loc, e->text), e->targs);
        t->a = q;
        return t;
    }
    case CSX_INDEX:
        if (e->list.n == 0)
            return csx_new_array_type(c, e->loc, csx_as_type(c, e->a), 0);
        break;
    default:
        break;
    }
    csx_error(c, DC_CSX_NOT_A_TYPE, e->loc, "expected a type, not this %s expression",
              csx_kind_name(e->kind));
    return csx_new(c, CSX_ERROR, e->loc);
}

static bool type_shaped(const struct csx_node *e)
{
    switch (e->kind) {
    case CSX_NAME:
    case CSX_PREDEF:
    case CSX_TYPE:
    case CSX_ARRAY_TYPE:
    case CSX_NULLABLE:
        return true;
    case CSX_MEMBER:
        return type_shaped(e->a);
    case CSX_INDEX:
        return e->list.n == 0 && type_shaped(e->a);
    default:
        return false;
    }
}

/* "x = 1 y = 2;" reads as a declaration of y whose type is "x = 1": what
 * is missing is a ';' before y, as C# says (CS1002). */
struct csx_node *csx_new_decl(struct csx_ctx *c, struct loc at, struct csx_node *type,
                              struct csx_list declarators)
{
    if (!type_shaped(type) && type->kind != CSX_ERROR && declarators.n > 0) {
        const struct csx_node *first = declarators.v[0];
        struct loc name = { first->loc.src, first->loc.start,
                            first->loc.start + (uint32_t)first->text.len };
        csx_error(c, DC_CSX_SYNTAX, name, "syntax error, missing ';' before '%.*s'",
                  STR_FMT(first->text));
        return csx_new(c, CSX_ERROR, at);
    }
    return csx_with_list(csx_new2(c, CSX_DECL, at, csx_as_type(c, type), NULL), declarators);
}

struct csx_node *csx_new_lambda(struct csx_ctx *c, struct loc at, struct csx_list params,
                                struct csx_node *body)
{
    return csx_with_list(csx_new2(c, CSX_LAMBDA, at, body, NULL), params);
}

struct csx_list csx_interp_text(struct csx_ctx *c, struct csx_list l, struct csx_node *text)
{
    struct csx_node *last = l.n > 0 ? l.v[l.n - 1] : NULL;
    if (last == NULL || last->kind != CSX_STRING)
        return csx_list_add(c, l, text);
    /* "{{" and "}}" come as their own pieces: one string per run of text */
    struct str parts[2] = { last->text, text->text };
    last->text = (struct str){ arena_cat(c->arena, parts, 2), last->text.len + text->text.len };
    last->loc.end = text->loc.end;
    return l;
}

struct csx_node *csx_new_function(struct csx_ctx *c, struct loc at, struct csx_node *ret,
                                  struct csx_node *name, struct csx_list params,
                                  struct csx_node *body)
{
    struct csx_node *n = csx_new2(c, CSX_LOCAL_FUNC, at, csx_as_type(c, ret), body);
    n->text = name->text;
    n->list = params;
    return n;
}

/* A using directive imports a namespace for a compilation unit; an
 * expression is a method body, where C# allows none (the using statement,
 * "using (var h = SHA256.Create()) {...}", is allowed and read). */
struct csx_node *csx_using_directive(struct csx_ctx *c, struct loc at)
{
    csx_error(c, DC_CSX_NOT_ALLOWED, at,
              "'using' directives are not allowed in policy expressions: write the type's full "
              "name (System.Text.Encoding)");
    return csx_new(c, CSX_ERROR, at);
}

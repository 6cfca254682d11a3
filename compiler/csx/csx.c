/* csx.c - csx_parse (csx.h): runs the lexer and the grammar over one
 * expression, and the location and error helpers they share. */
#include "csx.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "csx_int.h"

typedef void *yyscan_t;
int csx_yylex_init_extra(struct csx_ctx *extra, yyscan_t *scanner);
int csx_yylex_destroy(yyscan_t scanner);
struct yy_buffer_state *csx_yy_scan_bytes(const char *bytes, int len, yyscan_t scanner);
int csx_yyparse(void *scanner, struct csx_ctx *ctx);

struct loc csx_loc(const struct csx_ctx *c, size_t start, size_t end)
{
    return (struct loc){ c->base.src, c->base.start + (uint32_t)start,
                         c->base.start + (uint32_t)end };
}

void csx_error(struct csx_ctx *c, enum diag_code code, struct loc at, const char *fmt, ...)
{
    if (c->nerrors++ >= APIM_MAX_ERRORS_PER_FILE) {
        c->too_many = true;
        return;
    }
    if (c->diag == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    (void)diag_vemit_level(c->diag, diag_code_level(code), code, at, fmt, ap);
    va_end(ap);
}

static const char *const kind_names[] = {
#define CSX_KIND_NAME(k, s) s,
    CSX_NODE_KINDS(CSX_KIND_NAME)
#undef CSX_KIND_NAME
};

const char *csx_kind_name(enum csx_kind k)
{
    return (size_t)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

static bool well_started(struct str text)
{
    return text.len >= 2 && text.ptr[0] == '@' && (text.ptr[1] == '(' || text.ptr[1] == '{');
}

struct csx_node *csx_parse(struct arena *a, struct diag *d, struct loc base, struct str text)
{
    struct csx_ctx c = {
        .arena = a, .diag = d, .base = base, .text = text.ptr, .len = text.len, .glt_at = SIZE_MAX
    };
    if (text.len > APIM_MAX_EXPR_LENGTH) {
        csx_error(&c, DC_CSX_TOO_COMPLEX, csx_loc(&c, 0, 2),
                  "policy expression is longer than %u bytes", APIM_MAX_EXPR_LENGTH);
        return NULL;
    }
    if (!well_started(text)) {
        csx_error(&c, DC_CSX_SYNTAX, csx_loc(&c, 0, text.len > 0),
                  "a policy expression starts with '@(' or '@{'");
        return NULL;
    }
    yyscan_t scanner;
    if (csx_yylex_init_extra(&c, &scanner) != 0)
        return NULL;
    csx_yy_scan_bytes(text.ptr, (int)text.len, scanner);
    int rc = csx_yyparse(scanner, &c);
    csx_yylex_destroy(scanner);
    return rc == 0 && c.nerrors == 0 ? c.root : NULL;
}

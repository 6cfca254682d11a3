#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "gateway_check.h"
#include "plan_write.h"
#include "report.h"

/* Test buffers are sized generously; hitting a limit is a test bug. */
static void must(int rc)
{
    if (rc != 0)
        abort();
}

void tu_init(struct tu *t)
{
    memset(t, 0, sizeof(*t));
    arena_init(&t->arena, 64 * 1024);
    diag_init(&t->diag, &t->arena);
    arm_env_init(&t->env, &t->arena, &t->diag, "test");
    model_init(&t->model, &t->arena, &t->diag);
}

void tu_release(struct tu *t)
{
    diag_release(&t->diag);
    arena_release(&t->arena);
}

static char *unquote(struct tu *t, const char *text)
{
    char *s = arena_strdup(&t->arena, text);
    for (char *p = s; *p; p++)
        if (*p == '`')
            *p = '"';
    return s;
}

struct jval *tu_parse(struct tu *t, const char *text)
{
    char *s = unquote(t, text);
    struct source *src = source_new(&t->diag, "test.json", s, (uint32_t)strlen(s));
    t->doc = jval_parse(&t->arena, &t->diag, src);
    return t->doc;
}

static struct arm_param_value *overrides(struct tu *t, const char *const *params)
{
    struct arm_param_value *head = NULL, **tail = &head;
    for (size_t i = 0; params && params[i]; i++) {
        const char *arg = arena_strdup(&t->arena, params[i]);
        const char *eq = strchr(arg, '=');
        struct source *src = source_new(&t->diag, "--parameters", arg, (uint32_t)strlen(arg));
        struct arm_param_value *v = ARENA_NEW(&t->arena, struct arm_param_value);
        uint32_t n = (uint32_t)(eq - arg);
        v->name = (struct str){ arg, n };
        v->name_loc = (struct loc){ src, 0, n };
        v->value =
            jval_string(&t->arena, (struct loc){ src, n + 1, src->len }, eq + 1, strlen(eq + 1));
        v->from_text = true;
        *tail = v;
        tail = &v->next;
    }
    return head;
}

unsigned tu_template(struct tu *t, const char *text, const char *const *params)
{
    unsigned before = t->diag.nerrors;
    if (tu_parse(t, text) == NULL)
        return t->diag.nerrors - before;
    (void)arm_evaluate(&t->env, t->doc, overrides(t, params));
    model_add_arm(&t->model, &t->env);
    model_check(&t->model);
    return t->diag.nerrors - before;
}

static void append_json_string(struct buf *b, const char *s)
{
    must(buf_puts(b, "\""));
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            must(buf_append(b, "\\", 1));
        must(buf_append(b, s, 1));
    }
    must(buf_puts(b, "\""));
}

struct jval *tu_eval_in(struct tu *t, const char *params, const char *vars, const char *expr)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    must(buf_printf(&b,
                    "{\"$schema\": \"deploymentTemplate.json\", \"contentVersion\": "
                    "\"1.0.0.0\", \"parameters\": %s, \"variables\": %s, \"resources\": [], "
                    "\"outputs\": {\"o\": {\"value\": ",
                    params ? unquote(t, params) : "{}", vars ? unquote(t, vars) : "{}"));
    append_json_string(&b, expr);
    must(buf_puts(&b, "}}}"));
    char *text = arena_strdup(&t->arena, b.data);
    buf_release(&b);
    struct source *src = source_new(&t->diag, "test.json", text, (uint32_t)strlen(text));
    t->doc = jval_parse(&t->arena, &t->diag, src);
    if (t->doc == NULL)
        return NULL;
    unsigned before = t->diag.nerrors;
    (void)arm_evaluate(&t->env, t->doc, NULL);
    if (t->diag.nerrors > before)
        return NULL;
    return jval_get(jval_get(t->env.outputs, "o"), "value");
}

struct jval *tu_eval(struct tu *t, const char *expr)
{
    return tu_eval_in(t, NULL, NULL, expr);
}

unsigned tu_count(const struct tu *t, enum diag_code code)
{
    unsigned n = 0;
    for (size_t i = 0; i < t->diag.n; i++)
        n += t->diag.v[i]->code == code;
    return n;
}

bool tu_has(const struct tu *t, enum diag_code code, const char *msg_part)
{
    for (size_t i = 0; i < t->diag.n; i++)
        if (t->diag.v[i]->code == code && strstr(t->diag.v[i]->msg, msg_part))
            return true;
    return false;
}

void tu_where(const struct tu *t, enum diag_code code, unsigned *line, unsigned *col)
{
    *line = *col = 0;
    for (size_t i = 0; i < t->diag.n; i++) {
        const struct diag_entry *e = t->diag.v[i];
        if (e->code == code && e->loc.src) {
            source_line_col(e->loc.src, e->loc.start, line, col);
            return;
        }
    }
}

const char *tu_json(struct tu *t, const struct jval *v)
{
    if (v == NULL)
        return "null";
    struct buf b;
    buf_init(&b, 1 << 24);
    must(jval_write(v, &b));
    const char *s = arena_strdup(&t->arena, b.data ? b.data : "");
    buf_release(&b);
    return s;
}

const char *tu_text(struct tu *t)
{
    struct buf b;
    buf_init(&b, 1 << 24);
    must(diag_render_text(&t->diag, &b));
    const char *s = arena_strdup(&t->arena, b.data ? b.data : "");
    buf_release(&b);
    return s;
}

static struct plan *plan_of(struct tu *t)
{
    struct buf bytes;
    buf_init(&bytes, PLAN_MAX_SIZE);
    struct plan_options po = { NULL, NULL, NULL, false };
    gateway_check(&t->model, false);
    if (t->diag.nerrors || plan_write(&t->model, &po, &bytes) != 0 || t->diag.nerrors) {
        buf_release(&bytes);
        return NULL;
    }
    size_t len;
    void *data = buf_steal(&bytes, &len);
    struct plan *p;
    char err[256];
    if (plan_load_bytes(data, len, &p, err, sizeof(err)) != 0) {
        fprintf(stderr, "tu_plan: %s\n", err);
        return NULL;
    }
    return p;
}

struct plan *tu_plan(struct tu *t, const char *text, const char *const *params)
{
    return tu_template(t, text, params) ? NULL : plan_of(t);
}

struct plan *tu_plan_file(struct tu *t, const char *path, const char *const *params)
{
    struct compiler c;
    compiler_init(&c);
    for (size_t i = 0; params && params[i]; i++)
        must(compiler_add_parameters(&c, params[i]));
    (void)compiler_add_input(&c, path);
    compiler_finish(&c);
    struct plan *p = NULL;
    struct buf bytes;
    buf_init(&bytes, PLAN_MAX_SIZE);
    struct plan_options po = { NULL, NULL, NULL, false };
    if (c.diag.nerrors == 0 && plan_write(&c.model, &po, &bytes) == 0 && c.diag.nerrors == 0) {
        size_t len;
        void *data = buf_steal(&bytes, &len);
        char err[256];
        if (plan_load_bytes(data, len, &p, err, sizeof(err)) != 0)
            fprintf(stderr, "tu_plan_file: %s\n", err);
    } else {
        struct buf text;
        buf_init(&text, 1u << 24);
        compiler_tally(&c);
        diag_sort(&c.diag);
        if (report_render(&c, REPORT_TEXT, &text) == 0)
            fprintf(stderr, "tu_plan_file %s:\n%s", path, text.data ? text.data : "");
        buf_release(&text);
    }
    buf_release(&bytes);
    compiler_release(&c);
    (void)t;
    return p;
}

/* cli_expr.c - apim expr eval|disasm: one policy expression compiled
 * as apim validate checks it (csx_parse, csx_bind) and compiled (csx_emit), verified
 * (csx_prog_load) and then either run by the reference VM against a request described on the
 * command line, or listed one instruction a line with the text each comes from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_cmd.h"
#include "csx.h"
#include "csx_bind.h"
#include "csx_emit.h"
#include "csx_vm.h"

/* Compiles text; prints the diagnostics or the verifier's reason. */
static struct csx_prog *compile(struct arena *a, const char *text)
{
    struct diag d;
    diag_init(&d, a);
    struct source *src = source_new(&d, "expression", text, (uint32_t)strlen(text));
    struct loc base = { src, 0, 0 };
    struct csx_node *n = csx_parse(a, &d, base, str_from_cstr(text));
    if (n != NULL && csx_bind(a, &d, n, NULL) > 0)
        n = NULL; /* what apim validate refuses is not run */
    struct buf blob, msgs;
    buf_init(&blob, 16u << 20);
    buf_init(&msgs, 1u << 20);
    struct csx_prog *p = NULL;
    struct csx_error err;
    if (n != NULL && csx_emit(a, &d, base, n, &blob) == 0) {
        p = csx_prog_load(blob.data, blob.len, &err);
        if (p == NULL)
            fprintf(stderr, "apim: %s\n", err.reason);
    }
    if (d.n > 0 && diag_render_text(&d, &msgs) == 0)
        fputs(msgs.data, stderr);
    buf_release(&blob);
    buf_release(&msgs);
    diag_release(&d);
    return p;
}

int cli_expr_disasm(const struct cli_args *a)
{
    struct arena ar;
    arena_init(&ar, 64 * 1024);
    struct csx_prog *p = compile(&ar, a->pos[0]);
    struct buf out;
    buf_init(&out, 64u << 20);
    int rc = CLI_FAILED;
    if (p != NULL && csx_disasm(p, str_from_cstr(a->pos[0]), &out) == 0) {
        fputs(out.data ? out.data : "", stdout);
        rc = CLI_OK;
    }
    buf_release(&out);
    csx_prog_free(p);
    arena_release(&ar);
    return rc;
}

/* scheme://host[:port][/path][?query] */
static int parse_url(const char *s, struct csx_url *u)
{
    const char *sep = strstr(s, "://");
    if (sep == NULL)
        return -1;
    u->scheme = (struct str){ s, (size_t)(sep - s) };
    const char *host = sep + 3, *end = host + strcspn(host, ":/?");
    u->host = (struct str){ host, (size_t)(end - host) };
    u->port = str_eq(u->scheme, STR_LIT("https")) ? 443 : 80;
    if (*end == ':') {
        char *after;
        long port = strtol(end + 1, &after, 10);
        if (after == end + 1 || port <= 0 || port > 65535)
            return -1;
        u->port = (int)port;
        end = after;
    }
    const char *q = strchr(end, '?');
    u->path = q ? (struct str){ end, (size_t)(q - end) } : str_from_cstr(end);
    u->query = q ? str_from_cstr(q + 1) : STR_LIT("");
    return u->host.len > 0 ? 0 : -1;
}

/* NAME<sep>VALUE arguments of option id, as name/value pairs. */
static struct csx_kv *pairs(const struct cli_args *a, enum cli_opt id, char sep, size_t *n)
{
    const char *const *v;
    *n = cli_arg_list(a, id, &v);
    struct csx_kv *kv = xcalloc(*n ? *n : 1, sizeof(*kv));
    for (size_t i = 0; i < *n; i++) {
        const char *at = strchr(v[i], sep);
        if (at == NULL || at == v[i]) {
            fprintf(stderr, "apim: '%s' is not NAME%cVALUE\n", v[i], sep);
            free(kv);
            return NULL;
        }
        struct str value = str_from_cstr(at + 1);
        while (sep == ':' && value.len > 0 && *value.ptr == ' ')
            value.ptr++, value.len--;
        kv[i] = (struct csx_kv){ { v[i], (size_t)(at - v[i]) }, value };
    }
    return kv;
}

static void urandom(void *arg, unsigned char *out, size_t n)
{
    (void)arg;
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(out, 1, n, f) : 0;
    if (f)
        fclose(f);
    for (size_t i = got; i < n; i++)
        out[i] = (unsigned char)rand();
}

static int host_from_args(const struct cli_args *a, struct csx_host *h, struct csx_kv **headers,
                          struct csx_var **vars)
{
    const char *url = cli_arg(a, CLI_OPT_URL);
    if (parse_url(url, &h->url) != 0) {
        fprintf(stderr, "apim: '%s' is not an absolute URL (scheme://host/path?query)\n", url);
        return -1;
    }
    size_t nh, nv;
    if ((*headers = pairs(a, CLI_OPT_HEADER, ':', &nh)) == NULL)
        return -1;
    struct csx_kv *kv = pairs(a, CLI_OPT_VARIABLE, '=', &nv);
    if (kv == NULL)
        return -1;
    *vars = xcalloc(nv ? nv : 1, sizeof(**vars));
    for (size_t i = 0; i < nv; i++) /* variables from the command line are strings */
        (*vars)[i] = (struct csx_var){ kv[i].name,
                                       { .t = CSXV_STRING,
                                         .type = CSXT_STRING,
                                         .n = (uint32_t)kv[i].value.len,
                                         .u.s = kv[i].value.ptr } };
    free(kv);
    h->original_url = h->url;
    h->request.headers = (struct csx_kvs){ *headers, nh, true };
    h->request.body = str_from_cstr(cli_arg(a, CLI_OPT_BODY) ? cli_arg(a, CLI_OPT_BODY) : "");
    h->request.has_body = cli_arg(a, CLI_OPT_BODY) != NULL;
    h->vars = *vars;
    h->nvars = nv;
    h->prop[CSXM_REQUEST_METHOD] = str_from_cstr(cli_arg(a, CLI_OPT_METHOD));
    h->prop[CSXM_REQUEST_IPADDRESS] = STR_LIT("127.0.0.1");
    h->now_ms = (int64_t)time(NULL) * 1000;
    h->request_id = STR_LIT("00000000-0000-0000-0000-000000000000");
    h->random = urandom;
    return 0;
}

int cli_expr_eval(const struct cli_args *a)
{
    struct csx_host *h = xcalloc(1, sizeof(*h));
    struct csx_kv *headers = NULL;
    struct csx_var *vars = NULL;
    struct arena ar;
    arena_init(&ar, 64 * 1024);
    int rc = CLI_USAGE;
    struct csx_prog *p = NULL;
    if (host_from_args(a, h, &headers, &vars) != 0)
        goto out;
    rc = CLI_FAILED;
    if ((p = compile(&ar, a->pos[0])) == NULL)
        goto out;
    struct csx_value v;
    struct csx_error err;
    if (csx_eval(p, h, &ar, CSX_STEPS, &v, &err) != 0) {
        fprintf(stderr, "expression:1:%u: error: expression evaluation failed: %s\n",
                err.offset + 1, err.reason);
        fprintf(stderr, "  %s\n  %*s^\n", a->pos[0], (int)err.offset, "");
        goto out;
    }
    struct str s = csx_value_str(&ar, &v);
    printf("%.*s\n", STR_FMT(s));
    rc = CLI_OK;
out:
    csx_prog_free(p);
    arena_release(&ar);
    free(headers);
    free(vars);
    free(h);
    return rc;
}

/* csx_corpus - every policy expression of the public corpus through the C#
 * front end (csx_parse), against a pinned outcome.
 *
 *   csx_corpus CORPUS PINNED         compare; exit 1 on any difference
 *   csx_corpus CORPUS PINNED update  rewrite PINNED (reasons kept)
 *   csx_corpus CORPUS --dump DIR     write each expression to DIR (fuzz seeds)
 *   csx_corpus CORPUS --dump-blobs DIR   write each compiled program to DIR
 *
 * Expressions are found with a simple extractor, not the policy reader:
 * JSON strings and Bicep strings are decoded first, XML comments dropped,
 * entities decoded, then each "@(" / "@{" is followed to its closing bracket
 * with C# strings, characters, comments and interpolations skipped; named
 * values {{x}} become the stand-in '0', as in apim validate. Each
 * expression that parses is bound (csx_bind) too. PINNED holds the counts
 * (found, parsed, bound without a diagnostic), every expression that does
 * not parse with its first diagnostic, and every binder diagnostic of the
 * ones that do; text after "  ## " on a line is the reviewer's reason and
 * is not compared.
 * Every expression that parses is also compiled (csx_emit) and verified
 * (csx_prog_load): both must succeed for all of them. PINNED counts them
 * and how often each construct the VM does not run (a FAIL instruction in
 * the program, other than the one closing a block) occurs.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csx.h"
#include "csx_bind.h"
#include "csx_emit.h"
#include "csx_vm.h"
#include "extract.h"

#define MAX_UNSUPPORTED 256

struct run {
    struct buf out; /* the outcome, as PINNED holds it */
    unsigned found, parsed, bound, files, emitted, verified, partial;
    char *unsupported[MAX_UNSUPPORTED]; /* FAIL messages, and how often */
    unsigned counts[MAX_UNSUPPORTED];
    size_t nunsupported;
    const char *dump_dir, *blob_dir;
    const char *rel; /* the current file, relative to the corpus */
    unsigned index;  /* expressions of the current file so far */
};

static void count_unsupported(struct run *r, const char *line, size_t n)
{
    for (size_t i = 0; i < r->nunsupported; i++)
        if (strlen(r->unsupported[i]) == n && memcmp(r->unsupported[i], line, n) == 0) {
            r->counts[i]++;
            return;
        }
    if (r->nunsupported < MAX_UNSUPPORTED) {
        r->unsupported[r->nunsupported] = strndup(line, n);
        r->counts[r->nunsupported++] = 1;
    }
}

/* The FAIL instructions of the program's listing, counted by message. */
static bool scan_listing(struct run *r, const char *listing)
{
    bool partial = false;
    for (const char *p = strstr(listing, " FAIL \""); p != NULL; p = strstr(p + 1, " FAIL \"")) {
        const char *msg = p + 7, *end = strchr(msg, '"');
        if (end == NULL)
            break;
        size_t n = (size_t)(end - msg);
        if (strncmp(msg, "a block whose end", 17) == 0 ||
            strncmp(msg, "a lambda whose end", 18) == 0)
            continue;
        partial = true;
        count_unsupported(r, msg, n);
    }
    /* a static member without a native: "CALLS argc=1 Type.Name (not run)" */
    for (const char *p = strstr(listing, " (not run)"); p != NULL;
         p = strstr(p + 1, " (not run)")) {
        const char *name = p;
        while (name > listing && name[-1] != ' ')
            name--;
        char msg[160];
        int n =
            snprintf(msg, sizeof(msg), "'%.*s' (a member without a native) is not run by apimlocal",
                     (int)(p - name), name);
        partial = true;
        count_unsupported(r, msg, n > 0 && (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
    }
    return partial;
}

static void dump(const char *dir, unsigned n, const char *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/expr-%05u", dir, n);
    FILE *f = fopen(path, "wb");
    if (f != NULL) {
        (void)fwrite(data, 1, len, f);
        fclose(f);
    }
}

/* csx_emit and csx_prog_load on a parsed expression. */
static void compile(struct run *r, struct arena *a, struct diag *d, const struct source *src,
                    const struct csx_node *n, const char *text, size_t len)
{
    struct buf blob, listing;
    buf_init(&blob, 16u << 20);
    buf_init(&listing, 16u << 20);
    struct csx_error err;
    struct csx_prog *p = NULL;
    if (csx_emit(a, d, (struct loc){ src, 0, 0 }, n, &blob) == 0) {
        r->emitted++;
        if (r->blob_dir != NULL)
            dump(r->blob_dir, r->emitted, blob.data, blob.len);
        p = csx_prog_load(blob.data, blob.len, &err);
    }
    if (p != NULL) {
        r->verified++;
        if (csx_disasm(p, (struct str){ text, len }, &listing) == 0 && listing.data != NULL)
            r->partial += scan_listing(r, listing.data);
    } else if (buf_printf(&r->out, "%s #%u: not compiled: %s\n", r->rel, r->index,
                          blob.len ? err.reason : "csx_emit failed") != 0) {
        abort();
    }
    csx_prog_free(p);
    buf_release(&blob);
    buf_release(&listing);
}

/* Every binder diagnostic of a parsed expression, one line each. */
static void bind_findings(struct run *r, const struct diag *d, const char *text, size_t len)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct diag_entry *e = d->v[i];
        if (buf_printf(&r->out, "%s #%u: bind %s at %u: %s\n", r->rel, r->index,
                       diag_code_str(e->code), e->loc.start, e->msg) != 0)
            abort();
    }
    if (getenv("CSX_CORPUS_SHOW") != NULL)
        printf("==== %s #%u\n%.*s\n", r->rel, r->index, (int)len, text);
}

/* {{name}} replaced by the stand-in '0', as policy_expr.c does for a named
 * value whose value is unknown (the corpus has no values): API Management
 * substitutes named values before it compiles the expression. The offsets
 * of the stand-ins go to the binder. */
static size_t substitute(const char *text, size_t len, char *out, uint32_t *standins,
                         size_t *nstandins)
{
    size_t n = 0;
    *nstandins = 0;
    for (size_t i = 0; i < len; i++) {
        size_t e = i + 2;
        while (text[i] == '{' && i + 1 < len && text[i + 1] == '{' && e + 1 < len &&
               !(text[e] == '}' && text[e + 1] == '}') && text[e] != '{' && text[e] != '\n')
            e++;
        if (text[i] == '{' && i + 1 < len && text[i + 1] == '{' && e + 1 < len && text[e] == '}' &&
            text[e + 1] == '}' && e > i + 2) {
            standins[(*nstandins)++] = (uint32_t)n;
            out[n++] = '0';
            i = e + 1;
        } else {
            out[n++] = text[i];
        }
    }
    return n;
}

static void one(void *arg, const char *raw, size_t rawlen)
{
    struct run *r = arg;
    r->found++;
    r->index++;
    if (r->dump_dir != NULL) {
        dump(r->dump_dir, r->found, raw, rawlen);
        return;
    }
    struct arena a;
    struct diag d;
    arena_init(&a, 64 * 1024);
    diag_init(&d, &a);
    char *text = arena_alloc(&a, rawlen + 1);
    uint32_t *standins = ARENA_ARRAY(&a, uint32_t, rawlen / 4 + 1);
    size_t nstandins;
    size_t len = substitute(raw, rawlen, text, standins, &nstandins);
    struct csx_bind_opts opts = { standins, nstandins, false };
    struct source *src = source_new(&d, r->rel, text, (uint32_t)len);
    struct csx_node *n = csx_parse(&a, &d, (struct loc){ src, 0, 0 }, (struct str){ text, len });
    if (n != NULL) {
        r->parsed++;
        if (csx_bind(&a, &d, n, &opts) == 0)
            r->bound++;
        else
            bind_findings(r, &d, text, len);
        compile(r, &a, &d, src, n, text, len);
    } else {
        const struct diag_entry *e = d.n > 0 ? d.v[0] : NULL;
        int rc = buf_printf(&r->out, "%s #%u: %s at %u: %s\n", r->rel, r->index,
                            e ? diag_code_str(e->code) : "?", e ? e->loc.start : 0,
                            e ? e->msg : "no diagnostic");
        if (rc != 0)
            abort();
        if (getenv("CSX_CORPUS_SHOW") != NULL) /* for whoever reviews the list */
            printf("==== %s #%u\n%.*s\n", r->rel, r->index, (int)len, text);
    }
    diag_release(&d);
    arena_release(&a);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every file under dir, sorted, into *v (paths relative to root). */
static void walk(const char *root, const char *rel, char ***v, size_t *n, size_t *cap)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    DIR *d = opendir(path);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[2048];
        if (snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name) >=
                (int)sizeof(sub) ||
            snprintf(path, sizeof(path), "%s/%s", root, sub) >= (int)sizeof(path))
            continue;
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(root, sub, v, n, cap);
        } else if (extract_kind(sub) != EXTRACT_NONE) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 256;
                *v = xrealloc(*v, *cap * sizeof(**v));
            }
            (*v)[(*n)++] = strdup(sub);
        }
    }
    closedir(d);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct buf b;
    buf_init(&b, 64u << 20);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (buf_append(&b, chunk, k) != 0)
            break;
    fclose(f);
    *len = b.len;
    char *s = xmalloc(b.len + 1);
    memcpy(s, b.data, b.len);
    s[b.len] = '\0';
    buf_release(&b);
    return s;
}

static void run_corpus(const char *root, struct run *r)
{
    char **files = NULL;
    size_t n = 0, cap = 0;
    walk(root, "", &files, &n, &cap);
    qsort(files, n, sizeof(*files), by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", root, files[i]);
        size_t len;
        char *text = slurp(path, &len);
        r->rel = files[i];
        r->index = 0;
        if (text != NULL)
            extract_file(extract_kind(files[i]), text, len, one, r);
        r->files += r->index > 0;
        free(text);
    }
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
}

/* PINNED without reasons, and the reason of each line by its text. */
static const char *reason_of(const char *pinned, const char *line, size_t len)
{
    for (const char *p = pinned; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, line, len) == 0 && strncmp(p + len, "  ## ", 5) == 0)
            return p + len;
    return NULL;
}

static int compare(const char *pinned_path, struct buf *got, bool update)
{
    size_t plen = 0;
    char *pinned = slurp(pinned_path, &plen);
    struct buf want, merged;
    buf_init(&want, 64u << 20);
    buf_init(&merged, 64u << 20);
    int rc = 0;
    for (const char *p = pinned ? pinned : ""; *p && rc == 0;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        const char *hash = strstr(p, "  ## ");
        size_t keep = hash != NULL && hash < p + n ? (size_t)(hash - p) : n;
        if (p[0] != '#')
            rc = buf_append(&want, p, keep) || buf_append(&want, "\n", 1);
        p += n + (nl != NULL);
    }
    for (const char *p = got->data; p < got->data + got->len && rc == 0;) {
        size_t n = (size_t)((const char *)memchr(p, '\n', (size_t)(got->data + got->len - p)) - p);
        const char *why = reason_of(pinned, p, n);
        size_t wn = why ? strcspn(why, "\n") : 0;
        rc = buf_append(&merged, p, n) || buf_append(&merged, why ? why : "", wn) ||
             buf_append(&merged, "\n", 1);
        p += n + 1;
    }
    bool same = rc == 0 && want.len == got->len && memcmp(want.data, got->data, got->len) == 0;
    if (update && rc == 0) {
        FILE *f = fopen(pinned_path, "wb");
        if (f != NULL) {
            fputs("# Policy expressions of /work/shared/corpus through csx_parse, csx_bind and "
                  "csx_emit (tests/csx).\n"
                  "# Regenerate: csx_corpus CORPUS PINNED update; '  ## ' starts a reason.\n",
                  f);
            (void)fwrite(merged.data, 1, merged.len, f);
            fclose(f);
        }
        same = true;
    } else if (!same) {
        printf("--- pinned (%s)\n%.*s--- got\n%.*s", pinned_path, (int)want.len, want.data,
               (int)got->len, got->data);
    }
    buf_release(&want);
    buf_release(&merged);
    free(pinned);
    return same ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: csx_corpus CORPUS PINNED [update] | CORPUS --dump DIR\n");
        return 2;
    }
    struct run r = { 0 };
    buf_init(&r.out, 64u << 20);
    if (strcmp(argv[2], "--dump") == 0 && argc > 3)
        r.dump_dir = argv[3];
    if (strcmp(argv[2], "--dump-blobs") == 0 && argc > 3)
        r.blob_dir = argv[3];
    run_corpus(argv[1], &r);
    int rc = 0;
    if (r.dump_dir == NULL && r.blob_dir == NULL) {
        struct buf got;
        buf_init(&got, 64u << 20);
        if (buf_printf(&got,
                       "found %u in %u files\nparsed %u\nbound clean %u\nemitted %u\nverified %u\n"
                       "with constructs the VM does not run %u\n",
                       r.found, r.files, r.parsed, r.bound, r.emitted, r.verified, r.partial) != 0)
            abort();
        for (size_t i = 0; i < r.nunsupported; i++)
            if (buf_printf(&got, "not run %ux: %s\n", r.counts[i], r.unsupported[i]) != 0)
                abort();
        if (buf_printf(&got, "%.*s", (int)r.out.len, r.out.data) != 0)
            abort();
        printf("csx corpus: %u expressions in %u files, %u parsed, %u bound clean, %u emitted, %u "
               "verified, "
               "%u with constructs the VM does not run\n",
               r.found, r.files, r.parsed, r.bound, r.emitted, r.verified, r.partial);
        rc = compare(argv[2], &got, argc > 3 && strcmp(argv[3], "update") == 0);
        buf_release(&got);
    }
    buf_release(&r.out);
    for (size_t i = 0; i < r.nunsupported; i++)
        free(r.unsupported[i]);
    return rc;
}

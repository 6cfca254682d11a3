/* stream_decl_int.h - what the job reader (stream_read.c), its tables
 * (stream_spec.c) and the cross-job checks (stream_check.c) share.
 * Internal to compiler/stream. */
#ifndef APIM_COMPILER_STREAM_DECL_INT_H
#define APIM_COMPILER_STREAM_DECL_INT_H

#include "buf.h"
#include "stream_decl.h"

/* A job has few sources; more is a mistake, not a workload. */
#define STREAM_MAX_SOURCES 64
/* The canonical definition of one job (the plan stores it as one string). */
#define STREAM_MAX_DEFINITION (1024u * 1024u)
/* The longest duration accepted: 30 days, in milliseconds. */
#define STREAM_MAX_DURATION_MS (30LL * 24 * 3600 * 1000)

enum stream_ftype {
    SF_STR,      /* a string */
    SF_STR_NULL, /* a string or null */
    SF_PATH,     /* a file or folder: relative to the declaring file's folder */
    SF_POSINT,   /* an integer >= 1 */
    SF_UINT,     /* an integer >= 0 (null: 0) */
    SF_PORT,     /* 1..65535 */
    SF_BOOL,
    SF_DUR,       /* "500ms", "1s", "2m", "1h" or an integer of ms (> 0): written in ms */
    SF_DUR0,      /* the same, 0 allowed */
    SF_DUR_NULL,  /* a duration or null */
    SF_SLIDE,     /* a duration; absent: the batch interval */
    SF_ENUM,      /* one of values */
    SF_RAW,       /* any JSON, checked by the spec's hook, copied */
    SF_STRLIST,   /* an array of strings (or null when the default is null) */
    SF_RETAIN,    /* batches: an integer >= 1, or { "batches": n } */
    SF_OBJ,       /* an object of the fields of sub (or null when the default is null) */
    SF_CKPT_IVAL, /* checkpoint interval: default max(10s, batch) rounded to a multiple */
    SF_SOURCES,
    SF_PIPELINE,
    SF_OUTPUTS,
    SF_IGNORED, /* read and not written (description) */
    SF_CHECKED  /* one of values when present, and not written (socketText mode) */
};

struct stream_spec;
struct jctx;

/* def: the JSON text written when the field is absent; STREAM_REQUIRED:
 * missing is an error; STREAM_OMIT: not written when absent. */
#define STREAM_REQUIRED NULL
#define STREAM_OMIT     ""

struct stream_field {
    const char *name;
    enum stream_ftype type;
    const char *def;
    const char *const *values;     /* SF_ENUM */
    const struct stream_spec *sub; /* SF_OBJ */
};

struct stream_spec {
    const char *name; /* type or op; NULL for a nested object */
    const struct stream_field *fields;
    size_t nfields;
    /* After the fields are written: checks across fields, element kinds. */
    void (*hook)(struct jctx *c, const struct jval *obj);
};

/* One job being read. */
struct jctx {
    struct stream_decls *s;
    struct stream_job *job;
    struct buf out;
    /* The definition with every path as declared, not made absolute: what
     * the job's hash covers, so a configuration moved together with its
     * checkpoint keeps its hash. */
    struct buf hashed;

    enum {
        EMIT_BOTH,
        EMIT_OUT_ONLY,
        EMIT_HASHED_ONLY
    } emit_to;

    int64_t batch_ms;              /* 0: not known (missing or invalid) */
    const struct jval *checkpoint; /* the declared checkpoint object, or NULL */

    struct jsource {
        const char *name;
        enum stream_elem elem;
    } src[STREAM_MAX_SOURCES];

    size_t nsrc;
    enum stream_elem cur; /* the elements the step being read receives, then makes */
    const char *what;     /* "source 'lines'", "step 2 ('reduceByKey')": message prefix */
    bool too_big;         /* the definition passed STREAM_MAX_DEFINITION: reported */
};

extern const struct stream_spec stream_job_spec;
extern const struct stream_spec stream_sources[], stream_ops[], stream_outputs[];
extern const size_t stream_nsources, stream_nops, stream_noutputs;

/* The spec named name (exact) among v[0..n), or NULL. */
const struct stream_spec *stream_spec_find(const struct stream_spec *v, size_t n, const char *name);

/* Writes obj's fields as spec says (",\"k\":v" each), reporting mistakes. */
void stream_put_fields(struct jctx *c, const struct stream_spec *spec, const struct jval *obj);

/* A duration in ms, or -1 if v is not one (zero_ok: 0 is one). */
int64_t stream_duration_ms(const struct jval *v, bool zero_ok);

/* Appends text; a definition past its limit is reported once. */
void stream_emit(struct jctx *c, const char *text, size_t n);
void stream_emit_str(struct jctx *c, const char *s);

/* "string", "JSON object", "(key, value) pair", "number". */
const char *stream_elem_name(enum stream_elem e);

/* Requires the current elements to be want (else APIM9014 at at, naming
 * op), then makes them become. */
void stream_elem_step(struct jctx *c, const struct jval *at, const char *op, enum stream_elem want,
                      enum stream_elem become);

/* Records a reference for stream_check. */
void stream_add_ref(struct jctx *c, struct stream_ref **list, const struct jval *v);

#endif

/* csx_vm.h - the reference VM of policy expressions: load (verify) a
 * program blob once, evaluate it per request against a host.
 *
 * A blob (runtime/common/csx_code.h, made by compiler/csx/csx_emit.c) is
 * untrusted: csx_prog_load checks every field, operand, jump target, member
 * id and the stack depth of every path before anything runs, and copies
 * what it needs (the blob may be freed afterwards). csx_eval runs the
 * program with a step budget (no expression loops forever) and a cap on
 * nested lambda calls; values live in the caller's arena (no malloc per
 * evaluation; JSON values are jansson's, released by an arena cleanup).
 * Instance members are resolved at run time against the receiver's runtime
 * type through csx_members.def; each member's behaviour is a native in a
 * sparse table indexed by member id, and a member without one is a runtime
 * error "'Type.Member' is not run by apimlocal", never a silent default.
 * Errors: a runtime error is APIM's ExpressionValueEvaluationFailure: the
 * reason, located at the byte offset of the construct in the expression's
 * text (the program's line table), in struct csx_error; csx_eval returns -1.
 * The host is borrowed for the call; time and randomness come from it.
 */
#ifndef APIM_CSX_CSX_VM_H
#define APIM_CSX_CSX_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "csx_members.h"

struct json_t;

enum csx_vt {
    CSXV_NULL,
    CSXV_BOOL,
    CSXV_INT,      /* int or long (type CSXT_INT, CSXT_LONG) */
    CSXV_DOUBLE,   /* double, decimal */
    CSXV_CHAR,     /* a UTF-16 code unit or code point, in i */
    CSXV_STRING,   /* s, n bytes of UTF-8 */
    CSXV_BYTES,    /* bytes, n */
    CSXV_LIST,     /* list, n; type CSXT_STRINGS, CSXT_ARRAY or CSXT_ENUMERABLE */
    CSXV_JSON,     /* j: a JObject, JArray or JValue (type says which) */
    CSXV_DATETIME, /* i: milliseconds since the Unix epoch, UTC; n: CSX_KIND_* */
    CSXV_TIMESPAN, /* i: milliseconds */
    CSXV_GUID,     /* s, n: the 36-character form */
    CSXV_OBJ,      /* an object of type `type` (context model, Encoding...): p */
    CSXV_FUNC      /* a lambda: i = function index */
};

/* A DateTime's Kind (csx_value.n): Utc unless it was made by new DateTime(...),
 * which is Unspecified (formats write no 'K' then). */
#define CSX_KIND_UTC         0u
#define CSX_KIND_UNSPECIFIED 1u

struct csx_value {
    uint8_t t;     /* enum csx_vt */
    uint16_t type; /* enum csx_type_id */
    uint32_t n;

    union {
        bool b;
        int64_t i;
        double d;
        const char *s;
        const unsigned char *bytes;
        struct csx_value *list;
        struct json_t *j;
        const void *p;
        void *q; /* VM-internal state (a foreach iterator) */
    } u;
};

/* A name and a value: a header line, a query parameter, a template
 * parameter. A name may repeat (a header sent twice). */
struct csx_kv {
    struct str name, value;
};

struct csx_kvs {
    const struct csx_kv *v;
    size_t n;
    bool icase; /* names compare ignoring ASCII case (headers) */
};

struct csx_url {
    struct str scheme, host, path, query; /* query: without '?' */
    int port;
};

/* A request or response: context.Request, context.Response, or an
 * IResponse a send-request stored in a variable (CSXV_OBJ, CSXT_RESPONSE). */
struct csx_message {
    struct csx_kvs headers;
    struct str body;
    bool has_body;
    int status;
    struct str reason;
};

struct csx_var {
    struct str name;
    struct csx_value value;
};

/* What an expression sees of the request (the gateway fills it; tests by
 * hand). A string property of the context model (context.Api.Name,
 * context.User.Email, context.Request.Method, context.Request.IpAddress,
 * context.LastError.Reason...) is prop[its member id]; a NULL ptr is null. */
struct csx_host {
    struct csx_url url, original_url, service_url;
    struct csx_message request, response;
    struct csx_kvs params; /* context.Request.MatchedParameters */
    const struct csx_var *vars;
    size_t nvars;
    struct str prop[CSXM_COUNT];
    bool has_user, has_subscription, has_product, has_last_error, tracing;
    int64_t now_ms;     /* context.Timestamp, DateTime.UtcNow */
    int64_t elapsed_ms; /* context.Elapsed */
    struct str request_id;
    /* Guid.NewGuid's randomness: fills n bytes. NULL: Guid.NewGuid fails. */
    void (*random)(void *arg, unsigned char *out, size_t n);
    void *random_arg;
};

struct csx_error {
    uint32_t offset; /* in the expression's text; '@' is 0 */
    char reason[256];
};

struct csx_prog;

/* Verifies blob (len bytes) and returns the loaded program (the caller
 * frees it, csx_prog_free), or NULL with the reason in err. */
struct csx_prog *csx_prog_load(const void *blob, size_t len, struct csx_error *err)
    __attribute__((warn_unused_result));

void csx_prog_free(struct csx_prog *p);

/* The default step budget of csx_eval. */
#define CSX_STEPS 1000000u

/* Evaluates p against h: 0 and the value in *out (allocated in a), or -1
 * and err. steps: the budget (instructions, and elements native loops
 * visit). */
int csx_eval(const struct csx_prog *p, const struct csx_host *h, struct arena *a, uint64_t steps,
             struct csx_value *out, struct csx_error *err) __attribute__((warn_unused_result));

/* The value as C# ToString() writes it (invariant culture; null is ""),
 * in a. */
struct str csx_value_str(struct arena *a, const struct csx_value *v);

/* Appends the program's listing to out, one instruction a line with the
 * text of the expression it comes from (text: the expression, or an empty
 * slice). Returns 0 or -1 when out is full. */
int csx_disasm(const struct csx_prog *p, struct str text, struct buf *out)
    __attribute__((warn_unused_result));

#endif

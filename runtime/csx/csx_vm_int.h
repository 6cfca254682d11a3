/* csx_vm_int.h - the VM's insides, shared by its files: the loaded
 * program, the evaluation state, value helpers and the natives' table. */
#ifndef APIM_CSX_CSX_VM_INT_H
#define APIM_CSX_CSX_VM_INT_H

#include <jansson.h>

#include "csx_code.h"
#include "csx_vm.h"

struct csx_fn {
    uint32_t start, count, param_slot, nparams;
    uint32_t max_stack; /* computed by the verifier */
};

struct csx_prog {
    uint32_t nfns, ninsn, nconsts, nlines, nslots, flags;
    struct csx_fn *fns;
    struct csx_insn *code;
    struct csx_value *k;
    uint32_t *line_pc, *line_off;
    char *pool;
};

#define CSX_MAX_CALL_DEPTH 32 /* lambdas calling natives calling lambdas */
#define CSX_MAX_TRY        16 /* try statements active in one function */
/* Text a string operation makes costs a step per CSX_BYTES_PER_STEP bytes,
 * so a budget of N steps bounds the text an evaluation builds (s = s + s
 * in a loop) to about 16 N bytes. */
#define CSX_BYTES_PER_STEP 16

struct stack {
    struct csx_value *v;
    size_t used, cap;
};

struct csx_vm {
    struct stack stack;
    const struct csx_prog *p;
    const struct csx_host *h;
    struct arena *a;
    struct csx_value *slots;
    uint64_t steps;
    unsigned depth;
    uint32_t pc; /* the instruction running (absolute), for the error's place */
    bool fatal;  /* the error no catch may handle: budget spent, nesting too deep */
    struct csx_error *err;
};

/* A native: self is the receiver (NULL for statics), args the arguments,
 * targ the generic type argument + 1 (0: none), m the member id. Returns 0
 * with *out set, or -1 after csx_fail. */
typedef int (*csx_native)(struct csx_vm *vm, unsigned m, const struct csx_value *self,
                          const struct csx_value *args, unsigned argc, unsigned targ,
                          struct csx_value *out);

extern const csx_native csx_natives[CSXM_COUNT];

/* Records the runtime error (printf-like) and returns -1. */
int csx_fail(struct csx_vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Counts n steps against the budget: 0, or -1 (failed) when it is spent. */
int csx_spend(struct csx_vm *vm, uint64_t n);

/* Calls the lambda fn with n arguments (a native's callback). */
int csx_call(struct csx_vm *vm, const struct csx_value *fn, const struct csx_value *args,
             unsigned n, struct csx_value *out);

/* The runtime type of v for member lookup (CSXT_*). */
enum csx_type_id csx_value_type(const struct csx_value *v);

/* Value constructors. */
struct csx_value csx_null(void);
struct csx_value csx_bool(bool b);
struct csx_value csx_int(int64_t i);
struct csx_value csx_long(int64_t i);
struct csx_value csx_double(double d);
struct csx_value csx_string(struct str s);
struct csx_value csx_obj(enum csx_type_id type, const void *p);
/* A string copied into the arena. */
struct csx_value csx_string_dup(struct csx_vm *vm, const char *s, size_t n);
/* A JSON value the evaluation owns (its reference is released with the
 * arena); j == NULL is null. */
struct csx_value csx_json(struct csx_vm *vm, json_t *j);
/* Borrowed json (a child of a value held): a reference is taken. */
struct csx_value csx_json_ref(struct csx_vm *vm, json_t *j);

/* The string of v, which must be a string or null (argument checks);
 * -1 after csx_fail otherwise. *s is {NULL, 0} for null. */
int csx_arg_str(struct csx_vm *vm, const struct csx_value *v, struct str *s);
/* An integer argument. */
int csx_arg_int(struct csx_vm *vm, const struct csx_value *v, int64_t *i);
/* The elements of a sequence (list, JArray, string[], string's chars). */
int csx_seq(struct csx_vm *vm, const struct csx_value *v, struct csx_value **items, size_t *n);
/* A new list of n elements. */
struct csx_value csx_list(struct csx_vm *vm, enum csx_type_id type, size_t n);

bool csx_equal(const struct csx_value *a, const struct csx_value *b);
/* Truth of a bool value; -1 (failed) when v is not a bool. */
int csx_truth(struct csx_vm *vm, const struct csx_value *v, bool *b);
/* JSON of a value (JProperty excepted), a new reference; NULL after a
 * failure. */
json_t *csx_to_json(struct csx_vm *vm, const struct csx_value *v);
/* A JSON value as a VM value (JValue strings, numbers and bools stay JSON
 * values, as JToken; casts convert them). */
struct csx_value csx_from_json(struct csx_vm *vm, json_t *j);

/* self[idx...] = value (JObject, JArray). */
int csx_index_set(struct csx_vm *vm, const struct csx_value *self, const struct csx_value *idx,
                  unsigned n, const struct csx_value *value);

/* Operators and conversions (csx_ops.c). */
int csx_binary(struct csx_vm *vm, enum csx_op op, const struct csx_value *a,
               const struct csx_value *b, struct csx_value *out);
int csx_unary(struct csx_vm *vm, enum csx_op op, const struct csx_value *a, struct csx_value *out);
int csx_cast(struct csx_vm *vm, unsigned type, const struct csx_value *v, bool soft,
             struct csx_value *out);
bool csx_is(const struct csx_value *v, unsigned type);
/* 0 when ms is in DateTime's range (years 1 to 9999), else -1 (failed). */
int csx_date_check(struct csx_vm *vm, int64_t ms);
struct csx_value csx_default(unsigned type);
int csx_format(struct csx_vm *vm, const struct csx_value *v, struct str fmt, int align,
               struct csx_value *out);

/* The JProperty of new JProperty(name, value). */
struct csx_jprop {
    struct str name;
    json_t *value;
};

#endif

/* arm_eval.h - internals shared by the ARM evaluator (arm_eval.c), its
 * function library (arm_funcs*.c) and the template walker (arm_template.c).
 *
 * A struct arm_ctx is one template's scope: its parameters, variables and user
 * functions, plus what is active while evaluating (copy loops, lambda
 * variables, the section being evaluated, which decides what functions are
 * allowed). Values are struct jval trees in the env's arena; NULL means an
 * error was already reported. JV_UNKNOWN values flow through functions
 * (a function of an unknown is unknown).
 */
#ifndef APIM_COMPILER_ARM_EVAL_H
#define APIM_COMPILER_ARM_EVAL_H

#include "arm.h"
#include "arm_expr.h"

enum arm_state {
    ARM_UNRESOLVED,
    ARM_RESOLVING, /* on the stack: seeing it again is a cycle */
    ARM_RESOLVED,
    ARM_FAILED
};

struct arm_param {
    struct str name;
    struct loc name_loc;
    const struct jval *decl;
    const struct arm_param_value *supplied;
    struct jval *value;
    enum arm_state state;
};

struct arm_var {
    struct str name;
    struct loc name_loc;
    const struct jval *decl; /* the value, or the copy entry for a variable loop */
    bool is_copy;
    struct jval *value;
    enum arm_state state;
};

struct arm_loop {
    struct str name;
    int64_t index;
    bool unnamed_ok; /* resource and output loops answer copyIndex() */
    struct arm_loop *up;
};

struct arm_frame {
    struct str *names;
    struct jval **values;
    size_t n;
    struct arm_frame *up;
};

/* Where an expression sits: some functions are allowed only in some places. */
enum arm_place {
    ARM_IN_PARAMETER_DEFAULT,
    ARM_IN_VARIABLES,
    ARM_IN_RESOURCES,
    ARM_IN_OUTPUTS,
    ARM_IN_USER_FUNCTION
};

/* Where a template deploys: deployment() has a 'location' at every scope but
 * a resource group's. */
enum arm_scope {
    ARM_SCOPE_RESOURCE_GROUP,
    ARM_SCOPE_SUBSCRIPTION,
    ARM_SCOPE_MANAGEMENT_GROUP,
    ARM_SCOPE_TENANT
};

struct arm_ctx {
    struct arm_env *env;
    struct arena *arena;
    struct diag *diag;
    const struct jval *template;
    struct arm_param *params;
    size_t nparams;
    struct arm_var *vars;
    size_t nvars;
    const struct jval *functions;   /* user-defined functions, or NULL */
    const struct jval *definitions; /* user-defined types, or NULL */
    struct arm_loop *loops;
    struct arm_frame *lambdas;
    struct arm_frame *user_args; /* parameters of the user function running */
    enum arm_place place;
    unsigned depth;
    unsigned deployment_depth;
    const char *deployment_name;
    enum arm_scope scope;
    bool symbolic;    /* languageVersion 2.0: resources by symbolic name */
    bool hide_values; /* checking a secure value: messages must not show it */
};

/* One call being evaluated, as the function library sees it. */
struct arm_call {
    struct arm_ctx *c;
    const struct arm_expr *e;
    struct jval **args; /* evaluated arguments; NULL for lazy functions */
    size_t nargs;
};

enum arm_func_flags {
    ARM_FN_LAZY = 1 << 0,               /* gets unevaluated arguments (if, and, lambda users) */
    ARM_FN_KEEPS_UNKNOWN = 1 << 1,      /* builds containers: unknown args stay inside */
    ARM_FN_PARAM_DEFAULT_ONLY = 1 << 2, /* utcNow, newGuid */
    ARM_FN_NOT_IN_VARIABLES = 1 << 3,   /* reference, list*: need a deployment */
};

struct arm_func {
    const char *name;
    unsigned char min_args, max_args; /* max 255: any number */
    unsigned flags;
    struct jval *(*fn)(struct arm_call *k);
};

#define ARM_ANY_ARGS 255

/* The built-in function named name (case-insensitive), or NULL. */
const struct arm_func *arm_find_function(struct str name);

/* All built-ins, sorted by name (for suggestions and docs). */
const struct arm_func *arm_functions(size_t *n);

/* ---- evaluation (arm_eval.c) ---- */

/* Evaluates a template string: literal text, "[[" escape, or expression. */
struct jval *arm_eval_string(struct arm_ctx *c, const struct jval *str);

/* Evaluates a whole JSON value: every string, and property copy loops. */
struct jval *arm_value(struct arm_ctx *c, const struct jval *v);

/* Evaluates one expression node. */
struct jval *arm_eval_expr(struct arm_ctx *c, const struct arm_expr *e);

/* Resolves parameters('name') / variables('name'); NULL after an error. */
struct jval *arm_parameter(struct arm_ctx *c, struct str name, struct loc at);
struct jval *arm_variable(struct arm_ctx *c, struct str name, struct loc at);

/* Evaluates the body of an inline lambda expression e (a call to lambda())
 * with the given values bound to its parameters. */
struct jval *arm_apply_lambda(struct arm_ctx *c, const struct arm_expr *lambda, struct jval **vals,
                              size_t n);

/* Checks that argument i of a lambda-taking function is an inline lambda
 * with nparams parameters; reports and returns false otherwise. */
bool arm_check_lambda(struct arm_call *k, size_t i, size_t min_params, size_t max_params);

/* Checks a value against a parameter/output declaration (type, allowed
 * values, ranges, lengths, user-defined types). what names it in messages. */
bool arm_check_declared(struct arm_ctx *c, const struct jval *decl, struct jval *v,
                        const char *what, struct loc at);

/* The full Azure id of an evaluated resource
 * (/subscriptions/../resourceGroups/../providers/NS/t1/n1/...). Arena string. */
const char *arm_resource_id(struct arm_env *env, const struct arm_resource *r);

/* ---- helpers for the function library ---- */

/* True if a missing member or item of v is an unknown value, not an error:
 * v comes from reference() (the resource provider adds properties) or from
 * a sample parameter value. */
bool arm_is_open(const struct jval *v);

/* child, a member or item of parent, as it must be seen: open (and sample)
 * if parent is. */
struct jval *arm_open_child(struct arena *a, const struct jval *parent, struct jval *child);

/* Reports "argument N of 'f' must be a T, got U" unless args[i] is of kind. */
bool arm_want(struct arm_call *k, size_t i, enum jval_kind kind);

/* Location of argument i (or of the call if i is out of range). */
struct loc arm_arg_loc(const struct arm_call *k, size_t i);

/* An evaluation error at the call. */
struct jval *arm_fail(struct arm_call *k, enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- the template walker (arm_template.c), dependsOn (arm_depends.c) and
 * deployments (arm_deploy.c) ---- */

/* Conditions that were false and resources that failed: dependsOn may still
 * name them. */
struct skipped {
    struct str type, name;
    const char *id;
    struct skipped *next;
};

struct walk {
    struct arm_ctx *c;
    unsigned depth;             /* nested deployment depth */
    struct arm_resource *first; /* first resource of this deployment */
    struct skipped *skipped;
    unsigned id; /* numbers the deployments of an env (arm_resource.deployment) */
};

/* Evaluates template t as a deployment at depth (0: the file given). scope
 * is where the deploying resource sends it; the template's $schema, when it
 * names one, decides. */
int arm_template_evaluate(struct arm_env *env, const struct jval *t,
                          const struct arm_param_value *values, unsigned depth,
                          const char *deployment_name, enum arm_scope scope, struct jval **outputs);

/* Walks a template's resources (an array, or an object with symbolic names). */
void arm_template_walk_resources(struct walk *w, const struct jval *resources);

/* Every dependsOn of the deployment w names one of its resources. */
void arm_template_check_depends_on(struct arm_env *env, const struct walk *w);

/* The deployment r declares: inline or linked (see arm_deploy.c). */
void arm_deploy_nested(struct walk *w, struct arm_resource *r);

#endif

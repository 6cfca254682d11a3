/* arm_funcs_env.c - ARM template functions that read the template scope or
 * the deployment environment: parameters, variables, copyIndex, the
 * resourceGroup()/subscription()/deployment()/environment() stand-ins,
 * resource ids, reference(), and the deterministic name generators. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apim_limits.h"
#include "arm_funcs.h"
#include "arm_hash.h"

#define ARG(i) (k->args[(i)])
#define LOC    (k->e->loc)
#define A      (k->c->arena)
#define ENV    (k->c->env)

/* Builds an object from alternating C-string keys and values. */
static struct jval *object_of(struct arena *a, struct loc at, size_t n, const char *keys[],
                              struct jval *vals[])
{
    struct jval *o = jval_object(a, at, n);
    for (size_t i = 0; i < n; i++)
        o->u.o.v[i] = (struct jval_member){ str_from_cstr(keys[i]), at, vals[i] };
    return o;
}

#define OBJ(a, at, ...) object_from_pairs((a), (at), (const char *[]){ __VA_ARGS__, NULL })

/* OBJ(arena, loc, "key", "value", ...) with string values only. */
static struct jval *object_from_pairs(struct arena *a, struct loc at, const char *pairs[])
{
    size_t n = 0;
    while (pairs[2 * n])
        n++;
    struct jval *o = jval_object(a, at, n);
    for (size_t i = 0; i < n; i++)
        o->u.o.v[i] = (struct jval_member){ str_from_cstr(pairs[2 * i]), at,
                                            jval_cstring(a, at, pairs[2 * i + 1]) };
    return o;
}

/* ---- scope ---- */

static struct jval *lazy_name(struct arm_call *k, const char *fn)
{
    struct jval *name = arm_eval_expr(k->c, k->e->args[0]);
    if (name == NULL)
        return NULL;
    if (name->kind != JV_STRING) {
        diag_emit(k->c->diag, DC_ARG_TYPE, arm_arg_loc(k, 0), "'%s' takes a name as a string", fn);
        return NULL;
    }
    return name;
}

static struct jval *f_parameters(struct arm_call *k)
{
    struct jval *name = lazy_name(k, "parameters");
    return name ? arm_parameter(k->c, name->u.s, arm_arg_loc(k, 0)) : NULL;
}

static struct jval *f_variables(struct arm_call *k)
{
    struct jval *name = lazy_name(k, "variables");
    return name ? arm_variable(k->c, name->u.s, arm_arg_loc(k, 0)) : NULL;
}

/* copyIndex(), copyIndex(offset), copyIndex('loop'), copyIndex('loop', offset). */
static struct jval *f_copyindex(struct arm_call *k)
{
    struct str name = STR_NULL;
    int64_t offset = 0;
    for (size_t i = 0; i < k->nargs; i++) {
        if (ARG(i)->kind == JV_STRING && i == 0)
            name = ARG(i)->u.s;
        else if (ARG(i)->kind == JV_INT)
            offset = ARG(i)->u.i;
        else
            return arm_fail(k, DC_ARG_TYPE, "'copyIndex' takes a loop name and/or an int offset");
    }
    for (const struct arm_loop *l = k->c->loops; l; l = l->up) {
        if (name.ptr ? str_ieq(l->name, name) : l->unnamed_ok)
            return jval_int(A, LOC, l->index + offset);
    }
    if (name.ptr)
        return arm_fail(k, DC_NOT_ALLOWED_HERE,
                        "copyIndex('%.*s') is not inside a copy loop "
                        "named '%.*s'",
                        STR_FMT(name), STR_FMT(name));
    return arm_fail(k, DC_NOT_ALLOWED_HERE,
                    k->c->loops ? "copyIndex() needs the loop name inside a property or variable "
                                  "copy loop"
                                : "copyIndex() is only allowed inside a copy loop");
}

/* ---- the deployment environment (local stand-ins) ---- */

static struct jval *f_subscription(struct arm_call *k)
{
    return OBJ(A, LOC, "id", arena_printf(A, "/subscriptions/%s", ENV->subscription_id),
               "subscriptionId", ENV->subscription_id, "tenantId", ENV->tenant_id, "displayName",
               "apimlocal");
}

static struct jval *f_tenant(struct arm_call *k)
{
    return OBJ(A, LOC, "countryCode", "US", "displayName", "apimlocal", "id",
               arena_printf(A, "/tenants/%s", ENV->tenant_id), "tenantId", ENV->tenant_id);
}

static struct jval *f_resourcegroup(struct arm_call *k)
{
    struct jval *o = OBJ(A, LOC, "id",
                         arena_printf(A, "/subscriptions/%s/resourceGroups/%s",
                                      ENV->subscription_id, ENV->resource_group),
                         "name", ENV->resource_group, "type", "Microsoft.Resources/resourceGroups",
                         "location", ENV->location);
    const char *keys[] = { "tags", "properties" };
    struct jval *vals[] = { jval_object(A, LOC, 0), OBJ(A, LOC, "provisioningState", "Succeeded") };
    struct jval *more = object_of(A, LOC, 2, keys, vals);
    struct jval *all = jval_object(A, LOC, o->u.o.n + 2);
    memcpy(all->u.o.v, o->u.o.v, o->u.o.n * sizeof(struct jval_member));
    memcpy(all->u.o.v + o->u.o.n, more->u.o.v, 2 * sizeof(struct jval_member));
    return all;
}

static struct jval *f_deployment(struct arm_call *k)
{
    /* The template itself under properties.template; a "location" only at
     * subscription, management group and tenant scope (Microsoft Learn,
     * "Deployment functions for ARM templates": deployment()). */
    const char *pk[] = { "template", "templateHash", "parameters", "mode", "provisioningState" };
    struct jval *pv[] = { (struct jval *)k->c->template, jval_cstring(A, LOC, "0"),
                          jval_object(A, LOC, 0), jval_cstring(A, LOC, "Incremental"),
                          jval_cstring(A, LOC, "Accepted") };
    const char *dk[] = { "name", "properties", "location" };
    struct jval *dv[] = { jval_cstring(A, LOC, k->c->deployment_name), object_of(A, LOC, 5, pk, pv),
                          jval_cstring(A, LOC, ENV->location) };
    return object_of(A, LOC, k->c->scope == ARM_SCOPE_RESOURCE_GROUP ? 2 : 3, dk, dv);
}

static struct jval *f_environment(struct arm_call *k)
{
    struct jval *login = OBJ(A, LOC, "loginEndpoint", "https://login.microsoftonline.com/",
                             "tenant", "common", "identityProvider", "AAD");
    struct jval *audiences = jval_array(A, LOC, 2);
    audiences->u.a.v[0] = jval_cstring(A, LOC, "https://management.core.windows.net/");
    audiences->u.a.v[1] = jval_cstring(A, LOC, "https://management.azure.com/");
    struct jval *auth = jval_object(A, LOC, login->u.o.n + 1);
    memcpy(auth->u.o.v, login->u.o.v, login->u.o.n * sizeof(struct jval_member));
    auth->u.o.v[login->u.o.n] = (struct jval_member){ STR_LIT("audiences"), LOC, audiences };
    struct jval *suffixes =
        OBJ(A, LOC, "acrLoginServer", ".azurecr.io", "azureDatalakeAnalyticsCatalogAndJob",
            "azuredatalakeanalytics.net", "azureDatalakeStoreFileSystem", "azuredatalakestore.net",
            "azureFrontDoorEndpointSuffix", "azurefd.net", "keyvaultDns", ".vault.azure.net",
            "sqlServerHostname", ".database.windows.net", "storage", "core.windows.net");
    struct jval *base =
        OBJ(A, LOC, "name", "AzureCloud", "gallery", "https://gallery.azure.com/", "graph",
            "https://graph.windows.net/", "portal", "https://portal.azure.com", "graphAudience",
            "https://graph.windows.net/", "activeDirectoryDataLake", "https://datalake.azure.net/",
            "batch", "https://batch.core.windows.net/", "media", "https://rest.media.azure.net",
            "sqlManagement", "https://management.core.windows.net:8443/", "vmImageAliasDoc",
            "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/"
            "quickstart-templates/aliases.json",
            "resourceManager", "https://management.azure.com/");
    struct jval *all = jval_object(A, LOC, base->u.o.n + 2);
    memcpy(all->u.o.v, base->u.o.v, base->u.o.n * sizeof(struct jval_member));
    all->u.o.v[base->u.o.n] = (struct jval_member){ STR_LIT("authentication"), LOC, auth };
    all->u.o.v[base->u.o.n + 1] = (struct jval_member){ STR_LIT("suffixes"), LOC, suffixes };
    return all;
}

/* Regions with availability zones (learn.microsoft.com, "Azure regions with
 * availability zone support"). pickZones answers from this list offline. */
static const char *const zonal_regions[] = {
    "australiaeast",      "brazilsouth",   "canadacentral",    "centralindia",   "centralus",
    "chinanorth3",        "eastasia",      "eastus",           "eastus2",        "francecentral",
    "germanywestcentral", "israelcentral", "italynorth",       "japaneast",      "japanwest",
    "koreacentral",       "mexicocentral", "newzealandnorth",  "northeurope",    "norwayeast",
    "polandcentral",      "qatarcentral",  "southafricanorth", "southcentralus", "southeastasia",
    "spaincentral",       "swedencentral", "switzerlandnorth", "uaenorth",       "uksouth",
    "usgovvirginia",      "westeurope",    "westus2",          "westus3",        NULL,
};

/* pickZones(provider, type, location, [count = 1], [offset = 0]). */
static struct jval *f_pickzones(struct arm_call *k)
{
    for (size_t i = 0; i < 3; i++)
        if (!arm_want(k, i, JV_STRING))
            return NULL;
    for (size_t i = 3; i < k->nargs; i++)
        if (!arm_want(k, i, JV_INT))
            return NULL;
    char region[64];
    size_t n = 0;
    for (const char *p = ARG(2)->u.s.ptr; *p && n + 1 < sizeof(region); p++)
        if (*p != ' ')
            region[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    region[n] = '\0';
    bool zonal = false;
    for (size_t i = 0; zonal_regions[i] && !zonal; i++)
        zonal = strcmp(zonal_regions[i], region) == 0;
    /* Only some resource types are zonal; CDN profiles, for one, are not. */
    static const char *const zonal_providers[] = {
        "Microsoft.Compute",
        "Microsoft.Network",
        "Microsoft.ApiManagement",
        "Microsoft.Storage",
        "Microsoft.ContainerService",
        "Microsoft.Sql",
        "Microsoft.Cache",
        "Microsoft.DBforPostgreSQL",
        "Microsoft.DBforMySQL",
        "Microsoft.EventHub",
        "Microsoft.ServiceBus",
        "Microsoft.Web",
        "Microsoft.KeyVault",
        "Microsoft.App",
        NULL,
    };
    bool provider = false;
    for (size_t i = 0; zonal_providers[i] && !provider; i++)
        provider = str_ieq_cstr(ARG(0)->u.s, zonal_providers[i]);
    zonal = zonal && provider;
    int64_t count = k->nargs > 3 ? ARG(3)->u.i : 1, offset = k->nargs > 4 ? ARG(4)->u.i : 0;
    if (!zonal || count < 1 || offset < 0 || offset > 2)
        return jval_array(A, LOC, 0);
    if (count > 3 - offset)
        count = 3 - offset;
    struct jval *out = jval_array(A, LOC, (size_t)count);
    for (int64_t i = 0; i < count; i++)
        out->u.a.v[i] = jval_cstring(A, LOC, arena_printf(A, "%lld", (long long)(offset + i + 1)));
    return out;
}

/* ---- resource ids ---- */

static bool looks_like_type(struct str s)
{
    const char *slash = memchr(s.ptr, '/', s.len);
    const char *dot = memchr(s.ptr, '.', s.len);
    return slash && dot && dot < slash;
}

/* Appends "/providers/NS/t1/n1/t2/n2" for type "NS/t1/t2" and names n1, n2. */
static bool provider_path(struct arm_call *k, struct buf *b, size_t type_arg)
{
    struct str type = ARG(type_arg)->u.s;
    size_t nnames = k->nargs - type_arg - 1;
    size_t segs = 0;
    for (size_t i = 0; i < type.len; i++)
        segs += type.ptr[i] == '/';
    if (nnames != segs) {
        diag_emit(k->c->diag, DC_EVAL, LOC,
                  "'%.*s': resource type '%.*s' needs %zu name%s, got %zu", STR_FMT(k->e->name),
                  STR_FMT(type), segs, segs == 1 ? "" : "s", nnames);
        return false;
    }
    const char *p = type.ptr, *end = type.ptr + type.len;
    const char *slash = memchr(p, '/', type.len);
    if (buf_printf(b, "/providers/%.*s", (int)(slash - p), p))
        return false;
    p = slash + 1;
    for (size_t i = 0; i < nnames; i++) {
        const char *next = memchr(p, '/', (size_t)(end - p));
        size_t len = next ? (size_t)(next - p) : (size_t)(end - p);
        struct jval *name = ARG(type_arg + 1 + i);
        const char *ns = arm_funcs_scalar_text(A, name);
        if (ns == NULL || name->kind == JV_NULL) {
            diag_emit(k->c->diag, DC_ARG_TYPE, arm_arg_loc(k, type_arg + 1 + i),
                      "resource names must be strings");
            return false;
        }
        if (buf_printf(b, "/%.*s/%s", (int)len, p, ns))
            return false;
        p = next ? next + 1 : end;
    }
    return true;
}

static size_t find_type_arg(struct arm_call *k, size_t max_before)
{
    for (size_t i = 0; i < k->nargs && i <= max_before; i++)
        if (ARG(i)->kind == JV_STRING && looks_like_type(ARG(i)->u.s))
            return i;
    return k->nargs;
}

static struct jval *type_missing(struct arm_call *k)
{
    return arm_fail(k, DC_EVAL,
                    "'%.*s': no argument looks like a resource type "
                    "('Namespace.Provider/type')",
                    STR_FMT(k->e->name));
}

static struct jval *finish_id(struct arm_call *k, struct buf *b, bool ok)
{
    if (!ok) {
        buf_release(b);
        return NULL;
    }
    return arm_funcs_string_result(k, b, 0);
}

/* resourceId([subscriptionId], [resourceGroupName], type, name...). */
static struct jval *f_resourceid(struct arm_call *k)
{
    size_t t = find_type_arg(k, 2);
    if (t == k->nargs)
        return type_missing(k);
    for (size_t i = 0; i < t; i++)
        if (!arm_want(k, i, JV_STRING))
            return NULL;
    const char *sub = t == 2 ? ARG(0)->u.s.ptr : ENV->subscription_id;
    const char *rg = t >= 1 ? ARG(t - 1)->u.s.ptr : ENV->resource_group;
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    bool ok = buf_printf(&b, "/subscriptions/%s/resourceGroups/%s", sub, rg) == 0 &&
              provider_path(k, &b, t);
    return finish_id(k, &b, ok);
}

static struct jval *f_subscriptionresourceid(struct arm_call *k)
{
    size_t t = find_type_arg(k, 1);
    if (t == k->nargs)
        return type_missing(k);
    if (t == 1 && !arm_want(k, 0, JV_STRING))
        return NULL;
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    bool ok =
        buf_printf(&b, "/subscriptions/%s", t == 1 ? ARG(0)->u.s.ptr : ENV->subscription_id) == 0 &&
        provider_path(k, &b, t);
    return finish_id(k, &b, ok);
}

static struct jval *f_tenantresourceid(struct arm_call *k)
{
    if (find_type_arg(k, 0) != 0)
        return type_missing(k);
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    return finish_id(k, &b, provider_path(k, &b, 0));
}

static struct jval *f_extensionresourceid(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    if (find_type_arg(k, 1) != 1)
        return type_missing(k);
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    bool ok = buf_puts(&b, ARG(0)->u.s.ptr) == 0 && provider_path(k, &b, 1);
    return finish_id(k, &b, ok);
}

static struct jval *f_managementgroupresourceid(struct arm_call *k)
{
    size_t t = find_type_arg(k, 1);
    if (t == k->nargs)
        return type_missing(k);
    struct buf b;
    buf_init(&b, APIM_MAX_VALUE_BYTES);
    bool ok =
        buf_printf(&b, "/providers/Microsoft.Management/managementGroups/%s",
                   t == 1 && ARG(0)->kind == JV_STRING ? ARG(0)->u.s.ptr : "apimlocal") == 0 &&
        provider_path(k, &b, t);
    return finish_id(k, &b, ok);
}

/* ---- reference() ---- */

static bool id_matches(struct arm_env *env, const struct arm_resource *r, struct str wanted)
{
    if (r->symbolic && str_ieq(str_from_cstr(r->symbolic), wanted))
        return true;
    if (str_ieq(r->name, wanted))
        return true;
    const char *id = arm_resource_id(env, r);
    return id && str_ieq(str_from_cstr(id), wanted);
}

static struct jval *reference_of(struct arm_call *k, const struct arm_resource *r, bool full)
{
    if (str_ieq_cstr(r->type, "Microsoft.Resources/deployments")) {
        if (r->outputs == NULL)
            return jval_unknown(A, LOC, "outputs of a deployment evaluated later");
        const char *keys[] = { "outputs" };
        struct jval *vals[] = { r->outputs };
        return object_of(A, LOC, 1, keys, vals);
    }
    struct jval *v = full ? r->body : jval_get(r->body, "properties");
    if (v == NULL)
        v = jval_object(A, LOC, 0);
    if (v->kind != JV_OBJECT)
        return v;
    /* Properties the resource provider adds (gatewayUrl, ...) are unknown
     * here, not missing. */
    struct jval *open = ARENA_NEW(A, struct jval);
    *open = *v;
    open->flags |= JV_F_OPEN;
    return open;
}

static struct jval *f_reference(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    bool full = k->nargs > 2 && ARG(2)->kind == JV_STRING && str_ieq_cstr(ARG(2)->u.s, "Full");
    for (const struct arm_resource *r = ENV->resources; r; r = r->next)
        if (r->in_template && id_matches(ENV, r, ARG(0)->u.s))
            return reference_of(k, r, full);
    return jval_unknown(A, LOC, "a resource that is not in this template");
}

/* ---- generated names ---- */

static bool string_args(struct arm_call *k, struct str *out)
{
    for (size_t i = 0; i < k->nargs; i++) {
        if (!arm_want(k, i, JV_STRING))
            return false;
        out[i] = ARG(i)->u.s;
    }
    return true;
}

static struct jval *f_uniquestring(struct arm_call *k)
{
    struct str *args = ARENA_ARRAY(A, struct str, k->nargs);
    if (!string_args(k, args))
        return NULL;
    char out[14];
    arm_hash_unique_string(args, k->nargs, out);
    return jval_cstring(A, LOC, out);
}

static struct jval *f_guid(struct arm_call *k)
{
    struct str *args = ARENA_ARRAY(A, struct str, k->nargs);
    if (!string_args(k, args))
        return NULL;
    char out[37];
    arm_hash_guid(args, k->nargs, out);
    return jval_cstring(A, LOC, out);
}

/* newGuid() is random in Azure. Locally it is a name-based guid of a counter,
 * so a run is repeatable and golden tests stay stable. */
static struct jval *f_newguid(struct arm_call *k)
{
    static unsigned long counter;
    char n[32], out[37];
    snprintf(n, sizeof(n), "%lu", counter++);
    struct str args[] = { STR_LIT("apimlocal-newGuid"), str_from_cstr(n) };
    arm_hash_guid(args, 2, out);
    return jval_cstring(A, LOC, out);
}

/* The fixed instant utcNow() reports locally (2026-01-01T00:00:00Z): a
 * deployment-time value, fixed so local runs are repeatable. */
#define ARM_LOCAL_NOW 1767225600

static const char *const month_names[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};
static const char *const day_names[] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

/* A .NET standard format letter as the custom pattern it stands for in the
 * invariant culture, or NULL. */
static const char *standard_pattern(const char *fmt)
{
    static const struct {
        char letter;
        const char *pattern;
    } std[] = {
        { 'd', "MM/dd/yyyy" },
        { 'D', "dddd, dd MMMM yyyy" },
        { 'f', "dddd, dd MMMM yyyy HH:mm" },
        { 'F', "dddd, dd MMMM yyyy HH:mm:ss" },
        { 'g', "MM/dd/yyyy HH:mm" },
        { 'G', "MM/dd/yyyy HH:mm:ss" },
        { 'M', "MMMM dd" },
        { 'm', "MMMM dd" },
        { 'O', "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK" },
        { 'o', "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK" },
        { 'R', "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'" },
        { 'r', "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'" },
        { 's', "yyyy'-'MM'-'dd'T'HH':'mm':'ss" },
        { 't', "HH:mm" },
        { 'T', "HH:mm:ss" },
        { 'u', "yyyy'-'MM'-'dd HH':'mm':'ss'Z'" },
        { 'U', "dddd, dd MMMM yyyy HH:mm:ss" },
        { 'y', "yyyy MMMM" },
        { 'Y', "yyyy MMMM" },
    };

    if (fmt[0] == '\0' || fmt[1] != '\0')
        return NULL;
    for (size_t i = 0; i < sizeof(std) / sizeof(std[0]); i++)
        if (std[i].letter == fmt[0])
            return std[i].pattern;
    return NULL;
}

/* One custom-format field: a run of the same letter. */
static int time_field(struct buf *b, char letter, size_t run, const struct tm *tm)
{
    int v;
    switch (letter) {
    case 'y':
        if (run == 2)
            return buf_printf(b, "%02d", tm->tm_year % 100);
        return buf_printf(b, "%0*d", (int)(run < 4 ? run : 4), tm->tm_year + 1900);
    case 'M':
        if (run >= 3)
            return run == 3 ? buf_printf(b, "%.3s", month_names[tm->tm_mon])
                            : buf_puts(b, month_names[tm->tm_mon]);
        v = tm->tm_mon + 1;
        break;
    case 'd':
        if (run >= 3)
            return run == 3 ? buf_printf(b, "%.3s", day_names[tm->tm_wday])
                            : buf_puts(b, day_names[tm->tm_wday]);
        v = tm->tm_mday;
        break;
    case 'H':
        v = tm->tm_hour;
        break;
    case 'h':
        v = tm->tm_hour % 12 ? tm->tm_hour % 12 : 12;
        break;
    case 'm':
        v = tm->tm_min;
        break;
    case 's':
        v = tm->tm_sec;
        break;
    case 'f':
        return buf_printf(b, "%0*d", (int)(run > 7 ? 7 : run), 0);
    case 'F':
        return 0; /* trailing zeros of a whole second are dropped */
    case 't':
        return buf_printf(b, "%.*s", run == 1 ? 1 : 2, tm->tm_hour < 12 ? "AM" : "PM");
    case 'K':
        return buf_puts(b, "Z");
    default: /* 'z' */
        return buf_puts(b, run == 1 ? "+0" : run == 2 ? "+00" : "+00:00");
    }
    return buf_printf(b, "%0*d", run >= 2 ? 2 : 1, v);
}

/* Formats t (UTC) with a .NET standard or custom date-time format:
 * quoted text and backslash escapes are copied, letters are fields. */
static struct jval *format_time(struct arm_call *k, time_t t, const char *fmt)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    const char *pattern = standard_pattern(fmt);
    if (pattern)
        fmt = pattern;
    struct buf b;
    buf_init(&b, 4096);
    int rc = 0;
    for (const char *p = fmt; *p && rc == 0;) {
        if (*p == '\'' || *p == '"') {
            const char *close = strchr(p + 1, *p);
            size_t n = close ? (size_t)(close - p - 1) : strlen(p + 1);
            rc = buf_append(&b, p + 1, n);
            p += n + (close ? 2 : 1);
        } else if (*p == '\\' && p[1]) {
            rc = buf_append(&b, p + 1, 1);
            p += 2;
        } else if (*p == '%') {
            p++; /* "%d": one custom field, not the standard 'd' */
        } else if (strchr("yMdHhmsfFtKz", *p)) {
            size_t run = 1;
            while (p[run] == *p)
                run++;
            rc = time_field(&b, *p, run, &tm);
            p += run;
        } else {
            rc = buf_append(&b, p++, 1);
        }
    }
    return arm_funcs_string_result(k, &b, rc);
}

static struct jval *f_utcnow(struct arm_call *k)
{
    const char *fmt = "yyyyMMddTHHmmssZ";
    if (k->nargs) {
        if (!arm_want(k, 0, JV_STRING))
            return NULL;
        fmt = ARG(0)->u.s.ptr;
    }
    return format_time(k, (time_t)ARM_LOCAL_NOW, fmt);
}

/* "hh:mm[:ss[.fff]]" after a date; returns the characters used, or -1. */
static int clock_part(const char *p, struct tm *tm)
{
    int used = 0, more = 0;
    if (sscanf(p, "%2d:%2d%n", &tm->tm_hour, &tm->tm_min, &used) != 2)
        return -1;
    if (p[used] == ':' && sscanf(p + used + 1, "%2d%n", &tm->tm_sec, &more) == 1)
        used += 1 + more;
    if (p[used] == '.')
        for (used++; p[used] >= '0' && p[used] <= '9'; used++) {
        }
    return used;
}

/* Reads the date-times ARM accepts: ISO 8601 with 'T' or a space, optional
 * seconds and fraction, 'Z' or an offset; the basic form utcNow() gives
 * (yyyyMMddTHHmmssZ); or a date alone. */
static bool parse_time(const char *s, time_t *out)
{
    struct tm tm = { 0 };
    int n = 0, oh = 0, om = 0;
    char sign = 0;
    if (sscanf(s, "%4d%2d%2dT%2d%2d%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &n) == 6 &&
        (s[n] == 'Z' || s[n] == '\0')) {
        /* the basic form */
    } else if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) == 3) {
        const char *p = s + n;
        if (*p == 'T' || *p == ' ') {
            int used = clock_part(p + 1, &tm);
            if (used < 0)
                return false;
            p += 1 + used;
        }
        if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) >= 1)
            sign = *p;
        else if (*p != 'Z' && *p != '\0')
            return false;
    } else {
        return false;
    }
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (sign)
        t += (sign == '-' ? 1 : -1) * (time_t)(oh * 3600 + om * 60);
    *out = t;
    return true;
}

/* Seconds in one unit of an ISO 8601 duration. Like ARM, calendars are
 * ignored: a year is 365 days and a month 30. */
static int64_t duration_unit(char unit, bool in_time)
{
    switch (unit) {
    case 'Y':
        return 365 * 86400;
    case 'M':
        return in_time ? 60 : 30 * 86400;
    case 'W':
        return 7 * 86400;
    case 'D':
        return 86400;
    case 'H':
        return 3600;
    case 'S':
        return 1;
    default:
        return 0;
    }
}

/* "[-]P1Y2M3W4DT5H6M7S" -> seconds; false if it is not a duration. */
static bool parse_duration(const char *p, int64_t *out)
{
    int64_t sign = 1, seconds = 0;
    bool in_time = false;
    if (*p == '-')
        sign = -1, p++;
    if (*p++ != 'P' || *p == '\0')
        return false;
    while (*p) {
        if (*p == 'T') {
            in_time = true, p++;
            continue;
        }
        char *end;
        long long v = strtoll(p, &end, 10);
        if (*end == '.' || *end == ',')
            for (end++; *end >= '0' && *end <= '9'; end++) {
            }
        int64_t unit = duration_unit(*end, in_time);
        if (end == p || v < 0 || v > 100000000 || unit == 0)
            return false;
        seconds += v * unit;
        p = end + 1;
    }
    *out = sign * seconds;
    return true;
}

static struct jval *f_datetimeadd(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_STRING) || !arm_want(k, 1, JV_STRING) ||
        (k->nargs > 2 && !arm_want(k, 2, JV_STRING)))
        return NULL;
    time_t t;
    int64_t delta;
    if (!parse_time(ARG(0)->u.s.ptr, &t))
        return arm_fail(k, DC_EVAL, "'dateTimeAdd': '%s' is not a date-time", ARG(0)->u.s.ptr);
    if (!parse_duration(ARG(1)->u.s.ptr, &delta))
        return arm_fail(k, DC_EVAL, "'dateTimeAdd': '%s' is not an ISO 8601 duration",
                        ARG(1)->u.s.ptr);
    return format_time(k, t + (time_t)delta,
                       k->nargs > 2 ? ARG(2)->u.s.ptr : "yyyy-MM-ddTHH:mm:ssZ");
}

static struct jval *f_datetimetoepoch(struct arm_call *k)
{
    time_t t;
    if (!arm_want(k, 0, JV_STRING))
        return NULL;
    if (!parse_time(ARG(0)->u.s.ptr, &t))
        return arm_fail(k, DC_EVAL, "'dateTimeToEpoch': '%s' is not a date-time", ARG(0)->u.s.ptr);
    return jval_int(A, LOC, (int64_t)t);
}

static struct jval *f_datetimefromepoch(struct arm_call *k)
{
    if (!arm_want(k, 0, JV_INT))
        return NULL;
    if (ARG(0)->u.i < 0 || ARG(0)->u.i > 253402300799)
        return arm_fail(k, DC_EVAL, "'dateTimeFromEpoch': %lld is out of range",
                        (long long)ARG(0)->u.i);
    return format_time(k, (time_t)ARG(0)->u.i, "yyyy-MM-ddTHH:mm:ssZ");
}

#define LAZY             ARM_FN_LAZY
#define ANY              ARM_ANY_ARGS
#define DEFAULT_ONLY     ARM_FN_PARAM_DEFAULT_ONLY
#define NEEDS_DEPLOYMENT ARM_FN_NOT_IN_VARIABLES

/* Sorted by name, ignoring case. */
const struct arm_func arm_funcs_env_table[] = {
    { "copyIndex", 0, 2, 0, f_copyindex },
    { "dateTimeAdd", 2, 3, 0, f_datetimeadd },
    { "dateTimeFromEpoch", 1, 1, 0, f_datetimefromepoch },
    { "dateTimeToEpoch", 1, 1, 0, f_datetimetoepoch },
    { "deployment", 0, 0, 0, f_deployment },
    { "environment", 0, 0, 0, f_environment },
    { "extensionResourceId", 3, ANY, 0, f_extensionresourceid },
    { "guid", 1, ANY, 0, f_guid },
    { "managementGroupResourceId", 2, ANY, 0, f_managementgroupresourceid },
    { "newGuid", 0, 0, DEFAULT_ONLY, f_newguid },
    { "parameters", 1, 1, LAZY, f_parameters },
    { "pickZones", 3, 5, 0, f_pickzones },
    { "reference", 1, 3, NEEDS_DEPLOYMENT, f_reference },
    { "resourceGroup", 0, 0, 0, f_resourcegroup },
    { "resourceId", 2, ANY, 0, f_resourceid },
    { "subscription", 0, 0, 0, f_subscription },
    { "subscriptionResourceId", 2, ANY, 0, f_subscriptionresourceid },
    { "tenant", 0, 0, 0, f_tenant },
    { "tenantResourceId", 2, ANY, 0, f_tenantresourceid },
    { "uniqueString", 1, ANY, 0, f_uniquestring },
    { "utcNow", 0, 1, DEFAULT_ONLY, f_utcnow },
    { "variables", 1, 1, LAZY, f_variables },
};

const size_t arm_funcs_env_count = sizeof(arm_funcs_env_table) / sizeof(arm_funcs_env_table[0]);

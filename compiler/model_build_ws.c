/* model_build_ws.c - a workspace's resources (Microsoft.ApiManagement/
 * service/workspaces/...).
 *
 * A workspace is read as a service of its own (model.h): its policy
 * documents, policy fragments, named values and backends go into it, built
 * by the service's own builders one name segment down ("svc/ws/x" is read
 * as "ws/x" in workspace ws), so model_check runs the same policy checks on
 * them and their {{named values}}, fragments and backends resolve in the
 * workspace. The gateway serves no workspace: its APIs, products and the
 * rest are not modelled, which is said once per type and file (APIM6xxx),
 * and its documents are in no effective pipeline (APIM4039, each). */
#include <string.h>

#include "model.h"
#include "model_build_int.h"

/* The workspace that b's resource is in, made on first use (a child may be
 * built before its workspace when the workspace is deployed elsewhere). */
static struct model_service *workspace_of(struct builder *b)
{
    struct model_service *s = mb_service(b);
    const char *id = mb_dup(b, b->segs[1]);
    struct model_service *w = model_find_workspace(b->m, s, id);
    if (w)
        return w;
    w = ARENA_NEW(b->m->arena, struct model_service);
    w->name = id;
    w->loc = b->r->name_loc;
    w->parent = s;
    APPEND(s, workspaces, w);
    return w;
}

/* b's resource as the workspace's own: the name without its service. The
 * template walker has checked the segments against the type (APIM3xxx). */
static bool inside(struct builder *b, struct builder *in)
{
    if (b->nsegs < 3)
        return false;
    *in = *b;
    in->into = workspace_of(b);
    in->nsegs = b->nsegs - 1;
    memmove(in->segs, b->segs + 1, in->nsegs * sizeof(in->segs[0]));
    return true;
}

void mb_build_workspace(struct builder *b)
{
    static const char *const props[] = { "displayName", "description", NULL };
    static const char *const required[] = { "displayName", NULL };
    mb_check_props(b, "workspace", props, required);
    if (b->nsegs < 2)
        return;
    struct model_service *w = workspace_of(b);
    w->declared = true;
    w->loc = b->r->name_loc;
}

/* Workspaces partition a service for separate teams; the local gateway does
 * not serve their APIs yet, and says so once per type and file. */
void mb_build_workspace_other(struct builder *b)
{
    if (!mb_first_of_kind(b->m, b->r))
        return;
    diag_emit(b->m->diag, DC_NOT_EMULATED, b->r->type_loc,
              "workspace resources ('%.*s') are not served by the local gateway yet",
              STR_FMT(b->r->type));
}

/* A workspace's policy document runs between the global and the product
 * scope (apim-facts.md 3.1). Its text is checked as a service's is; it is
 * not composed, as workspace APIs are not served: said for each document,
 * where it is declared. */
static void workspace_policy(struct builder *b, enum model_scope scope)
{
    diag_emit(b->m->diag, DC_WORKSPACE_POLICY, b->r->type_loc,
              "workspace policies are not composed by apimlocal (workspace APIs are not served): "
              "'%.*s' is checked but left out of every effective policy ('apim policy show', "
              "the plan, the data-flow checks)",
              STR_FMT(b->r->type));
    struct builder in;
    if (inside(b, &in))
        mb_attach_policy(&in, scope);
}

void mb_build_workspace_policy(struct builder *b)
{
    workspace_policy(b, MODEL_SCOPE_WORKSPACE);
}

void mb_build_workspace_api_policy(struct builder *b)
{
    workspace_policy(b, MODEL_SCOPE_API);
}

void mb_build_workspace_operation_policy(struct builder *b)
{
    workspace_policy(b, MODEL_SCOPE_OPERATION);
}

void mb_build_workspace_product_policy(struct builder *b)
{
    workspace_policy(b, MODEL_SCOPE_PRODUCT);
}

/* What a workspace's documents refer to: read into the workspace (and not
 * served, like the rest of it). */
static void workspace_item(struct builder *b, void (*build)(struct builder *))
{
    mb_build_workspace_other(b);
    struct builder in;
    if (inside(b, &in))
        build(&in);
}

void mb_build_workspace_fragment(struct builder *b)
{
    workspace_item(b, mb_build_fragment);
}

void mb_build_workspace_named_value(struct builder *b)
{
    workspace_item(b, mb_build_named_value);
}

void mb_build_workspace_backend(struct builder *b)
{
    workspace_item(b, mb_build_backend);
}

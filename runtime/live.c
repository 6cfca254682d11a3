#include "live.h"

#include <time.h>

struct live *live_new(struct plan *p, long backend_timeout_ms)
{
    struct live *l = xcalloc(1, sizeof(*l));
    atomic_init(&l->refs, 1);
    l->plan = p;
    l->pipeline = pipeline_new(p, backend_timeout_ms);
    l->loaded_at = (int64_t)time(NULL);
    return l;
}

void live_ref(struct live *l)
{
    atomic_fetch_add_explicit(&l->refs, 1, memory_order_relaxed);
}

void live_unref(struct live *l)
{
    if (l == NULL || atomic_fetch_sub_explicit(&l->refs, 1, memory_order_acq_rel) != 1)
        return;
    pipeline_free(l->pipeline);
    plan_free(l->plan);
    free(l);
}

/* live.h - a plan in service: the verified plan, the pipeline built on it,
 * and a reference count. The gateway holds one reference to the current
 * live plan; each worker holds one to the plan it serves with, until the
 * requests that started on it are done. A reload publishes a new one; the
 * old one is freed by whoever drops the last reference, on any thread.
 */
#ifndef APIM_RUNTIME_LIVE_H
#define APIM_RUNTIME_LIVE_H

#include <stdatomic.h>
#include <stdint.h>

#include "pipeline.h"
#include "plan.h"

struct live {
    atomic_uint refs;
    struct plan *plan;
    struct pipeline *pipeline;
    int64_t loaded_at; /* Unix seconds */
};

/* Takes ownership of p; the result holds one reference. */
struct live *live_new(struct plan *p, long backend_timeout_ms);
void live_ref(struct live *l);
/* Frees l with its plan when this was the last reference; NULL is a no-op. */
void live_unref(struct live *l);

#endif

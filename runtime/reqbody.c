#include "reqbody.h"

#include <string.h>

void reqbody_init(struct reqbody *b, struct buf *data)
{
    *b = (struct reqbody){ .data = data };
    buf_reset(data);
}

size_t reqbody_unread(const struct reqbody *b)
{
    return b->data->len - b->pos;
}

bool reqbody_has_room(const struct reqbody *b)
{
    return reqbody_unread(b) <= REQBODY_WINDOW / 2;
}

size_t reqbody_put(struct reqbody *b, const char *p, size_t n)
{
    size_t unread = reqbody_unread(b);
    if (unread == 0) { /* all read: start the buffer over rather than grow it */
        buf_reset(b->data);
        b->pos = 0;
    } else if (b->pos >= unread) { /* more read than left: move the rest to the front */
        memmove(b->data->data, b->data->data + b->pos, unread);
        b->data->len = unread;
        b->data->data[unread] = '\0';
        b->pos = 0;
    }
    size_t room = unread < REQBODY_WINDOW ? REQBODY_WINDOW - unread : 0;
    size_t take = n < room ? n : room;
    if (take && buf_append(b->data, p, take) != 0)
        return 0; /* cannot happen below the buffer's cap; the sender waits */
    return take;
}

ssize_t reqbody_get(struct reqbody *b, char *out, size_t max)
{
    size_t unread = reqbody_unread(b);
    if (unread == 0) {
        if (b->failed)
            return GW_BODY_FAILED;
        if (b->done)
            return GW_BODY_END;
        b->waiting = true;
        return GW_BODY_WAIT;
    }
    size_t n = unread < max ? unread : max;
    memcpy(out, b->data->data + b->pos, n);
    b->pos += n;
    return (ssize_t)n;
}

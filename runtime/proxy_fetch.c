/* proxy_fetch.c - one blocking request, for the CLI talking to a
 * gateway's admin port (proxy.h). */
#include <string.h>

#include "proxy_int.h"

/* ---- one blocking GET, for the CLI talking to a gateway's admin port ---- */

static size_t fetch_body(char *data, size_t size, size_t n, void *userp)
{
    return buf_append(userp, data, size * n) == 0 ? size * n : 0;
}

static int fetch(const char *url, bool post, long timeout_ms, struct buf *out, long *status)
{
    CURL *e = curl_easy_init();
    if (e == NULL)
        return -1;
    curl_easy_setopt(e, CURLOPT_URL, url);
    if (post) { /* an empty body: the admin port's actions take none */
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 0L);
    }
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fetch_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(e, CURLOPT_PROXY, ""); /* the admin port is on this machine */
    CURLcode rc = curl_easy_perform(e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(e);
    return rc == CURLE_OK ? 0 : -1;
}

int proxy_fetch(const char *url, long timeout_ms, struct buf *out, long *status)
{
    return fetch(url, false, timeout_ms, out, status);
}

int proxy_post(const char *url, long timeout_ms, struct buf *out, long *status)
{
    return fetch(url, true, timeout_ms, out, status);
}

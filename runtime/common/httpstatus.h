/* httpstatus.h - the reason phrase of an HTTP status code (RFC 9110 15),
 * for the answers the gateway writes itself, outside libmicrohttpd: the
 * refusals and 408s on raw sockets, and the streaming jobs' own HTTP
 * servers. One table, so every status line says the same. Pure; static
 * strings.
 */
#ifndef APIM_COMMON_HTTPSTATUS_H
#define APIM_COMMON_HTTPSTATUS_H

/* "Bad Request" for 400 ...; "Error" for a code the gateway never writes
 * itself. */
const char *http_reason_phrase(int status);

#endif

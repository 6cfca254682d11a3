/* apim_limits.h - every size that input can drive, capped in one place.
 *
 * The allocators abort on out-of-memory (buf.h); these caps are what keeps a
 * hostile or broken input from getting there. Each limit is checked where the
 * input enters, and exceeding it is a located diagnostic, never a crash.
 */
#ifndef APIM_COMMON_APIM_LIMITS_H
#define APIM_COMMON_APIM_LIMITS_H

/* Largest input file read by the compiler. ARM's own template limit is 4 MB;
 * the headroom is for parameter files with inline policies and OpenAPI specs. */
#define APIM_MAX_INPUT_SIZE (16u * 1024u * 1024u)

/* Deepest nesting of JSON objects and arrays. Real templates stay under 40. */
#define APIM_MAX_JSON_DEPTH 256

/* Errors reported per file before the parser gives up on it. */
#define APIM_MAX_ERRORS_PER_FILE 50

/* Longest ARM expression string, and deepest nesting of calls inside one. */
#define APIM_MAX_EXPR_LENGTH (64u * 1024u)
#define APIM_MAX_EXPR_DEPTH  64

/* Deepest nesting of brackets, blocks and interpolation holes in one policy
 * expression (@(...), @{...}); the parser's stack is capped at 16 times
 * this. Real policies stay under 15. */
#define APIM_MAX_CSX_DEPTH 128

/* Deepest element nesting and most attributes on one element in a policy
 * document (policy_xml.h). Real policies nest under 12 and carry under 10. */
#define APIM_MAX_XML_DEPTH 128
#define APIM_MAX_XML_ATTRS 256

/* Longest backend URL built from named values (set-backend-service base-url). */
#define APIM_MAX_URL_LENGTH (8u * 1024u)

/* ARM's own cap on copy loop iterations. */
#define APIM_MAX_COPY_COUNT 800

/* Largest array or string an ARM function may build (range, padLeft, ...). */
#define APIM_MAX_VALUE_ITEMS 100000u
#define APIM_MAX_VALUE_BYTES (4u * 1024u * 1024u)

/* Nested deployments inside nested deployments. */
#define APIM_MAX_DEPLOYMENT_DEPTH 8

/* Depth of variable/parameter references resolving each other, and of
 * lambda and user-function calls. */
#define APIM_MAX_EVAL_DEPTH 128

/* The gateway: request and backend response bodies it buffers, and how many
 * connections one worker holds. */
#define APIM_MAX_REQUEST_BODY (64u * 1024u * 1024u)
/* A request body streamed to the backend (no policy needs it whole): API
 * Management's maximum request payload size (classic tiers, 1 GiB). */
#define APIM_MAX_STREAMED_BODY (1024ull * 1024u * 1024u)
#define APIM_MAX_RESPONSE_BODY (256u * 1024u * 1024u)
#define APIM_MAX_CONNECTIONS   8192u

/* libmicrohttpd's memory per client connection: a request head within the
 * APIM_MAX_REQUEST_* limits below must fit, with room for the answer's header
 * block. libmicrohttpd 0.9.75 needs about twice the target plus the fields
 * plus 70 bytes a field (measured: at 32 KiB an 8 KiB target left room for
 * under 9 KiB of 100 fields, and it answered its own HTML 431; at 64 KiB a
 * 16 KiB target and 24 KiB in 100 fields pass). It zeroes
 * this whole block after every request on a keep-alive connection, so a
 * bigger one costs every request (at 128 KiB: about 5 % of the gateway's CPU
 * in tests/bench). */
#define APIM_CONNECTION_MEMORY (64u * 1024u)

/* A request's target and header fields (runtime/common/framing.h): 414
 * above the first, 431 above the others. The target: API Management's
 * documented "Request URL size" (16,384 bytes, gateway runtime limits in
 * "Azure subscription and service limits"). The fields: it documents none;
 * 100 is ASP.NET Core Kestrel's default count, and 24 KiB is what fits
 * APIM_CONNECTION_MEMORY next to the longest target, so that a request
 * within these limits is never refused by libmicrohttpd's own parser. */
#define APIM_MAX_REQUEST_TARGET      (16u * 1024u)
#define APIM_MAX_REQUEST_FIELDS      100u
#define APIM_MAX_REQUEST_FIELD_BYTES (24u * 1024u)

/* What a request head takes of APIM_CONNECTION_MEMORY in libmicrohttpd
 * 0.9.75, as framing.h counts it: twice the target, the fields as counted
 * above, a record per field, and for the first Cookie field a copy of its
 * value and a record per cookie (it parses cookies into their own list).
 * The budget is what the limits above allow without cookies, which was
 * measured to be served; with cookies or trailers (parsed into the same
 * memory) a head past it gets 431, where libmicrohttpd would answer its own
 * HTML page or close the connection without an answer. Measured with a
 * 16,000-byte target: served up to 404 cookies of 9 bytes (this counts 392)
 * and one cookie of 16,564 bytes (this counts 16,058). */
#define APIM_FIELD_RECORD_COST  70u
#define APIM_COOKIE_RECORD_COST 64u
#define APIM_HEAD_MEMORY                                           \
    (2u * APIM_MAX_REQUEST_TARGET + APIM_MAX_REQUEST_FIELD_BYTES + \
     APIM_FIELD_RECORD_COST * APIM_MAX_REQUEST_FIELDS)

/* One operation's contract in the plan (its parameters, request and
 * responses with their examples, as compact JSON): API Management's own
 * limit on a whole inline specification is 4 MB. */
#define APIM_MAX_OP_CONTRACT (1024u * 1024u)

/* Files taken from one folder argument of `apim validate`. */
#define APIM_MAX_INPUT_FILES 10000

/* Streaming jobs in one configuration (and one plan): each runs its own
 * engine, so a configuration with more is a mistake, not a workload. */
#define APIM_MAX_JOBS 256

#endif

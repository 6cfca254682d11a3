/* stream_int.h - what the files of runtime/stream/ share: the checked
 * definition, records and batches, the keyed table, and the operator state.
 * Not for use outside runtime/stream/ (stream.h is the contract).
 *
 * Records: a plain record is one JSON value (a string for text lines); a
 * (key, value) pair has key != NULL. Each struct srec owns one reference to
 * each of its values. A batch owns its records. An absent batch (present ==
 * false) is "no RDD at this time" (a window between two slides): outputs do
 * nothing for it, while an empty present batch still prints its header.
 */
#ifndef APIM_STREAM_STREAM_INT_H
#define APIM_STREAM_STREAM_INT_H

#include <jansson.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "stream.h"

#define STREAM_MAX_SOURCES 16
#define STREAM_MAX_STEPS   32
#define STREAM_MAX_OUTPUTS 8
#define STREAM_MAX_WINDOW  3600 /* batches in one window */
#define STREAM_MAX_LINE    (1024 * 1024)
/* A socket's waiting lines are held back past this many bytes as past
 * queueCapacity lines, so that long lines cannot grow memory either. */
#define STREAM_MAX_WAITING ((size_t)64 << 20)
#define STREAM_MAX_PRINT   10000
#define STREAM_MAX_QUEUE   10000000
#define STREAM_MAX_RETAIN  100000

enum ssrc_type {
    SSRC_QUEUE,
    SSRC_SOCKET,
    SSRC_FILES,
    SSRC_HTTP,
    SSRC_GWLOG,
    SSRC_EVENTHUB
};

struct ssrc_def {
    char *name;
    enum ssrc_type type;
    char *host;
    int port;
    int64_t reconnect_ms;
    char *directory, *pattern;
    bool new_only;
    size_t max_files;
    json_t *batches; /* queue: array of arrays */
    bool one_at_a_time;
    json_t *dflt; /* queue: array or NULL */
    /* httpIngest */
    char *operation;
    int framing; /* SFRAME_* */
    size_t max_body;
    /* gatewayLog: the field names kept (array of strings) or NULL: all */
    json_t *fields;
    /* eventHub */
    char *logger;
    bool earliest, json_body;
};

enum sframe {
    SFRAME_LINES,
    SFRAME_NDJSON,
    SFRAME_JSON_ARRAY
};

#define STREAM_MAX_BODY (64 * 1024 * 1024)

enum sop_kind {
    SOP_UNION,
    SOP_FLATMAP,
    SOP_MAP,
    SOP_FILTER,
    SOP_COUNT_BY_VALUE,
    SOP_REDUCE_BY_KEY,
    SOP_REDUCE_WINDOW,
    SOP_COUNT_WINDOW,
    SOP_UPDATE_STATE,
    SOP_AGG_WINDOW,
    SOP_TOPK
};

enum sfunc {
    SF_SUM,
    SF_MIN,
    SF_MAX,
    SF_COUNT,
    SF_LAST
};

enum smap {
    SM_PAIR,
    SM_PROJECT,
    SM_LOWER,
    SM_TRIM,
    SM_PARSE
};

enum scmp {
    SC_EQ,
    SC_NE,
    SC_LT,
    SC_GT,
    SC_IN,
    SC_MATCHES
};

enum ssplit {
    SS_SEP,
    SS_WHITESPACE,
    SS_JSON_ARRAY
};

struct sop_def {
    enum sop_kind kind;
    int input; /* source index, or -1: the previous step */
    int inputs[STREAM_MAX_SOURCES];
    size_t ninputs;
    enum ssplit split;
    char *sep, *path; /* flatMap separator / jsonArray path, filter path */
    enum smap map;
    json_t *arg; /* map pair/project object, filter value, aggs object */
    enum scmp cmp;
    regex_t re;
    bool has_re;
    enum sfunc func;
    int64_t length, slide, timeout;
    bool inverse, drop_zero;
    size_t n; /* topK */
};

enum sout_type {
    SOUT_PRINT,
    SOUT_FILES,
    SOUT_SERVE
};

struct sout_def {
    enum sout_type type;
    size_t num;
    bool scala;
    char *prefix, *suffix;
    char *listen; /* host:port or NULL */
    char *base;   /* basePath: "/" or "/x/y" (no trailing slash) */
    size_t retain;
    int order; /* 0 firstSeen, 1 key, 2 valueDesc */
};

struct stream_def {
    int64_t interval;
    bool auto_start;
    struct ssrc_def src[STREAM_MAX_SOURCES];
    size_t nsrc;
    struct sop_def step[STREAM_MAX_STEPS];
    size_t nstep;
    struct sout_def out[STREAM_MAX_OUTPUTS];
    size_t nout;
    char *ckpt_dir;
    int64_t ckpt_interval;
    bool wal;
    int64_t max_rate;
    bool backpressure;
    size_t queue_cap;
    bool graceful;
    int64_t stop_timeout;
};

/* ---- records and batches (stream_rec.c) ---- */

struct srec {
    json_t *key; /* NULL: a plain record */
    json_t *val;
};

/* Lines as bytes, each followed by '\n' (a line never holds one): how a
 * socket's lines wait for a batch, and how they reach the fused word count,
 * without a JSON value (two allocations) per line. */
struct stext {
    struct buf bytes;
    size_t n; /* lines */
};

struct sbatch {
    struct srec *r;
    size_t n, cap;
    bool present;
    /* Owned; NULL unless a socket source hands its lines as they are to the
     * fused word count (ssrc.raw): then the batch's records are these lines
     * and r holds none. */
    struct stext *lines;
};

/* The records of a batch, lines included. */
size_t sbatch_count(const struct sbatch *b);

void sbatch_push(struct sbatch *b, json_t *key, json_t *val); /* takes both references */
void sbatch_reset(struct sbatch *b);
void sbatch_reserve(struct sbatch *b, size_t n); /* room for n more records */
void sbatch_release(struct sbatch *b);
void sbatch_move(struct sbatch *dst, struct sbatch *src); /* appends src's records, empties src */

/* The value at path ("$", "$.a.b") of a record, borrowed; NULL if absent.
 * A pair is seen as {"key": k, "value": v}. */
json_t *srec_path(const struct srec *r, const char *path, json_t **tmp);

/* Number arithmetic keeping integers integers. New references. */
json_t *snum_combine(enum sfunc f, const json_t *a, const json_t *b);
json_t *snum_sub(const json_t *a, const json_t *b);
double snum_value(const json_t *v);
bool snum_is_zero(const json_t *v);

/* ---- the keyed table: key -> entry, first-seen order (stream_map.c) ---- */

struct skent {
    char *ks; /* the key's bytes: "s" + text for strings, "j" + compact JSON otherwise */
    size_t kl;
    json_t *key, *val;
    int64_t seen; /* last batch time with a value (updateStateByKey timeout) */
    int64_t acc;  /* the fused word count's running sum */
    void *aux;    /* operator data (aggregate windows) */
    bool dead;
};

struct skmap {
    struct skent *e;
    size_t n, cap;
    uint64_t *slot; /* open addressing: hash's high half | index + 1; 0 empty */
    size_t nslot;
};

void skmap_init(struct skmap *m);
void skmap_release(struct skmap *m);
/* The entry for key (borrowed), created with val NULL if new. */
struct skent *skmap_get(struct skmap *m, const json_t *key, bool create);
/* The same for a text key given as bytes (no JSON string unless new). */
struct skent *skmap_get_text(struct skmap *m, const char *p, size_t n, bool create);
/* Drops dead entries, keeping order. */
void skmap_compact(struct skmap *m);

/* ---- the fused word count's table: text -> sum (stream_words.c) ---- */

struct swent {
    size_t off, len; /* the key's bytes in the table's buffer */
    uint64_t hash;
    int64_t acc;
};

struct swords {
    struct swent *e; /* first-seen order */
    size_t n, cap;
    uint64_t *slot; /* as skmap's: hash's high half | index + 1; 0 empty */
    size_t nslot;
    char *bytes; /* every key's bytes, one after another */
    size_t blen, bcap;
};

void swords_init(struct swords *t);
void swords_release(struct swords *t);
/* The entry for the text p[0..n), created with acc 0 if new; valid until
 * the next swords_get. The key's bytes are t->bytes + e->off. */
struct swent *swords_get(struct swords *t, const char *p, size_t n);

/* ---- operators (stream_ops.c, stream_win.c) ---- */

struct sop_state {
    struct skmap map;   /* running state (updateStateByKey, inverse windows) */
    struct skmap *ring; /* per-batch reductions, window length / interval */
    struct sbatch *raw; /* per-batch pairs (aggregate windows) */
    size_t nring, head;
    uint64_t batches; /* batches seen since start */
};

/* Runs a stateless step on in, writing out (in is consumed). */
void sop_run_stateless(const struct sop_def *op, struct sbatch *in, struct sbatch *out);

/* The fused word count: steps i..i+2 are flatMap(split) -> map(pair {key:
 * "$", value: small integer}) -> reduceByKey(sum). Same output, no JSON
 * value per word. */
bool sop_fusable(const struct sop_def *s, size_t n);
void sop_run_fused(const struct sop_def *s, struct sbatch *in, struct sbatch *out);

/* Runs a windowed or stateful step for batch number k (1-based since start). */
void sop_run_stateful(const struct sop_def *op, struct sop_state *st, int64_t interval,
                      int64_t time, struct sbatch *in, struct sbatch *out);

bool sop_is_stateful(enum sop_kind k);
void sop_state_init(struct sop_state *st, const struct sop_def *op, int64_t interval);
void sop_state_release(struct sop_state *st);
json_t *sop_state_save(const struct sop_state *st);
int sop_state_load(struct sop_state *st, const json_t *saved);

/* ---- output formatting (stream_repr.c) ---- */

struct buf;
int srepr_record(struct buf *b, const struct srec *r);
/* str.isprintable() of one non-ASCII code point (stream_printable.c). */
bool sprintable(uint32_t c);
/* Python str() of a record: text as is, anything else as its repr. */
int sstr_record(struct buf *b, const struct srec *r);
int srepr_scala(struct buf *b, const struct srec *r);
/* The whole pprint block for one batch. */
int spprint_batch(struct buf *b, int64_t time, const struct sbatch *batch, size_t num, bool scala);

#endif

/* ---- the running job (stream_job.c, stream_src.c, stream_serve.c,
 * stream_ckpt.c) ---- */

#include "buf.h"
#include "loop.h"

enum ssock {
    SSOCK_WAIT,
    SSOCK_CONNECTING,
    SSOCK_OPEN
};

struct ssrc {
    const struct ssrc_def *def;
    struct stream_job *job;
    struct sbatch queue;  /* received, not yet in a batch; at most queue_cap */
    struct stext waiting; /* socketText's queue: lines cleaned (UTF-8, no CR) */
    bool raw;             /* socketText: batches carry lines as they are (sbatch.lines) */
    uint64_t offset;      /* records taken into batches since the start */
    /* socketText */
    int fd;
    enum ssock state;
    bool paused; /* EPOLLIN off: the queue is full (backpressure) */
    int64_t retry_at;
    struct loop_watch watch;
    struct buf pending; /* bytes read, not yet cut into lines */
    /* queue */
    size_t next_batch;
    /* textFiles: names already read */
    struct skmap seen;
    /* gatewayLog, eventHub: the file tailed, its inode, the byte position
     * after the last line taken into a batch */
    FILE *tf;
    uint64_t tino, tpos;
    /* checkpoint.writeAheadLog (socketText, httpIngest, queue pushes): the
     * log, or NULL; the records of the queue taken into batches, which is
     * the log's sequence number of the first record not in a batch */
    struct swal *wal;
    uint64_t wal_taken;
};

/* A source's write-ahead log (stream_wal.c). */
struct swal {
    char *dir;      /* CHECKPOINT/wal */
    int index;      /* the source's index: files are <index>-<base>.log */
    int fd;         /* the segment appended to, or -1 */
    uint64_t base;  /* that segment's first sequence number */
    uint64_t bytes; /* its size (0: none open yet) */
    uint64_t seq;   /* records logged */
    uint64_t ckpt;  /* records in the last checkpoint written */
    uint64_t *segs; /* the bases of the segments on disk, ascending */
    size_t nsegs;
};

struct shist {
    int64_t time;
    json_t *records; /* array, in the output's order */
    bool truncated;
};

struct sserve;

struct stream_job {
    struct stream_def *def;
    char *name, *hash;
    char *state_dir; /* NULL outside a gateway */
    struct loop *loop;
    FILE *out;
    int64_t now, next_batch, first_batch;
    int64_t started; /* the clock when the job was made (ms) */
    uint64_t nbatches;
    struct ssrc src[STREAM_MAX_SOURCES];
    struct sop_state st[STREAM_MAX_STEPS];
    struct sserve *serve[STREAM_MAX_OUTPUTS];
    struct shist *hist; /* ring of the last 'retain' batches (largest retain of the outputs) */
    size_t nhist, hhead, hcount;
    /* status */
    uint64_t last_input;
    int64_t last_time, last_sched_ms, last_proc_us;
    char last_error[256];
    /* checkpoint.interval: a checkpoint every ckpt_every batches; batches
     * completed since the last one written */
    uint64_t ckpt_every, since_ckpt;
    /* stop: stopping (sources closed, draining until the queues are empty
     * or stop_deadline), stopped, and the records left unprocessed */
    bool stopping, stopped;
    int64_t stop_deadline;
    uint64_t unprocessed;
};

/* Sources. */
void ssrc_init(struct ssrc *s, struct stream_job *j, const struct ssrc_def *d);
void ssrc_release(struct ssrc *s);
void ssrc_tick(struct ssrc *s, int64_t now); /* reconnects that are due */
/* A stop: a socket is closed for good, the lines already read queued. */
void ssrc_stop(struct ssrc *s);
/* Moves this batch's records into b (present) and resumes reading. */
void ssrc_take(struct ssrc *s, struct sbatch *b, int64_t interval);
size_t ssrc_queued(const struct ssrc *s); /* records received, not yet in a batch */
int64_t ssrc_deadline(const struct ssrc *s);
json_t *ssrc_status(const struct ssrc *s);

/* gatewayLog and eventHub: tailing the gateway's files (stream_tail.c). */
void stail_init(struct ssrc *s);
void stail_release(struct ssrc *s);
/* Lines appended since the last take, at most limit records. */
void stail_take(struct ssrc *s, struct sbatch *b, size_t limit);
/* After a checkpoint: the position in the file of that inode. */
void stail_resume(struct ssrc *s, uint64_t ino, uint64_t pos);
void stail_path(const struct ssrc *s, char *out, size_t len);

/* httpIngest: the records of one POST body into the source's queue, all or
 * none: bad (a framing error, 400) or full (they do not fit: 503). */
enum singest {
    SINGEST_OK,
    SINGEST_BAD,
    SINGEST_FULL
};
enum singest ssrc_ingest(struct ssrc *s, const char *body, size_t len, size_t *taken, char *err,
                         size_t errlen);

/* httpIngest: a chunked request body, decoded as it arrives (stream_chunk.c).
 * Zero-initialize (state SCHUNK_S_SIZE) before the first byte. */
enum schunk_state {
    SCHUNK_S_SIZE,
    SCHUNK_S_DATA,
    SCHUNK_S_DATA_END,
    SCHUNK_S_TRAILER
};

struct schunk {
    enum schunk_state state;
    uint64_t left; /* the size being read, then the bytes of it still due */
    size_t line;   /* bytes of the current line */
    unsigned digits;
    bool ext; /* past the size's digits */
};

enum schunk_res {
    SCHUNK_MORE, /* all of the input taken, the body goes on */
    SCHUNK_DONE, /* the body ended; *used bytes of the input were part of it */
    SCHUNK_BAD,  /* not the chunked coding (400) */
    SCHUNK_BIG   /* the body would exceed out's max (413) */
};
/* Appends the data of the next n input bytes to out (whose max is the body's
 * limit); *used: the input bytes read. */
enum schunk_res schunk_feed(struct schunk *k, const char *in, size_t n, struct buf *out,
                            size_t *used) __attribute__((warn_unused_result));

/* Serve: the HTTP listener of one serve output. */
struct sserve *sserve_new(struct stream_job *j, const struct sout_def *o, char *err, size_t errlen);
void sserve_free(struct sserve *s);
json_t *sjob_batch_json(const struct stream_job *j, const struct shist *h);

/* Checkpoints. */
int sckpt_load(struct stream_job *j, char *err, size_t errlen);
int sckpt_save(struct stream_job *j, int64_t batch_time);
int sckpt_mkdir(const char *dir); /* mkdir -p */

/* Write-ahead log (stream_wal.c). swal_wanted: whether source s of d logs.
 * swal_open: at start, after the checkpoint (taken: its "wal" count, 0
 * without one) puts the records logged after taken back in the queue and
 * opens the log for appending. swal_append: logs b's records from index
 * from, durably (write + fdatasync), -1 if it could not (logged, and in
 * last_error). swal_checkpointed: after a checkpoint with s->wal_taken was
 * written: rotates and deletes what it covers. */
bool swal_wanted(const struct stream_def *d, const struct ssrc_def *s);
int swal_open(struct ssrc *s, uint64_t taken, char *err, size_t errlen);
int swal_append(struct ssrc *s, const struct sbatch *b, size_t from);
/* The same for n waiting lines of a socket (bytes, each ending with its LF). */
int swal_append_lines(struct ssrc *s, const char *p, size_t len, size_t n);
void swal_checkpointed(struct ssrc *s);
void swal_close(struct ssrc *s);
json_t *swal_status(const struct ssrc *s);

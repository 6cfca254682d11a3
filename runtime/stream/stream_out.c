/* stream_out.c - the textFiles output, as saveAsTextFiles: one folder per
 * batch, prefix-<batchTimeMs>[.suffix], holding part-00000 (one record per
 * line, Python str(): text as is, anything else as its repr) and an empty
 * _SUCCESS. The folder is built under a temporary name, its files fsynced,
 * then renamed into place, so a reader never sees half a batch; writing the
 * same batch again replaces it with the same bytes (idempotent, which is
 * what makes Spark count these outputs as exactly-once). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "stream_int.h"

static int write_all(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int rc = fd_write_all(fd, data, len) == 0 && fsync(fd) == 0 ? 0 : -1;
    return close(fd) == 0 ? rc : -1;
}

/* Removes a batch folder written before (its two files, then itself). */
static void remove_batch_dir(const char *dir)
{
    char p[4200];
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        (void)unlink(p);
    }
    if (d)
        closedir(d);
    (void)rmdir(dir);
}

/* Creates the folders above path (the prefix may name a new folder). */
static void make_parent(const char *path)
{
    char p[4096];
    snprintf(p, sizeof(p), "%s", path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        (void)mkdir(p, 0755); /* EEXIST is fine; a real failure shows at the write */
        *s = '/';
    }
}

static int batch_text(struct buf *b, const struct sbatch *batch)
{
    int rc = 0;
    for (size_t i = 0; i < batch->n && rc == 0; i++) {
        rc = sstr_record(b, &batch->r[i]) | buf_puts(b, "\n");
    }
    return rc ? -1 : 0;
}

int sout_files(const struct sout_def *o, int64_t time, const struct sbatch *b);

int sout_files(const struct sout_def *o, int64_t time, const struct sbatch *b)
{
    char dir[4096], tmp[4200], part[4300];
    snprintf(dir, sizeof(dir), "%s-%lld%s%s", o->prefix, (long long)time, o->suffix ? "." : "",
             o->suffix ? o->suffix : "");
    snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", dir, (long)getpid());
    remove_batch_dir(tmp);
    make_parent(dir);
    struct buf text;
    buf_init(&text, (size_t)1 << 30);
    int rc = batch_text(&text, b);
    if (rc == 0 && mkdir(tmp, 0755) == 0) {
        snprintf(part, sizeof(part), "%s/part-00000", tmp);
        rc = write_all(part, text.data ? text.data : "", text.len);
        snprintf(part, sizeof(part), "%s/_SUCCESS", tmp);
        rc |= write_all(part, "", 0);
        remove_batch_dir(dir); /* a replayed batch: same bytes again */
        rc |= rename(tmp, dir);
    } else {
        rc = -1;
    }
    buf_release(&text);
    if (rc)
        remove_batch_dir(tmp);
    return rc ? -1 : 0;
}

#include "arm_hash.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Joins args with '-', as ARM does before hashing. */
static size_t joined(const struct str *args, size_t n, unsigned char *out, size_t cap)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && len < cap)
            out[len++] = '-';
        size_t take = args[i].len < cap - len ? args[i].len : cap - len;
        memcpy(out + len, args[i].ptr, take);
        len += take;
    }
    return len;
}

static size_t joined_len(const struct str *args, size_t n)
{
    size_t len = n ? n - 1 : 0;
    for (size_t i = 0; i < n; i++)
        len += args[i].len;
    return len;
}

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

static uint32_t fmix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

static uint32_t le32(const unsigned char *p, size_t n)
{
    uint32_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t mix_k1(uint32_t k)
{
    return rotl32(k * 0x239B961Bu, 15) * 0xAB0E9789u;
}

static uint32_t mix_k2(uint32_t k)
{
    return rotl32(k * 0xAB0E9789u, 17) * 0x239B961Bu;
}

/* ARM's "MurmurHash64": two 32-bit lanes with MurmurHash3 x86_128 constants,
 * the tail only XORed in, then the usual finalisation (seed 0). */
static uint64_t murmur64(const unsigned char *data, size_t len)
{
    uint32_t h1 = 0, h2 = 0;
    size_t i = 0;
    for (; i + 7 < len; i += 8) {
        h1 = (rotl32(h1 ^ mix_k1(le32(data + i, 4)), 19) + h2) * 5 + 0x561CCD1Bu;
        h2 = (rotl32(h2 ^ mix_k2(le32(data + i + 4, 4)), 13) + h1) * 5 + 0x0BCAA747u;
    }
    size_t tail = len - i;
    if (tail > 0)
        h1 ^= mix_k1(le32(data + i, tail < 4 ? tail : 4));
    if (tail > 4)
        h2 ^= mix_k2(le32(data + i + 4, tail - 4));
    h1 ^= (uint32_t)len;
    h2 ^= (uint32_t)len;
    h1 += h2;
    h2 += h1;
    h1 = fmix32(h1);
    h2 = fmix32(h2);
    h1 += h2;
    h2 += h1;
    return ((uint64_t)h2 << 32) | h1;
}

void arm_hash_unique_string(const struct str *args, size_t n, char out[14])
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    size_t len = joined_len(args, n);
    unsigned char *buf = malloc(len + 1);
    if (buf == NULL)
        xalloc_die(len + 1);
    joined(args, n, buf, len);
    uint64_t h = murmur64(buf, len);
    free(buf);
    for (int i = 0; i < 13; i++) {
        out[i] = alphabet[h >> 59];
        h <<= 5;
    }
    out[13] = '\0';
}

void arm_hash_guid(const struct str *args, size_t n, char out[37])
{
    /* Name-based UUID (RFC 4122 version 5) in ARM's namespace. */
    static const unsigned char ns[16] = { 0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd,
                                          0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30 };
    size_t len = joined_len(args, n);
    unsigned char *buf = malloc(len + 1);
    if (buf == NULL)
        xalloc_die(len + 1);
    joined(args, n, buf, len);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL)
        xalloc_die(0);
    EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
    EVP_DigestUpdate(ctx, ns, sizeof(ns));
    EVP_DigestUpdate(ctx, buf, len);
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    free(buf);
    md[6] = (unsigned char)((md[6] & 0x0F) | 0x50);
    md[8] = (unsigned char)((md[8] & 0x3F) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", md[0],
             md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10], md[11], md[12],
             md[13], md[14], md[15]);
}

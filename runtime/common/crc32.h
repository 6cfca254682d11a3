/* crc32.h - CRC-32 (IEEE 802.3, as zlib and PNG compute it), for the plan
 * file's checksum. */
#ifndef APIM_COMMON_CRC32_H
#define APIM_COMMON_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC of n bytes, continuing from crc (0 to start). */
uint32_t crc32_update(uint32_t crc, const void *data, size_t n);

#endif

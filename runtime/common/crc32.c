#include "crc32.h"

uint32_t crc32_update(uint32_t crc, const void *data, size_t n)
{
    const unsigned char *p = data;
    crc = ~crc;
    /* Bitwise: plans are written and loaded once, so a table is not worth
     * its 1 KiB and its initialisation. */
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

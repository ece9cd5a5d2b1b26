/*
 * CArgon2: Kindling's one boundary to libargon2 (Debian's libargon2-dev), which turns a
 * passphrase into the journal's key when no Secret Service holds one. Only KindlingSystemd
 * imports it; the CLI never links it.
 *
 * argon2.h is usable from Swift as it is. The one wrapper below exists because getrandom
 * sits in <sys/random.h>, which Glibc's Swift module does not promise to show.
 */
#ifndef KINDLING_CARGON2_SHIM_H
#define KINDLING_CARGON2_SHIM_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/random.h>
#include <argon2.h>

/// Fills `buffer` with `length` bytes from the kernel's random pool (getrandom(2), blocking
/// only until the pool is first initialised after boot). Returns 0 or -errno.
static inline int kindling_random_bytes(void *buffer, size_t length) {
    uint8_t *cursor = (uint8_t *)buffer;
    while (length > 0) {
        ssize_t got = getrandom(cursor, length, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        cursor += got;
        length -= (size_t)got;
    }
    return 0;
}

#endif

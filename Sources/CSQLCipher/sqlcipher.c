// Built against SQLCipher's header (Debian's libsqlcipher-dev puts it in /usr/include/sqlcipher),
// where SQLITE_HAS_CODEC declares the key functions. The library is linked in whole (see
// Package.swift), so every sqlite3_* call in the process is SQLCipher's, not the system SQLite's.
#define SQLITE_HAS_CODEC 1
#include <sqlcipher/sqlite3.h>

#include "kindling_sqlcipher.h"

int kindling_sqlcipher_key(void *db, const void *key, int length) {
    kindling_sqlcipher_use_cached_provider();
    return sqlite3_key((sqlite3 *)db, key, length);
}

int kindling_sqlcipher_rekey(void *db, const void *key, int length) {
    return sqlite3_rekey((sqlite3 *)db, key, length);
}

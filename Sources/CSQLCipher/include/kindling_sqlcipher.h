// The one SQLCipher call Kindling needs that SQLite's own header does not declare.
// KindlingStore keys each journal connection with it; nothing else calls it.
#ifndef KINDLING_SQLCIPHER_H
#define KINDLING_SQLCIPHER_H

/// Keys the connection `db` (a `sqlite3 *`) before its first read, from `length` bytes at `key`.
/// Kindling always passes SQLCipher's raw-key form, `x'<64 hex digits>'`: the key is used as it
/// is, with no passphrase derivation per connection. Returns an SQLite result code.
int kindling_sqlcipher_key(void *db, const void *key, int length);

/// Changes the key of the open, keyed connection `db` (a `sqlite3 *`), rewriting every page.
/// Returns an SQLite result code.
int kindling_sqlcipher_rekey(void *db, const void *key, int length);

#endif

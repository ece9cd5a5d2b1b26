// The SQLCipher calls Kindling needs that SQLite's own header does not declare. KindlingStore
// keys each journal connection with them; nothing else calls them.
#ifndef KINDLING_SQLCIPHER_H
#define KINDLING_SQLCIPHER_H

/// Keys the connection `db` (a `sqlite3 *`) before its first read, from `length` bytes at `key`.
/// Kindling always passes SQLCipher's raw-key form, `x'<64 hex digits>'`: the key is used as it
/// is, with no passphrase derivation per connection. Returns an SQLite result code.
int kindling_sqlcipher_key(void *db, const void *key, int length);

/// Changes the key of the open, keyed connection `db` (a `sqlite3 *`), rewriting every page.
/// Returns an SQLite result code.
int kindling_sqlcipher_rekey(void *db, const void *key, int length);

/// SQLCipher 4.6's table of a crypto provider (its src/crypto.h, which Debian does not install),
/// in its order: what SQLCipher calls to encrypt, sign and derive.
typedef struct {
    int (*activate)(void *ctx);
    int (*deactivate)(void *ctx);
    const char *(*get_provider_name)(void *ctx);
    int (*add_random)(void *ctx, void *buffer, int length);
    int (*random)(void *ctx, void *buffer, int length);
    int (*hmac)(void *ctx, int algorithm, unsigned char *key, int key_sz, unsigned char *in, int in_sz,
                unsigned char *in2, int in2_sz, unsigned char *out);
    int (*kdf)(void *ctx, int algorithm, const unsigned char *pass, int pass_sz, unsigned char *salt,
               int salt_sz, int workfactor, int key_sz, unsigned char *key);
    int (*cipher)(void *ctx, int mode, unsigned char *key, int key_sz, unsigned char *iv, unsigned char *in,
                  int in_sz, unsigned char *out);
    const char *(*get_cipher)(void *ctx);
    int (*get_key_sz)(void *ctx);
    int (*get_iv_sz)(void *ctx);
    int (*get_block_sz)(void *ctx);
    int (*get_hmac_sz)(void *ctx, int algorithm);
    int (*ctx_init)(void **ctx);
    int (*ctx_free)(void **ctx);
    int (*fips_status)(void *ctx);
    const char *(*get_provider_version)(void *ctx);
} kindling_provider_table;

/// Registers, once per process, as SQLCipher's provider for every connection keyed after it, one
/// that computes the same page cipher and MAC with OpenSSL's contexts kept per connection (see
/// provider.c), unless the linked SQLCipher is not laid out as expected. Returns 1 when that
/// provider is registered. `kindling_sqlcipher_key` calls it first; it is safe from any thread.
int kindling_sqlcipher_use_cached_provider(void);

/// For tests: `table` gets SQLCipher's own OpenSSL provider (`cached` 0) or the one above (1).
/// Returns 0 when the linked SQLCipher is not laid out as expected (and nothing is filled).
int kindling_sqlcipher_provider_for_test(int cached, kindling_provider_table *table);

/// What `PRAGMA cipher_provider` answers on a connection that uses that provider.
#define KINDLING_SQLCIPHER_PROVIDER_NAME "openssl, contexts kept per connection (Kindling)"

#endif

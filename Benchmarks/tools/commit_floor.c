/* The floor under one fired prompt's commit: SQLite alone doing what kindlingd's commit does
 * (a delivery row, its `fired` event and the planner's high-water mark, in one transaction),
 * with prepared statements, WAL, synchronous=FULL, secure_delete and Kindling's own schema.
 * Prints the median CPU time and wall time of one commit.
 *
 *   sqlite3 JOURNAL .schema | grep -v sqlite_sequence > schema.sql   (a plaintext journal)
 *   cc -O2 -o commit_floor Benchmarks/tools/commit_floor.c -lsqlite3
 *   ./commit_floor /tmp/floor.sqlite 100 200 schema.sql   (file, commits, ms between, schema)
 *
 * Encrypted, with SQLCipher as kindlingd links it; a fifth argument keys the file with a random
 * raw key, through SQLCipher's own provider (`sqlcipher`) or Kindling's (`cached`, provider.c):
 *   cc -O2 -DKEYED -I/usr/include/sqlcipher -ISources/CSQLCipher/include -o commit_floor_keyed \
 *      Benchmarks/tools/commit_floor.c Sources/CSQLCipher/provider.c \
 *      /usr/lib/x86_64-linux-gnu/libsqlcipher.a -lcrypto -lm
 *   ./commit_floor_keyed /tmp/floor.sqlite 100 100 schema.sql cached
 */
#ifdef KEYED
#define SQLITE_HAS_CODEC 1
#include "kindling_sqlcipher.h"
#endif
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static double wall(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void ok(int rc, sqlite3 *db, const char *what) { if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) { fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db)); exit(1); } }
static int cmp(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
    const char *path = argv[1]; int n = atoi(argv[2]); int pause_ms = atoi(argv[3]);
    FILE *f = fopen(argv[4], "r"); char *schema = calloc(1, 1 << 20); fread(schema, 1, (1 << 20) - 1, f); fclose(f);
#ifdef KEYED
    if (argc > 5 && strcmp(argv[5], "cached") == 0 && !kindling_sqlcipher_use_cached_provider()) { fprintf(stderr, "the cached provider is not usable\n"); return 1; }
#endif
    sqlite3 *db; ok(sqlite3_open(path, &db), db, "open");
#ifdef KEYED
    if (argc > 5) {
        unsigned char raw[32]; char key[70] = "x'"; FILE *r = fopen("/dev/urandom", "r"); fread(raw, 1, 32, r); fclose(r);
        for (int i = 0; i < 32; i++) snprintf(key + 2 + 2 * i, 3, "%02x", raw[i]);
        strcat(key, "'"); ok(sqlite3_key(db, key, (int)strlen(key)), db, "key");
    }
#endif
    ok(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA secure_delete=ON; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", 0, 0, 0), db, "pragma");
    ok(sqlite3_exec(db, schema, 0, 0, 0), db, "schema");
    sqlite3_stmt *begin, *commit, *d, *e, *s;
    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, 0); sqlite3_prepare_v2(db, "COMMIT", -1, &commit, 0);
    ok(sqlite3_prepare_v2(db, "INSERT INTO deliveries (id, slot, scheduled_at, local_date, prompt_text, prompt_key, program_name, program_day, fired_at, expires_at, status, status_at, snoozed_until) VALUES (?,?,?,?,?,?,NULL,NULL,?,?,'pending',?,NULL)", -1, &d, 0), db, "d");
    ok(sqlite3_prepare_v2(db, "INSERT INTO events (kind, at, delivery_id, entry_id, detail) VALUES ('fired', ?, ?, NULL, NULL)", -1, &e, 0), db, "e");
    ok(sqlite3_prepare_v2(db, "INSERT INTO state (key, value, updated_at) VALUES ('scheduler.through', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at", -1, &s, 0), db, "s");
    double *cpus = calloc(n, sizeof(double)), *walls = calloc(n, sizeof(double));
    long long t0 = 1796000000000LL; char slot[32];
    for (int i = 0; i < n + 1; i++) {
        if (pause_ms) usleep(pause_ms * 1000);
        double c0 = cpu(), w0 = wall(); long long at = t0 + i * 1000LL;
        sqlite3_step(begin); sqlite3_reset(begin);
        snprintf(slot, sizeof slot, "late%03d", i);
        sqlite3_bind_int64(d, 1, i + 1); sqlite3_bind_text(d, 2, slot, -1, SQLITE_STATIC); sqlite3_bind_int64(d, 3, at);
        sqlite3_bind_text(d, 4, "2026-12-07", -1, SQLITE_STATIC); sqlite3_bind_text(d, 5, "Sample prompt text, a sentence or two long.", -1, SQLITE_STATIC);
        sqlite3_bind_text(d, 6, slot, -1, SQLITE_STATIC); sqlite3_bind_int64(d, 7, at); sqlite3_bind_int64(d, 8, at + 3600000); sqlite3_bind_int64(d, 9, at);
        ok(sqlite3_step(d), db, "insert d"); sqlite3_reset(d);
        sqlite3_bind_int64(e, 1, at); sqlite3_bind_int64(e, 2, i + 1); ok(sqlite3_step(e), db, "insert e"); sqlite3_reset(e);
        char v[32]; snprintf(v, sizeof v, "%lld", at); sqlite3_bind_text(s, 1, v, -1, SQLITE_TRANSIENT); sqlite3_bind_int64(s, 2, at);
        ok(sqlite3_step(s), db, "state"); sqlite3_reset(s);
        ok(sqlite3_step(commit), db, "commit"); sqlite3_reset(commit);
        if (i > 0) { cpus[i - 1] = (cpu() - c0) * 1000; walls[i - 1] = (wall() - w0) * 1000; }
    }
    qsort(cpus, n, sizeof(double), cmp); qsort(walls, n, sizeof(double), cmp);
    printf("%s: one durable commit (delivery + event + state), n=%d, %d ms apart: CPU median %.3f ms (p10 %.3f, p90 %.3f); wall median %.3f ms\n",
           argc > 5 ? argv[5] : "plaintext", n, pause_ms, cpus[n / 2], cpus[n / 10], cpus[n * 9 / 10], walls[n / 2]);
    return 0;
}

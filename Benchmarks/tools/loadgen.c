/* Control-socket load generator: CLIENTS threads, each on its own connection, send the
 * same request line and wait for the answer line, until TOTAL requests are done between
 * them, or until SECONDS have passed (then fewer requests are reported). Prints one JSON
 * object: requests, seconds, req_per_s, latency percentiles (µs), and how many answers were
 * not "ok":true.
 *   loadgen SOCKET CLIENTS TOTAL SECONDS 'REQUEST-JSON'
 * The request is sent as is plus a newline; "id" stays fixed (the daemon echoes it). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *sock_path;
static char *request;
static size_t request_len;
static long total;
static uint64_t stop_at_ns;
static atomic_long completed;
static atomic_long issued;
static atomic_long failures;
static uint32_t *latencies; /* microseconds * 10, indexed by request number */
static pthread_barrier_t start_line;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int connect_socket(void) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strncpy(a.sun_path, sock_path, sizeof a.sun_path - 1);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("connect");
        exit(1);
    }
    return fd;
}

static void *client(void *arg) {
    (void)arg;
    int fd = connect_socket();
    size_t cap = 1 << 16, have = 0;
    char *buf = malloc(cap);
    pthread_barrier_wait(&start_line);
    for (;;) {
        uint64_t t0 = now_ns();
        if (t0 >= stop_at_ns) break;
        long k = atomic_fetch_add(&issued, 1);
        if (k >= total) break;
        size_t off = 0;
        while (off < request_len) {
            ssize_t w = write(fd, request + off, request_len - off);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) { perror("write"); exit(1); }
            off += (size_t)w;
        }
        char *nl;
        size_t scanned = 0;
        for (;;) {
            nl = memchr(buf + scanned, '\n', have - scanned);
            if (nl) break;
            scanned = have;
            if (have == cap) { cap *= 2; buf = realloc(buf, cap); }
            ssize_t r = read(fd, buf + have, cap - have);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) { fprintf(stderr, "the daemon closed the connection\n"); exit(1); }
            have += (size_t)r;
        }
        uint64_t dt = now_ns() - t0;
        size_t line_len = (size_t)(nl - buf) + 1;
        if (!memmem(buf, line_len, "\"ok\":true", 9)) atomic_fetch_add(&failures, 1);
        memmove(buf, buf + line_len, have - line_len);
        have -= line_len;
        uint64_t tenths = dt / 100;
        latencies[k] = tenths > UINT32_MAX ? UINT32_MAX : (uint32_t)tenths;
        atomic_fetch_add(&completed, 1);
    }
    close(fd);
    free(buf);
    return NULL;
}

static int cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static long done;

static double pct(double p) {
    long i = (long)(p * (double)(done - 1) + 0.5);
    return latencies[i] / 10.0;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: loadgen SOCKET CLIENTS TOTAL SECONDS REQUEST\n");
        return 2;
    }
    sock_path = argv[1];
    int clients = atoi(argv[2]);
    total = atol(argv[3]);
    double limit = atof(argv[4]);
    request_len = strlen(argv[5]) + 1;
    request = malloc(request_len + 1);
    memcpy(request, argv[5], request_len - 1);
    request[request_len - 1] = '\n';
    latencies = calloc((size_t)total, sizeof *latencies);
    pthread_t *threads = calloc((size_t)clients, sizeof *threads);
    pthread_barrier_init(&start_line, NULL, (unsigned)clients + 1);
    for (int i = 0; i < clients; i++) pthread_create(&threads[i], NULL, client, NULL);
    /* Set before the threads pass the barrier, so they all see it. */
    stop_at_ns = now_ns() + (uint64_t)(limit * 1e9);
    pthread_barrier_wait(&start_line);
    uint64_t t0 = now_ns();
    for (int i = 0; i < clients; i++) pthread_join(threads[i], NULL);
    double seconds = (double)(now_ns() - t0) / 1e9;
    /* Requests are numbered as they are issued, and a thread that takes a number always
     * completes that request: slots 0..done-1 are filled. */
    done = atomic_load(&completed);
    if (done == 0) {
        fprintf(stderr, "no request completed\n");
        return 1;
    }
    qsort(latencies, (size_t)done, sizeof *latencies, cmp);
    printf("{\"clients\":%d,\"requests\":%ld,\"seconds\":%.4f,\"req_per_s\":%.1f,\"p50_us\":%.1f,"
           "\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,\"not_ok\":%ld}\n",
           clients, done, seconds, (double)done / seconds, pct(0.50), pct(0.90), pct(0.99),
           latencies[done - 1] / 10.0, atomic_load(&failures));
    return 0;
}

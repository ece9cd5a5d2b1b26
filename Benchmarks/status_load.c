// status_load: socket throughput and latency of kindlingd's `status` request.
//
// Opens CLIENTS connections to the control socket; each sends REQUESTS requests one after
// another (`{"v":1,"id":N,"cmd":"status"}`, then waits for the whole response line before the
// next). The connections are driven by THREADS threads (default 1), each running an epoll loop
// over its share, as wrk and h2load do: with one thread per connection on a small machine,
// the client's own scheduling, not the daemon, decides the tail latency.
// Prints one line of JSON: clients, threads, requests, seconds, req_per_s, p50_ms, p99_ms, max_ms.
//
//   cc -O2 -pthread -o status_load Benchmarks/status_load.c
//   status_load SOCKET [CLIENTS=1] [REQUESTS_PER_CLIENT=2000] [COMMAND=status] [THREADS=1]
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *socket_path;
static const char *command = "status";
static long per_client = 2000;
static pthread_barrier_t barrier;

struct connection {
    int fd;
    long sent;       // requests written
    long done;       // responses read
    double started;  // when the request in flight was written
    size_t held;     // bytes of a partial response
    char buffer[1 << 16];
};

struct worker {
    pthread_t thread;
    struct connection *connections;
    int count;
    double *latencies;  // milliseconds, one per response
    long done;
    int failed;
};

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int connect_socket(void) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof address.sun_path) return -1;
    strcpy(address.sun_path, socket_path);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_request(struct connection *c) {
    char request[256];
    int length = snprintf(request, sizeof request, "{\"v\":1,\"id\":%ld,\"cmd\":\"%s\"}\n", c->sent + 1, command);
    c->started = now_ms();
    // A request this short fits the socket buffer whole; anything less is a failure.
    if (write(c->fd, request, (size_t)length) != length) return -1;
    c->sent++;
    return 0;
}

// Reads what is there; records each complete response and sends the next request.
// Returns -1 on failure, 1 when this connection has finished, 0 otherwise.
static int on_readable(struct worker *w, struct connection *c) {
    ssize_t n = read(c->fd, c->buffer + c->held, sizeof c->buffer - c->held);
    if (n < 0 && errno == EINTR) return 0;
    if (n <= 0) return -1;
    c->held += (size_t)n;
    char *newline = memchr(c->buffer, '\n', c->held);
    if (!newline) return c->held == sizeof c->buffer ? -1 : 0;
    if (c->done == 0 && strstr(c->buffer, "\"ok\":true") == NULL) {
        fprintf(stderr, "status_load: unexpected response: %.*s\n", (int)(newline - c->buffer), c->buffer);
        return -1;
    }
    // One request is in flight at a time, so nothing follows the newline.
    c->held = 0;
    w->latencies[w->done++] = now_ms() - c->started;
    c->done++;
    if (c->done == per_client) return 1;
    return send_request(c);
}

static void *run(void *arg) {
    struct worker *w = arg;
    int poll = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < w->count; i++) {
        struct connection *c = &w->connections[i];
        c->fd = connect_socket();
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
        if (c->fd < 0 || epoll_ctl(poll, EPOLL_CTL_ADD, c->fd, &event) != 0) w->failed = 1;
    }
    pthread_barrier_wait(&barrier);
    int open = w->count;
    for (int i = 0; i < w->count && !w->failed; i++) {
        if (send_request(&w->connections[i]) != 0) w->failed = 1;
    }
    while (open > 0 && !w->failed) {
        struct epoll_event events[64];
        int ready = epoll_wait(poll, events, 64, 10000);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            w->failed = 1;
            break;
        }
        for (int i = 0; i < ready; i++) {
            struct connection *c = events[i].data.ptr;
            int result = on_readable(w, c);
            if (result < 0) w->failed = 1;
            if (result == 1) {
                epoll_ctl(poll, EPOLL_CTL_DEL, c->fd, NULL);
                open--;
            }
        }
    }
    for (int i = 0; i < w->count; i++) {
        if (w->connections[i].fd >= 0) close(w->connections[i].fd);
    }
    close(poll);
    return NULL;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: status_load SOCKET [CLIENTS] [REQUESTS_PER_CLIENT] [COMMAND] [THREADS]\n");
        return 2;
    }
    socket_path = argv[1];
    int clients = argc > 2 ? atoi(argv[2]) : 1;
    if (argc > 3) per_client = atol(argv[3]);
    if (argc > 4) command = argv[4];
    int threads = argc > 5 ? atoi(argv[5]) : 1;
    if (clients < 1 || per_client < 1 || threads < 1) return 2;
    if (threads > clients) threads = clients;

    struct worker *workers = calloc((size_t)threads, sizeof *workers);
    pthread_barrier_init(&barrier, NULL, (unsigned)threads + 1);
    for (int t = 0; t < threads; t++) {
        struct worker *w = &workers[t];
        w->count = clients / threads + (t < clients % threads);
        w->connections = calloc((size_t)w->count, sizeof *w->connections);
        w->latencies = malloc(sizeof(double) * (size_t)w->count * (size_t)per_client);
        pthread_create(&w->thread, NULL, run, w);
    }
    pthread_barrier_wait(&barrier);
    double start = now_ms();
    for (int t = 0; t < threads; t++) pthread_join(workers[t].thread, NULL);
    double seconds = (now_ms() - start) / 1e3;

    long total = 0;
    int failed = 0;
    for (int t = 0; t < threads; t++) {
        total += workers[t].done;
        failed += workers[t].failed;
    }
    double *merged = malloc(sizeof(double) * (size_t)(total ? total : 1));
    long k = 0;
    for (int t = 0; t < threads; t++)
        for (long j = 0; j < workers[t].done; j++) merged[k++] = workers[t].latencies[j];
    qsort(merged, (size_t)total, sizeof(double), compare);
    double p50 = total ? merged[total / 2] : 0;
    double p99 = total ? merged[(long)((double)(total - 1) * 0.99)] : 0;
    double max = total ? merged[total - 1] : 0;
    printf("{\"clients\":%d,\"threads\":%d,\"requests\":%ld,\"failed\":%d,\"seconds\":%.3f,\"req_per_s\":%.0f,"
           "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
           clients, threads, total, failed, seconds, total / seconds, p50, p99, max);
    return failed ? 1 : 0;
}

/* The floor under a hook's lateness on this machine: a program that does nothing else sleeps
 * until each whole second (CLOCK_REALTIME, absolute), starts the hook with posix_spawn, as
 * kindlingd does, and waits for it. The hook (hookrec.c) logs when its main() began; lateness
 * is that minus the second. Prints the median and the slowest, and this program's own CPU per
 * start (the parent's share of posix_spawn and waitpid).
 *
 *   cc -O2 -o spawn_floor Benchmarks/tools/spawn_floor.c
 *   cc -O2 -o hookrec Benchmarks/tools/hookrec.c
 *   ./spawn_floor ./hookrec /tmp/floor.log 50
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: spawn_floor HOOKREC LOG N\n"); return 2; }
    int n = atoi(argv[3]);
    if (n < 1) { fprintf(stderr, "N must be at least 1\n"); return 2; }
    remove(argv[2]);
    struct timespec start, cpu0, cpu1;
    clock_gettime(CLOCK_REALTIME, &start);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
    for (int i = 0; i < n; i++) {
        struct timespec at = {start.tv_sec + 2 + i, 0};
        clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, NULL);
        char slot[32];
        snprintf(slot, sizeof slot, "%lld", (long long)at.tv_sec);
        char *args[] = {argv[1], argv[2], "floor", slot, NULL};
        pid_t pid;
        if (posix_spawn(&pid, argv[1], NULL, NULL, args, environ) != 0) { perror("posix_spawn"); return 1; }
        waitpid(pid, NULL, 0);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
    FILE *f = fopen(argv[2], "r");
    double *late = calloc(n, sizeof(double));
    int count = 0;
    char label[64], word[64];
    double when, second;
    while (count < n && fscanf(f, "%63s %lf %63s %lf", label, &when, word, &second) == 4) late[count++] = (when - second) * 1000;
    qsort(late, count, sizeof(double), cmp);
    printf("hook start after a second asleep: p50 %.2f ms, slowest %.2f ms (n=%d); CPU per start %.3f ms\n",
           late[count / 2], late[count - 1], count,
           ((cpu1.tv_sec - cpu0.tv_sec) * 1e3 + (cpu1.tv_nsec - cpu0.tv_nsec) / 1e6) / n);
    return 0;
}

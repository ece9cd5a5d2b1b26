/* The command every peer runs when a reminder comes due (Kindling's [delivery] command,
 * a systemd timer's ExecStart, remind's -k): it reads CLOCK_REALTIME first thing, then
 * appends one line to the file named by its first argument:
 *   LABEL SECONDS.NANOSECONDS SLOT [WORD...]
 * SLOT is $KINDLING_SLOT when set (Kindling's hook), else "-". One write(2) with O_APPEND,
 * so concurrent runs never interleave. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (argc < 3) {
        fprintf(stderr, "usage: hookrec FILE LABEL [WORD...]\n");
        return 2;
    }
    const char *slot = getenv("KINDLING_SLOT");
    char line[1024];
    int n = snprintf(line, sizeof line, "%s %lld.%09ld %s", argv[2], (long long)now.tv_sec, now.tv_nsec,
                     slot && *slot ? slot : "-");
    for (int i = 3; i < argc && n < (int)sizeof line - 2; i++) {
        line[n++] = ' ';
        for (const char *c = argv[i]; *c && n < (int)sizeof line - 2; c++)
            line[n++] = (*c == ' ' || *c == '\n' || *c == '\t') ? '_' : *c;
    }
    line[n++] = '\n';
    int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return 1;
    ssize_t written = write(fd, line, (size_t)n);
    close(fd);
    return written == n ? 0 : 1;
}

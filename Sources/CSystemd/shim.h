/*
 * CSystemd: Kindling's one boundary to libsystemd and the few Linux APIs that
 * Glibc's Swift overlay does not show (it is compiled without _GNU_SOURCE).
 *
 * Every function here is a `static inline` wrapper prefixed `kindling_`, for one of
 * three reasons: Swift cannot call C variadics, a struct or function is hidden behind
 * _GNU_SOURCE, or a call needs a C-side buffer that is awkward to build in Swift.
 *
 * This header must NOT define _GNU_SOURCE: system headers would then declare types such
 * as fd_set differently from the other Clang modules (Dispatch, Glibc) that include them,
 * and a clean build fails on the mismatch. What _GNU_SOURCE would show is declared below.
 */
#ifndef KINDLING_CSYSTEMD_SHIM_H
#define KINDLING_CSYSTEMD_SHIM_H

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>
/* Without this, sd_journal_sendv is a macro that adds this header's own CODE_FILE and
 * CODE_LINE; the Swift caller sends the real location itself. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-journal.h>

/* MARK: - Declarations hidden behind _GNU_SOURCE (fixed Linux ABI) */

/// Layout of Linux's `struct ucred`, the SO_PEERCRED result.
struct kindling_ucred {
    pid_t pid;
    uid_t uid;
    gid_t gid;
};

extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/* MARK: - Peer credentials (SO_PEERCRED) */

/// The uid, gid and pid of the process at the other end of a connected Unix socket.
/// Returns 0 on success, or -errno.
static inline int kindling_peer_credentials(int fd, uid_t *uid, gid_t *gid, pid_t *pid) {
    struct kindling_ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -errno;
    if (uid) *uid = cred.uid;
    if (gid) *gid = cred.gid;
    if (pid) *pid = cred.pid;
    return 0;
}

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC; returns the fd or -errno.
static inline int kindling_accept_nonblocking(int listen_fd) {
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

/// Bytes written to a connected socket that its peer has not read yet (SIOCOUTQ, which
/// for a Unix stream socket counts what waits in the peer's receive queue). 0 on error.
/// (ioctl is variadic, hence this wrapper.)
static inline int kindling_unread_bytes(int fd) {
    int count = 0;
    return ioctl(fd, TIOCOUTQ, &count) == 0 ? count : 0;
}

/* MARK: - Wall-clock jumps (timerfd) */

/// A CLOCK_REALTIME timerfd, not yet armed (see kindling_clock_jump_arm). Returns the fd or -errno.
static inline int kindling_clock_jump_fd(void) {
    int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

/// Arms a clock-jump timerfd to expire at `at` (seconds since the epoch, wall clock) with
/// TFD_TIMER_CANCEL_ON_SET: reading it then fails with ECANCELED whenever the wall clock
/// is set (a jump, or the clock stepped after resume). libdispatch never reports such
/// jumps itself. Returns 0 or -errno.
static inline int kindling_clock_jump_arm(int fd, int64_t at) {
    struct itimerspec spec;
    memset(&spec, 0, sizeof(spec));
    spec.it_value.tv_sec = (time_t)at;
    return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL) == 0 ? 0 : -errno;
}

/// Disarms a clock-jump timerfd and takes it off the kernel's list of timers cancelled on
/// a set: until armed again, neither an expiry nor a set of the clock wakes it.
static inline int kindling_clock_jump_disarm(int fd) {
    struct itimerspec spec;
    memset(&spec, 0, sizeof(spec));
    return timerfd_settime(fd, 0, &spec, NULL) == 0 ? 0 : -errno;
}

/// The wall clock (CLOCK_REALTIME) in whole seconds since the epoch.
static inline int64_t kindling_realtime_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec;
}

/// How far the wall clock stands from the time since boot (CLOCK_REALTIME minus
/// CLOCK_BOOTTIME), in nanoseconds. Both run on through suspend, so this moves only when
/// the wall clock is set: it tells a real jump from a set that changed next to nothing.
static inline int64_t kindling_wall_clock_offset_ns(void) {
    struct timespec wall, boot;
    clock_gettime(CLOCK_REALTIME, &wall);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    return ((int64_t)wall.tv_sec - (int64_t)boot.tv_sec) * 1000000000LL + ((int64_t)wall.tv_nsec - (int64_t)boot.tv_nsec);
}

/* MARK: - Process */

/// Makes the calling process non-dumpable (PR_SET_DUMPABLE 0): no core file, and no
/// ptrace or /proc/PID/mem access by other processes of the same user, so the journal text
/// the daemon holds in memory cannot end up on disk or in another program. (prctl is
/// variadic, hence this wrapper.) Returns 0 or -errno.
static inline int kindling_disable_core_dumps(void) {
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : -errno;
}

/// PR_GET_DUMPABLE of the calling process: 0 when it is not dumpable.
static inline int kindling_is_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
}

/// Gives the kernel back the free memory malloc holds at the top of its heaps and in
/// whole free pages inside them (malloc_trim(0)). Returns 1 when some was released.
static inline int kindling_release_free_memory(void) {
    return malloc_trim(0);
}

/* MARK: - Kernel key retention (keyrings(7)) */

/* From <linux/keyctl.h>, fixed Linux ABI; spelled out here so that no kernel header meets
 * glibc's in this module. */
#define KINDLING_KEY_SPEC_USER_KEYRING (-4)
#define KINDLING_KEYCTL_SETPERM 5
#define KINDLING_KEYCTL_SEARCH 10
#define KINDLING_KEYCTL_READ 11
#define KINDLING_KEYCTL_SET_TIMEOUT 15
#define KINDLING_KEYCTL_INVALIDATE 21

/* add_key(2) and keyctl(2) have no glibc wrappers (libkeyutils has them, but is one more
 * library for five calls) and `syscall` is variadic, hence these. Each returns what the
 * call returns, or -errno. */

/// add_key("user", description, payload) into the user keyring (@u). A key of the same
/// description already there is updated in place.
static inline long kindling_key_add_user(const char *description, const void *payload, size_t length) {
    long key = syscall(SYS_add_key, "user", description, payload, length, KINDLING_KEY_SPEC_USER_KEYRING);
    return key < 0 ? -errno : key;
}

/// KEYCTL_SETPERM: the key's possessor/user/group/other permission mask.
static inline long kindling_key_set_permissions(int32_t key, uint32_t permissions) {
    return syscall(SYS_keyctl, KINDLING_KEYCTL_SETPERM, key, permissions) < 0 ? -errno : 0;
}

/// KEYCTL_SET_TIMEOUT: the key expires `seconds` from now (0: never).
static inline long kindling_key_set_timeout(int32_t key, unsigned int seconds) {
    return syscall(SYS_keyctl, KINDLING_KEYCTL_SET_TIMEOUT, key, seconds) < 0 ? -errno : 0;
}

/// KEYCTL_SEARCH for a "user" key in the user keyring (and the keyrings it links), without
/// linking the result anywhere. Returns the key's serial.
static inline long kindling_key_search_user(const char *description) {
    long key = syscall(SYS_keyctl, KINDLING_KEYCTL_SEARCH, KINDLING_KEY_SPEC_USER_KEYRING, "user", description, 0);
    return key < 0 ? -errno : key;
}

/// KEYCTL_READ: copies at most `length` bytes of the payload into `buffer` and returns the
/// payload's whole length, which may be more than `length`.
static inline long kindling_key_read(int32_t key, void *buffer, size_t length) {
    long size = syscall(SYS_keyctl, KINDLING_KEYCTL_READ, key, buffer, length);
    return size < 0 ? -errno : size;
}

/// KEYCTL_INVALIDATE: the key is unlinked from every keyring and destroyed at once.
static inline long kindling_key_invalidate(int32_t key) {
    return syscall(SYS_keyctl, KINDLING_KEYCTL_INVALIDATE, key) < 0 ? -errno : 0;
}

/* MARK: - Child processes (hooks, the Answer command) */

/// POSIX_SPAWN_SETSID (glibc 2.26+): the child starts a session of its own, so a hook
/// outlives neither the daemon's terminal nor its process group signals.
#define KINDLING_POSIX_SPAWN_SETSID 0x80

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every fd
/// from `from` up, so no descriptor of the daemon's (journal, sockets) reaches a hook
/// even if one lacked FD_CLOEXEC.
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

/// pidfd_open(2) (Linux 5.3+): an fd that becomes readable when `pid` exits, so a
/// Dispatch read source can wait for a child (libdispatch has no process source on
/// Linux). Returns the fd or -errno. `syscall` is variadic, hence this wrapper.
static inline int kindling_pidfd_open(pid_t pid) {
    long fd = syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -errno : (int)fd;
}

/* MARK: - Journal */

/// sd_journal_sendv with an array of "FIELD=value" strings (sd_journal_send is variadic).
/// Returns 0 or a negative errno-style code.
static inline int kindling_journal_send(const char *const *fields, int count) {
    struct iovec iov[64];
    if (count < 0 || count > 64) return -EINVAL;
    for (int i = 0; i < count; i++) {
        iov[i].iov_base = (void *)fields[i];
        iov[i].iov_len = strlen(fields[i]);
    }
    return sd_journal_sendv(iov, count);
}

#endif /* KINDLING_CSYSTEMD_SHIM_H */

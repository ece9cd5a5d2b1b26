#ifndef KINDLING_SECCOMP_FIXTURE_H
#define KINDLING_SECCOMP_FIXTURE_H

/// Makes the kernel refuse add_key(2) and keyctl(2) with `error` on the calling thread only,
/// from now until the thread ends: what a container's seccomp profile (Docker's default
/// answers EPERM) or a kernel built without keys (ENOSYS) does to the whole process. The
/// filter cannot be lifted, so call this only on a thread made for the purpose.
/// Returns 0 or -errno.
int kindling_test_refuse_keyring_calls(int error);

#endif

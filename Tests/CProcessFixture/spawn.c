// Compiled with _GNU_SOURCE so that glibc declares the closefrom spawn action; Swift sees only
// the prefixed wrapper in the header.
#define _GNU_SOURCE
#include <spawn.h>

#include "CProcessFixture.h"

int kindling_test_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

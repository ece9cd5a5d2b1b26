#ifndef KINDLING_PROCESS_FIXTURE_H
#define KINDLING_PROCESS_FIXTURE_H

#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+), which glibc declares only under
/// _GNU_SOURCE: the child closes every descriptor from `from` up before it runs the program.
int kindling_test_spawn_closefrom(posix_spawn_file_actions_t *actions, int from);

#endif

/*
 * CPipeWire: Kindling's one boundary to libpipewire (Debian's libpipewire-0.3-dev), to know
 * when a call is on: an application recording the microphone or taking video (a camera, or a
 * screen being shared on Wayland). Only the daemon links it; the CLI never does.
 *
 * It reads the graph PipeWire already publishes and changes nothing in it. The client API is
 * mostly macros over SPA interfaces and callbacks through structs of function pointers, which
 * Swift cannot use directly: pipewire.c wraps them once, on a loop the daemon drives itself
 * (its fd in a Dispatch read source, `kindling_pw_dispatch` when readable), so every callback
 * runs on the daemon's queue and nothing polls. This header names no PipeWire type, so Swift
 * needs none of its headers.
 */
#ifndef KINDLING_PIPEWIRE_H
#define KINDLING_PIPEWIRE_H

#include <stdint.h>

/// What the graph tells the daemon. Strings are valid only during the call.
struct kindling_pw_events {
    /// A node appeared: its id, `media.class` ("" when none) and its application ("" when
    /// its properties name none).
    void (*node)(void *context, uint32_t id, const char *media_class, const char *application);
    /// A capturing stream's state (a `pw_node_state`: 3 is running), and its application when
    /// the node's properties name it. Only Stream/Input/Audio and Stream/Input/Video nodes are
    /// followed.
    void (*state)(void *context, uint32_t id, int state, const char *application);
    /// A link from node `output` to node `input` appeared.
    void (*link)(void *context, uint32_t id, uint32_t output, uint32_t input);
    /// A node or link went away.
    void (*removed)(void *context, uint32_t id);
    /// The connection to PipeWire is lost (it stopped or restarted): -errno.
    void (*lost)(void *context, int error);
};

/// A connection to PipeWire and the loop it runs on.
struct kindling_pw;

/// Connects to the PipeWire whose socket is `socket_path` and starts listening. Returns NULL
/// with *error set (-errno) when PipeWire is not there. The callbacks run only inside
/// `kindling_pw_dispatch`.
struct kindling_pw *kindling_pw_connect(const char *socket_path, struct kindling_pw_events events, void *context,
                                        int *error);

/// The fd to watch for readability.
int kindling_pw_fd(struct kindling_pw *pw);

/// Runs what is ready, without waiting; the callbacks are called from here.
int kindling_pw_dispatch(struct kindling_pw *pw);

/// Disconnects and frees everything. Not from inside a callback.
void kindling_pw_disconnect(struct kindling_pw *pw);

#endif

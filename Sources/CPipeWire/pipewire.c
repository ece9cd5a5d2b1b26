// The PipeWire client behind include/kindling_pipewire.h (what each function does is said
// there). Built with PipeWire's include paths; nothing else in Kindling sees its headers.
#include "kindling_pipewire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pipewire/pipewire.h>

struct kindling_pw {
    struct pw_loop *loop;
    struct pw_context *context;
    struct pw_core *core;
    struct pw_registry *registry;
    struct spa_hook core_listener;
    struct spa_hook registry_listener;
    struct kindling_pw_events events;
    void *user;
};

/// One followed stream: the proxy's user data.
struct kindling_pw_stream {
    struct kindling_pw *pw;
    struct pw_proxy *proxy;
    uint32_t id;
    struct spa_hook object_listener;
    struct spa_hook proxy_listener;
};

/// The application a node's properties name: its binary first (what an ignore list matches),
/// then its name, then the node's own name; "" when none.
static const char *kindling_pw_application(const struct spa_dict *props) {
    if (props == NULL) return "";
    const char *keys[] = {PW_KEY_APP_PROCESS_BINARY, PW_KEY_APP_NAME, PW_KEY_NODE_NAME};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *value = spa_dict_lookup(props, keys[i]);
        if (value != NULL && value[0] != '\0') return value;
    }
    return "";
}

static void kindling_pw_stream_info(void *data, const struct pw_node_info *info) {
    struct kindling_pw_stream *stream = (struct kindling_pw_stream *)data;
    if (!(info->change_mask & (PW_NODE_CHANGE_MASK_STATE | PW_NODE_CHANGE_MASK_PROPS))) return;
    stream->pw->events.state(stream->pw->user, stream->id, (int)info->state, kindling_pw_application(info->props));
}

static const struct pw_node_events kindling_pw_stream_events = {
    PW_VERSION_NODE_EVENTS,
    .info = kindling_pw_stream_info,
};

/// The node is gone from the graph: the proxy goes too.
static void kindling_pw_stream_removed(void *data) {
    pw_proxy_destroy(((struct kindling_pw_stream *)data)->proxy);
}

static void kindling_pw_stream_destroyed(void *data) {
    struct kindling_pw_stream *stream = (struct kindling_pw_stream *)data;
    spa_hook_remove(&stream->object_listener);
    spa_hook_remove(&stream->proxy_listener);
}

static const struct pw_proxy_events kindling_pw_stream_proxy_events = {
    PW_VERSION_PROXY_EVENTS,
    .removed = kindling_pw_stream_removed,
    .destroy = kindling_pw_stream_destroyed,
};

static uint32_t kindling_pw_id(const struct spa_dict *props, const char *key) {
    const char *value = props ? spa_dict_lookup(props, key) : NULL;
    if (value == NULL) return SPA_ID_INVALID;
    char *end = NULL;
    unsigned long id = strtoul(value, &end, 10);
    return (end != value && *end == '\0' && id < SPA_ID_INVALID) ? (uint32_t)id : SPA_ID_INVALID;
}

static void kindling_pw_global(void *data, uint32_t id, uint32_t permissions, const char *type,
                                      uint32_t version, const struct spa_dict *props) {
    (void)permissions;
    (void)version;
    struct kindling_pw *pw = (struct kindling_pw *)data;
    if (strcmp(type, PW_TYPE_INTERFACE_Link) == 0) {
        uint32_t output = kindling_pw_id(props, PW_KEY_LINK_OUTPUT_NODE);
        uint32_t input = kindling_pw_id(props, PW_KEY_LINK_INPUT_NODE);
        if (output != SPA_ID_INVALID && input != SPA_ID_INVALID) pw->events.link(pw->user, id, output, input);
        return;
    }
    if (strcmp(type, PW_TYPE_INTERFACE_Node) != 0) return;
    const char *media_class = props ? spa_dict_lookup(props, PW_KEY_MEDIA_CLASS) : NULL;
    if (media_class == NULL) media_class = "";
    pw->events.node(pw->user, id, media_class, kindling_pw_application(props));
    // Only a capturing stream's state matters; other nodes are known by their class alone.
    if (strcmp(media_class, "Stream/Input/Audio") != 0 && strcmp(media_class, "Stream/Input/Video") != 0) return;
    struct pw_proxy *proxy = (struct pw_proxy *)pw_registry_bind(pw->registry, id, type, PW_VERSION_NODE,
                                                                 sizeof(struct kindling_pw_stream));
    if (proxy == NULL) return;
    struct kindling_pw_stream *stream = (struct kindling_pw_stream *)pw_proxy_get_user_data(proxy);
    stream->pw = pw;
    stream->proxy = proxy;
    stream->id = id;
    pw_proxy_add_object_listener(proxy, &stream->object_listener, &kindling_pw_stream_events, stream);
    pw_proxy_add_listener(proxy, &stream->proxy_listener, &kindling_pw_stream_proxy_events, stream);
}

static void kindling_pw_global_removed(void *data, uint32_t id) {
    struct kindling_pw *pw = (struct kindling_pw *)data;
    pw->events.removed(pw->user, id);
}

static const struct pw_registry_events kindling_pw_registry_events = {
    PW_VERSION_REGISTRY_EVENTS,
    .global = kindling_pw_global,
    .global_remove = kindling_pw_global_removed,
};

static void kindling_pw_core_error(void *data, uint32_t id, int seq, int res, const char *message) {
    (void)seq;
    (void)message;
    struct kindling_pw *pw = (struct kindling_pw *)data;
    if (id == PW_ID_CORE && res == -EPIPE) pw->events.lost(pw->user, res);
}

static const struct pw_core_events kindling_pw_core_events = {
    PW_VERSION_CORE_EVENTS,
    .error = kindling_pw_core_error,
};

struct kindling_pw *kindling_pw_connect(const char *socket_path, struct kindling_pw_events events, void *user,
                                        int *error) {
    pw_init(NULL, NULL);
    struct kindling_pw *pw = (struct kindling_pw *)calloc(1, sizeof *pw);
    if (pw == NULL) {
        *error = -ENOMEM;
        return NULL;
    }
    pw->events = events;
    pw->user = user;
    pw->loop = pw_loop_new(NULL);
    if (pw->loop == NULL) {
        *error = -errno;
        free(pw);
        return NULL;
    }
    pw_loop_enter(pw->loop);
    pw->context = pw_context_new(pw->loop, NULL, 0);
    if (pw->context != NULL) {
        // An absolute remote name is the socket itself, whatever XDG_RUNTIME_DIR says.
        struct pw_properties *props =
            pw_properties_new(PW_KEY_REMOTE_NAME, socket_path, PW_KEY_APP_NAME, "kindlingd", NULL);
        pw->core = pw_context_connect(pw->context, props, 0);
    }
    if (pw->core == NULL) {
        *error = errno ? -errno : -EIO;
        if (pw->context) pw_context_destroy(pw->context);
        pw_loop_leave(pw->loop);
        pw_loop_destroy(pw->loop);
        free(pw);
        return NULL;
    }
    pw_core_add_listener(pw->core, &pw->core_listener, &kindling_pw_core_events, pw);
    pw->registry = pw_core_get_registry(pw->core, PW_VERSION_REGISTRY, 0);
    pw_registry_add_listener(pw->registry, &pw->registry_listener, &kindling_pw_registry_events, pw);
    pw_loop_leave(pw->loop);
    *error = 0;
    return pw;
}

int kindling_pw_fd(struct kindling_pw *pw) {
    return pw_loop_get_fd(pw->loop);
}

int kindling_pw_dispatch(struct kindling_pw *pw) {
    pw_loop_enter(pw->loop);
    int result = pw_loop_iterate(pw->loop, 0);
    pw_loop_leave(pw->loop);
    return result;
}

void kindling_pw_disconnect(struct kindling_pw *pw) {
    pw_loop_enter(pw->loop);
    spa_hook_remove(&pw->registry_listener);
    spa_hook_remove(&pw->core_listener);
    pw_proxy_destroy((struct pw_proxy *)pw->registry);
    pw_core_disconnect(pw->core);
    pw_context_destroy(pw->context);
    pw_loop_leave(pw->loop);
    pw_loop_destroy(pw->loop);
    free(pw);
}


/*
 * siem_plugin.h - the mini-siem plugin ABI.
 *
 * A plugin is a shared object that exports exactly one symbol,
 * SIEM_PLUGIN_ENTRY_SYMBOL, of type siem_plugin_entry_fn. The host passes its
 * ABI version; the plugin returns a pointer to a static descriptor (or NULL if
 * it cannot work with that host). The host accepts the plugin only when the
 * majors are equal and the plugin's minor is not newer than the host's.
 *
 * Rules (see docs/plugin-abi.md):
 *  - Only C types cross this boundary. Every struct begins with its size and
 *    only ever grows at its end; readers check struct_size before touching a
 *    field added by a later minor.
 *  - Everything passed into a call is borrowed for the duration of that call;
 *    the callee copies what it keeps. Strings are NUL-terminated UTF-8.
 *  - Errors are a siem_rc plus a bounded message (SIEM_ERROR_MAX bytes).
 *  - Each function pointer says whether it is required, who owns memory, and
 *    which thread may call it.
 *  - The host loads plugins with RTLD_NOW|RTLD_LOCAL and never unloads them.
 */
#ifndef SIEM_PLUGIN_H
#define SIEM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIEM_ABI_MAJOR 1
#define SIEM_ABI_MINOR 0
#define SIEM_PLUGIN_ENTRY_SYMBOL "siem_plugin_entry"
/** Size of every error buffer, including the terminating NUL. */
#define SIEM_ERROR_MAX 256

/** Result of every fallible call. */
typedef enum siem_rc {
    SIEM_OK = 0,
    SIEM_ERR_INVALID = 1,     /* bad argument or config */
    SIEM_ERR_FAILED = 2,      /* runtime failure; see last_error */
    SIEM_ERR_UNSUPPORTED = 3, /* the callee does not implement this */
    SIEM_ERR_FULL = 4,        /* a bounded queue is full; nothing was taken */
    SIEM_ERR_NOT_FOUND = 5    /* the key, address or topic does not exist */
} siem_rc;

/** What a plugin does; a descriptor's `kinds` is a bitwise OR of these. */
typedef enum siem_plugin_kind {
    SIEM_KIND_SOURCE = 1u << 0,   /* emits events (host->emit_event) */
    SIEM_KIND_ENRICHER = 1u << 1, /* adds attributes to events (enrich) */
    SIEM_KIND_DETECTOR = 1u << 2, /* sees stored events, requests decisions */
    SIEM_KIND_ACTION = 1u << 3,   /* carries out decisions (on_decision) */
    SIEM_KIND_UI = 1u << 4        /* shows events and decisions to people */
} siem_plugin_kind;

typedef enum siem_log_level {
    SIEM_LOG_TRACE = 0,
    SIEM_LOG_DEBUG = 1,
    SIEM_LOG_INFO = 2,
    SIEM_LOG_NOTICE = 3,
    SIEM_LOG_WARNING = 4,
    SIEM_LOG_ERROR = 5,
    SIEM_LOG_CRITICAL = 6
} siem_log_level;

/** Kinds of security event. Values are stable; new kinds are appended. */
typedef enum siem_event_kind {
    SIEM_EVENT_OTHER = 0,
    SIEM_EVENT_AUTH_FAILURE = 1,
    SIEM_EVENT_INVALID_USER = 2,
    SIEM_EVENT_USER_NOT_ALLOWED = 3,
    SIEM_EVENT_ROOT_REFUSED = 4,
    SIEM_EVENT_MAX_AUTH_EXCEEDED = 5,
    SIEM_EVENT_PREAUTH_DISCONNECT = 6,
    SIEM_EVENT_PROTOCOL_ERROR = 7,
    SIEM_EVENT_AUTH_SUCCESS = 8,
    SIEM_EVENT_POSSIBLE_COMPROMISE = 9 /* raised by the host's detector */
} siem_event_kind;

typedef enum siem_severity {
    SIEM_SEVERITY_INFO = 0,
    SIEM_SEVERITY_LOW = 1,
    SIEM_SEVERITY_MEDIUM = 2,
    SIEM_SEVERITY_HIGH = 3,
    SIEM_SEVERITY_CRITICAL = 4
} siem_severity;

/** Bits of siem_event.flags. */
typedef enum siem_event_flag {
    /** The line repeats a failure another line of the same attempt already
     *  reports (PAM's echo of sshd's "Failed password"): stored and shown,
     *  not counted again towards a block. */
    SIEM_EVENT_FLAG_REPEAT = 1u << 0
} siem_event_flag;

/** One security event. All pointers may be NULL unless stated. */
typedef struct siem_event {
    uint32_t struct_size;        /* sizeof(siem_event) of the writer */
    uint32_t kind;               /* siem_event_kind */
    int64_t time_ns;             /* event time, ns since the Unix epoch, UTC */
    int64_t id;                  /* store row id; 0 until the host stored it */
    const char *address;         /* source address, canonical text form */
    uint32_t family;             /* 4, 6, or 0 when address is NULL */
    uint32_t port;               /* source port, 0 if unknown */
    const char *user;            /* user name as logged (sshd's escapes kept) */
    const char *service;         /* process name: sshd, sshd-session, ... */
    const char *host;            /* host name from the log line */
    int64_t pid;                 /* process id from the log line, 0 if none */
    uint32_t severity;           /* siem_severity */
    uint32_t flags;              /* bitwise OR of siem_event_flag */
    const char *raw;             /* the raw log line, without newline */
    const char *source;          /* where it was read: a file path, "journal" */
    const char *attributes_json; /* extra attributes: a JSON object, or NULL */
    /* ABI 1.0 ends here */
} siem_event;

typedef enum siem_action {
    SIEM_ACTION_BLOCK = 1,   /* block address for duration_s seconds */
    SIEM_ACTION_UNBLOCK = 2, /* lift a block by request */
    SIEM_ACTION_EXPIRE = 3   /* a block reached its end */
} siem_action;

/** A decision about one address. */
typedef struct siem_decision {
    uint32_t struct_size;   /* sizeof(siem_decision) of the writer */
    uint32_t action;        /* siem_action */
    int64_t id;             /* action id in the store; 0 in requests */
    const char *address;    /* canonical text form; required */
    uint32_t family;        /* 4 or 6; 0 in requests (the host fills it) */
    uint32_t count;         /* nth block of this address; 0 in requests */
    int64_t duration_s;     /* block: seconds (0 = host default) */
    int64_t until_ns;       /* block: absolute end; 0 in requests */
    const char *reason;     /* human-readable; may be NULL in requests */
    const char *origin;     /* who decided: "threshold", "cli", "plugin:NAME" */
    /* ABI 1.0 ends here */
} siem_decision;

/** Receives one published message. Called on the publisher's thread; both
 *  strings are borrowed for the call only. */
typedef void (*siem_message_fn)(void *user, const char *topic, const char *json);

/**
 * The host's functions, handed to create(). The table and `ctx` stay valid
 * until destroy() returns. Every function is thread-safe and may be called
 * from any thread the plugin owns, unless noted.
 */
typedef struct siem_host_api {
    uint32_t struct_size; /* sizeof(siem_host_api) of the host */
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t reserved0;
    void *ctx; /* pass back as the first argument of every call below */

    /** Required. Logs `message` (borrowed) under the plugin's name. */
    void (*log)(void *ctx, uint32_t level, const char *message);

    /** Required. Sources: hands an event to the pipeline. The event and its
     *  strings are borrowed for the call; the host copies them. May block
     *  briefly when the pipeline is full (back-pressure; nothing is lost).
     *  Returns SIEM_ERR_INVALID for a malformed event. */
    siem_rc (*emit_event)(void *ctx, const siem_event *event);

    /** Required. Asks the host to block or unblock an address. The host
     *  applies the whitelist, records the action and routes it to action
     *  plugins. Borrowed for the call. Any thread, never from on_decision. */
    siem_rc (*request_decision)(void *ctx, const siem_decision *decision);

    /** Required. Reads from the store. `what` is one of "events", "actions",
     *  "bans", "stats"; `params_json` (may be NULL) e.g. {"limit":50}.
     *  On SIEM_OK *out_json is a NUL-terminated JSON document allocated by
     *  the host; release it with free_string. */
    siem_rc (*query)(void *ctx, const char *what, const char *params_json, char **out_json);

    /** Required. Releases a string the host allocated for this plugin. */
    void (*free_string)(void *ctx, char *s);

    /** Required. Returns a top-level config value (e.g. "auth_logs") as JSON,
     *  or NULL when absent. The string lives as long as the host table. */
    const char *(*config_get)(void *ctx, const char *key);

    /** Required. Plugin-private durable state (e.g. file offsets, journal
     *  cursor), stored in the host's database under the plugin's name.
     *  state_get: *out_value is host-allocated (free_string), NOT_FOUND when
     *  unset. state_set: value borrowed; NULL deletes; stored after the events this
     *  plugin emitted before it (a saved position never runs ahead of them);
     *  a later state_get sees it. */
    siem_rc (*state_get)(void *ctx, const char *key, char **out_value);
    siem_rc (*state_set)(void *ctx, const char *key, const char *value);

    /** Required. UI plugins: publish a JSON message on a topic, and subscribe
     *  to topics ("events", "decisions", "stats" are published by the host).
     *  `fn` is called on the host's delivery thread for that subscriber. */
    siem_rc (*publish)(void *ctx, const char *topic, const char *json);
    siem_rc (*subscribe)(void *ctx, const char *topic, siem_message_fn fn, void *user);
    /* ABI 1.0 ends here */
} siem_host_api;

/**
 * What a plugin is. Returned by the entry function; must stay valid (static)
 * for the life of the process.
 */
typedef struct siem_plugin_descriptor {
    uint32_t struct_size; /* sizeof(siem_plugin_descriptor) of the plugin */
    uint32_t abi_major;   /* SIEM_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor;   /* SIEM_ABI_MINOR the plugin was built with */
    uint32_t kinds;       /* bitwise OR of siem_plugin_kind */
    const char *name;     /* required; [a-z0-9_]+, unique among plugins */
    const char *version;  /* required; the plugin's own version */
    const char *description;   /* required; one line */
    const char *config_schema; /* optional; JSON Schema of its config section */

    /** Required. Main thread, once. `config_json` is the plugin's section as
     *  a JSON object (borrowed). On failure returns NULL and writes a message
     *  of at most SIEM_ERROR_MAX bytes (NUL included) into `err`. The host
     *  table is valid until destroy() returns. */
    void *(*create)(const siem_host_api *host, const char *config_json, char *err, size_t err_len);

    /** Required. Main thread, once, after every plugin was created. Sources
     *  start their own threads here and return. */
    siem_rc (*start)(void *instance);

    /** Required. Main thread, once, at shutdown (reverse order of start).
     *  After it returns the plugin must not call emit_event. */
    siem_rc (*stop)(void *instance);

    /** Required. Main thread, once, last. Frees the instance. */
    void (*destroy)(void *instance);

    /** Optional (NULL). Detector plugins: called on the pipeline thread for
     *  every stored event, so it must be fast. Action/UI plugins: called on
     *  the plugin's own queue thread. The event is borrowed for the call. */
    siem_rc (*on_event)(void *instance, const siem_event *event);

    /** Optional (NULL). Action/UI plugins: called on the plugin's own queue
     *  thread for every block, unblock and expiry. Borrowed for the call. */
    siem_rc (*on_decision)(void *instance, const siem_decision *decision);

    /** Optional (NULL). Enrichers: called on the pipeline thread before the
     *  event is stored. Writes a JSON object of attributes to add into `out`
     *  (at most out_len bytes, NUL included). SIEM_ERR_NOT_FOUND: none. */
    siem_rc (*enrich)(void *instance, const siem_event *event, char *out, size_t out_len);

    /** Optional (NULL). Any thread. The last error as a NUL-terminated string
     *  owned by the plugin, valid until its next call. */
    const char *(*last_error)(void *instance);
    /* ABI 1.0 ends here */
} siem_plugin_descriptor;

/** The type of SIEM_PLUGIN_ENTRY_SYMBOL. Any thread, may be called more than
 *  once; returns the same static descriptor, or NULL to decline the host. */
typedef const siem_plugin_descriptor *(*siem_plugin_entry_fn)(uint32_t host_abi_major,
                                                              uint32_t host_abi_minor);

/* Layout pins: an ABI 1.x reader depends on these offsets. */
#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(sizeof(siem_event) == 104, "siem_event layout changed");
_Static_assert(offsetof(siem_event, time_ns) == 8, "siem_event.time_ns moved");
_Static_assert(offsetof(siem_event, attributes_json) == 96, "siem_event tail moved");
_Static_assert(sizeof(siem_decision) == 64, "siem_decision layout changed");
_Static_assert(offsetof(siem_decision, origin) == 56, "siem_decision tail moved");
_Static_assert(sizeof(siem_host_api) == 104, "siem_host_api layout changed");
_Static_assert(offsetof(siem_host_api, subscribe) == 96, "siem_host_api tail moved");
_Static_assert(sizeof(siem_plugin_descriptor) == 112, "siem_plugin_descriptor layout changed");
_Static_assert(offsetof(siem_plugin_descriptor, last_error) == 104, "descriptor tail moved");
#endif

#ifdef __cplusplus
}
#endif
#endif /* SIEM_PLUGIN_H */

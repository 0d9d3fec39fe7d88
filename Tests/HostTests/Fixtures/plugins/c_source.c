/*
 * c_source - a source plugin in plain C. Proves that a C plugin can start its
 * own thread in start() and feed the pipeline through host->emit_event with a
 * fully filled siem_event, and that stop() can join that thread.
 *
 * Config: {"count":6,"kind":1,"address":"198.51.100.7","user":"alice"}
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "siem_plugin.h"
#include "fixture_json.h"

typedef struct {
    const siem_host_api *host;
    long count;
    long kind;
    char address[80];
    char user[80];
    pthread_t thread;
    int started;
} c_source;

static void *emit_all(void *arg) {
    c_source *s = arg;
    for (long i = 0; i < s->count; i++) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        char raw[256];
        snprintf(raw, sizeof raw, "c_source event %ld: user %s from %s", i, s->user, s->address);
        siem_event e;
        memset(&e, 0, sizeof e);
        e.struct_size = sizeof e;
        e.kind = (uint32_t)s->kind;
        e.time_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
        e.address = s->address;
        e.family = strchr(s->address, ':') ? 6 : 4;
        e.port = (uint32_t)(40000 + i);
        e.user = s->user;
        e.service = "sshd-session";
        e.host = "c-fixture-host";
        e.pid = 4242;
        e.severity = SIEM_SEVERITY_LOW;
        e.raw = raw;
        e.source = "c_source";
        e.attributes_json = "{\"fixture\":\"c_source\"}";
        if (s->host->emit_event(s->host->ctx, &e) != SIEM_OK) {
            s->host->log(s->host->ctx, SIEM_LOG_ERROR, "emit_event refused an event");
        }
    }
    return NULL;
}

static void *create(const siem_host_api *host, const char *config_json, char *err, size_t err_len) {
    c_source *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    s->host = host;
    s->kind = SIEM_EVENT_AUTH_FAILURE;
    fixture_json_int(config_json, "count", &s->count);
    fixture_json_int(config_json, "kind", &s->kind);
    if (!fixture_json_string(config_json, "address", s->address, sizeof s->address))
        strcpy(s->address, "198.51.100.7");
    if (!fixture_json_string(config_json, "user", s->user, sizeof s->user)) strcpy(s->user, "alice");
    return s;
}

static siem_rc start(void *instance) {
    c_source *s = instance;
    if (pthread_create(&s->thread, NULL, emit_all, s) != 0) return SIEM_ERR_FAILED;
    s->started = 1;
    return SIEM_OK;
}

static siem_rc stop(void *instance) {
    c_source *s = instance;
    if (s->started) pthread_join(s->thread, NULL);
    s->started = 0;
    return SIEM_OK;
}

static void destroy(void *instance) { free(instance); }

static const siem_plugin_descriptor descriptor = {
    .struct_size = sizeof(siem_plugin_descriptor),
    .abi_major = SIEM_ABI_MAJOR,
    .abi_minor = SIEM_ABI_MINOR,
    .kinds = SIEM_KIND_SOURCE,
    .name = "c_source",
    .version = "1.0.0",
    .description = "test fixture: emits configured events from a thread",
    .create = create,
    .start = start,
    .stop = stop,
    .destroy = destroy,
};

const siem_plugin_descriptor *siem_plugin_entry(uint32_t major, uint32_t minor) {
    (void)major;
    (void)minor;
    return &descriptor;
}

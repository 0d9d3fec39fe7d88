/*
 * c_detector - a detector plugin in plain C. Proves that a C plugin receives
 * every stored event in on_event, can log through host->log, and that a
 * decision it requests with host->request_decision is recorded and routed:
 * an event whose user is "c-plugin-block" gets its address blocked for 120 s.
 * On stop it writes how many events it saw to the file named by "out".
 *
 * Config: {"out":"/path/to/count-file"}
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siem_plugin.h"
#include "fixture_json.h"

typedef struct {
    const siem_host_api *host;
    long seen; /* touched on the pipeline thread, read in stop() after it ended */
    char out[512];
} c_detector;

static void *create(const siem_host_api *host, const char *config_json, char *err, size_t err_len) {
    c_detector *d = calloc(1, sizeof *d);
    if (d == NULL) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    d->host = host;
    fixture_json_string(config_json, "out", d->out, sizeof d->out);
    host->log(host->ctx, SIEM_LOG_NOTICE, "c_detector created");
    return d;
}

static siem_rc on_event(void *instance, const siem_event *event) {
    c_detector *d = instance;
    __atomic_add_fetch(&d->seen, 1, __ATOMIC_RELAXED);
    if (event->user == NULL || event->address == NULL || strcmp(event->user, "c-plugin-block") != 0) return SIEM_OK;
    char line[256];
    snprintf(line, sizeof line, "c_detector requests a block of %s", event->address);
    d->host->log(d->host->ctx, SIEM_LOG_WARNING, line);
    siem_decision request;
    memset(&request, 0, sizeof request);
    request.struct_size = sizeof request;
    request.action = SIEM_ACTION_BLOCK;
    request.address = event->address;
    request.duration_s = 120;
    request.reason = "c detector saw c-plugin-block";
    return d->host->request_decision(d->host->ctx, &request);
}

static siem_rc start(void *instance) {
    (void)instance;
    return SIEM_OK;
}

static siem_rc stop(void *instance) {
    c_detector *d = instance;
    if (d->out[0] == '\0') return SIEM_OK;
    FILE *f = fopen(d->out, "w");
    if (f == NULL) return SIEM_ERR_FAILED;
    fprintf(f, "%ld\n", __atomic_load_n(&d->seen, __ATOMIC_RELAXED));
    fclose(f);
    return SIEM_OK;
}

static void destroy(void *instance) { free(instance); }

static const siem_plugin_descriptor descriptor = {
    .struct_size = sizeof(siem_plugin_descriptor),
    .abi_major = SIEM_ABI_MAJOR,
    .abi_minor = SIEM_ABI_MINOR,
    .kinds = SIEM_KIND_DETECTOR,
    .name = "c_detector",
    .version = "1.0.0",
    .description = "test fixture: counts events, blocks user c-plugin-block",
    .create = create,
    .start = start,
    .stop = stop,
    .destroy = destroy,
    .on_event = on_event,
};

const siem_plugin_descriptor *siem_plugin_entry(uint32_t major, uint32_t minor) {
    (void)major;
    (void)minor;
    return &descriptor;
}

/*
 * fast_action - an action plugin in plain C that records every decision it
 * is given as a line "action address" in <dir>/fast.out (flushed per line).
 * Proves decisions reach C action plugins, and, beside slow_action, that they
 * keep arriving while another action plugin is blocked.
 *
 * Config: {"dir":"/path"}
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siem_plugin.h"
#include "fixture_json.h"

typedef struct {
    FILE *out;
} fast_action;

static void *create(const siem_host_api *host, const char *config_json, char *err, size_t err_len) {
    (void)host;
    char dir[512], path[600];
    if (!fixture_json_string(config_json, "dir", dir, sizeof dir)) {
        snprintf(err, err_len, "missing required key dir");
        return NULL;
    }
    snprintf(path, sizeof path, "%s/fast.out", dir);
    fast_action *f = calloc(1, sizeof *f);
    if (f == NULL || (f->out = fopen(path, "a")) == NULL) {
        free(f);
        snprintf(err, err_len, "cannot open %s", path);
        return NULL;
    }
    return f;
}

static const char *action_name(uint32_t action) {
    switch (action) {
    case SIEM_ACTION_BLOCK: return "block";
    case SIEM_ACTION_UNBLOCK: return "unblock";
    case SIEM_ACTION_EXPIRE: return "expire";
    default: return "unknown";
    }
}

static siem_rc on_decision(void *instance, const siem_decision *decision) {
    fast_action *f = instance;
    fprintf(f->out, "%s %s\n", action_name(decision->action), decision->address);
    fflush(f->out);
    return SIEM_OK;
}

static siem_rc start(void *instance) {
    (void)instance;
    return SIEM_OK;
}

static siem_rc stop(void *instance) {
    (void)instance;
    return SIEM_OK;
}

static void destroy(void *instance) {
    fast_action *f = instance;
    fclose(f->out);
    free(f);
}

static const siem_plugin_descriptor descriptor = {
    .struct_size = sizeof(siem_plugin_descriptor),
    .abi_major = SIEM_ABI_MAJOR,
    .abi_minor = SIEM_ABI_MINOR,
    .kinds = SIEM_KIND_ACTION,
    .name = "fast_action",
    .version = "1.0.0",
    .description = "test fixture: writes each decision to fast.out",
    .create = create,
    .start = start,
    .stop = stop,
    .destroy = destroy,
    .on_decision = on_decision,
};

const siem_plugin_descriptor *siem_plugin_entry(uint32_t major, uint32_t minor) {
    (void)major;
    (void)minor;
    return &descriptor;
}

/*
 * slow_action - a deliberately blocking action plugin. Its first on_decision
 * creates <dir>/slow-entered and then waits until <dir>/slow-release exists
 * (polling every 10 ms, giving up after 60 s). Proves that a plugin stuck in
 * on_decision delays no other plugin: the host gives it its own queue and
 * thread, and counts what that full queue drops.
 * Each decision's address is appended to <dir>/slow.out once it returns.
 *
 * Config: {"dir":"/path"}
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "siem_plugin.h"
#include "fixture_json.h"

typedef struct {
    char dir[512];
    int calls; /* only the plugin's queue thread touches it */
} slow_action;

static void path_in(const slow_action *s, const char *name, char *out, size_t n) {
    snprintf(out, n, "%s/%s", s->dir, name);
}

static void *create(const siem_host_api *host, const char *config_json, char *err, size_t err_len) {
    (void)host;
    slow_action *s = calloc(1, sizeof *s);
    if (s == NULL || !fixture_json_string(config_json, "dir", s->dir, sizeof s->dir)) {
        free(s);
        snprintf(err, err_len, "missing required key dir");
        return NULL;
    }
    return s;
}

static siem_rc on_decision(void *instance, const siem_decision *decision) {
    slow_action *s = instance;
    char path[600];
    if (s->calls++ == 0) {
        path_in(s, "slow-entered", path, sizeof path);
        FILE *entered = fopen(path, "w");
        if (entered != NULL) fclose(entered);
        path_in(s, "slow-release", path, sizeof path);
        const struct timespec tick = {0, 10 * 1000 * 1000};
        for (int i = 0; i < 6000 && access(path, F_OK) != 0; i++) nanosleep(&tick, NULL);
    }
    path_in(s, "slow.out", path, sizeof path);
    FILE *out = fopen(path, "a");
    if (out == NULL) return SIEM_ERR_FAILED;
    fprintf(out, "%s\n", decision->address);
    fclose(out);
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

static void destroy(void *instance) { free(instance); }

static const siem_plugin_descriptor descriptor = {
    .struct_size = sizeof(siem_plugin_descriptor),
    .abi_major = SIEM_ABI_MAJOR,
    .abi_minor = SIEM_ABI_MINOR,
    .kinds = SIEM_KIND_ACTION,
    .name = "slow_action",
    .version = "1.0.0",
    .description = "test fixture: blocks in its first on_decision",
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

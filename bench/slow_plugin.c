/*
 * bench_slow - a deliberately slow action plugin for the ban-latency benchmark.
 * Every on_decision and on_event sleeps delay_ms (default 200) before it returns,
 * as a notifier stuck on a slow SMTP server or webhook would. The host must keep
 * blocking at full speed meanwhile (each action plugin has its own queue/thread).
 *
 * Config: {"delay_ms": 200}
 * Build:  cc -shared -fPIC -O2 -I Sources/PluginABI/include \
 *            -Wl,--version-script=Plugins/plugin.exports -o bench_slow.so bench/slow_plugin.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "siem_plugin.h"

typedef struct {
    long delay_ms;
} slow;

static void *create(const siem_host_api *host, const char *config_json, char *err, size_t err_len) {
    (void)host;
    slow *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    s->delay_ms = 200;
    const char *k = config_json ? strstr(config_json, "\"delay_ms\"") : NULL;
    if (k != NULL) {
        k = strchr(k + 10, ':');
        if (k != NULL) s->delay_ms = strtol(k + 1, NULL, 10);
    }
    if (s->delay_ms < 0 || s->delay_ms > 600000) {
        free(s);
        snprintf(err, err_len, "delay_ms must be between 0 and 600000");
        return NULL;
    }
    return s;
}

static void nap(const slow *s) {
    struct timespec t = {s->delay_ms / 1000, (s->delay_ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0) {
    }
}

static siem_rc on_decision(void *instance, const siem_decision *decision) {
    (void)decision;
    nap(instance);
    return SIEM_OK;
}

static siem_rc on_event(void *instance, const siem_event *event) {
    (void)event;
    nap(instance);
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
    .name = "bench_slow",
    .version = "1.0.0",
    .description = "benchmark: sleeps delay_ms in every on_decision and on_event",
    .config_schema = "{\"type\":\"object\",\"properties\":{\"delay_ms\":{\"type\":\"integer\",\"minimum\":0}}}",
    .create = create,
    .start = start,
    .stop = stop,
    .destroy = destroy,
    .on_event = on_event,
    .on_decision = on_decision,
};

const siem_plugin_descriptor *siem_plugin_entry(uint32_t major, uint32_t minor) {
    (void)minor;
    return major == SIEM_ABI_MAJOR ? &descriptor : NULL;
}

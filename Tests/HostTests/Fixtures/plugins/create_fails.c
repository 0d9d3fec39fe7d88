/*
 * create_fails - loads fine, but create() returns NULL with a message in err,
 * as a plugin does when its config lacks a required key. Proves the daemon
 * logs "create failed: <message>" and goes on with the other plugins.
 */
#include <stdio.h>
#include "siem_plugin.h"

static void *create(const siem_host_api *host, const char *config_json, char *err, size_t err_len) {
    (void)host;
    (void)config_json;
    snprintf(err, err_len, "missing required key token");
    return NULL;
}
static siem_rc start(void *i) { (void)i; return SIEM_OK; }
static siem_rc stop(void *i) { (void)i; return SIEM_OK; }
static void destroy(void *i) { (void)i; }

static const siem_plugin_descriptor descriptor = {
    .struct_size = sizeof(siem_plugin_descriptor),
    .abi_major = SIEM_ABI_MAJOR,
    .abi_minor = SIEM_ABI_MINOR,
    .kinds = SIEM_KIND_ACTION,
    .name = "create_fails",
    .version = "1.0.0",
    .description = "test fixture: create() always fails",
    .create = create, .start = start, .stop = stop, .destroy = destroy,
};

const siem_plugin_descriptor *siem_plugin_entry(uint32_t major, uint32_t minor) {
    (void)major;
    (void)minor;
    return &descriptor;
}

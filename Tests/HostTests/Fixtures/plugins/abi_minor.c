/*
 * abi_minor - a complete plugin built against a newer minor than the host's.
 * Proves the loader refuses a plugin that may use functions the host lacks
 * ("minor is newer").
 */
#include <stddef.h>
#include "siem_plugin.h"

static void *create(const siem_host_api *h, const char *c, char *e, size_t n) { (void)h; (void)c; (void)e; (void)n; return NULL; }
static siem_rc start(void *i) { (void)i; return SIEM_OK; }
static siem_rc stop(void *i) { (void)i; return SIEM_OK; }
static void destroy(void *i) { (void)i; }

static const siem_plugin_descriptor descriptor = {
    .struct_size = sizeof(siem_plugin_descriptor),
    .abi_major = SIEM_ABI_MAJOR,
    .abi_minor = SIEM_ABI_MINOR + 1,
    .kinds = SIEM_KIND_ACTION,
    .name = "abi_minor",
    .version = "1.0.0",
    .description = "test fixture: built for a newer ABI minor",
    .create = create, .start = start, .stop = stop, .destroy = destroy,
};

const siem_plugin_descriptor *siem_plugin_entry(uint32_t major, uint32_t minor) {
    (void)major;
    (void)minor;
    return &descriptor;
}

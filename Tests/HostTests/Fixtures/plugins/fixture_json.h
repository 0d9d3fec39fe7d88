/*
 * fixture_json.h - just enough JSON reading for the test plugins: finds a
 * top-level "key" in the config object the host passes to create(). Not a
 * parser; the fixtures only ever see the flat objects the tests write.
 */
#ifndef FIXTURE_JSON_H
#define FIXTURE_JSON_H

#include <stdio.h>
#include <string.h>

/* Points just past `"key":` (spaces allowed around the colon), or NULL. */
static inline const char *fixture_json_value(const char *json, const char *key) {
    char quoted[128];
    if (json == NULL || snprintf(quoted, sizeof quoted, "\"%s\"", key) >= (int)sizeof quoted) return NULL;
    const char *p = strstr(json, quoted);
    if (p == NULL) return NULL;
    p += strlen(quoted);
    while (*p == ' ') p++;
    if (*p != ':') return NULL;
    p++;
    while (*p == ' ') p++;
    return p;
}

/* Reads an integer value; returns 1 when found. */
static inline int fixture_json_int(const char *json, const char *key, long *out) {
    const char *p = fixture_json_value(json, key);
    return p != NULL && sscanf(p, "%ld", out) == 1;
}

/* Copies a string value, undoing backslash escapes (Foundation writes "\/"
 * for "/"); returns 1 when found and it fits. */
static inline int fixture_json_string(const char *json, const char *key, char *out, size_t out_len) {
    const char *p = fixture_json_value(json, key);
    if (p == NULL || *p != '"' || out_len == 0) return 0;
    size_t n = 0;
    for (p++; *p != '\0' && *p != '"'; p++) {
        if (*p == '\\' && p[1] != '\0') p++;
        if (n + 1 >= out_len) return 0;
        out[n++] = *p;
    }
    out[n] = '\0';
    return *p == '"';
}

#endif

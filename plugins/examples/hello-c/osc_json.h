/*
 * osc_json.h -- a small JSON reader and writer for osc plugins written in C.
 * Header-only, C99, no allocation in the reader. Copy it next to your plugin.
 *
 * Reading: a osc_json is a view of one JSON value inside a buffer (no copy).
 *
 *   osc_json req = osc_json_of(request.ptr, request.len);
 *   osc_json cmd = osc_json_get(req, "command");            // member of an object
 *   osc_json name = osc_json_get(osc_json_get(req, "args"), "name");
 *   char buf[128];
 *   if (osc_json_str(name, buf, sizeof buf) >= 0) ...        // decoded, NUL-terminated
 *   osc_json it = osc_json_get(body, "images"), item;
 *   while (osc_json_next(&it, &item)) ...                    // array elements
 *
 * A missing member or a type mismatch gives an empty view (osc_json_ok() is 0), so
 * lookups can be chained without checking every step.
 *
 * Writing: a growable buffer whose bytes become the result osc_buf.
 *
 *   osc_jw w = {0};
 *   osc_jw_raw(&w, "{\"show\": {\"fields\": [[\"Greeting\", ");
 *   osc_jw_str(&w, name);                                     // quoted and escaped
 *   osc_jw_raw(&w, "]]}}");
 *   osc_jw_finish(&w, result);                                // result->release frees it
 */
#ifndef OSC_JSON_H
#define OSC_JSON_H

#include "osc_plugin.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct osc_json {
    const uint8_t *p; /* first byte of the value; NULL when absent */
    size_t len;       /* bytes of the value */
} osc_json;

static inline osc_json osc_json_none(void) {
    osc_json v = {NULL, 0};
    return v;
}

static inline int osc_json_ok(osc_json v) { return v.p != NULL && v.len > 0; }

static inline size_t osc_json__ws(const uint8_t *p, size_t i, size_t n) {
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) i++;
    return i;
}

/* The end (exclusive) of the value starting at i, or 0 on malformed input. */
static inline size_t osc_json__end(const uint8_t *p, size_t i, size_t n) {
    if (i >= n) return 0;
    if (p[i] == '"') {
        for (i++; i < n; i++) {
            if (p[i] == '\\') i++;
            else if (p[i] == '"') return i + 1;
        }
        return 0;
    }
    if (p[i] == '{' || p[i] == '[') {
        int depth = 0;
        for (; i < n; i++) {
            if (p[i] == '"') {
                size_t e = osc_json__end(p, i, n);
                if (!e) return 0;
                i = e - 1;
            } else if (p[i] == '{' || p[i] == '[') {
                depth++;
            } else if (p[i] == '}' || p[i] == ']') {
                if (--depth == 0) return i + 1;
            }
        }
        return 0;
    }
    /* number, true, false, null */
    size_t s = i;
    while (i < n && p[i] != ',' && p[i] != '}' && p[i] != ']' && p[i] != ' ' && p[i] != '\n' &&
           p[i] != '\r' && p[i] != '\t')
        i++;
    return i > s ? i : 0;
}

/* A view of the whole document (leading whitespace skipped). */
static inline osc_json osc_json_of(const uint8_t *p, size_t n) {
    size_t i = osc_json__ws(p, 0, n);
    size_t e = osc_json__end(p, i, n);
    if (!e) return osc_json_none();
    osc_json v = {p + i, e - i};
    return v;
}

static inline osc_json osc_json_of_str(osc_str s) { return osc_json_of(s.ptr, s.len); }

/* The member `key` of an object (keys compared as raw bytes: no escapes in the key). */
static inline osc_json osc_json_get(osc_json obj, const char *key) {
    if (!osc_json_ok(obj) || obj.p[0] != '{') return osc_json_none();
    const uint8_t *p = obj.p;
    size_t n = obj.len, klen = strlen(key), i = 1;
    for (;;) {
        i = osc_json__ws(p, i, n);
        if (i >= n || p[i] != '"') return osc_json_none();
        size_t ke = osc_json__end(p, i, n);
        if (!ke) return osc_json_none();
        int match = (ke - i - 2 == klen) && memcmp(p + i + 1, key, klen) == 0;
        i = osc_json__ws(p, ke, n);
        if (i >= n || p[i] != ':') return osc_json_none();
        i = osc_json__ws(p, i + 1, n);
        size_t ve = osc_json__end(p, i, n);
        if (!ve) return osc_json_none();
        if (match) {
            osc_json v = {p + i, ve - i};
            return v;
        }
        i = osc_json__ws(p, ve, n);
        if (i >= n || p[i] != ',') return osc_json_none();
        i++;
    }
}

/* Iterates an array: start with *it = the array, call until it returns 0. */
static inline int osc_json_next(osc_json *it, osc_json *item) {
    if (!osc_json_ok(*it)) return 0;
    const uint8_t *p = it->p;
    size_t n = it->len, i = 1;
    if (p[0] == '[' || p[0] == ',') {
        i = osc_json__ws(p, 1, n);
    } else {
        return 0;
    }
    if (i >= n || p[i] == ']') {
        *it = osc_json_none();
        return 0;
    }
    size_t e = osc_json__end(p, i, n);
    if (!e) {
        *it = osc_json_none();
        return 0;
    }
    item->p = p + i;
    item->len = e - i;
    e = osc_json__ws(p, e, n);
    /* Continue from the separator: ',' restarts the scan, anything else ends it. */
    it->p = p + e;
    it->len = n - e;
    if (e >= n || p[e] != ',') *it = osc_json_none();
    return 1;
}

static inline int osc_json_is(osc_json v, const char *literal) {
    size_t n = strlen(literal);
    return osc_json_ok(v) && v.len == n && memcmp(v.p, literal, n) == 0;
}

/* true/false: 1/0; anything else -1. */
static inline int osc_json_bool(osc_json v) {
    return osc_json_is(v, "true") ? 1 : osc_json_is(v, "false") ? 0 : -1;
}

/* An integer; 0 on success, -1 when not one. */
static inline int osc_json_int(osc_json v, long long *out) {
    if (!osc_json_ok(v) || v.len >= 32) return -1;
    char tmp[32];
    memcpy(tmp, v.p, v.len);
    tmp[v.len] = 0;
    char *end = NULL;
    long long x = strtoll(tmp, &end, 10);
    if (end == tmp || *end) return -1;
    *out = x;
    return 0;
}

/* Decodes a JSON string into dst (NUL-terminated, UTF-8, \uXXXX and surrogate pairs
 * included). Returns its length, or -1 when not a string or dst is too small. */
static inline long osc_json_str(osc_json v, char *dst, size_t cap) {
    if (!osc_json_ok(v) || v.p[0] != '"' || cap == 0) return -1;
    size_t k = 0;
    for (size_t i = 1; i + 1 < v.len; i++) {
        uint32_t c = v.p[i];
        if (c == '\\') {
            if (++i + 1 >= v.len) return -1;
            switch (v.p[i]) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                if (i + 4 >= v.len) return -1;
                char hex[5] = {0};
                memcpy(hex, v.p + i + 1, 4);
                c = (uint32_t)strtoul(hex, NULL, 16);
                i += 4;
                if (c >= 0xD800 && c < 0xDC00 && i + 6 < v.len && v.p[i + 1] == '\\' &&
                    v.p[i + 2] == 'u') {
                    memcpy(hex, v.p + i + 3, 4);
                    uint32_t lo = (uint32_t)strtoul(hex, NULL, 16);
                    c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
                break;
            }
            default: c = v.p[i]; /* \" \\ \/ */
            }
            /* UTF-8 encode */
            uint8_t u[4];
            size_t m = 0;
            if (c < 0x80) u[m++] = (uint8_t)c;
            else if (c < 0x800) { u[m++] = (uint8_t)(0xC0 | c >> 6); u[m++] = (uint8_t)(0x80 | (c & 0x3F)); }
            else if (c < 0x10000) { u[m++] = (uint8_t)(0xE0 | c >> 12); u[m++] = (uint8_t)(0x80 | ((c >> 6) & 0x3F)); u[m++] = (uint8_t)(0x80 | (c & 0x3F)); }
            else { u[m++] = (uint8_t)(0xF0 | c >> 18); u[m++] = (uint8_t)(0x80 | ((c >> 12) & 0x3F)); u[m++] = (uint8_t)(0x80 | ((c >> 6) & 0x3F)); u[m++] = (uint8_t)(0x80 | (c & 0x3F)); }
            if (k + m >= cap) return -1;
            memcpy(dst + k, u, m);
            k += m;
        } else {
            if (k + 1 >= cap) return -1;
            dst[k++] = (char)c;
        }
    }
    dst[k] = 0;
    return (long)k;
}

/* ---- writer ---- */

typedef struct osc_jw {
    char *buf;
    size_t len, cap;
    int failed; /* out of memory: osc_jw_finish reports an error */
} osc_jw;

static inline void osc_jw_bytes(osc_jw *w, const char *s, size_t n) {
    if (w->failed) return;
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        while (cap < w->len + n + 1) cap *= 2;
        char *b = (char *)realloc(w->buf, cap);
        if (!b) {
            w->failed = 1;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

/* Appends JSON text as it is (structure: braces, keys you know are plain). */
static inline void osc_jw_raw(osc_jw *w, const char *s) { osc_jw_bytes(w, s, strlen(s)); }

/* Appends a quoted, escaped JSON string. */
static inline void osc_jw_str(osc_jw *w, const char *s) {
    osc_jw_bytes(w, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            osc_jw_bytes(w, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            osc_jw_bytes(w, esc, 6);
        } else {
            osc_jw_bytes(w, (const char *)p, 1);
        }
    }
    osc_jw_bytes(w, "\"", 1);
}

static inline void osc_jw_int(osc_jw *w, long long x) {
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", x);
    osc_jw_bytes(w, tmp, (size_t)n);
}

/* Appends a JSON value read with the reader, as it is. */
static inline void osc_jw_value(osc_jw *w, osc_json v) {
    if (osc_json_ok(v)) osc_jw_bytes(w, (const char *)v.p, v.len);
    else osc_jw_raw(w, "null");
}

static inline void osc_jw__release(osc_buf *b) {
    free(b->ptr);
    b->ptr = NULL;
    b->len = 0;
}

/* Hands the text to the host as an owned buffer (freed through its release). Returns
 * OSC_OK, or OSC_ERROR with no buffer when memory ran out. */
static inline osc_status osc_jw_finish(osc_jw *w, osc_buf *out) {
    if (w->failed || !w->buf) {
        free(w->buf);
        out->ptr = NULL;
        out->len = 0;
        out->release = NULL;
        return OSC_ERROR;
    }
    out->ptr = (uint8_t *)w->buf;
    out->len = w->len;
    out->release = osc_jw__release;
    out->owner = NULL;
    w->buf = NULL;
    w->len = w->cap = 0;
    return OSC_OK;
}

#endif /* OSC_JSON_H */

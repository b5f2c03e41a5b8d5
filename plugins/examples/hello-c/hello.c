/*
 * hello-c: an osc plugin in plain C, written against osc_plugin.h alone.
 *
 *   cc -shared -fPIC -O2 -I../../include hello.c -o libosc_plugin_hello.so
 *
 * Commands:
 *   hello world [--name <name>] [--shout]   show: Greeting, Language
 *   hello list                              list: Number, Word
 *   hello fail                              an error reported as one line
 */
#include "osc_plugin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Plain data: the host reads these from the file without loading it. */
const char osc_plugin_manifest[] =
    "{\"name\": \"hello-c\", \"version\": \"1.0.0\", \"abi\": [1, 0], \"layer\": 2,"
    " \"services\": [], \"group\": \"hello\","
    " \"description\": \"Example plugin written in C\","
    " \"commands\": ["
    "  {\"name\": \"hello world\", \"about\": \"Greet someone\", \"kind\": \"show\","
    "   \"args\": [{\"name\": \"name\", \"long\": \"--name\", \"value\": \"<name>\", \"help\": \"Who to greet\"},"
    "             {\"name\": \"shout\", \"long\": \"--shout\", \"flag\": true, \"help\": \"Upper-case the greeting\"}],"
    "   \"columns\": [\"Greeting\", \"Language\"]},"
    "  {\"name\": \"hello list\", \"about\": \"List some words\", \"kind\": \"list\", \"columns\": [\"Number\", \"Word\"]},"
    "  {\"name\": \"hello fail\", \"about\": \"Fail on purpose\", \"kind\": \"command\"}"
    " ]}";

const osc_build_info osc_plugin_build_info = {
    sizeof(osc_build_info), OSC_PLUGIN_ABI_MAJOR, OSC_PLUGIN_ABI_MINOR, 0, {0}};

/* Buffers we hand to the host are freed by this function, with our allocator. */
static void release(osc_buf *buf) {
    if (buf && buf->ptr) {
        free(buf->ptr);
        buf->ptr = NULL;
        buf->len = 0;
    }
}

static void reply(osc_buf *out, const char *json) {
    size_t n = strlen(json);
    out->ptr = malloc(n ? n : 1);
    out->len = out->ptr ? n : 0;
    if (out->ptr) memcpy(out->ptr, json, n);
    out->release = release;
    out->owner = NULL;
}

/* Finds the string value of "key" in a flat JSON object (enough for our own requests:
 * the host emits compact JSON). Copies at most cap-1 bytes; returns 0 when absent. */
static int string_arg(osc_str req, const char *key, char *dst, size_t cap) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    size_t plen = strlen(pat);
    for (size_t i = 0; i + plen <= req.len; i++) {
        if (memcmp(req.ptr + i, pat, plen) == 0) {
            size_t j = i + plen, k = 0;
            while (j < req.len && req.ptr[j] != '"' && k + 1 < cap) {
                char c = (char)req.ptr[j++];
                if (c == '\\' || c < 0x20) c = '?'; /* keep the reply valid JSON */
                dst[k++] = c;
            }
            dst[k] = 0;
            return 1;
        }
    }
    return 0;
}

static int contains(osc_str req, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= req.len; i++)
        if (memcmp(req.ptr + i, needle, n) == 0) return 1;
    return 0;
}

static void log_line(const osc_host *host, const char *msg) {
    if (host && host->struct_size >= sizeof(osc_host) && host->log) {
        osc_str s = {(const uint8_t *)msg, strlen(msg)};
        host->log(host->ctx, OSC_LOG_DEBUG, s);
    }
}

static osc_status invoke(const osc_host *host, osc_str request, osc_buf *result) {
    char buf[512];
    log_line(host, "hello-c invoked");
    if (contains(request, "\"command\":\"hello world\"")) {
        char name[128] = "world";
        string_arg(request, "name", name, sizeof name);
        if (contains(request, "\"shout\":true"))
            for (char *p = name; *p; p++) *p = (char)toupper((unsigned char)*p);
        snprintf(buf, sizeof buf,
                 "{\"show\": {\"fields\": [[\"Greeting\", \"Hello, %s!\"], [\"Language\", \"C\"]]}}", name);
        reply(result, buf);
        return OSC_OK;
    }
    if (contains(request, "\"command\":\"hello list\"")) {
        reply(result, "{\"list\": {\"columns\": [\"Number\", \"Word\"],"
                      " \"rows\": [[3, \"three\"], [1, \"one\"], [2, \"two\"]]}}");
        return OSC_OK;
    }
    if (contains(request, "\"command\":\"hello fail\"")) {
        reply(result, "{\"error\": \"hello-c failed on purpose\"}");
        return OSC_ERROR;
    }
    reply(result, "{\"error\": \"unknown command\"}");
    return OSC_BAD_REQUEST;
}

static const osc_plugin table = {sizeof(osc_plugin), OSC_PLUGIN_ABI_MAJOR, OSC_PLUGIN_ABI_MINOR, invoke};

const osc_plugin *osc_plugin_entry_v1(void) { return &table; }

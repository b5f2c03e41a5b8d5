/*
 * hello-c: an osc plugin in plain C, written against osc_plugin.h alone.
 *
 *   cc -shared -fPIC -O2 -I../../include hello.c -o libosc_plugin_hello.so
 *
 * Commands:
 *   hello world [--name <name>] [--shout]   show: Greeting, Language
 *   hello list                              list: Number, Word
 *   hello fail                              an error reported as one line
 *   hello images [--limit <n>]              list: ID, Name (GET /images through the host)
 *
 * osc_json.h (next to this file) reads the request and the service's JSON and writes the
 * replies; plugins/examples/hello-c/tests/fake_host.rs tests this plugin with the SDK's
 * fake host, without osc or a cloud.
 */
#include "osc_plugin.h"
#include "osc_json.h"

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
    "  {\"name\": \"hello fail\", \"about\": \"Fail on purpose\", \"kind\": \"command\"},"
    "  {\"name\": \"hello images\", \"about\": \"List images\", \"kind\": \"list\","
    "   \"args\": [{\"name\": \"limit\", \"long\": \"--limit\", \"type\": \"int\", \"help\": \"At most this many\"}],"
    "   \"columns\": [\"ID\", \"Name\"]}"
    " ]}";

const osc_build_info osc_plugin_build_info = {
    sizeof(osc_build_info), OSC_PLUGIN_ABI_MAJOR, OSC_PLUGIN_ABI_MINOR, 0, {0}};

static osc_status fail(osc_buf *out, const char *msg) {
    osc_jw w = {0};
    osc_jw_raw(&w, "{\"error\": ");
    osc_jw_str(&w, msg);
    osc_jw_raw(&w, "}");
    osc_jw_finish(&w, out);
    return OSC_ERROR;
}

static void log_line(const osc_host *host, const char *msg) {
    if (host && host->struct_size >= sizeof(osc_host) && host->log) {
        osc_str s = {(const uint8_t *)msg, strlen(msg)};
        host->log(host->ctx, OSC_LOG_DEBUG, s);
    }
}

static osc_status hello_world(osc_json args, osc_buf *out) {
    char name[128] = "world";
    osc_json_str(osc_json_get(args, "name"), name, sizeof name);
    if (osc_json_bool(osc_json_get(args, "shout")) == 1)
        for (char *p = name; *p; p++) *p = (char)toupper((unsigned char)*p);
    char greeting[160];
    snprintf(greeting, sizeof greeting, "Hello, %s!", name);
    osc_jw w = {0};
    osc_jw_raw(&w, "{\"show\": {\"fields\": [[\"Greeting\", ");
    osc_jw_str(&w, greeting); /* escaped: any name stays valid JSON */
    osc_jw_raw(&w, "], [\"Language\", \"C\"]]}}");
    return osc_jw_finish(&w, out);
}

/* GET /images through the host (it adds the endpoint and token), read the whole body,
 * and list the id and name of each image. */
static osc_status hello_images(const osc_host *host, osc_json args, osc_buf *out) {
    long long limit = -1;
    osc_json_int(osc_json_get(args, "limit"), &limit);
    if (!host->http || !host->body_read || !host->body_close) return fail(out, "no HTTP in this host");
    const char *req = "{\"method\": \"GET\", \"service\": \"image\", \"path\": \"/images\"}";
    osc_str r = {(const uint8_t *)req, strlen(req)};
    osc_buf resp = {0};
    osc_status st = host->http(host->ctx, r, NULL, &resp);
    osc_json head = osc_json_of(resp.ptr, resp.len);
    long long status = 0, handle = 0;
    osc_json_int(osc_json_get(head, "status"), &status);
    osc_json_int(osc_json_get(head, "body"), &handle);
    char err[256] = "the request failed";
    if (st != OSC_OK) osc_json_str(osc_json_get(head, "error"), err, sizeof err);
    if (resp.release) resp.release(&resp); /* the host's buffer, freed by the host */
    if (st != OSC_OK) return fail(out, err);
    /* Read the body (handle 0: none), then always close it. */
    osc_jw body = {0};
    uint8_t chunk[4096];
    int64_t n;
    while (handle && (n = host->body_read(host->ctx, (uint64_t)handle, chunk, sizeof chunk)) > 0)
        osc_jw_bytes(&body, (const char *)chunk, (size_t)n);
    if (handle) host->body_close(host->ctx, (uint64_t)handle);
    if (status != 200) {
        free(body.buf);
        snprintf(err, sizeof err, "listing images failed (HTTP %lld)", status);
        return fail(out, err);
    }
    osc_json doc = osc_json_of((const uint8_t *)body.buf, body.len);
    osc_json it = osc_json_get(doc, "images"), image;
    osc_jw w = {0};
    osc_jw_raw(&w, "{\"list\": {\"columns\": [\"ID\", \"Name\"], \"rows\": [");
    long long count = 0;
    while ((limit < 0 || count < limit) && osc_json_next(&it, &image)) {
        osc_jw_raw(&w, count++ ? ", [" : "[");
        osc_jw_value(&w, osc_json_get(image, "id"));
        osc_jw_raw(&w, ", ");
        osc_jw_value(&w, osc_json_get(image, "name"));
        osc_jw_raw(&w, "]");
    }
    osc_jw_raw(&w, "]}}");
    free(body.buf);
    return osc_jw_finish(&w, out);
}

static osc_status invoke(const osc_host *host, osc_str request, osc_buf *result) {
    log_line(host, "hello-c invoked");
    osc_json req = osc_json_of_str(request);
    osc_json args = osc_json_get(req, "args");
    char command[64] = "";
    osc_json_str(osc_json_get(req, "command"), command, sizeof command);
    if (strcmp(command, "hello world") == 0) return hello_world(args, result);
    if (strcmp(command, "hello list") == 0) {
        osc_jw w = {0};
        osc_jw_raw(&w, "{\"list\": {\"columns\": [\"Number\", \"Word\"],"
                       " \"rows\": [[3, \"three\"], [1, \"one\"], [2, \"two\"]]}}");
        return osc_jw_finish(&w, result);
    }
    if (strcmp(command, "hello fail") == 0) return fail(result, "hello-c failed on purpose");
    if (strcmp(command, "hello images") == 0) {
        if (!host || host->struct_size < sizeof(osc_host)) return fail(result, "host too old");
        return hello_images(host, args, result);
    }
    fail(result, "unknown command");
    return OSC_BAD_REQUEST;
}

static const osc_plugin table = {sizeof(osc_plugin), OSC_PLUGIN_ABI_MAJOR, OSC_PLUGIN_ABI_MINOR, invoke};

const osc_plugin *osc_plugin_entry_v1(void) { return &table; }

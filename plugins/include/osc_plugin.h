/*
 * osc_plugin.h -- the osc plugin ABI, version 1.1. This header is normative; the Rust
 * crate `osc-plugin-abi` mirrors it.
 *
 * A plugin is a shared library that exports three symbols:
 *
 *   osc_plugin_manifest    const char[]          JSON manifest (NUL-terminated or not)
 *   osc_plugin_build_info  const osc_build_info  ABI version and panic strategy
 *   osc_plugin_entry_v1    function              returns the plugin's function table
 *
 * The first two are plain data: the host reads them from the file without loading it
 * (no plugin code runs for listing, --help or completion). The ABI major version is part
 * of the entry symbol's name, so a plugin for another major version simply lacks it.
 *
 * Rules:
 *  - Only the C calling convention and these structs cross the boundary.
 *  - osc_str is borrowed: valid during the call only, never freed by the receiver.
 *  - osc_buf is owned by the receiver, who frees it exactly once by calling its own
 *    `release` (which the allocating side set). Nobody frees the other side's memory.
 *  - Every function table starts with struct_size and the ABI version; minor versions
 *    only append fields, so check struct_size before using a field added later.
 *  - Requests and results are UTF-8 JSON (see docs/plugins.md for their schemas).
 *  - The host calls a plugin from one thread at a time; the osc_host pointer and
 *    everything it points to is valid only during that call. The plugin calls the
 *    host's callbacks from that thread, except between begin_concurrent and
 *    end_concurrent (1.1), when as many threads as begin_concurrent allowed may.
 *  - Functions never unwind: a Rust plugin catches panics and returns OSC_PANIC.
 *    A plugin built with panic=abort says so in its build info and is refused.
 */
#ifndef OSC_PLUGIN_H
#define OSC_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OSC_PLUGIN_ABI_MAJOR 1
#define OSC_PLUGIN_ABI_MINOR 1

#define OSC_PLUGIN_MANIFEST_SYMBOL "osc_plugin_manifest"
#define OSC_PLUGIN_BUILD_INFO_SYMBOL "osc_plugin_build_info"
#define OSC_PLUGIN_ENTRY_SYMBOL "osc_plugin_entry_v1"

/* Status codes returned across the boundary. */
typedef int32_t osc_status;
#define OSC_OK 0          /* success; the out buffer holds the JSON result        */
#define OSC_ERROR 1       /* failure; the out buffer holds {"error": "message"}   */
#define OSC_PANIC 2       /* a Rust panic was caught; out may hold {"error": ...} */
#define OSC_BAD_REQUEST 3 /* the JSON request could not be understood             */

/* Log levels for osc_host.log. */
#define OSC_LOG_WARN 1
#define OSC_LOG_INFO 2
#define OSC_LOG_DEBUG 3

/* A borrowed byte string (UTF-8 for JSON and text): valid during the call only. */
typedef struct osc_str {
    const uint8_t *ptr;
    size_t len;
} osc_str;

/* An owned byte buffer. The receiver calls buf->release(buf) exactly once when done
 * (release may be NULL when ptr is NULL). `owner` is private to the allocating side. */
typedef struct osc_buf {
    uint8_t *ptr;
    size_t len;
    void (*release)(struct osc_buf *buf);
    void *owner;
} osc_buf;

/* A request body the plugin streams to the host (uploads in constant memory).
 * read() fills buf with up to cap bytes and returns how many, 0 at the end, -1 on error.
 * It is called only during the http() call that received it. */
typedef struct osc_reader {
    void *state;
    int64_t (*read)(void *state, uint8_t *buf, size_t cap);
} osc_reader;

/* Plain data, read from the file before loading. */
typedef struct osc_build_info {
    uint32_t struct_size; /* sizeof(osc_build_info) */
    uint16_t abi_major;
    uint16_t abi_minor;
    uint8_t panic_aborts; /* 1 when a panic would abort the process: the host refuses it */
    uint8_t reserved[7];
} osc_build_info;

/* What the host offers a plugin during invoke().
 *
 * http(): `request` is JSON
 *   {"method": "GET", "service": "network", "path": "/networks" | "https://...",
 *    "query": [["k","v"],...], "headers": [["k","v"],...],
 *    "json": <value>  |  "text": "raw body",  "content_type": "...",
 *    "max_microversion": "1.29"  |  "microversion": "1.10"}
 * max_microversion: the host sends min(this, the server's maximum), or the user's
 * --os-<service>-api-version pin; microversion: exactly this ("" for none). With neither
 * (ABI 1.0 plugins), the host sends its own maximum for the service unless the plugin set
 * the service's microversion header itself.
 * `body` (may be NULL) streams the request body instead of json/text.
 * "content_type" is any media type (printable ASCII), e.g.
 * "application/openstack-images-v2.1-json-patch" to send "json" as a Glance JSON patch;
 * a "Content-Type" entry in "headers" means the same. Default: application/json for
 * "json", application/octet-stream otherwise.
 * The host picks the endpoint of the service type from the catalog, adds the token,
 * the microversion header and retries; the plugin never sees credentials.
 * On OSC_OK, *response is {"status": 200, "headers": [["k","v"],...], "url": "...",
 * "body": <handle>, "microversion": "1.29" | null} for any HTTP status (error statuses included; the plugin decides);
 * read the body with body_read(handle) and always call body_close(handle)
 * (handle 0 means no body). On OSC_ERROR (no endpoint, connection failure...),
 * *response is {"error": "message"}. */
typedef struct osc_host {
    uint32_t struct_size; /* sizeof(osc_host) as the host knows it */
    uint16_t abi_major;
    uint16_t abi_minor;
    void *ctx; /* pass back as the first argument of every callback */
    osc_status (*http)(void *ctx, osc_str request, const osc_reader *body, osc_buf *response);
    /* Reads up to cap bytes of a response body: count, 0 at the end, -1 on error. */
    int64_t (*body_read)(void *ctx, uint64_t handle, uint8_t *buf, size_t cap);
    void (*body_close)(void *ctx, uint64_t handle);
    void (*log)(void *ctx, int32_t level, osc_str message);
    /* Progress of long work; total 0 when unknown. Bytes, or items when the label
     * starts with "count:". A bar on a terminal, else a log line. */
    void (*progress)(void *ctx, osc_str label, uint64_t done, uint64_t total);
    /* ABI 1.1 (present when struct_size covers them): work on many objects at once.
     * begin_concurrent lets up to `workers` threads of the plugin call the callbacks
     * above at the same time (each gets its own session with the invocation's token) and
     * returns how many may: 0 means only the invoking thread, as in 1.0. Call both from
     * the invoking thread, after one request has been made on it (so authentication and
     * version discovery happened once), and end before invoke() returns. */
    uint32_t (*begin_concurrent)(void *ctx, uint32_t workers);
    void (*end_concurrent)(void *ctx);
} osc_host;

/* The plugin's function table, returned by osc_plugin_entry_v1().
 *
 * invoke(): `request` is JSON {"command": "network list", "args": {"name": value, ...}}
 * with the arguments the host parsed from the manifest (flags are booleans, repeated
 * options arrays, absent options missing), and for list and show commands "format": the
 * formatter the host renders with ("table", "json"..., or one of the command's own
 * "formats", which the plugin answers as text); hosts before it sent none. On OSC_OK,
 * *result is one of
 *   {"list": {"columns": ["ID", ...], "rows": [[...], ...]}}
 *   {"show": {"fields": [["Name", value], ...]}}
 *   {"none": null}       {"text": "printed as is"}
 * and optional "styles": {"Column": "list"|"dict"|"list_dict"|"dict_list"|"size"|"json"|
 * "yaml"|"raw"}.
 * On failure, *result is {"error": "one line for the user"}. */
typedef struct osc_plugin {
    uint32_t struct_size; /* sizeof(osc_plugin) as the plugin knows it */
    uint16_t abi_major;
    uint16_t abi_minor;
    osc_status (*invoke)(const osc_host *host, osc_str request, osc_buf *result);
} osc_plugin;

typedef const osc_plugin *(*osc_plugin_entry_v1_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* OSC_PLUGIN_H */

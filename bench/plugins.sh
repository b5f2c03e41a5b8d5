#!/bin/sh
# Startup cost of installed plugins: times `osc --version` and `osc server list --help`
# with no extra plugins and with 50 C plugins on OSC_PLUGIN_PATH (manifest cache warm),
# and checks that none of the 50 ran any code (each has an ELF constructor that would
# leave a marker file).
#
#   bench/plugins.sh [path/to/osc] [runs]
set -eu
OSC=${1:-target/release/osc}
RUNS=${2:-200}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$OSC" ] || { echo "bench: no osc binary at $OSC (cargo build --release)" >&2; exit 1; }
OSC=$(cd "$(dirname "$OSC")" && pwd)/$(basename "$OSC")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/plugins" "$WORK/cache" "$WORK/markers" "$WORK/empty"
for i in $(seq 1 50); do
  cat > "$WORK/p$i.c" <<C
#include "osc_plugin.h"
#include <stdio.h>
const char osc_plugin_manifest[] = "{\"name\": \"bench$i\", \"version\": \"1\", \"abi\": [1, 0], \"layer\": 2,"
  " \"commands\": [{\"name\": \"bench$i list\", \"about\": \"Bench $i\", \"kind\": \"list\","
  " \"args\": [{\"name\": \"long\", \"long\": \"--long\", \"flag\": true}]},"
  " {\"name\": \"bench$i show\", \"about\": \"Bench $i\", \"kind\": \"show\", \"args\": [{\"name\": \"x\"}]}]}";
const osc_build_info osc_plugin_build_info = {sizeof(osc_build_info), 1, 0, 0, {0}};
__attribute__((constructor)) static void ran(void) { FILE *f = fopen("$WORK/markers/bench$i", "w"); if (f) fclose(f); }
static osc_status invoke(const osc_host *h, osc_str r, osc_buf *o) { (void)h; (void)r; (void)o; return OSC_ERROR; }
static const osc_plugin table = {sizeof(osc_plugin), 1, 0, invoke};
const osc_plugin *osc_plugin_entry_v1(void) { return &table; }
C
  cc -shared -fPIC -O2 -I"$ROOT/plugins/include" "$WORK/p$i.c" -o "$WORK/plugins/libbench$i.so"
done

now_ns() { date +%s%N; }
# mean wall time in microseconds of RUNS runs of: osc ARGS
measure() {
  plugin_path=$1; shift
  start=$(now_ns)
  i=0
  while [ $i -lt "$RUNS" ]; do
    OSC_PLUGIN_PATH=$plugin_path OSC_CACHE_DIR="$WORK/cache" XDG_DATA_HOME="$WORK/empty" "$OSC" "$@" >/dev/null 2>&1 || true
    i=$((i + 1))
  done
  echo $(( ($(now_ns) - start) / RUNS / 1000 ))
}

status=0
for args in "--version" "server list --help"; do
  # Warm the manifest cache and the page cache.
  measure "$WORK/plugins" $args >/dev/null
  measure "$WORK/empty" $args >/dev/null
  base=$(measure "$WORK/empty" $args)
  with=$(measure "$WORK/plugins" $args)
  delta=$((with - base))
  printf 'osc %-20s  without: %6d us   with 50 plugins: %6d us   added: %5d us\n' "$args" "$base" "$with" "$delta"
  [ "$delta" -le 2000 ] || { echo "FAIL: more than 2 ms added" >&2; status=1; }
done
n=$(ls "$WORK/markers" | wc -l)
echo "plugins that ran code: $n"
[ "$n" -eq 0 ] || status=1
exit $status

#!/usr/bin/env bash
# bench/image.sh — wall time, throughput and peak memory of uploading (`image create
# --file`) and downloading (`image save`) one image with osc, python-openstackclient and
# plain curl against the same devcloud. A benchmark, not a test.
#
# usage: bench/image.sh [SIZE_MIB] [RUNS]   (default 1024 MiB, 1 run)
# env:   OSC (default target/release/osc), OPENSTACK (the devcloud's reference client),
#        BENCH_CLOUD (default devstack), BENCH_DIR (scratch dir, default a temp dir)
# Prints a Markdown table (bench/run puts it in docs/benchmarks.md).
set -euo pipefail

SIZE_MIB=${1:-1024}
RUNS=${2:-1}
HOME_DC=${DEVCLOUD_HOME:-$HOME/.local/share/osc-devcloud}
export OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-$HOME_DC/clouds.yaml}
OSC=${OSC:-target/release/osc}
OPENSTACK=${OPENSTACK:-$HOME_DC/venv/bin/openstack}
CLOUD=${BENCH_CLOUD:-devstack}
DIR=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$DIR"/src.raw "$DIR"/out.raw; [ -z "${BENCH_DIR:-}" ] && rm -rf "$DIR"' EXIT

[ -x "$OSC" ] || { echo "bench: build osc first (cargo build --release) or set OSC" >&2; exit 1; }
[ -x "$OPENSTACK" ] || { echo "bench: no reference client at $OPENSTACK; set OPENSTACK" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (/usr/bin/time)" >&2; exit 1; }

echo "generating $SIZE_MIB MiB of test data in $DIR" >&2
head -c $((SIZE_MIB * 1048576)) /dev/urandom > "$DIR/src.raw"
BYTES=$(stat -c %s "$DIR/src.raw")

# A token of its own for curl: a cached one may be of another devcloud at the same URL.
mkdir -p "$DIR/cache"
TOKEN=$(OSC_CACHE_DIR="$DIR/cache" "$OSC" --os-cloud "$CLOUD" token issue -f value -c id)
GLANCE=$("$OPENSTACK" --os-cloud "$CLOUD" catalog show image -f json \
  | python3 -c 'import json,sys; e=[x for x in json.load(sys.stdin)["endpoints"] if x["interface"]=="public"]; print(e[0]["url"].rstrip("/"))')

# measure LABEL CMD... — runs CMD under GNU time; appends "label wall_s maxrss_kib" to $DIR/results
measure() {
  local label=$1; shift
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$@" > "$DIR/cmd.out" 2> "$DIR/cmd.err" || {
    echo "bench: $label failed:" >&2; cat "$DIR/cmd.err" >&2; exit 1; }
  read -r wall rss < "$DIR/time.txt"
  echo "$label $wall $rss" >> "$DIR/results"
}

image_id_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$DIR/cmd.out"; }
cleanup_image() { "$OSC" --os-cloud "$CLOUD" image delete "$1" >/dev/null 2>&1 || true; }

: > "$DIR/results"
for run in $(seq "$RUNS"); do
  # osc
  measure "osc-create" "$OSC" --os-cloud "$CLOUD" image create --disk-format raw --file "$DIR/src.raw" "bench-osc-$run" -f json
  id=$(image_id_of)
  measure "osc-save" "$OSC" --os-cloud "$CLOUD" image save --file "$DIR/out.raw" "$id"
  cmp -s "$DIR/src.raw" "$DIR/out.raw" || { echo "bench: osc saved different data" >&2; exit 1; }
  rm -f "$DIR/out.raw"; cleanup_image "$id"

  # python-openstackclient
  measure "openstack-create" "$OPENSTACK" --os-cloud "$CLOUD" image create --disk-format raw --file "$DIR/src.raw" "bench-os-$run" -f json
  id=$(image_id_of)
  measure "openstack-save" "$OPENSTACK" --os-cloud "$CLOUD" image save --file "$DIR/out.raw" "$id"
  cmp -s "$DIR/src.raw" "$DIR/out.raw" || { echo "bench: openstack saved different data" >&2; exit 1; }
  rm -f "$DIR/out.raw"; cleanup_image "$id"

  # curl: the raw HTTP floor (no hashing, no verification; token obtained beforehand)
  curl -sS --fail-with-body -X POST -H "X-Auth-Token: $TOKEN" -H "Content-Type: application/json" \
    -d "{\"name\": \"bench-curl-$run\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}" \
    "$GLANCE/v2/images" > "$DIR/cmd.out" || {
    echo "bench: curl could not create the image record at $GLANCE/v2/images:" >&2; cat "$DIR/cmd.out" >&2; exit 1; }
  id=$(image_id_of)
  measure "curl-create" curl -sf -X PUT -H "X-Auth-Token: $TOKEN" -H "Content-Type: application/octet-stream" \
    -T "$DIR/src.raw" "$GLANCE/v2/images/$id/file"
  measure "curl-save" curl -sf -H "X-Auth-Token: $TOKEN" -o "$DIR/out.raw" "$GLANCE/v2/images/$id/file"
  cmp -s "$DIR/src.raw" "$DIR/out.raw" || { echo "bench: curl saved different data" >&2; exit 1; }
  rm -f "$DIR/out.raw"; cleanup_image "$id"
done

python3 - "$DIR/results" "$BYTES" "$RUNS" <<'PY'
import sys, statistics
path, size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = {}
for line in open(path):
    label, wall, rss = line.split()
    rows.setdefault(label, []).append((float(wall), int(rss)))
print(f"Image size {size/1048576:.0f} MiB, {runs} run(s), median shown; throughput = size / wall time.\n")
print("| Operation | Client | Wall time (s) | Throughput (MiB/s) | Peak RSS (MiB) |")
print("|---|---|---:|---:|---:|")
for op, verb in (("create", "`image create --file`"), ("save", "`image save --file`")):
    for client in ("osc", "openstack", "curl"):
        v = rows.get(f"{client}-{op}")
        if not v:
            continue
        wall = statistics.median(w for w, _ in v)
        rss = max(r for _, r in v) / 1024
        print(f"| {verb} | {client} | {wall:.2f} | {size/1048576/wall:.0f} | {rss:.1f} |")
PY

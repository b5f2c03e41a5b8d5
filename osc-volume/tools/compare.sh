#!/bin/bash
# Compare osc with python-openstackclient against mock_cinder.py (a canned, recording
# Keystone+Cinder): start it with `python3 mock_cinder.py 18999 $WORK/req.log`, then
# `compare.sh volume show vol1 -f json` prints whether requests and output match.
mkdir -p ${WORK:-/tmp/mockcinder}
# usage: cmp.sh <args...>  — runs osc and openstack against the mock, diffs requests and JSON.
export OS_CLIENT_CONFIG_FILE=$(dirname "$0")/mock_clouds.yaml OSC_CACHE_DIR=${WORK:-/tmp/mockcinder}/cache
unset $(env | grep ^OS_ | grep -v OS_CLIENT_CONFIG_FILE | cut -d= -f1) 2>/dev/null
L=${WORK:-/tmp/mockcinder}/req.log
: > $L; /work/main/target/debug/osc --os-cloud mock "$@" > ${WORK:-/tmp/mockcinder}/ours.out 2>${WORK:-/tmp/mockcinder}/ours.err; r1=$?
cp $L ${WORK:-/tmp/mockcinder}/ours.req
: > $L; ~/.local/share/osc-devcloud/venv/bin/openstack --os-cloud mock "$@" > ${WORK:-/tmp/mockcinder}/theirs.out 2>${WORK:-/tmp/mockcinder}/theirs.err; r2=$?
cp $L ${WORK:-/tmp/mockcinder}/theirs.req
filt() { grep -v '"p": "/volume/v3/"' "$1" | grep -v '"p": "/volume/v3/proj1/\?"' | grep -v '"p": "/volume/\?"' | grep -v '"p": "/compute' ; }
echo "== $* (rc osc=$r1 openstack=$r2)"
diff <(filt ${WORK:-/tmp/mockcinder}/ours.req) <(filt ${WORK:-/tmp/mockcinder}/theirs.req) > ${WORK:-/tmp/mockcinder}/req.diff && echo "requests: same" || { echo "requests differ:"; cat ${WORK:-/tmp/mockcinder}/req.diff; }
if python3 -c "import json,sys; a=json.load(open('${WORK:-/tmp/mockcinder}/ours.out')); b=json.load(open('${WORK:-/tmp/mockcinder}/theirs.out')); sys.exit(0 if a==b else 1)" 2>/dev/null; then echo "output: same JSON"; else diff ${WORK:-/tmp/mockcinder}/ours.out ${WORK:-/tmp/mockcinder}/theirs.out > /dev/null && echo "output: same" || { echo "output differs:"; diff ${WORK:-/tmp/mockcinder}/ours.out ${WORK:-/tmp/mockcinder}/theirs.out | head -20; head -3 ${WORK:-/tmp/mockcinder}/ours.err ${WORK:-/tmp/mockcinder}/theirs.err; }; fi

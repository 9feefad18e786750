#!/bin/bash
# One device call's worth of host-time measurements (bench/host_time.ts) with cuDNN beside them, the
# SM clock logged every 200 ms through both. Needs a folder GPU (default .gpu) holding on-device.sh,
# the webgpu package, host_time.cjs (bench/host_time.ts bundled, webgpu external) and cudnn_rnn.py.
# Results under $BENCH_OUT (default bench/results): host-time-$CARD.jsonl, cudnn-host-time-$CARD.jsonl,
# clocks-host-time-$CARD.csv.
set -euo pipefail
gpu="${GPU:-.gpu}"
card="${CARD:-$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1 | grep -oiE '[a-z][0-9]{2,4}' | head -1 | tr A-Z a-z)}"
out="${BENCH_OUT:-bench/results}"
shapes='[[1,100,64,128],[32,100,256,256],[64,256,512,512],[1,1000,128,128],[1,672,32,32],[16,50,1024,1024],[1,1,256,256],[8,1,512,512]]'
mkdir -p "$out"
rm -f "$out/host-time-$card.jsonl" "$out/cudnn-host-time-$card.jsonl"
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw --format=csv -lms 200 > "$out/clocks-host-time-$card.csv" &
clocks=$!
trap 'kill $clocks 2>/dev/null || true' EXIT
echo "node start $(date +%T.%N)"
HOST_TIME_OUT="$out/host-time-$card.jsonl" SHAPES="${SHAPES:-$shapes}" bash "$gpu/on-device.sh" node "${BUNDLE:-$gpu/host_time.cjs}"
echo "cudnn start $(date +%T.%N)"
SHAPES="${SHAPES:-$shapes}" CUDNN_OUT="$out/cudnn-host-time-$card.jsonl" PYTHONUNBUFFERED=1 python3 "$gpu/cudnn_rnn.py"
echo "end $(date +%T.%N)"

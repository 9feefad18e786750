#!/bin/bash
# The full GPU benchmark in one call on a machine with an NVIDIA GPU and PyTorch: the Node benchmark
# (webgpu rows: matrix, sequence and image; Dawn on the GPU's Vulkan driver), then PyTorch on the same
# card (cuDNN for the matrix rows, the sequence rows and the image variant's per-step loop), one after
# the other. Results go to $BENCH_OUT (default bench/results): node-$CARD.json and cudnn-$CARD.jsonl,
# the pair bench/charts.ts draws; node-$CARD.log (the printed tables, the sequence and image rows
# included), torch-sequence-$CARD.txt and torch-conv-$CARD.txt; clocks-$CARD.csv, the SM clock.
#
# Needs, beside this repository: a folder GPU (default .gpu) holding bench.cjs (the bundle
# `npm run bench:build` writes to build/bench.cjs), the `webgpu` package under node_modules/, and
# on-device.sh, which puts Node.js and the Vulkan loader in place and runs its arguments.
# Usage:  GPU=.gpu bash bench/device_run.sh   (BUNDLE=path picks another bundle)
set -euo pipefail
gpu="${GPU:-.gpu}"
# The card as the results files name it: h100, h200, ... (from nvidia-smi unless CARD is set).
card="${CARD:-$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1 | grep -oiE '[a-z][0-9]{2,4}' | head -1 | tr A-Z a-z)}"
export BENCH_OUT="${BENCH_OUT:-bench/results}" BACKENDS="${BACKENDS:-webgpu}"
full='[[1,100,64,128],[32,100,256,256],[64,256,512,512],[1,1000,128,128],[1,672,32,32],[16,50,1024,1024]]'
mkdir -p "$BENCH_OUT"
rm -f "$BENCH_OUT/cudnn-$card.jsonl"
# The SM clock through the run, every 200 ms: GPU times depend on it (bench/gpu_clocks.ts).
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw --format=csv -lms 200 > "$BENCH_OUT/clocks-$card.csv" &
clocks=$!
trap 'kill $clocks 2>/dev/null || true' EXIT
BENCH_ENV="node-$card" SHAPES="${SHAPES:-$full}" bash "$gpu/on-device.sh" node "${BUNDLE:-$gpu/bench.cjs}" 2>&1 |
  tee "$BENCH_OUT/node-$card.log"
SHAPES="${SHAPES:-$full}" CUDNN_OUT="$BENCH_OUT/cudnn-$card.jsonl" PYTHONUNBUFFERED=1 python3 "$(dirname "$0")/cudnn_rnn.py"
# PyTorch's side of the sequence and image rows (their own shapes: SHAPES is the matrix rows').
env -u SHAPES PYTHONUNBUFFERED=1 python3 "$(dirname "$0")/torch_sequence.py" | tee "$BENCH_OUT/torch-sequence-$card.txt"
env -u SHAPES PYTHONUNBUFFERED=1 python3 "$(dirname "$0")/torch_conv_rnn.py" | tee "$BENCH_OUT/torch-conv-$card.txt"

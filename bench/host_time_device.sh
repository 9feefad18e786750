#!/bin/bash
# Issue 20's GPU table in one call on a machine with an NVIDIA GPU, every figure from the same card:
#   1. our op, call to data at natural clocks and GPU time with and without bursts (host_time.cjs,
#      bench/host_time.ts), then each variant bundle host_time-<name>.cjs named in VARIANTS;
#   1b. whether tfjs' readback is the floor: data() against a plain map of the same buffer
#      (fast_read.cjs, bench/fast_read.ts);
#   2. ONNX Runtime Web's wasm RNN on the CPU at the same shapes (host_time_ort.cjs);
#   3. the per-program GPU time of our op (gpu_breakdown.cjs; BREAKDOWN=0 skips it), and the floor
#      under a latency-bound step without tfjs (step_floor.cjs);
#   4. torch.nn.RNN through cuDNN at the same shapes (cudnn_rnn.py), last: its loops raise the clocks.
# The SM clock is logged every 200 ms throughout, and each step's start is marked so the report can
# tell the clocks each step ran at. Where there is no nvidia-smi or no PyTorch with CUDA, those parts
# are skipped with a line saying so (a machine without a GPU runs the rest on SwiftShader).
#
# Runs from the folder bench/stage_host_time.sh packs (this script, on-device.sh, Node.js, the
# webgpu package, the bundles, ONNX Runtime's wasm files); GPU=folder points elsewhere.
# Environment: BENCH_OUT (default bench/results), CARD (default from nvidia-smi: h100, h200, ...),
# RUN (a name for this call, e.g. run4: files are named <what>-host-time-<RUN>-<CARD>), SHAPES and RUNS
# (passed to every step; by default each peer runs at the shapes host_time.ts ran), BREAKDOWN_SHAPES,
# VARIANTS="a b", STEP_LIMIT_S (each step's time limit, default 150), PACK=file.tar (all of this
# call's files in one tar at the end, also after a failed step).
set -uo pipefail
gpu="${GPU:-$(cd "$(dirname "$0")" && pwd)}"
have() { command -v "$1" >/dev/null 2>&1; }

# On the GPU machine, once for every step: the Vulkan loader, NVIDIA's driver files and Node.js.
if [ -z "${HOST_TIME_ON_DEVICE:-}" ] && have nvidia-smi; then
  HOST_TIME_ON_DEVICE=1 exec bash "$gpu/on-device.sh" bash "$gpu/host_time_device.sh" "$@"
fi
if ! have nvidia-smi; then
  echo "No nvidia-smi: no NVIDIA GPU here, so no SM clock log and no cuDNN; Node.js from PATH."
  export NODE_PATH="$gpu/node_modules"
fi

card="${CARD:-$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 | grep -oiE '[a-z][0-9]{2,4}' | head -1 | tr A-Z a-z)}"
card="${card:-nogpu}"
tag="host-time-${RUN:+$RUN-}$card"
out="${BENCH_OUT:-bench/results}"
limit="${STEP_LIMIT_S:-150}"
mkdir -p "$out"
files=()
# Each file this call writes: emptied now, listed for the tar.
claim() { : > "$out/$1"; files+=("$1"); }
claim "$tag.log"
# Everything printed goes to the log too; the original output is kept on 3 to close the log before packing.
exec 3>&1 > >(tee -a "$out/$tag.log") 2>&1
logger=$!
claim "run-$tag.json"
claim "phases-$tag.tsv"
failed=()
pack() {
  [ -n "${clocks:-}" ] && kill "$clocks" 2>/dev/null
  exec 1>&3 2>&3
  wait "$logger" 2>/dev/null
  if [ -n "${PACK:-}" ]; then tar -C "$out" -cf "$PACK" "${files[@]}" && echo "packed ${files[*]} into $PACK"; fi
}
trap pack EXIT

# The moment each step starts, in nvidia-smi's timestamp format (same clock, same machine).
mark() { printf '%s\t%s\n' "$1" "$(date '+%Y/%m/%d %H:%M:%S.%3N')" >> "$out/phases-$tag.tsv"; }
# step NAME COMMAND...: runs it within the limit; a failure is reported and the call goes on.
step() {
  local name="$1"
  shift
  mark "$name"
  echo "== $name ($(date +%T))"
  if ! timeout "$limit" "$@"; then
    echo "== $name FAILED (exit status or time limit of ${limit} s)"
    failed+=("$name")
  fi
}

if have nvidia-smi; then
  IFS=, read -r gpu_name driver < <(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1)
  driver="${driver# }"
  claim "clocks-$tag.csv"
  nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw --format=csv -lms 200 > "$out/clocks-$tag.csv" &
  clocks=$!
fi
printf '{"card":"%s","driver":"%s","date":"%s","node":"%s","cpu":"%s","variants":"%s"}\n' \
  "${gpu_name:-none}" "${driver:-none}" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(node --version)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" "${VARIANTS:-}" \
  > "$out/run-$tag.json"

claim "$tag.jsonl"
HOST_TIME_OUT="$out/$tag.jsonl" step ours node "$gpu/host_time.cjs"
for variant in ${VARIANTS:-}; do
  claim "host-time-$variant-${RUN:+$RUN-}$card.jsonl"
  HOST_TIME_OUT="$out/host-time-$variant-${RUN:+$RUN-}$card.jsonl" step "ours-$variant" node "$gpu/host_time-$variant.cjs"
done

claim "fast-read-$tag.log"
step fast-read bash -c "node '$gpu/fast_read.cjs' | tee '$out/fast-read-$tag.log'"

# The peers run at the shapes ours ran, unless SHAPES says otherwise.
if [ -z "${SHAPES:-}" ]; then
  SHAPES="$(node -e 'const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
console.log(JSON.stringify(rows.map((r) => [r.B, r.T, r.I, r.H])));' "$out/$tag.jsonl")"
  export SHAPES
fi
echo "peer shapes: $SHAPES"

claim "ort-$tag.jsonl"
ORT_OUT="$out/ort-$tag.jsonl" ORT_WASM_DIR="$gpu/ort" step ort node "$gpu/host_time_ort.cjs"

if [ "${BREAKDOWN:-1}" != 0 ]; then
  claim "gpu-breakdown-$tag.jsonl"
  BREAKDOWN_SHAPES="${BREAKDOWN_SHAPES:-$SHAPES}" BREAKDOWN_OUT="$out/gpu-breakdown-$tag.jsonl" step breakdown node "$gpu/gpu_breakdown.cjs"
fi

# The floor under a latency-bound step on this card, without tfjs (bench/step_floor.ts).
claim "step-floor-$tag.log"
step step-floor bash -c "node '$gpu/step_floor.cjs' > '$out/step-floor-$tag.log'"

if have python3 && python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  claim "cudnn-$tag.jsonl"
  CUDNN_OUT="$out/cudnn-$tag.jsonl" PYTHONUNBUFFERED=1 step cudnn python3 "$gpu/cudnn_rnn.py"
else
  echo "No PyTorch with CUDA here: no cuDNN rows."
fi
mark end
echo "== end ($(date +%T))${failed[*]:+; failed: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]

#!/bin/bash
# Packs what bench/host_time_device.sh needs on the GPU machine into one archive,
# .gpu/pack/host-time.tar.xz, to be carried alone (carry [".gpu/pack"]): the device machine has no
# network and no npm, and what travels must stay under 64 MiB, which .gpu/ with ONNX Runtime's wasm
# binary beside it exceeds uncompressed.
#   1. ../shared/device/stage.sh fills .gpu/ (Node.js, the Vulkan loader, the webgpu package,
#      on-device.sh);
#   2. the bundles (webgpu left external): host_time.cjs, host_time_ort.cjs (ONNX Runtime Web's Node
#      build inside), gpu_breakdown.cjs (class names kept: they are the program names), step_floor.cjs,
#      fast_read.cjs;
#   3. ONNX Runtime's plain SIMD wasm and its loader into .gpu/ort/ (the only pair a one-thread
#      session in Node loads), this repository's cudnn_rnn.py and host_time_device.sh;
#   4. all of .gpu/ (variant bundles host_time-<name>.cjs put there first included) into the archive.
# On the device:  tar -xJf .gpu/pack/host-time.tar.xz -C /tmp && BENCH_OUT=... bash /tmp/.gpu/host_time_device.sh
set -euo pipefail
root="$(git rev-parse --show-toplevel)"
cd "$root"
stage="$root/../shared/device/stage.sh"
if [ -d .git ]; then
  "$stage"
else
  # A linked worktree: stage.sh records .gpu/ in .git/info/exclude, which a worktree's .git file has
  # no room for, so it stages in a scratch repository (given this tree's node_modules) and .gpu/
  # comes back here. The worktrees share the main checkout's exclude list, where stage.sh put .gpu/.
  scratch="$(mktemp -d)"
  git init -q "$scratch"
  ln -s "$root/node_modules" "$scratch/node_modules"
  [ -d .gpu ] && cp -a .gpu "$scratch/"
  (cd "$scratch" && "$stage")
  rm -rf .gpu
  mv "$scratch/.gpu" .gpu
  rm -rf "$scratch"
fi
git check-ignore -q .gpu/pack || { echo ".gpu/ is not ignored here: add /.gpu/ to the exclude list first" >&2; exit 1; }

bundle() {
  npx esbuild --bundle --platform=node --format=cjs --main-fields=module,main --external:webgpu \
    --alias:tfjs-single-gate-rnn=./src/index.ts --log-level=error "$@"
}
bundle bench/host_time.ts --outfile=.gpu/host_time.cjs
# The package's "node" entry for import is an ES module that needs import.meta.url; its CommonJS twin
# bundles.
bundle --alias:onnxruntime-web=./node_modules/onnxruntime-web/dist/ort.node.min.js bench/host_time_ort.ts \
  --outfile=.gpu/host_time_ort.cjs
bundle --keep-names bench/gpu_breakdown.ts --outfile=.gpu/gpu_breakdown.cjs
bundle bench/step_floor.ts --outfile=.gpu/step_floor.cjs
bundle bench/fast_read.ts --outfile=.gpu/fast_read.cjs
mkdir -p .gpu/ort .gpu/pack
cp node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm .gpu/ort/
# stage.sh's copy of cudnn_rnn.py is read-only; this repository's writes CUDNN_OUT.
chmod -f u+w .gpu/cudnn_rnn.py .gpu/host_time_device.sh || true
cp bench/cudnn_rnn.py bench/host_time_device.sh .gpu/

rm -f .gpu/pack/host-time.tar.xz
tar -cf - --exclude=.gpu/pack .gpu | xz -T2 -6 > .gpu/pack/host-time.tar.xz
ls -l .gpu/*.cjs
echo "archive: $(du -b .gpu/pack/host-time.tar.xz | cut -f1) bytes; working tree: $(git ls-files -z --cached --others --exclude-standard | xargs -0 cat 2>/dev/null | wc -c) bytes"

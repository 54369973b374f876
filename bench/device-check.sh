#!/usr/bin/env bash
# Issue 17's one command on a lent GPU machine: carry .device (node scripts/bundle-device-bench.mjs)
# and .gl (the Vulkan loader debs), then `bash bench/device-check.sh`. Prints the goal table and a
# JSON line; with $OUT set (the device tool) the log comes back as $OUT/issue17.log too.
# Extra arguments pass on to bench.mjs: `--quick --torch-device cpu` tries it on a machine without a GPU.
cd "$(dirname "$0")/.." || exit 2
source bench/device-setup.sh || exit 2
# Where the loader finds no NVIDIA driver in its usual folders, point it at the one the machine has.
nv=/usr/local/nvidia/share
if [ -z "$VK_DRIVER_FILES" ] && [ -f $nv/vulkan/icd.d/nvidia_icd.json ] && ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
  export VK_DRIVER_FILES=$nv/vulkan/icd.d/nvidia_icd.json __EGL_VENDOR_LIBRARY_FILENAMES=$nv/glvnd/egl_vendor.d/10_nvidia.json
fi
# The Dawn, Vulkan and driver lines come first: they say which adapter the numbers are of.
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null
set -o pipefail
/tmp/node .device/bench.mjs --issue17 "$@" 2>&1 | tee "${OUT:-/tmp}/issue17.log"

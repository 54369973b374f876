# Sourced at the start of a device run (see scripts/bundle-device-bench.mjs): unpacks Node, Dawn and
# onnxruntime from the carried .device folder, and the Vulkan/EGL loaders from .gl when carried.
set -e
D=$(pwd)/.device
[ -x /tmp/node ] || xz -dc $D/node.xz > /tmp/node && chmod +x /tmp/node
ORT=$D/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1
[ -f $ORT ] || xz -dc $D/libonnxruntime.so.1.xz > $ORT
DAWN=$D/node_modules/webgpu/dist/linux-x64/dawn.node
[ -f $DAWN ] || xz -dc $DAWN.xz > $DAWN
if [ -d .gl ] && ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in .gl/*.deb; do dpkg -x $f /; done
  ldconfig
fi
export GROKKING_LAB_WASM_DIR=$D/wasm/ GROKKING_LAB_WORKER_SCRIPT=$D/worker.mjs GROKKING_LAB_TORCH_SCRIPT=$(pwd)/bench/reference/grokking_reference.py
set +e

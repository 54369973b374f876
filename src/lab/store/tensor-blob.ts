/** Float32 tensor data as a little-endian BLOB (no copy). */
export function float32ToBlob(data: Float32Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
}

/** A BLOB back to Float32Array; copies, since SQLite's buffer need not be 4-byte aligned. */
export function blobToFloat32(blob: Buffer): Float32Array {
  if (blob.byteLength % 4 !== 0) throw new Error(`tensor blob of ${blob.byteLength} bytes is not float32 data`)
  const out = new Float32Array(blob.byteLength / 4)
  new Uint8Array(out.buffer).set(blob)
  return out
}

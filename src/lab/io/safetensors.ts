import fs from 'node:fs'
import os from 'node:os'
import { LabError } from '../../shared/lab-error'
import type { TensorData } from '../training/trainer'

/**
 * The safetensors format (https://github.com/huggingface/safetensors): a little-endian u64 N,
 * N bytes of JSON header {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?},
 * then the raw little-endian tensor bytes, offsets relative to the start of that data.
 */

/** Bytes per element of every dtype the format defines; only the floats are decoded. */
const ITEM_SIZE: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8,
}
export const DECODED_DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const

/** The reference implementation refuses larger headers; so do we, to fail fast on junk. */
const MAX_HEADER_BYTES = 100_000_000

export interface SafetensorsEntry {
  name: string
  dtype: string
  shape: number[]
  /** Byte range inside the data section. */
  begin: number
  end: number
}

export interface SafetensorsFile {
  metadata: Record<string, string>
  /** Entries in header order. */
  entries: SafetensorsEntry[]
  /** A tensor's values as float32 (F32 bytes copied exactly); throws LabError for other dtypes. */
  read(name: string): Float32Array
}

/** A tensor as raw little-endian bytes, for writing any dtype. */
export interface RawTensor {
  name: string
  dtype: string
  shape: number[]
  bytes: Uint8Array
}

const LITTLE_ENDIAN_HOST = os.endianness() === 'LE'

/** Parses and validates a safetensors file's bytes; `source` names it in errors. */
export function parseSafetensors(bytes: Uint8Array, source = 'the file'): SafetensorsFile {
  const notSafetensors = (why: string) => new LabError(`${source} is not a valid safetensors file: ${why}`)
  if (bytes.byteLength < 8) throw notSafetensors(`it holds ${bytes.byteLength} bytes, fewer than the 8-byte header length`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = view.getBigUint64(0, true)
  if (headerLength > BigInt(MAX_HEADER_BYTES)) throw notSafetensors(`header length ${headerLength} bytes is implausible`)
  const n = Number(headerLength)
  if (8 + n > bytes.byteLength) {
    throw notSafetensors(`header length ${n} bytes but only ${bytes.byteLength - 8} follow (truncated?)`)
  }
  let header: unknown
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)))
  } catch {
    throw notSafetensors('the header is not UTF-8 JSON')
  }
  if (!isObject(header)) throw notSafetensors('the header is not a JSON object')
  const data = bytes.subarray(8 + n)
  const metadata = parseMetadata(header.__metadata__, notSafetensors)
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, info]) => parseEntry(name, info, data.byteLength, notSafetensors))
  // Tensors may not share bytes: a file whose tensors overlap was not written by a safetensors writer.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].begin < sorted[i - 1].end) throw notSafetensors(`tensors '${sorted[i - 1].name}' and '${sorted[i].name}' overlap (bytes ${sorted[i].begin}..${sorted[i - 1].end})`)
  }
  const byName = new Map(entries.map((e) => [e.name, e]))
  return {
    metadata,
    entries,
    read(name: string): Float32Array {
      const entry = byName.get(name)
      if (!entry) throw new LabError(`${source} has no tensor '${name}'`)
      return decode(entry, data.subarray(entry.begin, entry.end), source)
    },
  }
}

function parseMetadata(raw: unknown, fail: (why: string) => LabError): Record<string, string> {
  if (raw === undefined) return {}
  if (!isObject(raw) || Object.values(raw).some((v) => typeof v !== 'string')) {
    throw fail('__metadata__ must map strings to strings')
  }
  return raw as Record<string, string>
}

function parseEntry(name: string, info: unknown, dataLength: number, fail: (why: string) => LabError): SafetensorsEntry {
  if (!isObject(info)) throw fail(`tensor '${name}' is not described by an object`)
  const { dtype, shape, data_offsets: offsets } = info
  if (typeof dtype !== 'string' || !(dtype in ITEM_SIZE)) throw fail(`tensor '${name}' has unknown dtype ${JSON.stringify(dtype)}`)
  const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0
  if (!Array.isArray(shape) || !shape.every(isCount)) throw fail(`tensor '${name}' has a bad shape ${JSON.stringify(shape)}`)
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw fail(`tensor '${name}' has bad data_offsets ${JSON.stringify(offsets)}`)
  }
  const [begin, end] = offsets as [number, number]
  if (end > dataLength) {
    throw fail(`tensor '${name}' needs data bytes ${begin}..${end} but the data section holds ${dataLength} (truncated?)`)
  }
  const expected = shape.reduce((a: number, b: number) => a * b, 1) * ITEM_SIZE[dtype]
  if (end - begin !== expected) {
    throw fail(`tensor '${name}' (${dtype} [${shape.join(', ')}]) needs ${expected} bytes but data_offsets span ${end - begin}`)
  }
  return { name, dtype, shape: shape as number[], begin, end }
}

function decode(entry: SafetensorsEntry, bytes: Uint8Array, source: string): Float32Array {
  const count = bytes.byteLength / ITEM_SIZE[entry.dtype]
  const out = new Float32Array(count)
  // Copy F32 bytes rather than going through numbers, so NaN payloads survive: bit for bit.
  if (entry.dtype === 'F32' && LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer).set(bytes)
    return out
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  switch (entry.dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true)
      return out
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true)
      return out
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true))
      return out
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = new Uint32Array(out.buffer)
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16
      return out
    }
  }
  throw new LabError(`${source}: tensor '${entry.name}' is ${entry.dtype}; only ${DECODED_DTYPES.join(', ')} tensors can be read`)
}

/** IEEE 754 binary16 bits to the number they encode (exact: every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >> 10) & 0x1f
  const frac = h & 0x3ff
  if (exp === 0) return sign * frac * 2 ** -24
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY
  return sign * (1 + frac / 1024) * 2 ** (exp - 15)
}

/** Serializes raw tensors in the given order, header padded with spaces to 8 bytes as the reference writer does. */
export function serializeRaw(tensors: RawTensor[], metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = {}
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata
  let offset = 0
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header) throw new LabError(`cannot write tensor name '${t.name}' twice or as a reserved name`)
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.byteLength] }
    offset += t.bytes.byteLength
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8')
  if (json.byteLength % 8) json = Buffer.concat([json, Buffer.alloc(8 - (json.byteLength % 8), ' ')])
  const length = Buffer.alloc(8)
  length.writeBigUInt64LE(BigInt(json.byteLength))
  return Buffer.concat([length, json, ...tensors.map((t) => t.bytes)])
}

/** Serializes float32 tensors as F32 safetensors, bit for bit. */
export function serializeFloat32(tensors: TensorData[], metadata: Record<string, string> = {}): Buffer {
  return serializeRaw(
    tensors.map((t) => {
      const size = t.shape.reduce((a, b) => a * b, 1)
      if (size !== t.data.length) throw new Error(`tensor ${t.name}: shape [${t.shape}] has ${size} elements, data ${t.data.length}`)
      return { name: t.name, dtype: 'F32', shape: t.shape, bytes: float32Bytes(t.data) }
    }),
    metadata,
  )
}

function float32Bytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  const out = new Uint8Array(data.byteLength)
  const view = new DataView(out.buffer)
  data.forEach((v, i) => view.setFloat32(4 * i, v, true))
  return out
}

/** Reads and parses a safetensors file; LabError when it cannot be read or is not valid. */
export function readSafetensorsFile(file: string): SafetensorsFile {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch (e) {
    throw new LabError(`cannot read ${file}: ${(e as Error).message}`)
  }
  return parseSafetensors(bytes, file)
}

/** Writes float32 tensors to `file` as safetensors; LabError when it cannot be written. */
export function writeSafetensorsFile(file: string, tensors: TensorData[], metadata: Record<string, string> = {}): void {
  const bytes = serializeFloat32(tensors, metadata)
  try {
    fs.writeFileSync(file, bytes)
  } catch (e) {
    throw new LabError(`cannot write ${file}: ${(e as Error).message}`)
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../../test/helpers/temp-dir'
import { halfToFloat, parseSafetensors, readSafetensorsFile, serializeFloat32, serializeRaw, writeSafetensorsFile } from './safetensors'

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))

/** A file laid out by hand, as Python's safetensors writes one: header padded with spaces. */
function handMade(header: object, data: number[]): Buffer {
  let json = Buffer.from(JSON.stringify(header))
  if (json.length % 8) json = Buffer.concat([json, Buffer.alloc(8 - (json.length % 8), ' ')])
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(BigInt(json.length))
  return Buffer.concat([len, json, Buffer.from(data)])
}

describe('safetensors', () => {
  const tempDir = useTempDir()

  it('writes F32 tensors and reads them back bit for bit, NaN payloads and -0 included', () => {
    const odd = new Float32Array(new Uint32Array([0x7fc00001, 0xffbadbad, 0x80000000, 0x7f800000, 0x00000001, 0x3f800000]).buffer)
    const tensors = [
      { name: 'a', shape: [2, 3], data: odd },
      { name: 'scalar', shape: [], data: new Float32Array([Math.PI]) },
      { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
    ]
    const bytes = serializeFloat32(tensors, { format: 'test' })
    const headerLength = Number(bytes.readBigUInt64LE(0))
    expect(headerLength % 8).toBe(0)
    expect(bytes.length).toBe(8 + headerLength + 4 * 7)
    const file = parseSafetensors(bytes)
    expect(file.metadata).toEqual({ format: 'test' })
    expect(file.entries.map((e) => [e.name, e.dtype, e.shape])).toEqual([['a', 'F32', [2, 3]], ['scalar', 'F32', []], ['empty', 'F32', [0, 4]]])
    expect(bits(file.read('a'))).toEqual(bits(odd))
    expect(file.read('scalar')[0]).toBe(Math.fround(Math.PI))
    expect(file.read('empty').length).toBe(0)
  })

  it('reads a hand-laid file with F16, BF16 and F64 tensors as float32', () => {
    const f16 = [0x3c00, 0xc000, 0x0001, 0x7bff, 0xfc00, 0x3555] // 1, -2, 2^-24, 65504, -inf, ≈1/3
    const bf16 = [0x3f80, 0xc0a0] // 1, -5
    const f64 = new Float64Array([0.1, -1e300])
    const le16 = (v: number[]) => v.flatMap((x) => [x & 0xff, x >> 8])
    const data = [...le16(f16), ...le16(bf16), ...new Uint8Array(f64.buffer)]
    const header = {
      __metadata__: { format: 'pt' },
      half: { dtype: 'F16', shape: [6], data_offsets: [0, 12] },
      brain: { dtype: 'BF16', shape: [1, 2], data_offsets: [12, 16] },
      double: { dtype: 'F64', shape: [2], data_offsets: [16, 32] },
    }
    const file = parseSafetensors(handMade(header, data))
    expect(Array.from(file.read('half'))).toEqual([1, -2, 2 ** -24, 65504, -Infinity, 0.25 + 341 / 4096])
    expect(Array.from(file.read('brain'))).toEqual([1, -5])
    expect(Array.from(file.read('double'))).toEqual([Math.fround(0.1), -Infinity])
    expect(halfToFloat(0x7e00)).toBeNaN()
  })

  it('writes and reads a file on disk', () => {
    const file = path.join(tempDir(), 'w.safetensors')
    writeSafetensorsFile(file, [{ name: 'x', shape: [2], data: new Float32Array([1.5, -2]) }])
    expect(Array.from(readSafetensorsFile(file).read('x'))).toEqual([1.5, -2])
    expect(() => writeSafetensorsFile(path.join(file, 'sub.safetensors'), [])).toThrow(/cannot write/)
    expect(() => readSafetensorsFile(path.join(tempDir(), 'missing.safetensors'))).toThrow(/cannot read/)
  })

  describe('rejects broken files with a clear message', () => {
    const good = serializeFloat32([{ name: 'x', shape: [4], data: new Float32Array([1, 2, 3, 4]) }])
    const cases: [string, Buffer, RegExp][] = [
      ['shorter than 8 bytes', Buffer.from([1, 2, 3]), /fewer than the 8-byte header length/],
      ['a text file', Buffer.from('hello world, this is not a tensor file'), /header length .* (implausible|truncated)/],
      ['header cut short', good.subarray(0, 20), /truncated/],
      ['data cut short', good.subarray(0, good.length - 4), /needs data bytes 0\.\.16 .* holds 12 \(truncated\?\)/],
      ['header not JSON', handMade({}, []).fill(0x7b, 8), /not UTF-8 JSON/],
      ['header an array', (() => { const b = handMade({}, []); b.write('[]      ', 8); return b })(), /not a JSON object/],
      ['unknown dtype', handMade({ x: { dtype: 'F7', shape: [1], data_offsets: [0, 1] } }, [0]), /unknown dtype "F7"/],
      ['bad shape', handMade({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /bad shape/],
      ['offsets backwards', handMade({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, [0, 0, 0, 0]), /bad data_offsets/],
      ['length mismatch', handMade({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /needs 8 bytes but data_offsets span 4/],
      ['tensors overlapping', handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, new Array(12).fill(0)), /tensors 'a' and 'b' overlap \(bytes 4\.\.8\)/],
      ['a huge shape', handMade({ x: { dtype: 'F32', shape: [1e9, 1e9], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /needs 4000000000000000000 bytes but data_offsets span 4/],
      ['metadata not strings', handMade({ __metadata__: { n: 1 } }, []), /__metadata__ must map strings to strings/],
    ]
    for (const [label, bytes, message] of cases) {
      it(label, () => {
        expect(() => parseSafetensors(bytes, 'f.safetensors')).toThrow(message)
        expect(() => parseSafetensors(bytes, 'f.safetensors')).toThrow(/^f\.safetensors is not a valid safetensors file: /)
      })
    }
  })

  it('a fuzz corpus of mutated files: each is read or refused with one LabError, never a crash', () => {
    const good = serializeFloat32([
      { name: 'E', shape: [3, 4], data: new Float32Array(12).map((_, i) => i - 5) },
      { name: 'W', shape: [4, 2], data: new Float32Array(8).fill(0.5) },
    ])
    let seed = 12345
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n)
    let refused = 0
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(good)
      const kind = i % 4
      if (kind === 0) bytes[rand(bytes.length)] ^= 1 << rand(8) // a flipped bit anywhere
      else if (kind === 1) bytes.writeUInt32LE(rand(2 ** 32), 0) // a wild header length
      else if (kind === 2) for (let k = 0; k < 4; k++) bytes[8 + rand(bytes.readUInt32LE(0))] = rand(256) // header bytes
      const input = kind === 3 ? bytes.subarray(0, rand(bytes.length)) : bytes // truncated
      try {
        const file = parseSafetensors(input, 'fuzz')
        // What parses must read within the file: every tensor decodes to its declared size.
        for (const e of file.entries) if (['F32', 'F16', 'BF16', 'F64'].includes(e.dtype)) expect(file.read(e.name).length).toBe(e.shape.reduce((a, b) => a * b, 1))
      } catch (e) {
        expect((e as Error).name).toBe('LabError')
        refused++
      }
    }
    expect(refused).toBeGreaterThan(1000)
  })

  it('refuses to decode integer tensors, naming them', () => {
    const file = parseSafetensors(handMade({ mask: { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] } }, [1, 0]), 'm.safetensors')
    expect(file.entries[0]).toMatchObject({ name: 'mask', dtype: 'BOOL' })
    expect(() => file.read('mask')).toThrow(/tensor 'mask' is BOOL; only F32, F16, BF16, F64/)
    expect(() => file.read('nope')).toThrow(/no tensor 'nope'/)
  })

  it('refuses duplicate or reserved names when writing', () => {
    const t = { name: 'x', dtype: 'F32', shape: [1], bytes: new Uint8Array(4) }
    expect(() => serializeRaw([t, t])).toThrow(/twice/)
    expect(() => serializeRaw([{ ...t, name: '__metadata__' }])).toThrow(/reserved/)
  })

  it('matches a fixture written by the reference layout', () => {
    // The layout of the reference writer for {"x": [1., 2.]}: compact JSON, space padding, raw LE floats.
    const header = '{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'
    const padded = header + ' '.repeat((8 - (header.length % 8)) % 8)
    const expected = Buffer.concat([Buffer.from([padded.length, 0, 0, 0, 0, 0, 0, 0]), Buffer.from(padded), Buffer.from(new Float32Array([1, 2]).buffer)])
    expect(serializeFloat32([{ name: 'x', shape: [2], data: new Float32Array([1, 2]) }]).equals(expected)).toBe(true)
  })
})

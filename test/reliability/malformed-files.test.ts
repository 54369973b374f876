// Malformed files at the lab's doors. Weight files for `import` mangled where a checkpoint from
// elsewhere goes wrong (shapes, dtypes, offsets, sizes, truncation) are refused by the checks that
// run before the library is touched, with one LabError, and never allocate past the file (the
// bit-level fuzz of the parser itself is in src/lab/io/safetensors.test.ts). Library files that
// are not libraries, or are cut short, are refused with one line and left as they were.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../helpers/temp-dir'
import { embedMlpSpecs } from '../../src/lab/models/embed-mlp'
import { parseSafetensors, serializeFloat32 } from '../../src/lab/io/safetensors'
import { checkImport } from '../../src/lab/io/import-model'
import { isLabError } from '../../src/shared/lab-error'
import { smallLibrary } from './library-fixtures'
import { runMain } from './in-process-cli'
import { count } from './reliability-counts'

const P = 7

/** A sound embed-mlp checkpoint for p = 7, d 4, hidden 6. */
function goodFile(): Buffer {
  const specs = embedMlpSpecs({ p: P, d: 4, hidden: 6 })
  return serializeFloat32(specs.map((s, k) => ({ name: s.name, shape: s.shape, data: new Float32Array(s.shape.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i + k)) })))
}

/** The file's header and data, to mangle and put back together. */
function split(bytes: Buffer): { header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>; data: Buffer } {
  const n = Number(bytes.readBigUInt64LE(0))
  return { header: JSON.parse(bytes.subarray(8, 8 + n).toString()), data: bytes.subarray(8 + n) }
}

function join(header: object, data: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(header))
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(BigInt(json.length))
  return Buffer.concat([len, json, data])
}

/** Seeded mutations of a sound checkpoint, each a way a real one goes wrong. */
function* corpus(good: Buffer, n: number): Generator<[string, Buffer]> {
  let seed = 2026
  const rand = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % k)
  const names = Object.keys(split(good).header).filter((k) => k !== '__metadata__')
  for (let i = 0; i < n; i++) {
    const { header, data } = split(good)
    const name = names[rand(names.length)]
    const t = header[name]
    switch (i % 8) {
      case 0: // a shape that is not the model's, byte count kept
        t.shape = [...t.shape].reverse().concat([1, 1]).slice(0, t.shape.length + (rand(2) ? 1 : 0))
        if (t.shape.reduce((a, b) => a * b, 1) * 4 === t.data_offsets[1] - t.data_offsets[0]) t.shape = [t.shape.reduce((a, b) => a * b, 1) + 1]
        break
      case 1: // an integer or unknown dtype
        t.dtype = ['I32', 'U8', 'BOOL', 'F8_E4M3', 'Q4'][rand(5)]
        break
      case 2: // a shape whose bytes do not match its offsets
        t.shape = t.shape.map((d) => d + 1 + rand(3))
        break
      case 3: // overlapping offsets
        t.data_offsets = [Math.max(0, t.data_offsets[0] - 4 * (1 + rand(4))), t.data_offsets[1] - 4 * (1 + rand(4))]
        break
      case 4: // offsets past the end of the data
        t.data_offsets = [t.data_offsets[0], data.length + 4 * (1 + rand(1000))]
        break
      case 5: // a huge shape (10^12 elements) that must not be allocated
        t.shape = [1e6, 1e6]
        break
      case 6: // a missing tensor
        delete header[name]
        break
      case 7: // the data cut short
        yield [`truncated by ${1 + rand(64)} bytes`, good.subarray(0, good.length - 1 - rand(64))]
        continue
    }
    yield [`${['shape', 'dtype', 'bytes', 'overlap', 'past end', 'huge', 'missing', 'truncated'][i % 8]} of ${name}`, join(header, data)]
  }
}

describe('malformed files', () => {
  const tempDir = useTempDir()

  it('refuses every mangled checkpoint before the library, with one LabError, allocating nothing past the file', () => {
    const good = goodFile()
    expect(checkImport(parseSafetensors(good, 'good'), { model: 'embed-mlp', p: P }).tensors).toHaveLength(5)
    const heap = process.memoryUsage().heapUsed
    let refused = 0
    for (const [what, bytes] of corpus(good, 800)) {
      let error: unknown
      try {
        checkImport(parseSafetensors(bytes, 'mangled.safetensors'), { model: 'embed-mlp', p: P })
      } catch (e) {
        error = e
      }
      expect(isLabError(error), what).toBe(true)
      expect((error as Error).message, what).toMatch(/^[^\n]+$/)
      refused++
    }
    // 10^12-element shapes were declared 100 times: none of them was allocated.
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(200e6)
    count('malformed files refused', refused)
  })

  it('import refuses a mangled checkpoint in one line and does not create the library', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'lab.sqlite')
    const [, bytes] = [...corpus(goodFile(), 6)][5]
    fs.writeFileSync(path.join(dir, 'huge.safetensors'), bytes)
    const r = await runMain(['import', path.join(dir, 'huge.safetensors'), '--model', 'embed-mlp', '--p', String(P), '--db', db])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^grokking-lab: .*huge\.safetensors/)])
    expect(fs.existsSync(db)).toBe(false)
    count('malformed files refused', 1)
  })

  it('refuses library files that are not libraries or are cut short, and leaves them as they were', async () => {
    const dir = tempDir()
    const library = fs.readFileSync(smallLibrary(dir))
    const files: [string, Buffer, RegExp][] = [
      ['random.sqlite', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)), /is not a Grokking Lab database \(not a SQLite file\)/],
      ['header-only.sqlite', library.subarray(0, 100), /damaged|cannot use the run library|malformed|not a database/],
      ['half.sqlite', library.subarray(0, Math.floor(library.length / 2)), /damaged|cannot use the run library|malformed/],
      ['text.sqlite', Buffer.from('{"runs": []}\n'), /not a SQLite file/],
    ]
    for (const [name, bytes, message] of files) {
      const file = path.join(dir, name)
      fs.writeFileSync(file, bytes)
      const r = await runMain(['runs', '--db', file])
      expect(r.code, name).toBe(2)
      expect(r.stderr.trim().split('\n'), name).toEqual([expect.stringMatching(message)])
      expect(fs.readFileSync(file).equals(bytes), name).toBe(true)
    }
    count('malformed files refused', files.length)
  })
})

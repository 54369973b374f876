import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * How many threads tfjs-wasm should use here: every core up to 4, 1 when GROKKING_LAB_WASM_THREADS=1
 * (or any count it names), or when the wasm files come from a custom folder (a bundled app), where
 * tfjs only loads its single-threaded build.
 */
export function wasmThreadCount(): number {
  const fromEnv = Number(process.env.GROKKING_LAB_WASM_THREADS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  if (process.env.GROKKING_LAB_WASM_DIR) return 1
  return Math.min(4, os.availableParallelism?.() ?? os.cpus().length)
}

// Marks a Blob with the file that holds its text; the type survives the copy into a worker.
const MARK = 'grokking-file='
const fileOf = (blob: unknown): string | undefined => {
  const m = new RegExp(`${MARK}([0-9a-f]+)`).exec((blob as Blob | undefined)?.type ?? '')
  return m ? Buffer.from(m[1], 'hex').toString() : undefined
}

/**
 * Runs inside each wasm worker before tfjs's code: the same Blob-to-file redirection, and the Node
 * modules tfjs's bundle refers to by its own aliases (require$$N), which its worker code expects as
 * globals (in a browser that code never reaches them).
 */
const WORKER_PRELUDE = `var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), require$$4 = require('os'), commonjsGlobal = globalThis;
(() => {
  const original = URL.createObjectURL;
  URL.createObjectURL = (blob) => {
    const m = /${MARK}([0-9a-f]+)/.exec((blob && blob.type) || '');
    return m ? Buffer.from(m[1], 'hex').toString() : original(blob);
  };
  URL.revokeObjectURL = () => {};
})();
`

/**
 * Initializes tfjs-wasm's multi-threaded build in Node, which tfjs turns off there for two reasons
 * (ENGINE-NOTES.md): its workers load from `blob:` URLs, which Node's Worker refuses, and its thread
 * pool takes half the logical cores (assuming hyperthreads), so 2 CPUs give 1 thread. While `init`
 * runs, Blobs are written to temporary files that stand in for their URLs (in the workers too), and
 * os.cpus() reports enough cores for `threads`; everything is restored afterwards.
 */
export async function withWasmThreads<T>(
  wasm: { setThreadsCount(n: number): void },
  env: { set(flag: string, value: boolean): void },
  threads: number,
  init: () => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-wasm-'))
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  const OriginalBlob = globalThis.Blob
  const originalUrl = URL.createObjectURL
  const originalCpus = os.cpus
  let files = 0
  class FileBlob extends OriginalBlob {
    constructor(parts: ConstructorParameters<typeof Blob>[0] = [], options?: ConstructorParameters<typeof Blob>[1]) {
      const file = path.join(dir, `part-${files++}.js`)
      fs.writeFileSync(file, WORKER_PRELUDE + Array.from(parts, (x) => (typeof x === 'string' ? x : '')).join(''))
      super(parts, { ...options, type: `text/javascript;${MARK}${Buffer.from(file).toString('hex')}` })
    }
  }
  globalThis.Blob = FileBlob as typeof Blob
  URL.createObjectURL = (blob: Blob) => fileOf(blob) ?? originalUrl(blob)
  const cpus = originalCpus()
  os.cpus = () => Array.from({ length: Math.max(cpus.length, 2 * threads) }, (_, i) => cpus[i % cpus.length])
  try {
    env.set('WASM_HAS_MULTITHREAD_SUPPORT', true)
    wasm.setThreadsCount(threads)
    return await init()
  } finally {
    globalThis.Blob = OriginalBlob
    URL.createObjectURL = originalUrl
    os.cpus = originalCpus
  }
}

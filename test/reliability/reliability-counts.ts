// The reliability suite's counts. Vitest runs each file in its own process, so each file adds its
// counts to one JSON file per vitest run (keyed by the vitest process, every file's parent) and
// prints the totals so far when it ends: the last `reliability:` line printed is the whole suite's.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

const mine = new Map<string, number>()
const ledger = path.join(os.tmpdir(), `grokking-lab-reliability-${process.ppid}.json`)

/** Adds `n` to the suite's count `what` (e.g. 'kills survived'). */
export function count(what: string, n = 1): void {
  mine.set(what, (mine.get(what) ?? 0) + n)
}

/** The summary line of `totals`, in a fixed order of the known counts, then the rest. */
export function summaryLine(totals: Record<string, number>): string {
  const order = ['kills survived', 'malformed files refused', 'malformed configs refused', 'bad requests refused', 'concurrent writers', 'integrity checks ok']
  const keys = [...order.filter((k) => k in totals), ...Object.keys(totals).filter((k) => !order.includes(k)).sort()]
  return `reliability: ${keys.map((k) => `${k} ${totals[k]}`).join(', ')}`
}

// Ledgers of earlier runs are a few bytes each; those over a day old are cleared away.
for (const name of fs.readdirSync(os.tmpdir()).filter((n) => /^grokking-lab-reliability-\d+\.json$/.test(n))) {
  const file = path.join(os.tmpdir(), name)
  if (file !== ledger && Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 86_400_000) fs.rmSync(file, { force: true })
}

afterAll(() => {
  if (mine.size === 0) return
  let totals: Record<string, number> = {}
  try {
    totals = JSON.parse(fs.readFileSync(ledger, 'utf8'))
  } catch {
    // The first file of this run.
  }
  for (const [k, n] of mine) totals[k] = (totals[k] ?? 0) + n
  fs.writeFileSync(ledger, JSON.stringify(totals))
  console.log(summaryLine(totals))
})

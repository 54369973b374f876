// A fresh `grokking-lab serve` with its own library for each test, started as a user would start it,
// plus a small REST client (with the token) for arranging runs and checking what the page did.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base, expect, type Page } from '@playwright/test'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const BIN = path.join(root, 'bin', 'grokking-lab.mjs')
const URL_PATTERN = /https?:\/\/\S+token=\S+/

export interface LabServer {
  /** The URL serve printed, token included. */
  url: string
  origin: string
  token: string
  dbPath: string
  /** Everything serve printed so far (stdout and stderr). */
  output(): string
  /** A JSON request to the API with the token; throws on a non-2xx answer. */
  api<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T>
  /** Starts a run through the API and returns its id. */
  startRun(preset: string, config?: Record<string, unknown>, name?: string): Promise<number>
  /** Polls until the run's status is one of `statuses`; returns the run record. */
  waitForStatus(runId: number, statuses: string[], timeoutMs?: number): Promise<RunRecordLike>
}

export interface RunRecordLike {
  id: number
  name: string
  status: string
  stepsDone: number
  totalSteps: number
  tags: string[]
  notes: string
}

async function startServe(dbPath: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  // The global setup built the renderer moments ago; serve's own freshness check still runs.
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', dbPath], {
    cwd: root,
    env: { ...process.env, GROKKING_LAB_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 90 s:\n${output}`)), 90_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = URL_PATTERN.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[0])
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL:\n${output}`)))
  })
  return { child, url, output: () => output }
}

export const test = base.extend<{ lab: LabServer }>({
  lab: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokking-lab-e2e-'))
    const dbPath = path.join(dir, 'library.sqlite')
    const { child, url, output } = await startServe(dbPath)
    const parsed = new URL(url)
    const token = parsed.searchParams.get('token')!
    const api = async <T>(method: string, apiPath: string, body?: unknown): Promise<T> => {
      const response = await fetch(new URL(apiPath, parsed.origin), {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      if (!response.ok) throw new Error(`${method} ${apiPath}: ${response.status} ${text}`)
      return JSON.parse(text) as T
    }
    const server: LabServer = {
      url,
      origin: parsed.origin,
      token,
      dbPath,
      output,
      api,
      async startRun(preset, config = {}, name) {
        const { runId } = await api<{ runId: number }>('POST', '/api/training', { preset, config, ...(name ? { name } : {}) })
        return runId
      },
      async waitForStatus(runId, statuses, timeoutMs = 90_000) {
        const deadline = Date.now() + timeoutMs
        for (;;) {
          const { run } = await api<{ run: RunRecordLike }>('GET', `/api/runs/${runId}`)
          if (statuses.includes(run.status)) return run
          if (Date.now() > deadline) throw new Error(`run ${runId} is ${run.status}, not ${statuses.join('/')}, after ${timeoutMs} ms`)
          await new Promise((r) => setTimeout(r, 250))
        }
      },
    }
    try {
      await use(server)
    } finally {
      child.kill('SIGTERM')
      await new Promise((r) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          r(null)
        }, 10_000)
        child.on('exit', () => {
          clearTimeout(timer)
          r(null)
        })
      })
      fs.rmSync(dir, { recursive: true, force: true })
    }
  },
})

/** Fails the test on any console error or uncaught page error (a view that throws is not done). */
export function watchConsole(page: Page): () => void {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(String(e)))
  return () => expect(errors, 'errors in the page console').toEqual([])
}

export { expect }

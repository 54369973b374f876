import type Database from 'better-sqlite3'
import type { z } from 'zod'
import { RUN_SORT_KEYS, type ConfigFilter, type RunFacets, type RunListItem, type RunPage, type runQuerySchema } from '../../shared/api'
import { configFields } from '../../shared/config-fields'
import { LabError } from '../../shared/lab-error'
import { CONFIG_KEYS } from '../../shared/run-config'
import type { RunStatus } from '../../shared/run-types'
import { toRecord, toSummary, type RunRow } from './run-row'

/** A library query after validation (defaults filled in). */
export type ParsedRunQuery = z.output<typeof runQuerySchema>

type SortKey = (typeof RUN_SORT_KEYS)[number]

const SORT_COLUMNS: Record<SortKey, string> = {
  id: 'r.id',
  name: 'r.name COLLATE NOCASE',
  status: 'r.status',
  created: 'r.created_at',
  steps: 'r.steps_done',
  trainAcc: 's.train_acc',
  testAcc: 's.test_acc',
  trainLoss: 's.train_loss',
  testLoss: 's.test_loss',
  tMem: 's.t_mem',
  tGen: 's.t_gen',
  tStruct: "json_extract(c.clocks_json, '$.T_struct')",
}

const NUMERIC_KEYS = new Set(configFields().filter((f) => f.type === 'integer' || f.type === 'number').map((f) => f.key))

type Param = string | number | null

interface Where {
  sql: string
  params: Param[]
}

/** One page of the library matching `q`, with the total over all pages; filters and sorting run in SQL. */
export function queryRuns(db: Database.Database, q: ParsedRunQuery): RunPage {
  const where = whereClause(q)
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM runs r ${where.sql}`).get(...where.params) as { n: number }).n
  const order = orderClause(q.sort, q.order)
  const rows = db
    .prepare(
      `SELECT r.*, s.step AS s_step, s.train_loss AS s_train_loss, s.test_loss AS s_test_loss, s.train_acc AS s_train_acc,
              s.test_acc AS s_test_acc, s.min_train_margin AS s_min_train_margin, s.param_norm AS s_param_norm,
              s.t_mem AS s_t_mem, s.t_gen AS s_t_gen, c.clocks_json AS c_clocks_json
       FROM runs r LEFT JOIN run_summary s ON s.run_id = r.id LEFT JOIN run_clocks c ON c.run_id = r.id
       ${where.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
    )
    .all(...where.params, ...order.params, q.limit, q.offset) as JoinedRow[]
  return { total, offset: q.offset, items: rows.map(toItem) }
}

/** The run, summary and stored clocks of one run, as the library lists it; undefined when there is none. */
export function runItem(db: Database.Database, runId: number): RunListItem | undefined {
  const row = db
    .prepare(
      `SELECT r.*, s.step AS s_step, s.train_loss AS s_train_loss, s.test_loss AS s_test_loss, s.train_acc AS s_train_acc,
              s.test_acc AS s_test_acc, s.min_train_margin AS s_min_train_margin, s.param_norm AS s_param_norm,
              s.t_mem AS s_t_mem, s.t_gen AS s_t_gen, c.clocks_json AS c_clocks_json
       FROM runs r LEFT JOIN run_summary s ON s.run_id = r.id LEFT JOIN run_clocks c ON c.run_id = r.id WHERE r.id = ?`,
    )
    .get(runId) as JoinedRow | undefined
  return row ? toItem(row) : undefined
}

/** What the library holds, for the filter controls: tags, presets, statuses and the ranges and values of config keys. */
export function runFacets(db: Database.Database): RunFacets {
  const total = (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n
  const tags = db
    .prepare('SELECT j.value AS tag, COUNT(*) AS count FROM runs r, json_each(r.tags_json) j GROUP BY j.value ORDER BY count DESC, tag')
    .all() as { tag: string; count: number }[]
  const presets = db
    .prepare('SELECT preset, COUNT(*) AS count FROM runs WHERE preset IS NOT NULL GROUP BY preset ORDER BY count DESC, preset')
    .all() as { preset: string; count: number }[]
  const statuses = db.prepare('SELECT status, COUNT(*) AS count FROM runs GROUP BY status ORDER BY count DESC, status').all() as {
    status: RunStatus
    count: number
  }[]
  return { total, tags, presets, statuses, ...configFacets(db) }
}

type ConfigFacets = Pick<RunFacets, 'ranges' | 'values'>
const configFacetCache = new WeakMap<Database.Database, { key: string; facets: ConfigFacets }>()

/**
 * Ranges of numeric config keys and values of string ones. A run's config never changes, so the
 * answer is cached until runs are added or deleted; it is aggregated here rather than with
 * json_each in SQL, which is several times slower on a large library.
 */
function configFacets(db: Database.Database): ConfigFacets {
  const { n, maxId } = db.prepare('SELECT COUNT(*) AS n, MAX(id) AS maxId FROM runs').get() as { n: number; maxId: number | null }
  const key = `${n}:${maxId}`
  const cached = configFacetCache.get(db)
  if (cached?.key === key) return cached.facets
  const ranges = new Map<string, { min: number; max: number }>()
  const values = new Map<string, Set<string>>()
  for (const row of db.prepare('SELECT config_json FROM runs').raw().iterate() as Iterable<[string]>) {
    for (const [k, v] of Object.entries(JSON.parse(row[0]) as Record<string, unknown>)) {
      if (typeof v === 'number') {
        const r = ranges.get(k)
        if (!r) ranges.set(k, { min: v, max: v })
        else if (v < r.min) r.min = v
        else if (v > r.max) r.max = v
      } else if (typeof v === 'string') {
        if (!values.has(k)) values.set(k, new Set())
        values.get(k)!.add(v)
      }
    }
  }
  const facets = {
    ranges: [...ranges].sort(([a], [b]) => a.localeCompare(b)).map(([k, r]) => ({ key: k, ...r })),
    values: [...values].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => ({ key: k, values: [...v].sort() })),
  }
  configFacetCache.set(db, { key, facets })
  return facets
}

function whereClause(q: ParsedRunQuery): Where {
  const parts: string[] = []
  const params: Param[] = []
  const search = q.search?.trim()
  if (search) {
    const byId = /^#(\d+)$/.exec(search)
    if (byId) {
      parts.push('r.id = ?')
      params.push(Number(byId[1]))
    } else {
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      parts.push("(r.name LIKE ? ESCAPE '\\' OR r.preset LIKE ? ESCAPE '\\' OR r.notes LIKE ? ESCAPE '\\' OR r.tags_json LIKE ? ESCAPE '\\')")
      params.push(like, like, like, like)
    }
  }
  if (q.status?.length) {
    parts.push(`r.status IN (${q.status.map(() => '?').join(', ')})`)
    params.push(...q.status)
  }
  if (q.presets?.length) {
    parts.push(`r.preset IN (${q.presets.map(() => '?').join(', ')})`)
    params.push(...q.presets)
  }
  for (const tag of q.tags ?? []) {
    parts.push('EXISTS (SELECT 1 FROM json_each(r.tags_json) t WHERE t.value = ?)')
    params.push(tag)
  }
  for (const f of q.filters ?? []) filterClause(f, parts, params)
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params }
}

function filterClause(f: ConfigFilter, parts: string[], params: Param[]): void {
  const path = configPath(f.key, 'filter')
  const head = f.key.split('.')[0]
  if ((f.min !== undefined || f.max !== undefined) && !NUMERIC_KEYS.has(head) && head !== 'wd_per_layer') {
    throw new LabError(`filter on '${f.key}': min/max need a numeric config key; filter it by values instead`)
  }
  if (f.min !== undefined) {
    parts.push('json_extract(r.config_json, ?) >= ?')
    params.push(path, f.min)
  }
  if (f.max !== undefined) {
    parts.push('json_extract(r.config_json, ?) <= ?')
    params.push(path, f.max)
  }
  if (f.values) {
    // JSON true/false come back from json_extract as 1/0.
    const values = f.values.filter((v) => v !== null).map((v) => (typeof v === 'boolean' ? Number(v) : v))
    const alternatives: string[] = []
    if (values.length) {
      alternatives.push(`json_extract(r.config_json, ?) IN (${values.map(() => '?').join(', ')})`)
      params.push(path, ...values)
    }
    if (f.values.includes(null)) {
      alternatives.push('json_extract(r.config_json, ?) IS NULL')
      params.push(path)
    }
    parts.push(alternatives.length ? `(${alternatives.join(' OR ')})` : '0')
  }
}

function orderClause(sort: string | undefined, order: 'asc' | 'desc'): Where {
  const dir = order === 'asc' ? 'ASC' : 'DESC'
  const key = sort ?? 'id'
  let expr: string
  const params: Param[] = []
  if (key.startsWith('config.')) {
    expr = 'json_extract(r.config_json, ?)'
    params.push(configPath(key.slice('config.'.length), 'sort'))
  } else if ((RUN_SORT_KEYS as readonly string[]).includes(key)) {
    expr = SORT_COLUMNS[key as SortKey]
  } else {
    throw new LabError(`cannot sort by '${key}'; sort by one of ${RUN_SORT_KEYS.join(', ')} or config.KEY`)
  }
  if (key === 'id') return { sql: `r.id ${dir}`, params }
  // Runs without the value (no summary yet, a clock that never fired) go last either way.
  return { sql: `${expr} ${dir} NULLS LAST, r.id ${dir}`, params }
}

/** The JSON path of a config key (`wd`, `wd_per_layer.E`); refuses keys the config does not have. */
function configPath(key: string, what: 'filter' | 'sort'): string {
  const segments = key.split('.')
  if (!(CONFIG_KEYS as string[]).includes(segments[0]) || segments.some((s) => s === '')) {
    throw new LabError(`cannot ${what} by config key '${key}'; known keys: ${CONFIG_KEYS.join(', ')}`)
  }
  return '$' + segments.map((s) => `."${s.replace(/"/g, '')}"`).join('')
}

interface JoinedRow extends RunRow {
  s_step: number | null
  s_train_loss: number | null
  s_test_loss: number | null
  s_train_acc: number | null
  s_test_acc: number | null
  s_min_train_margin: number | null
  s_param_norm: number | null
  s_t_mem: number | null
  s_t_gen: number | null
  c_clocks_json: string | null
}

function toItem(row: JoinedRow): RunListItem {
  const summary =
    row.s_step === null
      ? null
      : toSummary({
          step: row.s_step,
          train_loss: row.s_train_loss,
          test_loss: row.s_test_loss,
          train_acc: row.s_train_acc,
          test_acc: row.s_test_acc,
          min_train_margin: row.s_min_train_margin,
          param_norm: row.s_param_norm,
          t_mem: row.s_t_mem,
          t_gen: row.s_t_gen,
        })
  return { run: toRecord(row), summary, clocks: row.c_clocks_json ? JSON.parse(row.c_clocks_json) : null }
}

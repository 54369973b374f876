import type Database from 'better-sqlite3'

/** Marks a SQLite file as a Grokking Lab library ('GRKL'); other SQLite files are refused. */
export const APPLICATION_ID = 0x47524b4c

/** A random version-4 UUID in SQL (lower-case hex, 8-4-4-4-12), as crypto.randomUUID writes them. */
const UUID_SQL =
  "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || " +
  "substr('89ab', 1 + abs(random()) % 4, 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"

/**
 * Migrations, applied in order; `PRAGMA user_version` holds how many have run. Never edit a
 * shipped migration: add a new one, so libraries written by older versions upgrade in place.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    preset TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued','running','completed','failed','cancelled','interrupted','imported')),
    config_json TEXT NOT NULL,
    backend TEXT,
    app_version TEXT NOT NULL,
    tags_json TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    total_steps INTEGER NOT NULL,
    steps_done INTEGER NOT NULL DEFAULT 0,
    ms_per_step REAL,
    wall_seconds REAL NOT NULL DEFAULT 0,
    error TEXT,
    worker_pid INTEGER,
    heartbeat_at TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
  );
  CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    step INTEGER NOT NULL,
    value REAL,
    wall_seconds REAL NOT NULL,
    PRIMARY KEY (run_id, name, step)
  ) WITHOUT ROWID;
  CREATE TABLE run_summary (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    train_loss REAL, test_loss REAL, train_acc REAL, test_acc REAL,
    min_train_margin REAL, param_norm REAL,
    t_mem INTEGER, t_gen INTEGER,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE snapshots (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    tensor TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    shape_json TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (run_id, step, tensor)
  ) WITHOUT ROWID;
  CREATE TABLE checkpoints (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    wall_seconds REAL NOT NULL,
    optimizer_step INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE checkpoint_tensors (
    run_id INTEGER NOT NULL REFERENCES checkpoints(run_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    slot INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (run_id, name, slot)
  ) WITHOUT ROWID;
  `,
  `
  CREATE TABLE run_clocks (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    clocks_json TEXT NOT NULL,
    computed_at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE sweeps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    preset TEXT,
    base_config_json TEXT NOT NULL,
    grid_json TEXT NOT NULL,
    seeds INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sweep_runs (
    sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    point_json TEXT NOT NULL,
    PRIMARY KEY (sweep_id, run_id)
  );
  `,
  `
  ALTER TABLE runs ADD COLUMN engine TEXT;
  `,
  // The library's filters and sorts (src/lab/store/run-query.ts) on a library of thousands of runs.
  `
  CREATE INDEX runs_status ON runs(status);
  CREATE INDEX runs_created_at ON runs(created_at);
  CREATE INDEX runs_preset ON runs(preset);
  CREATE INDEX sweep_runs_run ON sweep_runs(run_id);
  `,
  // Named figure styles for export (src/lab/export/style-store.ts), kept with the runs they draw.
  `
  CREATE TABLE figure_styles (
    name TEXT PRIMARY KEY,
    style_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // Runs and sweeps carry a UUID, so merging libraries (sweep-collect, import-db) recognizes a run it
  // already holds and collecting twice changes nothing. Existing rows get a random (v4) one.
  `
  ALTER TABLE runs ADD COLUMN uuid TEXT;
  UPDATE runs SET uuid = ${UUID_SQL};
  CREATE UNIQUE INDEX runs_uuid ON runs(uuid);
  ALTER TABLE sweeps ADD COLUMN uuid TEXT;
  UPDATE sweeps SET uuid = ${UUID_SQL};
  CREATE UNIQUE INDEX sweeps_uuid ON sweeps(uuid);
  `,
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Brings a library to the current schema inside one transaction. */
export function migrate(db: Database.Database): void {
  const check = (): number => {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > SCHEMA_VERSION) {
      throw new Error(`schema version ${current} is newer than this Grokking Lab understands (${SCHEMA_VERSION}); update the app`)
    }
    return current
  }
  if (check() === SCHEMA_VERSION) return
  // IMMEDIATE takes the write lock before the version is read again: two processes opening a new
  // library at once would otherwise both see version 0 and the second would re-create the tables.
  db.transaction(() => {
    const current = check()
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v])
    db.pragma(`application_id = ${APPLICATION_ID}`)
    db.pragma(`user_version = ${SCHEMA_VERSION}`)
  }).immediate()
}

import type Database from 'better-sqlite3'
import { LabError } from '../../shared/lab-error'

/** The keys of a run the user may edit after the fact. */
export interface RunEdit {
  name?: string
  notes?: string
  tags?: string[]
}

/** Trimmed, non-empty, each once, in the order given. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))]
}

function tagsOf(db: Database.Database, id: number, file: string): string[] {
  const row = db.prepare('SELECT tags_json FROM runs WHERE id = ?').get(id) as { tags_json: string } | undefined
  if (!row) throw new LabError(`no run ${id} in ${file}; 'grokking-lab runs' lists the runs`)
  return JSON.parse(row.tags_json)
}

/** Renames, re-notes or re-tags one run; only the keys given change. Throws LabError for an unknown run. */
export function updateRun(db: Database.Database, file: string, id: number, edit: RunEdit): void {
  db.transaction(() => {
    tagsOf(db, id, file)
    if (edit.name !== undefined) db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(edit.name, id)
    if (edit.notes !== undefined) db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(edit.notes, id)
    if (edit.tags !== undefined) db.prepare('UPDATE runs SET tags_json = ? WHERE id = ?').run(JSON.stringify(normalizeTags(edit.tags)), id)
  })()
}

/** Adds and removes tags on many runs in one transaction (all or none); returns how many runs changed. */
export function tagRuns(db: Database.Database, file: string, ids: readonly number[], add: readonly string[], remove: readonly string[]): number {
  const drop = new Set(remove.map((t) => t.trim()))
  const write = db.prepare('UPDATE runs SET tags_json = ? WHERE id = ?')
  return db.transaction(() => {
    let changed = 0
    for (const id of new Set(ids)) {
      const before = tagsOf(db, id, file)
      const after = normalizeTags([...before.filter((t) => !drop.has(t)), ...add])
      if (JSON.stringify(after) === JSON.stringify(before)) continue
      write.run(JSON.stringify(after), id)
      changed += 1
    }
    return changed
  })()
}

/**
 * Deletes runs with their metrics, snapshots, checkpoints and sweep links in one transaction.
 * Refuses (deleting none) when a run is unknown or listed in `busy` (training right now).
 */
export function deleteRuns(db: Database.Database, file: string, ids: readonly number[], busy: (id: number) => boolean): number {
  const unique = [...new Set(ids)]
  const remove = db.prepare('DELETE FROM runs WHERE id = ?')
  return db.transaction(() => {
    for (const id of unique) tagsOf(db, id, file)
    const training = unique.filter(busy)
    if (training.length) {
      const many = training.length > 1
      throw new LabError(`run${many ? 's' : ''} ${training.join(', ')} ${many ? 'are' : 'is'} training (or queued in a running sweep); cancel ${many ? 'them' : 'it'} or let ${many ? 'them' : 'it'} finish before deleting`)
    }
    for (const id of unique) remove.run(id)
    return unique.length
  })()
}

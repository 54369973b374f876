import type { Command, Option } from 'commander'

/** The sweep command's Slurm options (`--slurm DIR` and what passes through to sbatch). */
export function slurmOptions(): Option[] {
  return []
}

/** Adds the cluster commands (sweep-task, sweep-collect, import-db) to the program. */
export function addClusterCommands(_program: Command, _setExit: (code: number) => void, _shared: { db: () => Option; json: () => Option }): void {}

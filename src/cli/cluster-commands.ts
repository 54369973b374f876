import { Option, type Command } from 'commander'
import { collect } from './collect-option'

// Loaded when one of these commands runs: the cluster module reaches the sweep planner and tfjs,
// which every other command should not wait for.
const cluster = () => import('./commands/cluster')

/** The sweep command's Slurm options (`--slurm DIR` and what passes through to sbatch). */
export function slurmOptions(): Option[] {
  return [
    new Option('--slurm <dir>', 'plan the sweep into DIR as a Slurm job array (one task per batch) and submit it with sbatch (docs/cluster.md)'),
    new Option('--partition <name>', 'Slurm: the partition (sbatch --partition)'),
    new Option('--time <limit>', 'Slurm: time limit per task, e.g. 2:00:00 (a task that hits it continues from its checkpoints when resubmitted)'),
    new Option('--gpus-per-task <n>', 'Slurm: GPUs per task (sbatch --gpus-per-task)'),
    new Option('--cpus-per-task <n>', 'Slurm: CPUs per task; the task trains with that many threads'),
    new Option('--array-parallelism <n>', 'Slurm: at most N tasks at once (--array=0-K%N)'),
    new Option('--sbatch-arg <arg>', 'Slurm: one more sbatch option, e.g. --sbatch-arg=--mem=4G (repeatable)').argParser(collect),
    new Option('--lab-command <command>', "Slurm: how a node starts the lab (default: this node's path and this CLI's absolute path)"),
    new Option('--no-submit', 'Slurm: write DIR and the script but do not call sbatch'),
  ]
}

/** Adds the cluster commands (sweep-task, sweep-collect, sweep-status, import-db) to the program. */
export function addClusterCommands(program: Command, setExit: (code: number) => void, shared: { db: () => Option; json: () => Option }): void {
  program
    .command('sweep-task')
    .argument('<dir>', "a Slurm sweep's folder (sweep --slurm DIR)")
    .argument('<task>', 'the array task, 0-based ($SLURM_ARRAY_TASK_ID)')
    .description("train one array task of a Slurm sweep into DIR/tasks/task-N.db, continuing from checkpoints when requeued (the sbatch script runs this)")
    .action(async (dir, task) => setExit(await (await cluster()).sweepTaskCommand(dir, task)))
  program
    .command('sweep-collect')
    .argument('<dir>', "a Slurm sweep's folder")
    .description("merge the finished runs of a Slurm sweep's ended tasks into the library, as one sweep; idempotent, and fine while the array still runs")
    .addOption(shared.db())
    .addOption(shared.json())
    .action(async (dir, opts) => setExit((await cluster()).sweepCollectCommand(dir, opts)))
  program
    .command('sweep-status')
    .argument('<dir>', "a Slurm sweep's folder")
    .description("each array task of a Slurm sweep: pending, running, done, failed or interrupted, with its steps")
    .addOption(shared.json())
    .action(async (dir, opts) => setExit((await cluster()).sweepStatusCommand(dir, opts)))
  program
    .command('import-db')
    .argument('<files...>', 'Grokking Lab libraries (.db) to merge in')
    .description("merge other libraries' runs, metrics, snapshots, checkpoints and sweeps into this one (matched by UUID: importing twice changes nothing)")
    .addOption(shared.db())
    .addOption(shared.json())
    .action(async (files, opts) => setExit((await cluster()).importDbCommand(files, opts)))
}

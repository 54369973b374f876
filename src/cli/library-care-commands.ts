import type { Command, Option } from 'commander'

// Loaded when one of these commands runs, like the others in main.ts.
const backup = () => import('./commands/backup')

/** Adds the library-care commands (backups and restore) to the program. */
export function addLibraryCareCommands(program: Command, setExit: (code: number) => void, shared: { db: () => Option; json: () => Option }): void {
  program
    .command('backups')
    .description("list the library's automatic daily backups (kept beside it, in LIBRARY.backups/), newest first")
    .addOption(shared.db())
    .addOption(shared.json())
    .action(async (opts) => setExit(await (await backup()).backupsCommand(opts)))
  program
    .command('backup')
    .description("back the library up now, with SQLite's online backup (today's copy in LIBRARY.backups/)")
    .addOption(shared.db())
    .addOption(shared.json())
    .action(async (opts) => setExit(await (await backup()).backupCommand(opts)))
  program
    .command('restore')
    .description("put a backup in the library's place (close the app and stop serve first); the file it replaces is renamed aside, never deleted")
    .requiredOption('--from <backup>', "a backup file, or its name in the library's backup folder ('grokking-lab backups' lists them)")
    .addOption(shared.db())
    .addOption(shared.json())
    .action(async (opts) => setExit(await (await backup()).restoreCommand(opts)))
}

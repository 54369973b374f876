import type { Command, Option } from 'commander'

/** Adds the library-care commands (backups and the like) to the program. */
export function addLibraryCareCommands(_program: Command, _setExit: (code: number) => void, _shared: { db: () => Option; json: () => Option }): void {}

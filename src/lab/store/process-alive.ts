import fs from 'node:fs'

/**
 * Whether process `pid` still runs. A zombie does not: a worker killed with its host is reparented,
 * and where nothing reaps orphans (a container's init) it stays a zombie, which kill(pid, 0) still
 * finds; its runs would then be taken for running for ever and never resumed.
 */
export function processAlive(pid: number | null | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
  if (process.platform !== 'linux') return true
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The state follows the command name, which is in parentheses and may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    // Gone between the two looks.
    return false
  }
}

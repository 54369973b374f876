import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

/** A one-node Slurm cluster on localhost, its files in `dir`; clients find it through `env` (SLURM_CONF). */
export interface SlurmCluster {
  dir: string
  env: NodeJS.ProcessEnv
  /** Runs a Slurm client (sbatch, squeue, scontrol…) against this cluster; returns its stdout. */
  client(command: string, args: string[]): string
  /** Cancels this cluster's jobs, then stops slurmd, slurmctld and munged by their pid files. */
  stop(): Promise<void>
}

const BINARIES = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo']

/** Why Slurm's daemons cannot start here (not root, packages missing), or null when they can be tried. */
export function slurmUnavailable(): string | null {
  if (process.platform !== 'linux') return `Slurm's daemons run on Linux, not ${process.platform}`
  if (process.getuid?.() !== 0) return "starting slurmctld, slurmd and munged needs root (this test's cluster runs SlurmUser=root)"
  const missing = BINARIES.filter((b) => !which(b))
  if (missing.length) return `${missing.join(', ')} not on the PATH: apt-get install slurm-wlm munge`
  if (spawnSync('id', ['-u', 'munge']).status !== 0) return 'no munge user (the munge package creates it)'
  return null
}

function which(bin: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin').split(':').concat(['/usr/sbin', '/sbin'])) {
    const f = path.join(dir, bin)
    if (fs.existsSync(f)) return f
  }
  return null
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Starts munged (as the munge user, with its own key and socket), slurmctld and slurmd for one node
 * `localhost` with every CPU of this machine, on free ports, all files under a fresh temp folder.
 * Throws with the daemons' log tail when they do not come up within a few seconds.
 */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-slurm-'))
  fs.chmodSync(dir, 0o755)
  const munge = path.join(dir, 'munge')
  fs.mkdirSync(munge, { mode: 0o711 })
  execFileSync('chown', ['munge:munge', munge])
  for (const sub of ['state', 'spool']) fs.mkdirSync(path.join(dir, sub))
  const asMunge = (args: string[]) => execFileSync('runuser', ['-u', 'munge', '--', ...args], { stdio: 'pipe' })
  asMunge(['mungekey', '-c', '-k', path.join(munge, 'munge.key')])
  const socket = path.join(munge, 'munge.sock')
  asMunge(['munged', '-f', `--socket=${socket}`, `--key-file=${munge}/munge.key`, `--log-file=${munge}/munged.log`,
    `--pid-file=${munge}/munged.pid`, `--seed-file=${munge}/munged.seed`])
  const pidFiles = [path.join(dir, 'slurmd.pid'), path.join(dir, 'slurmctld.pid'), path.join(munge, 'munged.pid')]
  const conf = path.join(dir, 'slurm.conf')
  const [ctldPort, dPort] = [await freePort(), await freePort()]
  fs.writeFileSync(conf, [
    'ClusterName=labtest',
    'SlurmctldHost=localhost',
    'SlurmUser=root',
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${dPort}`,
    'AuthType=auth/munge',
    `AuthInfo=socket=${socket}`,
    'CredType=cred/munge',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    // Tasks may be requeued (the sbatch script asks with --requeue; this allows it cluster-wide).
    'JobRequeue=1',
    'KillWait=5',
    'MinJobAge=600',
    'ReturnToService=2',
    `StateSaveLocation=${dir}/state`,
    `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${pidFiles[1]}`,
    `SlurmdPidFile=${pidFiles[0]}`,
    `SlurmctldLogFile=${dir}/slurmctld.log`,
    `SlurmdLogFile=${dir}/slurmd.log`,
    `NodeName=localhost CPUs=${os.cpus().length} State=UNKNOWN`,
    'PartitionName=lab Nodes=localhost Default=YES MaxTime=INFINITE State=UP',
    '',
  ].join('\n'))
  const env = { ...process.env, SLURM_CONF: conf }
  const client = (command: string, args: string[]) => execFileSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const stop = async () => {
    spawnSync('scancel', ['--full', '--user', 'root'], { env })
    for (let i = 0; i < 50 && spawnSync('squeue', ['-h'], { env, encoding: 'utf8' }).stdout?.trim(); i++) await sleep(200)
    for (const file of pidFiles) {
      const pid = Number(fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : NaN)
      if (!Number.isInteger(pid) || pid <= 0) continue
      try {
        process.kill(pid, 'SIGTERM')
      } catch {
        continue
      }
      for (let i = 0; i < 50 && alive(pid); i++) await sleep(100)
    }
  }
  try {
    execFileSync('slurmctld', ['-f', conf], { env, stdio: 'pipe' })
    execFileSync('slurmd', ['-f', conf, '-N', 'localhost'], { env, stdio: 'pipe' })
    for (let i = 0; ; i++) {
      const state = spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout?.trim()
      if (state === 'idle') break
      if (i >= 75) throw new Error(`the node did not come up idle (sinfo: '${state}')`)
      await sleep(200)
    }
  } catch (e) {
    const tail = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').slice(-3).join(' | ') : '')
    await stop()
    throw new Error(`${(e as Error).message.split('\n')[0]}; slurmctld.log: ${tail(`${dir}/slurmctld.log`)}; slurmd.log: ${tail(`${dir}/slurmd.log`)}`)
  }
  return { dir, env, client, stop }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

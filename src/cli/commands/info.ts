import { probeBackends, pickAuto } from '../../lab/backends/select-backend'
import { PRESETS } from '../../lab/presets'
import { parseRunConfig, type RunConfig } from '../../shared/run-config'

/** `grokking-lab presets`: each preset with its description and resolved config. */
export function presetsCommand(options: { json?: boolean }): number {
  const presets = PRESETS.map((p) => ({ name: p.name, description: p.description, config: parseRunConfig(p.config) }))
  if (options.json) {
    console.log(JSON.stringify(presets))
    return 0
  }
  for (const p of presets) {
    console.log(`${p.name}\n  ${p.description}\n  ${p.config.model}, ${taskKeys(p.config)}, ${p.config.optimizer} lr ${p.config.lr} wd ${p.config.wd}, ${p.config.steps} steps\n`)
  }
  return 0
}

/** `grokking-lab backends`: each backend, whether it loads here, and why or why not. */
export async function backendsCommand(options: { json?: boolean }): Promise<number> {
  const probes = await probeBackends()
  const auto = pickAuto(probes)
  if (options.json) {
    console.log(JSON.stringify({ auto, backends: probes }))
    return 0
  }
  for (const p of probes) console.log(`${p.name.padEnd(10)} ${p.available ? 'available    ' : 'not available'}  ${p.reason}`)
  console.log(`auto picks: ${auto ?? 'none'}`)
  return 0
}

/** The config keys that say what a task is, for the presets listing. */
function taskKeys(c: RunConfig): string {
  switch (c.task) {
    case 'modular':
      return `p ${c.p}, frac ${c.frac}`
    case 'matrix-completion':
      return `dim ${c.dim}, rank ${c.rank}, frac ${c.frac}, hidden ${c.hidden}, init_scale ${c.init_scale}`
    case 'teacher-student':
      return `dim ${c.dim}, n_train ${c.n_train}, teacher_width ${c.teacher_width}, hidden ${c.hidden}`
    case 'sparse-linear':
      return `dim ${c.dim}, sparsity ${c.sparsity}, n_train ${c.n_train}, init_scale ${c.init_scale}`
    case 'low-rank-teacher':
      return `dim ${c.dim}, classes ${c.classes}, rank ${c.rank}, n_train ${c.n_train}, depth ${c.depth}`
  }
}

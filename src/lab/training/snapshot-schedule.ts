/**
 * Steps at which to keep weight snapshots: half log-spaced (dense near the start, where the
 * fast clock runs), half evenly spaced (for the slow clock), always the first and last step,
 * never more than `budget` in all.
 */
export function snapshotSteps(totalSteps: number, budget: number): number[] {
  if (budget < 2) throw new Error('snapshot budget must be at least 2')
  if (totalSteps + 1 <= budget) return Array.from({ length: totalSteps + 1 }, (_, i) => i)
  const steps = new Set<number>([0, totalSteps])
  const inner = budget - 2
  const nLog = Math.floor(inner / 2)
  const nLin = inner - nLog
  for (let i = 1; i <= nLog; i++) steps.add(Math.round(Math.exp((Math.log(totalSteps) * i) / (nLog + 1))))
  for (let i = 1; i <= nLin; i++) steps.add(Math.round((totalSteps * i) / (nLin + 1)))
  return [...steps].sort((a, b) => a - b)
}

import { LabError } from '../shared/lab-error'

/** A RUN argument as a run id; throws LabError for anything but a positive integer. */
export function parseRunId(arg: string): number {
  const id = Number(arg)
  if (!Number.isInteger(id) || id <= 0) throw new LabError(`'${arg}' is not a run id; 'grokking-lab runs' lists the runs`)
  return id
}

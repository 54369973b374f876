/**
 * An error caused by the user's input or environment, with a message that says what is wrong and
 * how to fix it. Front ends print only the message (no stack) and the CLI exits with code 2.
 */
export class LabError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LabError'
  }
}

/** True for errors that should be shown to the user as a one-line message. */
export function isLabError(e: unknown): e is LabError {
  return e instanceof Error && e.name === 'LabError'
}

// Module hooks (run off-thread by Node): every `import 'electron'` gets the fake instead of the npm
// package, whose entry in plain Node is only the path of an Electron binary.
const FAKE = new URL('./electron.mjs', import.meta.url).href

/** Resolves 'electron' to the fake; every other specifier as Node would. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: FAKE, shortCircuit: true }
  return nextResolve(specifier, context)
}

import * as tf from '@tensorflow/tfjs'

/** Puts tfjs on its plain-JS backend: exact enough for gradient checks, and loads everywhere. */
export async function useCpuBackend(): Promise<typeof tf> {
  tf.enableProdMode()
  await tf.setBackend('cpu')
  await tf.ready()
  return tf
}

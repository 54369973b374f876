import type { RunConfig } from '../../shared/run-config'
import type { TensorData } from '../training/trainer'
import { matmul, transpose, type DenseMatrix } from './dense-matrix'

/** The token-axis views of a snapshot that the Fourier analysis reads, each [p, k] with tokens on rows. */
export interface TokenViews {
  /** The input embedding of the p operand tokens. */
  embedding: DenseMatrix
  /** Each hidden neuron's input weights over tokens (embed-MLP: E·W_in's a-half; transformer: W_E·W_in). */
  neurons: DenseMatrix
  /** The unembedding over answer tokens (transformer W_U; embed-MLP W_out), transposed to [p, k]. */
  unembed: DenseMatrix
  /** Transformer only: (W_out·W_U)ᵀ, the MLP neurons' direct map to the answers. */
  outputMap?: DenseMatrix
}

/** A stored tensor as a matrix; `rows` of [rows, cols] taken from the top-left corner. */
export function tensorMatrix(tensors: TensorData[], name: string, rows?: number, cols?: number): DenseMatrix {
  const t = tensors.find((x) => x.name === name)
  if (!t || t.shape.length !== 2) throw new Error(`snapshot has no 2-D tensor '${name}'`)
  const [r, c] = t.shape
  const rr = rows ?? r
  const cc = cols ?? c
  if (rr === r && cc === c) return { data: t.data, rows: r, cols: c }
  const data = new Float32Array(rr * cc)
  for (let i = 0; i < rr; i++) data.set(t.data.subarray(i * c, i * c + cc), i * cc)
  return { data, rows: rr, cols: cc }
}

/** Builds the token views of a snapshot of either model. */
export function tokenViews(config: RunConfig, tensors: TensorData[]): TokenViews {
  const { p, d } = config
  if (config.model === 'embed-mlp') {
    const E = tensorMatrix(tensors, 'E')
    return {
      embedding: E,
      neurons: matmul(E, tensorMatrix(tensors, 'W_in', d)),
      unembed: transpose(tensorMatrix(tensors, 'W_out')),
    }
  }
  if (config.model === 'gm-two-layer') {
    // Ŷ = σ(XE)W: E's columns are the neurons' input weights over tokens, W's columns the readout per answer.
    const E = tensorMatrix(tensors, 'E')
    return { embedding: E, neurons: E, unembed: transpose(tensorMatrix(tensors, 'W')) }
  }
  const embedding = tensorMatrix(tensors, 'embed.W_E', p)
  const unembed = tensorMatrix(tensors, 'unembed.W_U', d, p)
  return {
    embedding,
    neurons: matmul(embedding, tensorMatrix(tensors, 'blocks.0.mlp.W_in')),
    unembed: transpose(unembed),
    outputMap: transpose(matmul(tensorMatrix(tensors, 'blocks.0.mlp.W_out'), unembed)),
  }
}

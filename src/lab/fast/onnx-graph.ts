import onnxProto from 'onnx-proto'

const { onnx } = onnxProto

/** A dimension: a fixed size, or a name for a size given at run time (the batch size). */
export type Dim = number | string

export interface GraphValue {
  name: string
  type: 'float32' | 'int64' | 'bool'
  shape: Dim[]
}

/** [op type, input names, output names, attributes]; '' as an input name skips an optional input. */
export type GraphNode = [string, string[], string[], Record<string, number | string | number[]>?]

export interface GraphConstant {
  name: string
  type: 'float32' | 'int64'
  shape: number[]
  data: Float32Array | BigInt64Array
}

export interface GraphSpec {
  inputs: GraphValue[]
  outputs: GraphValue[]
  nodes: GraphNode[]
  constants?: GraphConstant[]
}

/** A 1-D int64 constant (shapes, axes, slice bounds). */
export const int64 = (name: string, values: number[]): GraphConstant => ({
  name,
  type: 'int64',
  shape: [values.length],
  data: BigInt64Array.from(values.map(BigInt)),
})

/** A float32 constant of any shape. */
export const float32 = (name: string, shape: number[], values: number[] | Float32Array): GraphConstant => ({
  name,
  type: 'float32',
  shape,
  data: Float32Array.from(values),
})

/** ONNX opset the graphs target: 18 takes the axes of every Reduce op as an input. */
export const OPSET = 18

const ELEM_TYPES = { float32: onnx.TensorProto.DataType.FLOAT, int64: onnx.TensorProto.DataType.INT64, bool: onnx.TensorProto.DataType.BOOL }
const elemType = (t: GraphValue['type']) => ELEM_TYPES[t]

function attribute(name: string, v: number | string | number[]): object {
  const A = onnx.AttributeProto.AttributeType
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v }
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) }
  return Number.isInteger(v) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v }
}

/** Serializes a graph to ONNX ModelProto bytes that onnxruntime can load. */
export function encodeGraph(spec: GraphSpec): Uint8Array {
  const valueInfo = (v: GraphValue) => ({
    name: v.name,
    type: { tensorType: { elemType: elemType(v.type), shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  })
  const graph = {
    name: 'grokking-lab',
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    node: spec.nodes.map(([opType, input, output, attrs = {}], k) => ({
      opType,
      input,
      output,
      name: `${opType}_${k}`,
      attribute: Object.entries(attrs).map(([n, v]) => attribute(n, v)),
    })),
    initializer: (spec.constants ?? []).map((c) => ({
      name: c.name,
      dataType: elemType(c.type),
      dims: c.shape,
      // Little-endian raw bytes, as ONNX stores them; every platform we ship on is little-endian.
      rawData: new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength),
    })),
  }
  return onnx.ModelProto.encode({ irVersion: 8, producerName: 'grokking-lab', opsetImport: [{ domain: '', version: OPSET }], graph }).finish()
}

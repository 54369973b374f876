/// <reference types="@webgpu/types" />
import type { RowFeed } from '../row-feed'
import type { FeedPlan } from './resident-gpu-engine'

/** Full-set feeds whose plans stay (the train and test sets, and a few a caller passes directly). */
export const PLANS_KEPT = 4
/** Minibatch sizes whose plan stays (a config draws one size; the spare covers a caller mixing two). */
export const BATCH_SIZES_KEPT = 2

/** Makes a plan's buffers for `rows` pairs per member with index lists `seg` wide (`training`: a feed with targets). */
export type PlanMaker<P> = (rows: number, seg: number, training: boolean) => P

/** Ints of a plan's index buffer: the a rows, b rows and labels [3·K·N], then both per-token lists [2·K·p·seg]. */
export function indexLength(members: number, p: number, rows: number, seg: number): number {
  return 3 * members * rows + 2 * members * p * seg
}

/**
 * `feed`'s index table, its per-token lists widened to `seg` (≥ feed.seg) with K·N: the sums
 * stop at the first entry ≥ K·N, so a wider table sums the same pairs in the same order.
 */
export function indexTable(feed: RowFeed, members: number, p: number, seg: number): Int32Array {
  const KN = members * feed.rows
  const ints = new Int32Array(indexLength(members, p, feed.rows, seg))
  ints.set(Int32Array.from(feed.ia, Number), 0)
  ints.set(Int32Array.from(feed.ib, Number), KN)
  ints.set(Int32Array.from(feed.labels, Number), 2 * KN)
  const width = feed.seg ?? 0
  if (!feed.segA || !feed.segB || seg === 0) return ints
  ints.fill(KN, 3 * KN)
  const tokens = members * p
  for (const [half, lists] of [feed.segA, feed.segB].entries()) {
    const base = 3 * KN + half * tokens * seg
    for (let t = 0; t < tokens; t++) ints.set(Int32Array.from(lists.subarray(t * width, (t + 1) * width), Number), base + t * seg)
  }
  return ints
}

/**
 * A model's plans per feed. The full sets' plans are kept by feed (least recently used beyond
 * PLANS_KEPT) and minibatches never evict them: a minibatch, a fresh feed each step, takes the
 * one plan of its size, whose index buffer is rewritten for it. queue.writeBuffer is ordered
 * after every submit made before it, so steps still in flight read the lists they were recorded with.
 */
export class PlanCache<P extends FeedPlan> {
  private readonly sets = new Map<RowFeed, P>()
  private readonly batches = new Map<number, P>()

  constructor(
    private readonly device: GPUDevice,
    private readonly members: number,
    private readonly p: number,
    private readonly make: PlanMaker<P>,
    private readonly destroy: (plan: P) => void,
  ) {}

  /** The plan for `feed`, its index buffer holding `feed`'s pairs. */
  get(feed: RowFeed): P {
    return feed.minibatch ? this.batchPlan(feed) : this.setPlan(feed)
  }

  private setPlan(feed: RowFeed): P {
    let plan = this.sets.get(feed)
    if (!plan) plan = this.fresh(feed, feed.seg ?? 0)
    this.keep(this.sets, feed, plan, PLANS_KEPT)
    return plan
  }

  private batchPlan(feed: RowFeed): P {
    const seg = feed.seg ?? 0
    let plan = this.batches.get(feed.rows)
    if (plan && plan.seg >= seg && plan.training === (feed.segA !== undefined)) {
      this.device.queue.writeBuffer(plan.idx, 0, indexTable(feed, this.members, this.p, plan.seg))
    } else {
      if (plan) {
        this.batches.delete(feed.rows)
        this.destroy(plan)
      }
      // A token's list holds at most p pairs (one per other token) and at most the batch: sized
      // for that, the plan serves every minibatch of this size.
      plan = this.fresh(feed, feed.segA ? Math.max(seg, Math.min(feed.rows, this.p)) : 0)
    }
    this.keep(this.batches, feed.rows, plan, BATCH_SIZES_KEPT)
    return plan
  }

  private fresh(feed: RowFeed, seg: number): P {
    const plan = this.make(feed.rows, seg, feed.segA !== undefined)
    try {
      this.device.queue.writeBuffer(plan.idx, 0, indexTable(feed, this.members, this.p, seg))
    } catch (e) {
      this.destroy(plan)
      throw e
    }
    return plan
  }

  /** Puts `plan` last in `map` (most recently used), destroying the oldest beyond `kept`. */
  private keep<K>(map: Map<K, P>, key: K, plan: P, kept: number): void {
    map.delete(key)
    map.set(key, plan)
    if (map.size <= kept) return
    const [oldest, old] = map.entries().next().value!
    map.delete(oldest)
    this.destroy(old)
  }

  /** Destroys every plan. */
  clear(): void {
    for (const plan of [...this.sets.values(), ...this.batches.values()]) this.destroy(plan)
    this.sets.clear()
    this.batches.clear()
  }
}

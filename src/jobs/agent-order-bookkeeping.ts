import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { recordAgentOrderWorkflow } from "../workflows/agents"
import { errorMessage } from "../utils/errors"
import { agentsModule } from "../workflows/agents/utils/agents-module"
import { runOncePerTick } from "../utils/once-per-tick"

const BATCH = 100
/** Answers count as flowing for this long after the last one (their event reached this process). */
const QUIET_MS = 1000

/**
 * How long an answered order may wait while answers keep flowing (VIRTUAL_GOODS_BOOKKEEPING_MAX_LAG_SECONDS, 30 by
 * default): older ones are recorded whatever the load.
 */
const maxLagMs = () => {
  const seconds = Number(process.env.VIRTUAL_GOODS_BOOKKEEPING_MAX_LAG_SECONDS)
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 30) * 1000
}

/** An explicit pass waits this long at most for orders whose lease another pass or process holds. */
const BUSY_WAIT_MS = 60_000

type Pass = { again: boolean; urgent: boolean; done: Promise<RecordedAgentOrders> }

/**
 * The pass working through the outbox, per agents module — one per app in this process, whichever container object
 * a caller holds (the app's, a subscriber's, a job's): a second call asks the running pass to look again.
 */
const draining = new WeakMap<object, Pass>()
/** A pass that yielded to answers comes back after a quiet moment. */
const retries = new WeakMap<object, NodeJS.Timeout>()
/** When this process last heard of an answered wholesale order. */
let lastAnswerAt = 0

export type RecordedAgentOrders = {
  recorded: string[]
  failed: { agent_order_id: string; error: string }[]
  deferred: number
  /** Orders another pass or process was recording when this pass gave up waiting for them. */
  busy: number
}

/**
 * A wholesale order was answered (its `agent_order.placed` event): its bookkeeping is due once the answers pause for a
 * moment (or it waited too long) — the answers, which agents wait for, go first.
 */
export function noteAgentOrderAnswered(container: MedusaContainer) {
  lastAnswerAt = Date.now()
  scheduleBookkeeping(container)
}

function scheduleBookkeeping(container: MedusaContainer) {
  const key: object = agentsModule(container)
  if (retries.has(key)) return
  const timer = setTimeout(() => {
    retries.delete(key)
    recordPendingAgentOrders(container, { yieldToAnswers: true }).catch((e: unknown) =>
      container.resolve(ContainerRegistrationKeys.LOGGER).error(`virtual-goods: wholesale bookkeeping failed: ${errorMessage(e)}`)
    )
  }, QUIET_MS)
  timer.unref?.()
  retries.set(key, timer)
}

/**
 * Works through the bookkeeping outbox: every answered wholesale order whose Medusa order is not recorded yet, oldest
 * first, one at a time (`recordAgentOrderWorkflow` under the order's bookkeeping lease, so two workers never record one
 * order at once, and a worker that dies frees it at once). A failed order keeps its error and attempt count for the
 * admin and is tried again on the next pass.
 *
 * With `yieldToAnswers` (the `agent_order.placed` subscriber and the job below) the pass gives way while this process
 * hears of answers (one in the last second), and comes back after a quiet moment — unless the oldest pending order has
 * waited longer than the maximum lag, which is then recorded whatever the load: recording a Medusa order costs far more
 * than an answer, and on a busy night the agents' answers come first. Without it (an explicit call) the pass records
 * everything pending. Within one process a call while a pass is running makes that pass look again (and, when the call
 * does not yield, stop yielding) instead of starting a second one.
 */
export function recordPendingAgentOrders(container: MedusaContainer, options: { yieldToAnswers?: boolean } = {}): Promise<RecordedAgentOrders> {
  const agents = agentsModule(container)
  const running = draining.get(agents)
  if (running) {
    running.again = true
    if (!options.yieldToAnswers) running.urgent = true
    return running.done
  }
  const state: Pass = { again: false, urgent: !options.yieldToAnswers, done: Promise.resolve<RecordedAgentOrders>({ recorded: [], failed: [], deferred: 0, busy: 0 }) }
  state.done = (async () => {
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const result: RecordedAgentOrders = { recorded: [], failed: [], deferred: 0, busy: 0 }
    const failedNow = new Set<string>()
    const started = Date.now()
    try {
      for (;;) {
        state.again = false
        result.deferred = 0
        result.busy = 0
        const pending = (await agents.pendingBookkeeping(BATCH)).filter((o) => !failedNow.has(o.id))
        for (const [i, order] of pending.entries()) {
          const answersFlowing = Date.now() - lastAnswerAt < QUIET_MS
          if (!state.urgent && answersFlowing && Date.now() - new Date(order.completed_at).getTime() < maxLagMs()) {
            result.deferred = pending.length - i
            break
          }
          const id = order.id
          try {
            const leased = await agents.withBookkeepingLease(id, () => recordAgentOrderWorkflow(container).run({ input: { agent_order_id: id } }))
            if (!leased.ran) result.busy++
            else if (leased.result.result.recorded) result.recorded.push(id)
          } catch (e: unknown) {
            const error = errorMessage(e)
            failedNow.add(id)
            result.failed.push({ agent_order_id: id, error })
            await agents.failBookkeeping({ id, error })
            logger.error(`virtual-goods: wholesale order ${id} could not be recorded yet: ${error}`)
          }
        }
        // An explicit call that joined meanwhile makes a pass that gave way go on.
        if (result.deferred && !state.urgent) break
        // An explicit pass records everything: orders another pass or process is recording right now are looked at
        // again until that one is done with them (a lease is freed when its holder finishes or dies).
        if (result.busy && state.urgent && Date.now() - started < BUSY_WAIT_MS) {
          await new Promise((r) => setTimeout(r, 100))
          continue
        }
        if (!result.deferred && !(state.again || pending.length === BATCH)) break
      }
    } finally {
      draining.delete(agents)
    }
    if (result.deferred) scheduleBookkeeping(container)
    return result
  })()
  draining.set(agents, state)
  return state.done
}

/**
 * Every minute: the bookkeeping of answered wholesale orders that no event finished (a crash, a failure, an event
 * lost), giving way to answers as the subscriber does.
 */
export default async function agentOrderBookkeepingJob(container: MedusaContainer) {
  await runOncePerTick(container, config, () => recordPendingAgentOrders(container, { yieldToAnswers: true }))
}

export const config = { name: "virtual-goods-agent-order-bookkeeping", schedule: "* * * * *" }

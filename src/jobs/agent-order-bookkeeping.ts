import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AGENTS_MODULE } from "../modules/agents"
import type AgentsModuleService from "../modules/agents/service"
import { recordAgentOrderWorkflow } from "../workflows/agents/wholesale"

const BATCH = 100

/** Containers of this process whose outbox is being worked through (a second call asks the running one to look again). */
const draining = new WeakMap<MedusaContainer, { again: boolean; done: Promise<RecordedAgentOrders> }>()

export type RecordedAgentOrders = { recorded: string[]; failed: { agent_order_id: string; error: string }[] }

/**
 * Works through the bookkeeping outbox: every answered wholesale order whose Medusa order is not recorded yet, oldest
 * first, one at a time (`recordAgentOrderWorkflow` under the order's bookkeeping lease, so two workers never record one
 * order at once, and a worker that dies frees it at once). A failed order keeps its
 * error and attempt count for the admin and is tried again on the next pass. Called by the `agent_order.placed`
 * subscriber right after an answer and every minute by the job below, which also picks up what a crash left behind.
 * Within one process a call while a pass is running makes that pass look again instead of starting a second one.
 */
export function recordPendingAgentOrders(container: MedusaContainer): Promise<RecordedAgentOrders> {
  const running = draining.get(container)
  if (running) {
    running.again = true
    return running.done
  }
  const state = { again: false, done: Promise.resolve<RecordedAgentOrders>({ recorded: [], failed: [] }) }
  state.done = (async () => {
    const agents = container.resolve(AGENTS_MODULE) as AgentsModuleService
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const result: RecordedAgentOrders = { recorded: [], failed: [] }
    const failedNow = new Set<string>()
    try {
      do {
        state.again = false
        const pending = (await agents.listPendingBookkeeping(BATCH)).filter((id) => !failedNow.has(id))
        for (const id of pending) {
          try {
            const leased = await agents.withBookkeepingLease(id, () => recordAgentOrderWorkflow(container).run({ input: { agent_order_id: id } }))
            if (leased.ran && leased.result.result.recorded) result.recorded.push(id)
          } catch (e: unknown) {
            const error = e instanceof Error ? e.message : String(e)
            failedNow.add(id)
            result.failed.push({ agent_order_id: id, error })
            await agents.failBookkeeping({ id, error })
            logger.error(`virtual-goods: wholesale order ${id} could not be recorded yet: ${error}`)
          }
        }
        if (pending.length === BATCH) state.again = true
      } while (state.again)
    } finally {
      draining.delete(container)
    }
    return result
  })()
  draining.set(container, state)
  return state.done
}

/** Every minute: the bookkeeping of answered wholesale orders that no event finished (a crash, a failure). */
export default async function agentOrderBookkeepingJob(container: MedusaContainer) {
  await recordPendingAgentOrders(container)
}

export const config = { name: "virtual-goods-agent-order-bookkeeping", schedule: "* * * * *" }

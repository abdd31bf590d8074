import { errorMessage } from "../utils/errors"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { recoverAgentOrderWorkflow, RecoverAgentOrderWorkflowOutput } from "../workflows/agents"
import { agentsModule } from "../workflows/agents/utils/agents-module"
import { runOncePerTick } from "../utils/once-per-tick"

/** A wholesale order without progress for this long was cut off (a request takes seconds). */
export const AGENT_ORDER_STALE_AFTER_SECONDS = 600

/**
 * Finishes or undoes wholesale orders whose request was cut off by a crash (see `recoverAgentOrderWorkflow`), so a
 * key is never stuck at 409 and no money or code stays held by a request that will not come back.
 */
export default async function agentOrderRecoveryJob(container: MedusaContainer) {
  await runOncePerTick(container, config, () => recoverInterruptedAgentOrders(container))
}

/** One recovery pass over the orders without progress for `staleAfterSeconds`; returns what it did to each. */
export async function recoverInterruptedAgentOrders(container: MedusaContainer, staleAfterSeconds = AGENT_ORDER_STALE_AFTER_SECONDS) {
  const agents = agentsModule(container)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const results: RecoverAgentOrderWorkflowOutput[] = []
  for (const id of await agents.listStaleOrders(staleAfterSeconds)) {
    try {
      const { result } = await recoverAgentOrderWorkflow(container).run({ input: { agent_order_id: id, stale_after_seconds: staleAfterSeconds } })
      results.push(result)
      if (result.action !== "none") logger.warn(`virtual-goods: interrupted wholesale order ${id}: ${result.action === "complete" ? "finished" : "undone"}`)
    } catch (e: unknown) {
      logger.error(`virtual-goods: could not recover wholesale order ${id}: ${errorMessage(e)}`)
    }
  }
  return results
}

export const config = { name: "virtual-goods-agent-order-recovery", schedule: "*/5 * * * *" }

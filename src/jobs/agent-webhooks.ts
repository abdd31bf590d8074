import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { sendAgentWebhooksWorkflow } from "../workflows/agents/workflows/send-agent-webhooks"

const BATCH = 50

/**
 * Sends the agents' due webhook deliveries (signed, with backoff; dead after the last attempt) through
 * `sendAgentWebhooksWorkflow`. Deliveries are claimed with SKIP LOCKED and leased, so several instances may run the
 * job at once.
 */
export default async function agentWebhooksJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  let sent = 0
  let failed = 0
  for (let round = 0; round < 20; round++) {
    const { result } = await sendAgentWebhooksWorkflow(container).run({ input: { limit: BATCH } })
    sent += result.filter((r) => r.status === "delivered").length
    failed += result.filter((r) => r.status !== "delivered").length
    if (result.length < BATCH) break
  }
  if (sent || failed) logger.info(`virtual-goods: agent webhooks delivered ${sent}, failed ${failed}`)
}

export const config = { name: "virtual-goods-agent-webhooks", schedule: "* * * * *" }

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { sendAgentWebhooksWorkflow } from "../workflows/agents/workflows/send-agent-webhooks"
import { runOncePerTick } from "../utils/once-per-tick"

const BATCH = 50

/**
 * Every minute, once per tick across the cluster: the agents' due webhook deliveries (see `sendDueAgentWebhooks`).
 */
export default async function agentWebhooksJob(container: MedusaContainer) {
  await runOncePerTick(container, config, () => sendDueAgentWebhooks(container))
}

/**
 * Sends the agents' due webhook deliveries (signed, with backoff; dead after the last attempt) through
 * `sendAgentWebhooksWorkflow`. Deliveries are claimed with SKIP LOCKED and leased, so several instances may run this
 * at once.
 */
export async function sendDueAgentWebhooks(container: MedusaContainer) {
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
  return { sent, failed }
}

export const config = { name: "virtual-goods-agent-webhooks", schedule: "* * * * *" }

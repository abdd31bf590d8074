import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AGENTS_MODULE } from "../modules/agents"
import type AgentsModuleService from "../modules/agents/service"

const BATCH = 50

/**
 * Sends the agents' due webhook deliveries (signed, with backoff; dead after the last attempt). Deliveries are claimed
 * with SKIP LOCKED and leased, so several instances may run the job at once.
 */
export default async function agentWebhooksJob(container: MedusaContainer) {
  const agents = container.resolve(AGENTS_MODULE) as AgentsModuleService
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  let sent = 0
  let failed = 0
  for (let round = 0; round < 20; round++) {
    const results = await agents.sendDueWebhooks({ limit: BATCH })
    sent += results.filter((r) => r.status === "delivered").length
    failed += results.filter((r) => r.status !== "delivered").length
    if (results.length < BATCH) break
  }
  if (sent || failed) logger.info(`virtual-goods: agent webhooks delivered ${sent}, failed ${failed}`)
}

export const config = { name: "virtual-goods-agent-webhooks", schedule: "* * * * *" }

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { DueWebhookDelivery, WebhookDeliveryResult } from "../../../modules/agents/types"
import type AgentsModuleService from "../../../modules/agents/service"
import { outboundRequest } from "../../../utils/outbound-http"
import { agentsModule } from "../utils/agents-module"

export type SendAgentWebhooksStepInput = {
  /** How many due deliveries to claim at most (default 20). */
  limit?: number
  /** Only these deliveries, when they are due. */
  ids?: string[]
}

/** The agent's endpoint may answer with a body: it is not needed, and no more than this is read. */
const MAX_ANSWER_BYTES = 64 * 1024

export const sendAgentWebhooksStepId = "send-agent-webhooks"

/**
 * Sends the agents' webhook deliveries that are due. The module claims them (leased, so two senders never send one at
 * once) and records every attempt: a 2xx answer delivers; anything else retries with backoff and, after the last
 * attempt, leaves the delivery on the dead-letter list. Each POST carries `X-VG-Signature: v1=HMAC(secret,
 * "<timestamp>.<body>")`, computed by the module here and never part of the step's input or output; the URL is checked
 * again first, and the request goes through the guarded outbound client (no redirects; private addresses refused at
 * connect time unless the module allows them).
 *
 * Not compensated: a request sent cannot be unsent, and each attempt's record is its outcome.
 *
 * @example
 * const results = sendAgentWebhooksStep({ limit: 50 })
 */
export const sendAgentWebhooksStep = createStep(sendAgentWebhooksStepId, async (input: SendAgentWebhooksStepInput, { container }) => {
  const agents = agentsModule(container)
  const due = await agents.claimDueWebhooks({ limit: input.limit, ids: input.ids })
  const results: WebhookDeliveryResult[] = []
  for (const delivery of due) {
    const outcome = await sendDelivery(agents, delivery)
    results.push(await agents.recordWebhookAttempt({ id: delivery.id, attempts: delivery.attempts + 1, ...outcome }))
  }
  return new StepResponse(results)
})

async function sendDelivery(agents: AgentsModuleService, delivery: DueWebhookDelivery): Promise<{ last_status: number | null; last_error: string | null }> {
  let status: number | null = null
  try {
    if (!delivery.url) throw new Error("the agent has no webhook URL")
    const problem = await agents.webhookUrlProblem(delivery.url)
    if (problem) throw new Error(`URL refused: ${problem}`)
    const policy = agents.webhookSendPolicy()
    const body = JSON.stringify({ id: delivery.id, event: delivery.event, created_at: new Date(delivery.created_at).toISOString(), data: delivery.payload })
    const timestamp = Math.floor(Date.now() / 1000)
    const response = await outboundRequest(delivery.url, {
      method: "POST",
      timeoutMs: policy.timeout_ms,
      maxResponseBytes: MAX_ANSWER_BYTES,
      allowPrivateAddresses: policy.allow_private_addresses,
      headers: {
        "content-type": "application/json",
        "user-agent": "medusa-virtual-goods-webhooks",
        "x-vg-event": delivery.event,
        "x-vg-delivery": delivery.id,
        "x-vg-timestamp": String(timestamp),
        "x-vg-signature": agents.signWebhookBody({ agent_id: delivery.agent_id, secret_version: delivery.secret_version, timestamp, body }),
      },
      body,
    })
    status = response.status
    return { last_status: status, last_error: status >= 200 && status < 300 ? null : `HTTP ${status}` }
  } catch (e: unknown) {
    return { last_status: status, last_error: describeFailure(e) }
  }
}

/** What the delivery list shows of a failed send: `timeout`, a system error code (`ECONNREFUSED`), or the message. */
function describeFailure(e: unknown): string {
  if (!(e instanceof Error)) return String(e).slice(0, 500)
  if (e.name === "TimeoutError") return "timeout"
  const code = (e as NodeJS.ErrnoException).code
  return (code && code !== "EADDRNOTPUBLIC" ? code : e.message).slice(0, 500)
}

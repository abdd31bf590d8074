import { model } from "@medusajs/framework/utils"

/**
 * One event to POST to an agent's webhook URL, signed (HMAC-SHA256 over timestamp and body). Sent by the webhook job
 * with exponential backoff; after the last attempt it is `dead` (the dead-letter list) until an admin replays it.
 * The payload holds ids and amounts, never a code.
 */
export const AgentWebhookDelivery = model
  .define("agent_webhook_delivery", {
    id: model.id({ prefix: "awhd" }).primaryKey(),
    agent_id: model.text(),
    event: model.text(),
    payload: model.json(),
    status: model.enum(["pending", "delivered", "dead"]).default("pending"),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime(),
    last_status: model.number().nullable(),
    last_error: model.text().nullable(),
    delivered_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["next_attempt_at"], where: "status = 'pending'" },
    { on: ["agent_id", "created_at"] },
  ])

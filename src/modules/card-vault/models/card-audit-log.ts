import { model } from "@medusajs/framework/utils"

/**
 * Append-only record of every change to codes and every reveal. A database trigger refuses UPDATE and DELETE.
 * Written in the same transaction as the change it records.
 */
export const CardAuditLog = model
  .define("card_audit_log", {
    id: model.id({ prefix: "caudit" }).primaryKey(),
    action: model.text(),
    actor_type: model.text(),
    actor_id: model.text().nullable(),
    pool_id: model.text().nullable(),
    batch_id: model.text().nullable(),
    order_id: model.text().nullable(),
    cart_id: model.text().nullable(),
    code_ids: model.json().nullable(),
    code_count: model.number().default(0),
    reason: model.text().nullable(),
    ip: model.text().nullable(),
    user_agent: model.text().nullable(),
    details: model.json().nullable(),
  })
  .indexes([
    { on: ["order_id"] },
    { on: ["pool_id"] },
    { on: ["created_at"] },
  ])

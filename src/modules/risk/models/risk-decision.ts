import { model } from "@medusajs/framework/utils"

/**
 * What the rules decided about one checkout (`subject_type: cart`) or wholesale order (`agent_order`), with the reasons
 * and the facts they saw. A `review` decision holds the order's codes until an admin approves or rejects it
 * (`review_status`, who, when, why). One decision per subject: a retried checkout is not judged (or counted) twice.
 */
export const RiskDecision = model
  .define("risk_decision", {
    id: model.id({ prefix: "rdec" }).primaryKey(),
    subject_type: model.enum(["cart", "agent_order"]),
    subject_id: model.text(),
    order_id: model.text().nullable(),
    action: model.enum(["allow", "review", "block"]),
    reasons: model.json(),
    facts: model.json(),
    review_status: model.enum(["pending", "approved", "rejected"]).nullable(),
    reviewed_by: model.text().nullable(),
    reviewed_at: model.dateTime().nullable(),
    review_note: model.text().nullable(),
  })
  .indexes([
    { name: "IDX_risk_decision_subject_unique", on: ["subject_type", "subject_id"], unique: true },
    { on: ["order_id"], where: "order_id IS NOT NULL" },
    { on: ["review_status", "created_at"], where: "review_status IS NOT NULL" },
  ])

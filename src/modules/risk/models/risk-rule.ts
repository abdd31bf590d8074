import { model } from "@medusajs/framework/utils"

/**
 * A risk rule (风控规则). Kinds:
 * - `velocity`: orders (`measure: count`), money (`amount`) or codes (`quantity`) per sliding window of
 *   `window_seconds`, keyed by ip, email, email domain, customer, agent or device; more than `threshold` → `action`.
 *   Per customer per day (限购) is `velocity` keyed by customer over 86400 s measuring quantity.
 * - `order_amount` / `order_quantity`: one order above `threshold`.
 * - `first_purchase`: a first order (a guest, or a customer without earlier orders) above `threshold` in `measure`.
 * - `list`: `values` (IPs and CIDRs, emails, email domains, customer, agent or device ids) under `key`; a `block` list
 *   blocks, an `allow` list exempts from every other rule.
 */
export const RiskRule = model.define("risk_rule", {
  id: model.id({ prefix: "rrule" }).primaryKey(),
  name: model.text(),
  kind: model.enum(["velocity", "order_amount", "order_quantity", "first_purchase", "list"]),
  key: model.enum(["ip", "email", "email_domain", "customer", "agent", "device"]).nullable(),
  measure: model.enum(["count", "amount", "quantity"]).nullable(),
  window_seconds: model.number().nullable(),
  threshold: model.bigNumber().nullable(),
  list_type: model.enum(["block", "allow"]).nullable(),
  values: model.json().nullable(),
  action: model.enum(["review", "block"]).default("review"),
  /** Whom it applies to: store checkouts, agents' wholesale orders, or both. */
  applies_to: model.enum(["all", "store", "wholesale"]).default("all"),
  enabled: model.boolean().default(true),
})

import { model } from "@medusajs/framework/utils"

/**
 * A risk rule (风控规则). Kinds:
 * - `velocity`: orders (`measure: count`), money (`amount`) or codes (`quantity`) per sliding window of
 *   `window_seconds`, keyed by ip, email, email domain, customer, agent or device; more than `threshold` → `action`.
 *   Per customer per day (限购) is `velocity` keyed by customer over 86400 s measuring quantity.
 * - `order_amount` / `order_quantity`: one order above `threshold`.
 * - `first_purchase`: a first order (a guest, or a customer without earlier orders) above `threshold` in `measure`.
 * - `list`: `values` (IPs and CIDRs, emails, email domains, customer, agent or device ids, card fingerprints) under
 *   `key`; a `block` list blocks, a `review` list sends to review, an `allow` list exempts from every other rule.
 * - `radar`: Stripe Radar's verdict on the payment: a risk score above `threshold` (0–100), or a risk level among
 *   `values` (normal, elevated, highest, not_assessed) → `action`. Unknown Radar facts match nothing.
 *
 * `is_system` marks the lists the plugin keeps itself (`addToRiskList`, e.g. "Disputed payments (email)"): one per
 * key and list type, with why each value was added in `value_reasons` (value → { reason, added_at }).
 */
export const RiskRule = model.define("risk_rule", {
  id: model.id({ prefix: "rrule" }).primaryKey(),
  name: model.text(),
  kind: model.enum(["velocity", "order_amount", "order_quantity", "first_purchase", "list", "radar"]),
  key: model.enum(["ip", "email", "email_domain", "customer", "agent", "device", "card_fingerprint"]).nullable(),
  measure: model.enum(["count", "amount", "quantity"]).nullable(),
  window_seconds: model.number().nullable(),
  threshold: model.bigNumber().nullable(),
  list_type: model.enum(["block", "allow", "review"]).nullable(),
  values: model.json().nullable(),
  action: model.enum(["review", "block"]).default("review"),
  /** Whom it applies to: store checkouts, agents' wholesale orders, or both. */
  applies_to: model.enum(["all", "store", "wholesale"]).default("all"),
  enabled: model.boolean().default(true),
  is_system: model.boolean().default(false),
  value_reasons: model.json().nullable(),
}).indexes([
  { name: "IDX_risk_rule_system_list_unique", on: ["key", "list_type"], unique: true, where: "is_system = true" },
])

import { BlockList, isIP } from "net"

export type RiskKey = "ip" | "email" | "email_domain" | "customer" | "agent" | "device" | "card_fingerprint"
export const RISK_KEYS = ["ip", "email", "email_domain", "customer", "agent", "device", "card_fingerprint"] as const satisfies readonly RiskKey[]
export type RiskMeasure = "count" | "amount" | "quantity"
export type RiskAction = "allow" | "review" | "block"
/** What a list does when the order's value is on it: blocks it, sends it to review, or exempts it from every rule. */
export type RiskListType = "block" | "allow" | "review"
/** Stripe Radar's risk level of a payment (`outcome.risk_level`). */
export type RadarRiskLevel = "normal" | "elevated" | "highest" | "not_assessed"
export const RADAR_RISK_LEVELS = ["normal", "elevated", "highest", "not_assessed"] as const satisfies readonly RadarRiskLevel[]

export type RiskRuleInput = {
  id: string
  name: string
  kind: "velocity" | "order_amount" | "order_quantity" | "first_purchase" | "list" | "radar"
  key?: RiskKey | null
  measure?: RiskMeasure | null
  window_seconds?: number | null
  threshold?: number | null
  list_type?: RiskListType | null
  /** A list's entries; a radar rule's risk levels. */
  values?: string[] | null
  action: "review" | "block"
  applies_to?: "all" | "store" | "wholesale"
  enabled?: boolean
}

export type RiskFacts = {
  channel: "store" | "wholesale"
  ip?: string | null
  email?: string | null
  customer_id?: string | null
  agent_id?: string | null
  device_id?: string | null
  /** The paying card's fingerprint (Stripe `payment_method.card.fingerprint`): the same card across customers. */
  card_fingerprint?: string | null
  /** Stripe Radar's risk level of the payment; null or absent: unknown, radar rules on the level do not apply. */
  radar_risk_level?: RadarRiskLevel | null
  /** Stripe Radar's risk score of the payment (0–100); null or absent: unknown, radar rules on the score do not apply. */
  radar_risk_score?: number | null
  /** The order's total in its currency. */
  amount: number
  /** Codes in the order. */
  quantity: number
  /** A guest, or a customer without earlier orders. */
  first_purchase?: boolean
  /** Totals per velocity rule id over its window, this order included. */
  windows?: Record<string, { count: number; amount: number; quantity: number }>
}

export type RiskReason = { rule_id: string; rule: string; action: RiskAction; message: string }
export type RiskDecisionResult = { action: RiskAction; reasons: RiskReason[] }

/** The value a rule keys on, from the facts (null: the fact is unknown, the rule does not apply). */
export function keyValue(key: RiskKey, facts: RiskFacts): string | null {
  switch (key) {
    case "ip":
      return facts.ip ?? null
    case "email":
      return facts.email ? facts.email.trim().toLowerCase() : null
    case "email_domain": {
      const at = facts.email?.lastIndexOf("@") ?? -1
      return at >= 0 ? facts.email!.slice(at + 1).trim().toLowerCase() : null
    }
    case "customer":
      return facts.customer_id ?? null
    case "agent":
      return facts.agent_id ?? null
    case "device":
      return facts.device_id ?? null
    case "card_fingerprint":
      return facts.card_fingerprint ?? null
  }
}

/** A list entry or a value as lists compare it: trimmed; emails and email domains lowercased. */
export function normalizeListValue(key: RiskKey, value: string): string {
  const trimmed = String(value).trim()
  return key === "email" || key === "email_domain" ? trimmed.toLowerCase() : trimmed
}

/** Whether a list entry matches: IPs by address or CIDR (IPv4 and IPv6), emails and domains case-insensitively. */
export function listMatches(key: RiskKey, value: string, entries: string[]): boolean {
  if (key === "ip") {
    const family = isIP(value)
    if (!family) return false
    const list = new BlockList()
    for (const entry of entries) {
      const [net, prefix] = entry.trim().split("/")
      const entryFamily = isIP(net)
      if (!entryFamily) continue
      const type = entryFamily === 4 ? "ipv4" : "ipv6"
      if (prefix === undefined) list.addAddress(net, type)
      else list.addSubnet(net, Number(prefix), type)
    }
    return list.check(value, family === 4 ? "ipv4" : "ipv6")
  }
  const normalized = key === "email" || key === "email_domain" ? value.toLowerCase() : value
  return entries.some((e) => normalizeListValue(key, e) === normalized)
}

const SEVERITY: Record<RiskAction, number> = { allow: 0, review: 1, block: 2 }
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2))

/**
 * Judges one order: rules in, facts in, decision out — no I/O. Every enabled rule of the order's channel that matches
 * adds a reason; the decision is the most severe action among them (block > review > allow). A matching allow list
 * exempts the order from every other rule; a matching block list blocks it, a matching review list sends it to review
 * (whatever the list rule's `action`). A radar rule matches when the Radar risk score is above its `threshold` or the
 * risk level is one of its `values`; an unknown score or level (null) matches nothing.
 */
export function evaluateRisk(rules: RiskRuleInput[], facts: RiskFacts): RiskDecisionResult {
  const active = rules.filter((r) => r.enabled !== false && (!r.applies_to || r.applies_to === "all" || r.applies_to === facts.channel))
  for (const rule of active) {
    if (rule.kind !== "list" || rule.list_type !== "allow" || !rule.key) continue
    const value = keyValue(rule.key, facts)
    if (value && listMatches(rule.key, value, rule.values ?? [])) {
      return { action: "allow", reasons: [{ rule_id: rule.id, rule: rule.name, action: "allow", message: `${rule.key} ${value} is on the allow list` }] }
    }
  }
  const reasons: RiskReason[] = []
  for (const rule of active) {
    const threshold = rule.threshold ?? Infinity
    switch (rule.kind) {
      case "list": {
        if ((rule.list_type !== "block" && rule.list_type !== "review") || !rule.key) break
        const value = keyValue(rule.key, facts)
        if (value && listMatches(rule.key, value, rule.values ?? [])) {
          reasons.push({ rule_id: rule.id, rule: rule.name, action: rule.list_type, message: `${rule.key} ${value} is on the ${rule.list_type} list` })
        }
        break
      }
      case "radar": {
        const score = facts.radar_risk_score
        const level = facts.radar_risk_level
        if (rule.threshold !== null && rule.threshold !== undefined && typeof score === "number" && score > rule.threshold) {
          reasons.push({ rule_id: rule.id, rule: rule.name, action: rule.action, message: `Radar risk score ${fmt(score)} is above ${fmt(rule.threshold)}` })
        } else if (level && rule.values?.length && rule.values.includes(level)) {
          reasons.push({ rule_id: rule.id, rule: rule.name, action: rule.action, message: `Radar risk level ${level} is one of ${rule.values.join(", ")}` })
        }
        break
      }
      case "velocity": {
        if (!rule.key || !keyValue(rule.key, facts)) break
        const window = facts.windows?.[rule.id]
        const measure = rule.measure ?? "count"
        const seen = window ? window[measure] : measure === "count" ? 1 : measure === "amount" ? facts.amount : facts.quantity
        if (seen > threshold) {
          const what = measure === "count" ? `${seen} orders` : measure === "amount" ? `an amount of ${fmt(seen)}` : `${seen} codes`
          reasons.push({
            rule_id: rule.id,
            rule: rule.name,
            action: rule.action,
            message: `${what} from ${rule.key} ${keyValue(rule.key, facts)} in ${rule.window_seconds} s (limit ${fmt(threshold)})`,
          })
        }
        break
      }
      case "order_amount":
        if (facts.amount > threshold) {
          reasons.push({ rule_id: rule.id, rule: rule.name, action: rule.action, message: `order amount ${fmt(facts.amount)} is above ${fmt(threshold)}` })
        }
        break
      case "order_quantity":
        if (facts.quantity > threshold) {
          reasons.push({ rule_id: rule.id, rule: rule.name, action: rule.action, message: `${facts.quantity} codes in one order, above ${fmt(threshold)}` })
        }
        break
      case "first_purchase": {
        if (!facts.first_purchase) break
        const seen = rule.measure === "amount" ? facts.amount : facts.quantity
        if (seen > threshold) {
          reasons.push({
            rule_id: rule.id,
            rule: rule.name,
            action: rule.action,
            message: `a first purchase of ${rule.measure === "amount" ? `amount ${fmt(seen)}` : `${seen} codes`}, above ${fmt(threshold)}`,
          })
        }
        break
      }
    }
  }
  const action = reasons.reduce<RiskAction>((a, r) => (SEVERITY[r.action] > SEVERITY[a] ? r.action : a), "allow")
  return { action, reasons }
}

/** The velocity rules' counter keys for these facts (one per key and value), e.g. `ip:203.0.113.7`. */
export function velocityKeys(rules: RiskRuleInput[], facts: RiskFacts): Map<string, RiskRuleInput[]> {
  const keys = new Map<string, RiskRuleInput[]>()
  for (const rule of rules) {
    if (rule.kind !== "velocity" || rule.enabled === false || !rule.key || !rule.window_seconds) continue
    if (rule.applies_to && rule.applies_to !== "all" && rule.applies_to !== facts.channel) continue
    const value = keyValue(rule.key, facts)
    if (!value) continue
    const k = `${rule.key}:${value}`
    keys.set(k, [...(keys.get(k) ?? []), rule])
  }
  return keys
}

/**
 * What is wrong with a rule as an admin wrote it (field and reason), or null. Checked before a rule is stored, so
 * evaluation never meets a rule it cannot apply.
 */
export function ruleProblem(rule: Partial<RiskRuleInput>): string | null {
  const need = (ok: boolean, message: string) => (ok ? null : message)
  if (!rule.name?.trim()) return "name is required"
  switch (rule.kind) {
    case "velocity":
      return (
        need(!!rule.key && RISK_KEYS.includes(rule.key), "key is required for a velocity rule (ip, email, email_domain, customer, agent, device or card_fingerprint)") ??
        need(!!rule.measure, "measure is required for a velocity rule (count, amount or quantity)") ??
        need(Number.isInteger(rule.window_seconds) && rule.window_seconds! > 0 && rule.window_seconds! <= 31 * 86400, "window_seconds must be a whole number of seconds between 1 and 2678400") ??
        need(typeof rule.threshold === "number" && rule.threshold >= 0, "threshold must be a number ≥ 0")
      )
    case "order_amount":
    case "order_quantity":
      return need(typeof rule.threshold === "number" && rule.threshold >= 0, "threshold must be a number ≥ 0")
    case "first_purchase":
      return (
        need(rule.measure === "amount" || rule.measure === "quantity", "measure must be amount or quantity for a first_purchase rule") ??
        need(typeof rule.threshold === "number" && rule.threshold >= 0, "threshold must be a number ≥ 0")
      )
    case "radar": {
      const hasThreshold = rule.threshold !== null && rule.threshold !== undefined
      const hasValues = rule.values !== null && rule.values !== undefined && !(Array.isArray(rule.values) && !rule.values.length)
      if (!hasThreshold && !hasValues) {
        return "a radar rule needs a threshold (a risk score from 0 to 100) or values (risk levels: normal, elevated, highest, not_assessed)"
      }
      if (hasThreshold && !(typeof rule.threshold === "number" && rule.threshold >= 0 && rule.threshold <= 100)) {
        return "threshold must be a risk score from 0 to 100 for a radar rule"
      }
      if (hasValues) {
        if (!Array.isArray(rule.values)) return "values must list risk levels (normal, elevated, highest, not_assessed)"
        for (const [i, v] of rule.values.entries()) {
          if (!(RADAR_RISK_LEVELS as readonly string[]).includes(String(v).trim())) {
            return `values[${i}] is not a Radar risk level (normal, elevated, highest or not_assessed): ${JSON.stringify(v)}`
          }
        }
      }
      return null
    }
    case "list": {
      if (!rule.key) return "key is required for a list rule"
      if (!RISK_KEYS.includes(rule.key)) return "key must be ip, email, email_domain, customer, agent, device or card_fingerprint"
      if (rule.list_type !== "block" && rule.list_type !== "allow" && rule.list_type !== "review") return "list_type must be block, allow or review"
      if (!Array.isArray(rule.values) || !rule.values.length) return "values must list at least one entry"
      for (const [i, v] of rule.values.entries()) {
        const entry = String(v).trim()
        if (!entry) return `values[${i}] is empty`
        if (rule.key === "ip") {
          const [net, prefix] = entry.split("/")
          const family = isIP(net)
          if (!family || (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)))) {
            return `values[${i}] is not an IP address or CIDR: ${JSON.stringify(entry)}`
          }
        }
        if (rule.key === "email" && !/^[^@\s]+@[^@\s]+$/.test(entry)) return `values[${i}] is not an email address: ${JSON.stringify(entry)}`
        if (rule.key === "email_domain" && !/^[^@\s]+\.[^@\s]+$/.test(entry)) return `values[${i}] is not an email domain: ${JSON.stringify(entry)}`
        if (rule.key === "card_fingerprint" && !/^[A-Za-z0-9_-]{1,128}$/.test(entry)) return `values[${i}] is not a card fingerprint: ${JSON.stringify(entry)}`
      }
      return null
    }
    default:
      return "kind must be velocity, order_amount, order_quantity, first_purchase, list or radar"
  }
}

import { BlockList, isIP } from "net"

export type RiskKey = "ip" | "email" | "email_domain" | "customer" | "agent" | "device"
export type RiskMeasure = "count" | "amount" | "quantity"
export type RiskAction = "allow" | "review" | "block"

export type RiskRuleInput = {
  id: string
  name: string
  kind: "velocity" | "order_amount" | "order_quantity" | "first_purchase" | "list"
  key?: RiskKey | null
  measure?: RiskMeasure | null
  window_seconds?: number | null
  threshold?: number | null
  list_type?: "block" | "allow" | null
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
  }
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
  return entries.some((e) => (key === "email" || key === "email_domain" ? e.trim().toLowerCase() : e.trim()) === normalized)
}

const SEVERITY: Record<RiskAction, number> = { allow: 0, review: 1, block: 2 }
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2))

/**
 * Judges one order: rules in, facts in, decision out — no I/O. Every enabled rule of the order's channel that matches
 * adds a reason; the decision is the most severe action among them (block > review > allow). A matching allow list
 * exempts the order from every other rule.
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
        if (rule.list_type !== "block" || !rule.key) break
        const value = keyValue(rule.key, facts)
        if (value && listMatches(rule.key, value, rule.values ?? [])) {
          reasons.push({ rule_id: rule.id, rule: rule.name, action: "block", message: `${rule.key} ${value} is on the block list` })
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
        need(!!rule.key, "key is required for a velocity rule (ip, email, email_domain, customer, agent or device)") ??
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
    case "list": {
      if (!rule.key) return "key is required for a list rule"
      if (rule.list_type !== "block" && rule.list_type !== "allow") return "list_type must be block or allow"
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
      }
      return null
    }
    default:
      return "kind must be velocity, order_amount, order_quantity, first_purchase or list"
  }
}

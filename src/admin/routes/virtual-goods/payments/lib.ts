import type { FindingFilters, FindingKind, PaymentEventFilters } from "../../../types"

/**
 * The payments page's pure parts (no React, no SDK): the queries it sends, the counters on top, how it shows an
 * amount and a provider.
 */

/** What GET /admin/virtual-goods/payments/findings and /events are asked; an unset filter is left out. */
export type PaymentsQuery = { [name: string]: string | number | undefined }

const text = (v: string) => v.trim() || undefined

/** The findings' query for the filters and the page at `offset`. */
export const findingsQuery = (filters: FindingFilters, offset: number, limit: number): PaymentsQuery => ({
  status: filters.status || undefined,
  kind: filters.kind || undefined,
  order_id: text(filters.order_id),
  limit,
  offset,
})

/** The webhook events' query for the filters and the page at `offset`. */
export const eventsQuery = (filters: PaymentEventFilters, offset: number, limit: number): PaymentsQuery => ({
  status: filters.status || undefined,
  payment_intent_id: text(filters.payment_intent_id),
  limit,
  offset,
})

/**
 * The counters on top of the page, each the sum of the `count` of one or more findings queries asked for one row:
 * payments captured with no order to show for them (still open), refunds made (by the reconciliation or in Stripe's
 * dashboard, open or resolved), disputes still open.
 */
export const SUMMARY_COUNTERS = [
  { key: "capturedWithoutOrder", queries: [{ status: "open", kind: "captured_without_order" }] },
  { key: "refunds", queries: [{ kind: "refunded_automatically" }, { kind: "refunded_in_stripe" }] },
  { key: "disputesOpen", queries: [{ status: "open", kind: "dispute" }] },
] as const satisfies readonly { key: string; queries: readonly { status?: "open"; kind: FindingKind }[] }[]

/** A counter's query: its filters and one row (only the `count` is read). */
export const countQuery = (filters: { status?: string; kind: FindingKind }): PaymentsQuery => ({ ...filters, limit: 1, offset: 0 })

/**
 * An amount as the API gives it (an exact decimal string, or a number it serialised) with its currency: "1250.50 USD".
 * The digits are shown exactly as received; nothing is computed from them. "—" when there is no amount.
 */
export const formatMoney = (amount: string | number | null | undefined, currency: string | null | undefined) => {
  const value = amount === null || amount === undefined ? "" : String(amount).trim()
  if (!value) return "—"
  return currency ? `${value} ${currency.toUpperCase()}` : value
}

const PROVIDERS: Record<string, string> = {
  pp_stripe_stripe: "stripe",
  "pp_stripe-alipay_stripe": "stripeAlipay",
  "pp_stripe-wechat-pay_stripe": "stripeWechatPay",
  pp_system_default: "system",
}

/** The key of a payment provider's label among the payments page's provider labels (a provider the plugin knows); null for another. */
export const providerLabelKey = (providerId: string): string | null => PROVIDERS[providerId] ?? null

/** Stripe Radar's risk level as a badge colour. */
export const riskLevelColor = (level: string | null | undefined): "green" | "orange" | "red" | "grey" =>
  level === "normal" ? "green" : level === "elevated" ? "orange" : level === "highest" ? "red" : "grey"

export type PaymentReconciliationModuleOptions = {
  /** Stripe's secret key, to read payments back (default STRIPE_API_KEY). Without it, nothing is read back. */
  api_key?: string | null
  /** The webhook endpoint's signing secret, `whsec_…` (default STRIPE_WEBHOOK_SECRET). Without it, webhooks are not intercepted. */
  webhook_secret?: string | null
  /** Where the Stripe SDK sends requests (default STRIPE_API_BASE_URL, else Stripe's API). */
  api_base_url?: string | null
  /** How old a signed webhook may be, in seconds (default 300, Stripe's own default). */
  webhook_tolerance_seconds?: number | string
  /** How long a captured payment may go without an order before reconciliation completes or refunds it (default 300). */
  reconcile_after_seconds?: number | string
  /** How long a cart's codes are held for an asynchronous payment (default 3600). */
  payment_hold_seconds?: number | string
  /** What a chargeback puts its customer, email, IP and card on: a `block` list (default) or a `review` list. */
  dispute_list?: "block" | "review" | string
}

export type ResolvedPaymentReconciliationOptions = {
  api_key: string | null
  webhook_secret: string | null
  api_base_url: string | null
  webhook_tolerance_seconds: number
  reconcile_after_seconds: number
  payment_hold_seconds: number
  dispute_list: "block" | "review"
}

/** The environment variable each option falls back to. */
export const PAYMENT_RECONCILIATION_ENV = {
  api_key: "STRIPE_API_KEY",
  webhook_secret: "STRIPE_WEBHOOK_SECRET",
  api_base_url: "STRIPE_API_BASE_URL",
  webhook_tolerance_seconds: "VIRTUAL_GOODS_WEBHOOK_TOLERANCE_SECONDS",
  reconcile_after_seconds: "VIRTUAL_GOODS_RECONCILE_AFTER_SECONDS",
  payment_hold_seconds: "VIRTUAL_GOODS_PAYMENT_HOLD_SECONDS",
  dispute_list: "VIRTUAL_GOODS_DISPUTE_LIST",
} as const

function positiveInt(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === null || value === "") return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`payment_reconciliation option ${name} must be a positive integer, got "${String(value)}"`)
  return n
}

/** Options with their environment fallbacks and defaults; a malformed value stops the app, naming the option. */
export function resolvePaymentReconciliationOptions(
  options: PaymentReconciliationModuleOptions,
  env: NodeJS.ProcessEnv = process.env
): ResolvedPaymentReconciliationOptions {
  const pick = <K extends keyof typeof PAYMENT_RECONCILIATION_ENV>(k: K) => options[k] ?? env[PAYMENT_RECONCILIATION_ENV[k]]
  const disputeList = String(pick("dispute_list") ?? "block")
  if (disputeList !== "block" && disputeList !== "review") {
    throw new Error(`payment_reconciliation option dispute_list must be "block" or "review", got "${disputeList}"`)
  }
  const text = (v: unknown) => (v === undefined || v === null || v === "" ? null : String(v))
  return {
    api_key: text(pick("api_key")),
    webhook_secret: text(pick("webhook_secret")),
    api_base_url: text(pick("api_base_url")),
    webhook_tolerance_seconds: positiveInt(pick("webhook_tolerance_seconds"), 300, "webhook_tolerance_seconds"),
    reconcile_after_seconds: positiveInt(pick("reconcile_after_seconds"), 300, "reconcile_after_seconds"),
    payment_hold_seconds: positiveInt(pick("payment_hold_seconds"), 3600, "payment_hold_seconds"),
    dispute_list: disputeList,
  }
}

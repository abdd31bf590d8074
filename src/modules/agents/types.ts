import type { InferEntityType } from "@medusajs/framework/types"
import type { AgentOrder } from "./models"
import type { AgentKeyScope } from "./utils/api-keys"

export type AgentsModuleOptions = {
  /**
   * Base64 server key the agents' webhook signing secrets are derived from (HMAC with the agent id and a version, so
   * no secret is stored). Default: VIRTUAL_GOODS_WEBHOOK_KEY, else VIRTUAL_GOODS_BLIND_INDEX_KEY.
   */
  webhook_key?: string
  /** Allow webhook URLs on private or loopback addresses and plain http. Default: VIRTUAL_GOODS_ALLOW_PRIVATE_WEBHOOKS=true or NODE_ENV=development. */
  allow_private_webhook_urls?: boolean
  /** Attempts before a delivery goes to the dead-letter list. Default 8 (VIRTUAL_GOODS_WEBHOOK_MAX_ATTEMPTS). */
  webhook_max_attempts?: number
  /** Time allowed for an agent's endpoint to answer. Default 10000 ms. */
  webhook_timeout_ms?: number
}

/** The module's options with their defaults applied (registered in the module's container as `agentsOptions`). */
export type ResolvedAgentsOptions = Required<Omit<AgentsModuleOptions, "webhook_key">> & { webhook_key: string | null }

export type WebhookDeliveryResult = { id: string; status: "delivered" | "pending" | "dead"; attempts: number; last_status: number | null; last_error: string | null }

/** A delivery claimed for sending (leased, so no other sender takes it meanwhile). Its URL, never its secret. */
export type DueWebhookDelivery = {
  id: string
  agent_id: string
  event: string
  payload: Record<string, unknown>
  /** Attempts made before this one. */
  attempts: number
  created_at: Date
  /** The agent's webhook URL now (null: removed since the event was queued). */
  url: string | null
  /** Version of the agent's signing secret (the secret itself is derived inside the module). */
  secret_version: number
}

/** What a sender may do (non-secret): reach private addresses (development) and how long to wait for an answer. */
export type WebhookSendPolicy = { allow_private_addresses: boolean; timeout_ms: number }

export type LedgerActor = { type: "user" | "system" | "agent"; id?: string | null }
export type LedgerKind = "topup" | "adjustment" | "purchase" | "commission" | "refund"
export type LedgerLeg = { account_id: string; amount: string | number }
export type LedgerPosting = {
  kind: LedgerKind
  legs: LedgerLeg[]
  reference_type?: string | null
  reference_id?: string | null
  note?: string | null
  actor: LedgerActor
}

export type StatementEntry = {
  id: string
  transaction_id: string
  kind: LedgerKind
  amount: string
  reference_type: string | null
  reference_id: string | null
  note: string | null
  actor_type: string
  actor_id: string | null
  created_at: string
  balance_after: string
}

export type AgentStatement = {
  agent_id: string
  currency_code: string
  from: string
  to: string
  opening_balance: string
  closing_balance: string
  /** Sum of the period's entries by kind (topup, purchase, commission, …). */
  totals: Record<string, string>
  entries: StatementEntry[]
}

export type LedgerEntryRow = {
  id: string
  transaction_id: string
  kind: LedgerKind
  amount: string
  currency_code: string
  reference_type: string | null
  reference_id: string | null
  note: string | null
  actor_type: string
  actor_id: string | null
  created_at: Date
}

export type AccountBalance = {
  account_id: string
  agent_id: string | null
  currency_code: string
  balance: string
  credit_limit: string
  /** What the agent can still spend: balance + credit limit. */
  available: string
}

export type PurchaseInput = {
  buyer_agent_id: string
  currency_code: string
  quantity?: number
  unit_prices?: Record<string, string | number>
  lines?: { quantity: number; unit_prices: Record<string, string | number>; label?: string }[]
  reference_type: string
  reference_id: string
  actor: LedgerActor
}

export type PostedPurchase = { transaction_id: string; legs: { agent_id: string | null; account_id: string; amount: string }[]; total: string }

export type AgentPrincipal = { agent_id: string; key_id: string; scopes: AgentKeyScope[] }

export type AgentOrderItem = {
  variant_id: string
  /** The pool the line's codes came from; null for a top-up line. */
  pool_id: string | null
  /** A bundle's line: the codes of each pool one unit took. */
  components?: { pool_id: string; quantity: number }[]
  title: string
  product_title?: string | null
  quantity: number
  unit_price: string
  /** Every agent's unit price along the chain (for a line's refund); never shown to the agent. */
  unit_prices?: Record<string, string>
  /** A top-up line: its supplier order and masked recipient. */
  supplier_order_id?: string
  recipient?: string
}

/** What the wholesale API shows of an agent order (no codes). */
export type AgentOrderRow = {
  id: string
  order_id: string | null
  display_id: number | null
  status: string
  bookkeeping_status: string | null
  currency_code: string | null
  total: string | null
  items: AgentOrderItem[] | null
  created_at: Date
  completed_at: Date | null
}

/** A processing agent order taken for recovery, with what it recorded of its progress. */
export type StaleAgentOrderRow = {
  id: string
  agent_id: string
  order_id: string | null
  display_id: number | null
  currency_code: string | null
  total: string | null
  items: AgentOrderItem[] | null
  agent_chain: string[] | null
  transaction_id: string | null
  quota_consumed: { agent_id: string; variant_id: string; quantity: number }[] | null
}

export type AgentOrderProgress = {
  items?: unknown[]
  agent_chain?: string[]
  currency_code?: string
  quota_consumed?: unknown[] | null
  transaction_id?: string | null
  total?: string | null
  order_id?: string | null
  display_id?: number | null
}

export type CompletedAgentOrderInput = {
  id: string
  order_id: string
  display_id: number | null
  currency_code: string
  total: string
  items: unknown[]
  agent_chain: string[]
  transaction_id: string
}

export type CommittedAgentOrderInput = {
  id: string
  currency_code: string
  total: string
  items: unknown[]
  agent_chain: string[]
  transaction_id: string
  quota_consumed: unknown[] | null
}

export type QuotaPeriod = "none" | "day" | "week" | "month"

export type AgentQuotaRow = {
  id: string
  variant_id: string
  quota_limit: number
  period: string
  used: number
  remaining: number
  period_start: Date | null
  updated_at: Date
}

export type SubAgentSummary = {
  id: string
  name: string
  parent_id: string
  status: string
  depth: number
  purchases: { currency_code: string; orders: number; total: string }[]
}

/**
 * An agent order as the module's generated methods (`listAgentOrders`, `retrieveAgentOrder`, …) return it: `total`
 * is the exact decimal string the order was recorded with, like every amount this module returns.
 */
export type AgentOrderDTO = Omit<InferEntityType<typeof AgentOrder>, "total" | "raw_total"> & { total: string | null }

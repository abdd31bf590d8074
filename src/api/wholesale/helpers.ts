import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createHash } from "crypto"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { AgentKeyScope, AgentOrderRow, AgentPrincipal } from "../../modules/agents/service"
import type { RevealedCardCode } from "../../modules/card-vault/service"
import { agentsModule } from "../../workflows/agents/utils/agents-module"
import { cardVaultModule } from "../../workflows/virtual-goods/utils/card-vault-module"
import { riskModule } from "../../workflows/risk/utils/risk-module"
import { suppliersModule } from "../../workflows/suppliers/utils/suppliers-module"

/** A wholesale request once its key is checked: the agent it acts for. */
export type AgentRequest = MedusaRequest & { agent?: AgentPrincipal }

/** The wholesale API's credential: `Authorization: Bearer vgk_…` (or `x-api-key`), checked on every request. */
export async function authenticateAgentKey(req: AgentRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const header = req.get("authorization") ?? ""
    const key = header.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : (req.get("x-api-key") ?? "").trim()
    req.agent = await agentsModule(req.scope).authenticateApiKey(key)
    next()
  } catch (e) {
    next(e)
  }
}

/**
 * The canonical hash of a wholesale order's request (its lines): one Idempotency-Key names one order whichever API
 * placed it (the wholesale API or its dujiao-next compatible routes); the same key with other lines is refused.
 */
export function wholesaleRequestHash(items: { variant_id: string; quantity: number; recipient_fingerprint?: string | null }[]): string {
  return createHash("sha256")
    .update(
      JSON.stringify({
        items: items.map((i) => ({
          variant_id: i.variant_id,
          quantity: i.quantity,
          // A top-up's recipient counts, as a keyed fingerprint (the hash is stored; the number must not be).
          ...(i.recipient_fingerprint ? { recipient: i.recipient_fingerprint } : {}),
        })),
      })
    )
    .digest("hex")
}

/** A wholesale line as the workflow takes it: a top-up's recipient sealed first (its id and mask only). */
export type SealedWholesaleItem = { variant_id: string; quantity: number; recipient_id?: string; recipient?: string }

/**
 * Seals the recipients of a wholesale order's top-up lines before any workflow sees them: each checked against its
 * product's fields (errors name `items[i].recipient.<field>`), stored sealed for the agent, answered as id and mask.
 * A recipient on a line that is not a top-up, or a top-up without one, is refused naming the line. Answers the lines
 * for the workflow and the sealed rows' ids (to remove if the order is not placed).
 */
export async function sealWholesaleRecipients(
  scope: MedusaContainer,
  agentId: string,
  items: { variant_id: string; quantity: number; recipient?: Record<string, string> }[]
): Promise<{ items: SealedWholesaleItem[]; recipient_ids: string[] }> {
  const wanted = items.filter((i) => i.recipient !== undefined).map((i) => i.variant_id)
  const { data: variants } = await scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "product_variant",
    fields: ["id", "card_pool.id", "supplier_product.id", "supplier_product.kind"],
    filters: { id: [...new Set(items.map((i) => i.variant_id))] },
  })
  const topUpOf = new Map(
    (variants as { id: string; card_pool?: { id: string } | null; supplier_product?: { id: string; kind: string } | null }[]).flatMap((v) =>
      v.supplier_product?.kind === "topup" && !v.card_pool?.id ? [[v.id, v.supplier_product.id] as const] : []
    )
  )
  if (!wanted.length && !topUpOf.size) return { items: items.map(({ variant_id, quantity }) => ({ variant_id, quantity })), recipient_ids: [] }
  const suppliers = suppliersModule(scope)
  const out: SealedWholesaleItem[] = []
  const ids: string[] = []
  try {
    for (const [i, item] of items.entries()) {
      const product = topUpOf.get(item.variant_id)
      if (!product) {
        if (item.recipient !== undefined) {
          throw new MedusaError(MedusaError.Types.INVALID_DATA, `items[${i}].recipient: variant ${item.variant_id} is not a top-up: it takes no recipient`)
        }
        out.push({ variant_id: item.variant_id, quantity: item.quantity })
        continue
      }
      if (item.recipient === undefined) throw new MedusaError(MedusaError.Types.INVALID_DATA, `items[${i}].recipient is required: variant ${item.variant_id} is a top-up`)
      const saved = await suppliers
        .saveRecipient({ supplier_product_id: product, fields: item.recipient, variant_id: item.variant_id, agent_id: agentId })
        .catch((e: unknown) => {
          if (e instanceof MedusaError && e.type === MedusaError.Types.INVALID_DATA) throw new MedusaError(e.type, `items[${i}].${e.message}`)
          throw e
        })
      ids.push(saved.id)
      out.push({ variant_id: item.variant_id, quantity: item.quantity, recipient_id: saved.id, recipient: saved.masked })
    }
  } catch (e) {
    if (ids.length) await suppliers.deleteSupplierRecipients(ids)
    throw e
  }
  return { items: out, recipient_ids: ids }
}

/** The agent a wholesale request was authenticated as. */
export function agentOf(req: AgentRequest): AgentPrincipal {
  if (!req.agent) throw new MedusaError(MedusaError.Types.UNAUTHORIZED, "Invalid, expired or revoked API key")
  return req.agent
}

/** Refuses a wholesale request whose key lacks `scope` (403, naming the scope). */
export function requireScope(principal: AgentPrincipal, scope: AgentKeyScope) {
  if (!principal.scopes.includes(scope)) {
    throw new MedusaError(MedusaError.Types.FORBIDDEN, `This API key lacks the scope ${scope}`)
  }
}

/** An agent's completed wholesale order; 404 when it is another agent's or not complete — the same answer as for an id that does not exist. */
export async function retrieveAgentOrder(scope: MedusaContainer, input: { id: string; agent_id: string }): Promise<AgentOrderRow> {
  const order = await agentsModule(scope).findCompletedOrder(input)
  if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${input.id} was not found`)
  return order
}

/**
 * Who holds a wholesale order's codes: the agent order from the answer on, and its Medusa order once the bookkeeping
 * has recorded it (the bookkeeping may move them meanwhile, so both are asked).
 */
export const codeOwnersOf = (order: Pick<AgentOrderRow, "id" | "order_id">): string[] => [order.id, order.order_id].filter((o): o is string => !!o)

/** A code of a wholesale order as the agent sees it: masked, with its plaintext only when it was just revealed. */
export type AgentOrderCode = { id: string; mask: string; pool_id: string; status: string; code?: string; password?: string | null }

/** A wholesale order's delivered codes, masked (reads only, nothing audited). */
export async function listAgentOrderCodes(scope: MedusaContainer, order: Pick<AgentOrderRow, "id" | "order_id">): Promise<AgentOrderCode[]> {
  const vault = cardVaultModule(scope)
  const codes = await vault.listCardCodes({ order_id: codeOwnersOf(order) }, { select: ["id", "mask", "pool_id", "order_id", "status"], order: { id: "ASC" } })
  return codes.filter((c) => c.status === "delivered" || c.status === "revealed")
}

/** Codes the vault has just revealed (and audited), as the agent sees them. */
export const revealedOrderCodes = (revealed: (RevealedCardCode & { pool_id: string })[]): AgentOrderCode[] =>
  revealed.map((c) => ({ id: c.id, mask: c.mask, pool_id: c.pool_id, status: "revealed", code: c.code, password: c.password }))

/** Whether the risk rules sent a wholesale order to review (paid; its codes come once an admin approves it). */
export async function isAgentOrderHeld(scope: MedusaContainer, agentOrderId: string): Promise<boolean> {
  return !!(await riskModule(scope).isHeld({ agent_order_id: agentOrderId }))
}

/**
 * A wholesale order as the agent sees it (pure): its lines with unit prices and each line's codes — masked, or with
 * their plaintext when `codes` were just revealed.
 */
/** A top-up line's state as the agent sees it: its supplier order's status and refund, the masked recipient. */
export type AgentTopUpState = { supplier_order_id: string; status: string; refund_status: string; recipient: string | null; failure_reason: string | null }

/** The states of an agent order's top-up lines (one read; none for an order of codes only). */
export async function topUpsOfAgentOrder(scope: MedusaContainer, order: AgentOrderRow): Promise<Map<string, AgentTopUpState>> {
  const ids = (order.items ?? []).flatMap((i) => (i.supplier_order_id ? [i.supplier_order_id] : []))
  if (!ids.length) return new Map()
  const rows = await suppliersModule(scope).listSupplierOrders(
    { id: ids, agent_order_id: order.id },
    { select: ["id", "status", "refund_status", "recipient_masked", "failure_reason"] }
  )
  return new Map(
    rows.map((r) => [
      r.id,
      { supplier_order_id: r.id, status: r.status, refund_status: r.refund_status, recipient: r.recipient_masked ?? null, failure_reason: r.failure_reason ?? null },
    ])
  )
}

export function agentOrderResponse(order: AgentOrderRow, codes: AgentOrderCode[], held: boolean, topUps: Map<string, AgentTopUpState> = new Map()) {
  const items = (order.items ?? []).map((item) =>
    item.supplier_order_id
      ? {
          variant_id: item.variant_id,
          title: item.title,
          product_title: item.product_title ?? null,
          quantity: item.quantity,
          unit_price: item.unit_price,
          top_up: topUps.get(item.supplier_order_id) ?? { supplier_order_id: item.supplier_order_id, status: "pending", refund_status: "none", recipient: item.recipient ?? null, failure_reason: null },
        }
      : {
          variant_id: item.variant_id,
          title: item.title,
          product_title: item.product_title ?? null,
          quantity: item.quantity,
          unit_price: item.unit_price,
          codes: codes
            .filter((c) => (item.components ? item.components.some((p) => p.pool_id === c.pool_id) : c.pool_id === item.pool_id))
            .map((c) => ({ id: c.id, mask: c.mask, status: c.status, ...(c.code !== undefined ? { code: c.code, password: c.password ?? null } : {}) })),
        }
  )
  return {
    order: {
      id: order.id,
      order_id: order.order_id,
      display_id: order.display_id,
      status: order.status,
      /** The risk rules sent the order to review: paid, its codes come once an admin approves it. */
      held_for_review: held,
      /** `pending` until its Medusa order (order_id, display_id) is recorded, then `done`. */
      bookkeeping_status: order.bookkeeping_status,
      currency_code: order.currency_code,
      total: order.total,
      items,
      created_at: order.created_at,
      completed_at: order.completed_at,
    },
  }
}

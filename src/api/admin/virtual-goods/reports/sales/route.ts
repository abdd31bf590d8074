import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { fetchCardPools, vaultOf } from "../../../../utils/card-vault"
import type { AdminGetSalesReportParamsType } from "../../validators"
import { AGENTS_MODULE } from "../../../../../modules/agents"
import type AgentsModuleService from "../../../../../modules/agents/service"
import { FULL_SHARE } from "../../../../../modules/card-vault/service"
import { sourcesByVariant, VARIANT_SOURCE_FIELDS, type VariantSourceRow } from "../../../../../workflows/virtual-goods/utils/variant-sources"

type Money = Record<string, string>
const DAY = 86_400_000

/** Adds `amount` in `currency` to a per-currency sum (decimal strings, exact). */
function add(sum: Money, currency: string | null | undefined, amount: BigNumberInput | null | undefined) {
  const key = (currency ?? "unknown").toLowerCase()
  sum[key] = MathBN.add(sum[key] ?? 0, amount ?? 0).toString()
}

/** An order line's price as Query reads it: the exact amount in `raw_unit_price` when present. */
type LinePriceRow = { id: string; unit_price: BigNumberInput; raw_unit_price?: { value: string } | null; variant_id?: string | null }
type OrderCurrencyRow = { id: string; currency_code: string }
type BatchInfoRow = { id: string; supplier: string | null; created_at: Date }

/** Revenue minus cost for the currencies both are in; other currencies cannot be netted and are left out. */
function margin(revenue: Money, cost: Money): Money {
  const out: Money = {}
  for (const cur of Object.keys(revenue)) if (cost[cur] !== undefined) out[cur] = MathBN.sub(revenue[cur], cost[cur]).toString()
  return out
}

/**
 * Sales of card codes in a period (default: the last 30 days, UTC days): per day (with the codes sold per pool), per
 * pool and per batch, the codes
 * sold, those voided as invalid, revenue (the order lines' unit price per code sold — a bundle's line, each component's
 * share of it per code of that component — in the order's currency), cost
 * (in the batch's currency) and margin where both are in the same currency; plus each pool's stock outlook (days of
 * stock left at the last 7 days' pace) and active alerts.
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetSalesReportParamsType>, res: MedusaResponse) => {
  const params = req.validatedQuery as AdminGetSalesReportParamsType
  const to = params.to ? new Date(Date.parse(`${params.to}T00:00:00Z`) + DAY) : new Date(Math.floor(Date.now() / DAY) * DAY + DAY)
  const from = params.from ? new Date(`${params.from}T00:00:00Z`) : new Date(to.getTime() - 30 * DAY)
  const vault = vaultOf(req)
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)

  const lines = await vault.getSalesLines({ from, to })
  const lineIds = [...new Set(lines.map((l) => l.line_item_id).filter(Boolean))] as string[]
  const orderIds = [...new Set(lines.map((l) => l.order_id))]
  const price = new Map<string, BigNumberInput>()
  const currencyOf = new Map<string, string>()
  const variantOfLine = new Map<string, string>()
  for (let i = 0; i < lineIds.length; i += 500) {
    const { data } = await query.graph({ entity: "order_line_item", fields: ["id", "unit_price", "variant_id"], filters: { id: lineIds.slice(i, i + 500) } })
    for (const li of data as LinePriceRow[]) {
      price.set(li.id, li.raw_unit_price?.value ?? li.unit_price)
      if (li.variant_id) variantOfLine.set(li.id, li.variant_id)
    }
  }
  // A bundle's line: what one code of a component brings in is the component's share of the unit price, per code of
  // it in one bundle (the price of "追剧达人包" is not counted again for every code it delivers).
  const perCodeShare = new Map<string, Map<string, BigNumberInput>>()
  const variantIds = [...new Set(variantOfLine.values())]
  for (let i = 0; i < variantIds.length; i += 500) {
    const { data } = await query.graph({ entity: "product_variant", fields: ["id", ...VARIANT_SOURCE_FIELDS], filters: { id: variantIds.slice(i, i + 500) } })
    for (const [variantId, sources] of sourcesByVariant(data as VariantSourceRow[])) {
      if (!sources.bundle_id) continue
      perCodeShare.set(variantId, new Map(sources.sources.map((c) => [c.pool_id, MathBN.div(c.share, MathBN.mult(FULL_SHARE, c.quantity))])))
    }
  }
  for (let i = 0; i < orderIds.length; i += 500) {
    const { data } = await query.graph({ entity: "order", fields: ["id", "currency_code"], filters: { id: orderIds.slice(i, i + 500) } })
    for (const o of data as OrderCurrencyRow[]) currencyOf.set(o.id, o.currency_code)
  }

  // A wholesale order whose Medusa order is not recorded yet owns its codes itself: its price per pool and currency
  // come from the agent order, so the report does not wait for the bookkeeping.
  const answered = orderIds.filter((id) => !currencyOf.has(id))
  const agentPrice = new Map<string, BigNumberInput>()
  if (answered.length) {
    const agents = req.scope.resolve(AGENTS_MODULE) as AgentsModuleService
    for (const o of await agents.listAgentOrders({ id: answered, status: "completed" }, { select: ["id", "currency_code", "items"] })) {
      if (o.currency_code) currencyOf.set(o.id, o.currency_code)
      for (const item of (o.items as unknown as { pool_id: string; unit_price: string }[]) ?? []) agentPrice.set(`${o.id}:${item.pool_id}`, item.unit_price)
    }
  }
  const unitPriceOf = (l: { line_item_id: string | null; order_id: string; pool_id: string }) => {
    if (!l.line_item_id) return agentPrice.get(`${l.order_id}:${l.pool_id}`)
    const unit = price.get(l.line_item_id)
    const share = perCodeShare.get(variantOfLine.get(l.line_item_id) ?? "")?.get(l.pool_id)
    return unit !== undefined && share !== undefined ? MathBN.mult(unit, share) : unit
  }

  const days = new Map<string, { day: string; sold: number; invalid: number; revenue: Money; cost: Money; sold_by_pool: Record<string, number> }>()
  for (let t = from.getTime(); t < to.getTime(); t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10)
    days.set(day, { day, sold: 0, invalid: 0, revenue: {}, cost: {}, sold_by_pool: {} })
  }
  const pools = new Map<string, { pool_id: string; sold: number; invalid: number; revenue: Money; cost: Money }>()
  const batches = new Map<string, { batch_id: string; pool_id: string; sold: number; invalid: number; revenue: Money; cost: Money }>()
  for (const l of lines) {
    const unit = unitPriceOf(l)
    const revenue = unit !== undefined ? MathBN.mult(unit, l.sold) : 0
    const currency = currencyOf.get(l.order_id)
    const targets = [
      days.get(l.day) ?? days.set(l.day, { day: l.day, sold: 0, invalid: 0, revenue: {}, cost: {}, sold_by_pool: {} }).get(l.day)!,
      pools.get(l.pool_id) ?? pools.set(l.pool_id, { pool_id: l.pool_id, sold: 0, invalid: 0, revenue: {}, cost: {} }).get(l.pool_id)!,
      batches.get(l.batch_id) ??
        batches.set(l.batch_id, { batch_id: l.batch_id, pool_id: l.pool_id, sold: 0, invalid: 0, revenue: {}, cost: {} }).get(l.batch_id)!,
    ]
    const dayRow = targets[0] as { sold_by_pool: Record<string, number> }
    if (l.sold) dayRow.sold_by_pool[l.pool_id] = (dayRow.sold_by_pool[l.pool_id] ?? 0) + l.sold
    for (const t of targets) {
      t.sold += l.sold
      t.invalid += l.invalid
      // A code given away (a campaign's) has no order and brings in nothing: its cost counts, no revenue line.
      if (currency || !MathBN.eq(revenue, 0)) add(t.revenue, currency, revenue)
      add(t.cost, l.cost_currency_code, l.cost)
    }
  }

  const { pools: allPools } = await fetchCardPools(req, {})
  const weekAgo = new Date(Date.now() - 7 * DAY)
  const pace = await vault.getSoldSince(allPools.map((p) => p.id), weekAgo)
  const names = new Map(allPools.map((p) => [p.id, p.name]))
  const { data: batchRows } = batches.size
    ? await query.graph({ entity: "card_batch", fields: ["id", "supplier", "created_at"], filters: { id: [...batches.keys()] } })
    : { data: [] }
  const batchInfo = new Map((batchRows as BatchInfoRow[]).map((b) => [b.id, b]))

  res.json({
    from: from.toISOString().slice(0, 10),
    to: new Date(to.getTime() - DAY).toISOString().slice(0, 10),
    days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)).map((d) => ({ ...d, margin: margin(d.revenue, d.cost) })),
    pools: [...pools.values()]
      .map((p) => ({ ...p, name: names.get(p.pool_id) ?? null, margin: margin(p.revenue, p.cost) }))
      .sort((a, b) => b.sold - a.sold),
    batches: [...batches.values()]
      .map((b) => ({
        ...b,
        pool_name: names.get(b.pool_id) ?? null,
        supplier: batchInfo.get(b.batch_id)?.supplier ?? null,
        created_at: batchInfo.get(b.batch_id)?.created_at ?? null,
        margin: margin(b.revenue, b.cost),
      }))
      .sort((a, b) => b.sold - a.sold),
    outlook: allPools.map((p) => {
      const perDay = pace[p.id] / 7
      return {
        pool_id: p.id,
        name: p.name,
        available: p.stock.available,
        sold_last_7_days: pace[p.id],
        per_day: Math.round(perDay * 100) / 100,
        days_left: perDay > 0 ? Math.floor(p.stock.available / perDay) : null,
      }
    }),
    alerts: allPools.flatMap((p) => p.alerts.map((a) => ({ ...a, pool_id: p.id, pool_name: p.name }))),
  })
}

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { SupplierEvents } from "../../../utils/events"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { advanceSupplierOrder } from "./run-supplier-orders"
import { suppliersModule } from "./suppliers-module"

type RestockProduct = {
  id: string
  supplier_id: string
  upstream_product_id: string
  name: string
  unit_cost: unknown
  max_unit_cost: unknown
  currency_code: string | null
  restock_threshold: number | null
  restock_quantity: number | null
  restock_daily_budget: unknown
  restock_daily_cap: number | null
  card_pool?: { id: string } | null
}

export type RestockOutcome = { supplier_product_id: string; pool_id: string; outcome: "bought" | "stocked" | "open" | "capped" | "over_budget" | "over_price"; quantity: number; supplier_order_id: string | null; status: string | null }

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

/**
 * Restocks pools linked to an upstream codes product: when a pool's sellable codes fall to its threshold, buys
 * `restock_quantity` (fewer when the daily cap or budget would be passed; none when the supplier's unit cost is over
 * its maximum) as one restock order — at most one open per pool, by a unique index — submitted at once; the codes are
 * imported as a batch with the real unit cost when the supplier delivers them (see applySupplierAnswer). Refusals of
 * the price guard become findings for the admins.
 */
export async function restockPoolsFromSuppliers(container: MedusaContainer): Promise<RestockOutcome[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const suppliers = suppliersModule(container)
  const { data } = await query.graph({
    entity: "supplier_product",
    fields: [
      "id", "supplier_id", "upstream_product_id", "name", "unit_cost", "max_unit_cost", "currency_code", "restock_threshold", "restock_quantity",
      "restock_daily_budget", "restock_daily_cap", "card_pool.id",
    ],
    filters: { kind: "codes", status: "active" },
  })
  const products = (data as RestockProduct[]).filter((p) => p.card_pool?.id && p.restock_threshold !== null && p.restock_quantity)
  if (!products.length) return []
  const available = await cardVaultModule(container).getAvailableCounts(products.map((p) => p.card_pool!.id))
  const out: RestockOutcome[] = []
  for (const product of products) {
    const poolId = product.card_pool!.id
    const result = (outcome: RestockOutcome["outcome"], quantity = 0, id: string | null = null, status: string | null = null) =>
      out.push({ supplier_product_id: product.id, pool_id: poolId, outcome, quantity, supplier_order_id: id, status })
    if ((available[poolId] ?? 0) > product.restock_threshold!) {
      result("stocked")
      continue
    }
    const unitCost = text(product.unit_cost)
    const maxCost = text(product.max_unit_cost)
    if (unitCost && maxCost && MathBN.gt(unitCost, maxCost)) {
      const finding = await suppliers.recordSupplierFinding({
        key: `price_over_limit:${product.id}:${unitCost}`,
        supplier_id: product.supplier_id,
        kind: "price_over_limit",
        detail: `${product.name}: the supplier's unit cost ${unitCost} is over the maximum ${maxCost}; pool ${poolId} was not restocked.`,
      })
      if (finding.created) await container.resolve(Modules.EVENT_BUS).emit({ name: SupplierEvents.FINDING_RECORDED, data: { id: finding.id, kind: "price_over_limit", supplier_id: product.supplier_id } })
      result("over_price")
      continue
    }
    const today = await suppliers.restockedToday(product.id)
    let quantity = product.restock_quantity!
    if (product.restock_daily_cap !== null) quantity = Math.min(quantity, product.restock_daily_cap - today.quantity)
    if (quantity <= 0) {
      result("capped")
      continue
    }
    const budget = text(product.restock_daily_budget)
    if (budget && unitCost) {
      const left = MathBN.sub(budget, today.spent)
      const affordable = MathBN.lte(left, 0) ? 0 : Math.floor(MathBN.div(left, unitCost).toNumber())
      quantity = Math.min(quantity, affordable)
      if (quantity <= 0) {
        result("over_budget")
        continue
      }
    }
    const id = await suppliers.createRestockOrder({
      supplier_id: product.supplier_id,
      supplier_product_id: product.id,
      kind: "restock",
      pool_id: poolId,
      upstream_product_id: product.upstream_product_id,
      quantity,
      amount: unitCost ? MathBN.mult(unitCost, quantity).toString() : null,
      currency_code: product.currency_code,
      max_unit_cost: maxCost,
    })
    if (!id) {
      result("open")
      continue
    }
    result("bought", quantity, id, await advanceSupplierOrder(container, id))
  }
  return out
}

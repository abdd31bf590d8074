import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { assertPriceFloor, PriceToSet } from "../../workflows/agents/utils/pricing"

const GROUP_RULE = "customer.groups.id"

type PriceListRulesRow = { id: string; price_list_rules?: { attribute: string; value: unknown }[] | null }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

const groupsOf = (rules: unknown): string[] => {
  const value = isRecord(rules) ? rules[GROUP_RULE] : undefined
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []
}

const isPrice = (p: unknown): p is PriceToSet & { amount: number } =>
  isRecord(p) && typeof p.variant_id === "string" && typeof p.currency_code === "string" && typeof p.amount === "number" && Number.isFinite(p.amount)

type PriceUpdate = { id: string; variant_id: string; amount: number; currency_code?: unknown }
const isPriceUpdate = (p: unknown): p is PriceUpdate => isRecord(p) && typeof p.id === "string" && typeof p.variant_id === "string" && typeof p.amount === "number"

/**
 * The price floor on Medusa's own price-list routes: creating a list for agent tiers with prices, and adding or
 * changing a tier list's prices, are refused (400, naming the price and both agents) when an agent would pay less than
 * its parent or more than a sub-agent. Malformed bodies are left to Medusa's validation.
 */
export async function guardPriceListCreate(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const body: unknown = req.body ?? {}
    const fields = isRecord(body) ? body : {}
    await assertPriceFloor(req.scope, { groups: groupsOf(fields.rules), prices: arrayOf(fields.prices).filter(isPrice) })
    next()
  } catch (e) {
    next(e)
  }
}

export async function guardPriceListPrices(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const body: unknown = req.body ?? {}
    const fields = isRecord(body) ? body : {}
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "price_list",
      fields: ["id", "price_list_rules.attribute", "price_list_rules.value"],
      filters: { id: req.params.id },
    })
    const rules = ((data[0] as PriceListRulesRow | undefined)?.price_list_rules ?? []).filter((r) => r.attribute === GROUP_RULE)
    const groups = rules.flatMap((r) => (Array.isArray(r.value) ? r.value : [r.value])).filter((v): v is string => typeof v === "string")
    if (groups.length) {
      const updates = arrayOf(fields.update).filter(isPriceUpdate)
      const missingCurrency = updates.filter((p) => typeof p.currency_code !== "string").map((p) => p.id)
      const currencies = new Map<string, string>()
      if (missingCurrency.length) {
        const prices = await req.scope.resolve(Modules.PRICING).listPrices({ id: missingCurrency }, { select: ["id", "currency_code"] })
        for (const p of prices) currencies.set(p.id, p.currency_code!)
      }
      const prices = [
        ...arrayOf(fields.create).filter(isPrice),
        ...updates
          .map((p) => ({ variant_id: p.variant_id, amount: p.amount, currency_code: p.currency_code ?? currencies.get(p.id) }))
          .filter(isPrice),
      ]
      await assertPriceFloor(req.scope, { groups, prices })
    }
    next()
  } catch (e) {
    next(e)
  }
}

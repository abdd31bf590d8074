import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { assertPriceFloor } from "../lib/agent-pricing"

const GROUP_RULE = "customer.groups.id"

const groupsOf = (rules: unknown): string[] => {
  const value = (rules as Record<string, unknown> | undefined)?.[GROUP_RULE]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []
}

const isPrice = (p: any): p is { variant_id: string; currency_code: string; amount: number } =>
  p && typeof p.variant_id === "string" && typeof p.currency_code === "string" && typeof p.amount === "number" && Number.isFinite(p.amount)

/**
 * The price floor on Medusa's own price-list routes: creating a list for agent tiers with prices, and adding or
 * changing a tier list's prices, are refused (400, naming the price and both agents) when an agent would pay less than
 * its parent or more than a sub-agent. Malformed bodies are left to Medusa's validation.
 */
export async function guardPriceListCreate(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const body: any = req.body ?? {}
    await assertPriceFloor(req.scope, { groups: groupsOf(body.rules), prices: (Array.isArray(body.prices) ? body.prices : []).filter(isPrice) })
    next()
  } catch (e) {
    next(e)
  }
}

export async function guardPriceListPrices(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const body: any = req.body ?? {}
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "price_list",
      fields: ["id", "price_list_rules.attribute", "price_list_rules.value"],
      filters: { id: req.params.id },
    })
    const rules = ((data[0] as any)?.price_list_rules ?? []).filter((r: any) => r.attribute === GROUP_RULE)
    const groups = rules.flatMap((r: any) => (Array.isArray(r.value) ? r.value : [r.value])).filter((v: unknown) => typeof v === "string")
    if (groups.length) {
      const updates = (Array.isArray(body.update) ? body.update : []).filter((p: any) => p && typeof p.id === "string" && typeof p.variant_id === "string" && typeof p.amount === "number")
      const missingCurrency = updates.filter((p: any) => typeof p.currency_code !== "string").map((p: any) => p.id)
      const currencies = new Map<string, string>()
      if (missingCurrency.length) {
        const prices = await req.scope.resolve(Modules.PRICING).listPrices({ id: missingCurrency }, { select: ["id", "currency_code"] })
        for (const p of prices) currencies.set(p.id, p.currency_code!)
      }
      const prices = [
        ...(Array.isArray(body.create) ? body.create : []).filter(isPrice),
        ...updates.map((p: any) => ({ variant_id: p.variant_id, amount: p.amount, currency_code: p.currency_code ?? currencies.get(p.id) })).filter(isPrice),
      ]
      await assertPriceFloor(req.scope, { groups, prices })
    }
    next()
  } catch (e) {
    next(e)
  }
}

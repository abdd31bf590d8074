import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { CARD_VAULT_MODULE } from "../../modules/card-vault"
import type CardVaultModuleService from "../../modules/card-vault/service"

/**
 * Reserves card codes for the cart's virtual items before the order exists: one call of the vault's reservation
 * (one round trip, a conditional `FOR UPDATE SKIP LOCKED` claim per pool). Out of stock → a 400 with
 * "Out of stock: …", no order, no payment authorized. Re-entrant per cart (a retried completion counts what the cart
 * already holds), and a no-op once the cart is completed. If a later step of the completion fails, the compensation
 * releases exactly the codes this run reserved.
 *
 * Medusa allows one handler per hook per workflow: this file owns `completeCartWorkflow.hooks.validate`.
 */
completeCartWorkflow.hooks.validate(
  async ({ cart }, { container }) => {
    // A completed cart is being retried: its order exists and owns its codes (or gave them back on refund).
    if ((cart as any)?.completed_at) return new StepResponse(void 0, null)
    const items = ((cart as any)?.items ?? []) as { variant_id?: string | null; quantity: number }[]
    const variantIds = [...new Set(items.map((i) => i.variant_id).filter(Boolean))] as string[]
    if (!variantIds.length) return new StepResponse(void 0, null)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: ["id", "card_pool.id"],
      filters: { id: variantIds },
    })
    const poolOf = new Map((variants as any[]).filter((v) => v.card_pool?.id).map((v) => [v.id, v.card_pool.id as string]))
    const wanted = items
      .filter((i) => i.variant_id && poolOf.has(i.variant_id))
      .map((i) => ({ pool_id: poolOf.get(i.variant_id!)!, quantity: Number(i.quantity) }))
    if (!wanted.length) return new StepResponse(void 0, null)
    const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
    const { reserved_code_ids } = await vault.reserveForCart({ cart_id: (cart as any).id, items: wanted })
    return new StepResponse(void 0, { cart_id: (cart as any).id as string, code_ids: reserved_code_ids })
  },
  async (reserved, { container }) => {
    if (!reserved?.code_ids?.length) return
    const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
    await vault.releaseReservations({ code_ids: reserved.code_ids, reason: "cart completion failed" })
  }
)

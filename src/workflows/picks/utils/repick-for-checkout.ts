import { MedusaError } from "@medusajs/framework/utils"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { pickedCodeOf } from "./pick-rule"

/** Refusal of a checkout whose picked code went to someone else. */
export const PICK_LOST_MESSAGE = "The code you picked is no longer available; remove the line and pick another"

type CheckoutLine = { id?: string; variant_id?: string | null; quantity: unknown; is_custom_price?: unknown; metadata?: Record<string, unknown> | null }

/**
 * Buyer's choice at checkout, before the cart's codes are reserved: each picked line (quantity 1, priced by the pick
 * route) gets its code again — still reserved for the cart: nothing to do; swept back to stock: reserved again; taken
 * by someone else: the checkout is refused (`PICK_LOST_MESSAGE`). Picks whose line left the cart are released first,
 * so no other line of the pool receives them. The vault's reservation then counts the picked codes towards their
 * pools' quantities. Answers the codes this call reserved (the completion's compensation releases them).
 *
 * Runs only for carts with a picked line or a line of a pool that offers picking (`pickPools`): other checkouts pay
 * nothing for it.
 */
export async function repickForCheckout(
  container: Parameters<typeof cardVaultModule>[0],
  cartId: string,
  items: CheckoutLine[],
  poolOf: Map<string, string>,
  pickPools: Set<string>
): Promise<string[]> {
  const picked = items.flatMap((line) => {
    const codeId = pickedCodeOf(line.metadata)
    return codeId ? [{ line, codeId }] : []
  })
  const offered = items.some((i) => !!i.variant_id && pickPools.has(poolOf.get(i.variant_id) ?? ""))
  if (!picked.length && !offered) return []
  for (const { line } of picked) {
    if (Number(line.quantity) !== 1) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Line ${line.id} holds a picked code: its quantity must be 1, not ${Number(line.quantity)}`)
    }
    // Only the pick route prices a picked line (a custom price with the premium); a code id written into a line's
    // metadata through the store's own routes is not a pick.
    if (!line.is_custom_price || !line.variant_id || !poolOf.has(line.variant_id)) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Line ${line.id} names a picked code it was not priced for: remove the line and pick again`)
    }
  }
  const vault = cardVaultModule(container)
  await vault.releaseDroppedPicks({ cart_id: cartId, keep: picked.map((p) => p.codeId) })
  const reserved: string[] = []
  for (const { line, codeId } of picked) {
    try {
      const again = await vault.pickCode({ cart_id: cartId, code_id: codeId, pool_id: poolOf.get(line.variant_id!)! })
      if (again.reserved_now) reserved.push(again.code_id)
    } catch (e) {
      if (reserved.length) await vault.releaseReservations({ code_ids: reserved, reason: "cart completion failed" })
      if (e instanceof MedusaError && e.type === MedusaError.Types.NOT_ALLOWED) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, PICK_LOST_MESSAGE)
      throw e
    }
  }
  return reserved
}

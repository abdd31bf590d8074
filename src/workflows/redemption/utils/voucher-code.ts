import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { voucherNotFound } from "../../../modules/redemption/service"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { redemptionModule } from "./redemption-module"

/** A voucher as the vault knows its code: never the code itself. */
export type VoucherCode = { code_id: string; pool_id: string; batch_id: string; order_id: string | null; mask: string; expires_at: Date | null; delivered_at: Date | null }

const SOLD = ["delivered", "revealed"]

/**
 * The voucher a code is, for validation and redemption: a code of ours that was sold (delivered or revealed, not voided
 * or returned) from a pool with a redemption program. Anything else — unknown, unsold, taken back, another pool — is
 * the same `404 Voucher not found`, so the answer tells a guesser nothing. Looked up by its blind index (the code is
 * never stored or passed on); by id for a code already resolved.
 */
export async function voucherCodeOf(container: Pick<MedusaContainer, "resolve">, by: { code: string } | { code_id: string }): Promise<VoucherCode> {
  const vault = cardVaultModule(container)
  const filters = "code" in by ? { blind_index: vault.blindIndexOf(by.code) } : { id: by.code_id }
  const [row] = await vault.listCardCodes(filters, { select: ["id", "pool_id", "batch_id", "order_id", "status", "mask", "expires_at", "delivered_at"], take: 1 })
  if (!row || !SOLD.includes(row.status)) throw voucherNotFound()
  if (!(await redemptionModule(container).voucherProgramOf(row.pool_id))) throw voucherNotFound()
  return {
    code_id: row.id,
    pool_id: row.pool_id,
    batch_id: row.batch_id,
    order_id: row.order_id ?? null,
    mask: row.mask,
    expires_at: row.expires_at ?? null,
    delivered_at: row.delivered_at ?? null,
  }
}

/** Refuses a voucher past its expiry (the code's own date). */
export function assertNotExpired(code: Pick<VoucherCode, "expires_at">, now = new Date()) {
  if (code.expires_at && new Date(code.expires_at) <= now) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Voucher expired on ${new Date(code.expires_at).toISOString()}`)
  }
}

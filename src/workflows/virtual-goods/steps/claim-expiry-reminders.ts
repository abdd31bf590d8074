import { MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { redemptionModule } from "../../redemption/utils/redemption-module"
import { cardVaultModule } from "../utils/card-vault-module"

export type ClaimExpiryRemindersStepInput = { limit?: number }

export const claimExpiryRemindersStepId = "claim-expiry-reminders"

/** A code to remind of: ids, mask and date only. */
export type ExpiryReminder = { id: string; order_id: string; mask: string; expires_at: string }

/**
 * Claims the sold codes that expire within the vault's `expiry_reminder_days` and are unused: never revealed, or — for
 * the merchant's vouchers (pools with a redemption program) — not used up, as the redemption ledger says. Each code is
 * claimed once (the vault's one conditional statement). Compensation gives the claims back for the next run.
 */
export const claimExpiryRemindersStep = createStep(
  claimExpiryRemindersStepId,
  async (input: ClaimExpiryRemindersStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const days = vault.getOptions().expiry_reminder_days
    if (!days) return new StepResponse({ codes: [] as ExpiryReminder[] }, [] as string[])
    const redemption = redemptionModule(container)
    const voucherPools = (await redemption.listVoucherPrograms({}, { select: ["pool_id"] })).map((p) => p.pool_id)
    const claimed = await vault.claimExpiryReminders({ within_days: days, revealed_pool_ids: voucherPools, limit: input.limit })
    // A voucher already used up is not worth a reminder (its claim stays: it is never one).
    const vouchers = claimed.some((c) => voucherPools.includes(c.pool_id))
      ? await redemption.listVouchers({ code_id: claimed.filter((c) => voucherPools.includes(c.pool_id)).map((c) => c.id) }, { select: ["code_id", "kind", "remaining_uses", "remaining_value"] })
      : []
    const usedUp = new Set(
      vouchers
        .filter((v) => (v.kind === "stored_value" ? !MathBN.gt(String(v.remaining_value ?? 0), 0) : !v.remaining_uses))
        .map((v) => v.code_id)
    )
    const codes = claimed
      .filter((c) => !usedUp.has(c.id))
      .map((c) => ({ id: c.id, order_id: c.order_id, mask: c.mask, expires_at: new Date(c.expires_at).toISOString() }))
    return new StepResponse({ codes }, claimed.map((c) => c.id))
  },
  async (claimedIds, { container }) => {
    if (claimedIds?.length) await cardVaultModule(container).releaseExpiryReminders({ code_ids: claimedIds })
  }
)

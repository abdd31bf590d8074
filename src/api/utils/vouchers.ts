import { createHash } from "crypto"
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { RedemptionChannel, VoucherRedemptionRow, VoucherState } from "../../modules/redemption/service"
import { redeemVoucherWorkflow, rollbackVoucherRedemptionWorkflow, voucherCodeOf, type VoucherCode } from "../../workflows/redemption"
import { redemptionModule } from "../../workflows/redemption/utils/redemption-module"

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** Who redeems: a counter (an admin user) or a partner (an agent's API key). */
export type VoucherActor = { channel: RedemptionChannel; actor_type: string; actor_id: string | null }

/** A voucher as the counter and partners see it: its mask, never the code; where it stands; what was redeemed. */
export async function voucherView(scope: MedusaContainer, code: VoucherCode, options: { history?: boolean } = {}) {
  const redemption = redemptionModule(scope)
  const state = await redemption.voucherState({ code_id: code.code_id, pool_id: code.pool_id })
  if (!state) throw new MedusaError(MedusaError.Types.NOT_FOUND, "Voucher not found")
  return {
    id: code.code_id,
    mask: code.mask,
    pool_id: code.pool_id,
    ...voucherFacts(state, code.expires_at),
    expires_at: code.expires_at,
    first_redeemed_at: state.first_redeemed_at,
    ...(options.history ? { redemptions: (await redemption.voucherHistory(code.code_id)).map(redemptionView) } : {}),
  }
}

/**
 * The codes a shopper sees, each voucher among them with where it stands (`voucher`: kind, status, what is left, when
 * it was last used); other codes unchanged. Two reads for the whole list.
 */
export async function withVoucherStates<C extends { id: string; pool_id: string; expires_at?: Date | string | null }, T extends object>(
  scope: MedusaContainer,
  codes: C[],
  view: (code: C) => T
): Promise<(T & { voucher?: ReturnType<typeof voucherFacts> })[]> {
  const states = new Map((await redemptionModule(scope).voucherStates(codes.map((c) => ({ code_id: c.id, pool_id: c.pool_id })))).map((s) => [s.code_id, s]))
  return codes.map((c) => {
    const state = states.get(c.id)
    return state ? { ...view(c), voucher: voucherFacts(state, c.expires_at ?? null) } : view(c)
  })
}

/** Where a voucher stands, as every view shows it (`expired` once its code's date has passed). */
function voucherFacts(state: VoucherState, expiresAt: Date | string | null) {
  const expired = !!expiresAt && new Date(expiresAt) <= new Date()
  return {
    kind: state.kind,
    status: expired && state.status === "redeemable" ? ("expired" as const) : state.status,
    remaining_uses: state.remaining_uses,
    remaining_value: state.remaining_value,
    face_value: state.face_value,
    uses: state.uses,
    currency_code: state.currency_code,
    redeemed_count: state.redeemed_count,
    last_redeemed_at: state.last_redeemed_at,
  }
}

/** A ledger row as the API answers it (no request hash). */
export const redemptionView = (r: VoucherRedemptionRow) => ({
  id: r.id,
  kind: r.kind,
  uses: r.uses,
  amount: r.amount,
  remaining_uses_after: r.remaining_uses_after,
  remaining_value_after: r.remaining_value_after,
  channel: r.channel,
  actor_type: r.actor_type,
  actor_id: r.actor_id,
  reason: r.reason,
  reverses_id: r.reverses_id,
  rolled_back_at: r.rolled_back_at,
  created_at: r.created_at,
})

/** Validation: where a voucher stands, changing nothing (404 for anything that is not a voucher of ours). */
export async function validateVoucher(req: MedusaRequest<{ code: string }>, res: MedusaResponse, history: boolean) {
  const code = await voucherCodeOf(req.scope, { code: req.validatedBody.code })
  res.setHeader("Cache-Control", "no-store")
  res.json({ voucher: await voucherView(req.scope, code, { history }) })
}

/**
 * Redemption, exactly once per `Idempotency-Key` (required): the code is resolved here (it never enters the workflow);
 * the request hash binds the key to this code and amount. A replay answers the same redemption with
 * `Idempotent-Replayed: true`; the key with another request is a 422.
 */
export async function redeemVoucher(req: MedusaRequest<{ code: string; amount?: string }>, res: MedusaResponse, actor: VoucherActor) {
  const key = req.get("idempotency-key")
  if (!key || !IDEMPOTENCY_KEY.test(key)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "The Idempotency-Key header is required: 1 to 255 printable ASCII characters, unique per redemption")
  }
  const code = await voucherCodeOf(req.scope, { code: req.validatedBody.code })
  const amount = req.validatedBody.amount ?? null
  const request_hash = createHash("sha256").update(JSON.stringify({ code_id: code.code_id, amount })).digest("hex")
  const { result } = await redeemVoucherWorkflow(req.scope).run({ input: { code_id: code.code_id, amount, idempotency_key: key, request_hash, ...actor } })
  if (result.replayed) res.setHeader("Idempotent-Replayed", "true")
  res.setHeader("Cache-Control", "no-store")
  res.json({ redemption: redemptionView(result.redemption), voucher: await voucherView(req.scope, code) })
}

/** Rollback of a redemption (404 for one that is not there, or, for a partner, not its own). */
export async function rollbackRedemption(req: MedusaRequest<{ reason: string }>, res: MedusaResponse, actor: VoucherActor, ownOnly: boolean) {
  const [original] = await redemptionModule(req.scope).listVoucherRedemptions({ id: req.params.id, kind: "redeem" }, { select: ["id", "channel", "actor_id"], take: 1 })
  if (!original || (ownOnly && (original.channel !== actor.channel || original.actor_id !== actor.actor_id))) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Redemption with id: ${req.params.id} was not found`)
  }
  const { result } = await rollbackVoucherRedemptionWorkflow(req.scope).run({ input: { redemption_id: original.id, reason: req.validatedBody.reason, ...actor } })
  const code = await voucherCodeOf(req.scope, { code_id: result.code_id }).catch(() => null)
  res.json({ redemption: redemptionView(result), voucher: code ? await voucherView(req.scope, code) : null })
}

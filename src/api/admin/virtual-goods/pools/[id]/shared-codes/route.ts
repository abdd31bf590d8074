import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { validateImportEntries } from "../../../../../../modules/card-vault/utils/import-entries"
import { addSharedCodesWorkflow } from "../../../../../../workflows/shared-codes/workflows/add-shared-codes"
import { actorOf, fetchCardPool, sealNewCodes, vaultOf } from "../../../../../utils/card-vault"
import { saleLimitOf, type AddSharedCodesBodyType, type ListSharedCodesParamsType } from "../../../shared-codes/validators"

/** A reusable pool's shared codes, newest first, each with its sales, unsold copies and what may still be sold. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, ListSharedCodesParamsType>, res: MedusaResponse) => {
  await fetchCardPool(req, req.params.id)
  const { limit, offset, status } = req.validatedQuery as ListSharedCodesParamsType
  const { shared_codes, count } = await vaultOf(req).listSharedCodes({ pool_id: req.params.id, limit, offset, status })
  res.json({ shared_codes, count, limit, offset })
}

/**
 * Adds shared codes (循环卡密) to a reusable pool, all or nothing: each line a code (with an optional password,
 * expiry, cost and its own sale limit). Bad lines are reported per line (field and reason, never the code) with a 400
 * and nothing is stored. Each code's first copy is sealed here, before the workflow, so no plaintext enters it.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AddSharedCodesBodyType>, res: MedusaResponse) => {
  const poolId = req.params.id
  const body = req.validatedBody
  const pool = await fetchCardPool(req, poolId)
  if (pool.kind !== "reusable") {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Pool ${poolId} is exclusive: shared codes go to reusable pools (create one with kind "reusable"); import codes sold once with /imports`
    )
  }
  const vault = vaultOf(req)
  const { entries, errors } = validateImportEntries(body.codes)
  const limits = new Map<number, number | null>()
  body.codes.forEach((raw, i) => {
    const r = saleLimitOf(raw, i + 1, body.sale_limit)
    if (r.error) errors.push(r.error)
    else limits.set(i + 1, r.limit)
  })
  const sealed = await sealNewCodes(vault, poolId, entries, errors)
  if (errors.length) {
    res.status(400).json({
      type: "invalid_data",
      // The first problems in the message too, so a form can show them as they are.
      message:
        `Addition rejected, nothing stored: ${new Set(errors.map((e) => e.line)).size} of ${body.codes.length} lines are invalid (` +
        errors.slice(0, 5).map((e) => `line ${e.line} ${e.field}: ${e.message}`).join("; ") +
        (errors.length > 5 ? `; ${errors.length - 5} more` : "") +
        ")",
      errors,
    })
    return
  }
  const { result } = await addSharedCodesWorkflow(req.scope).run({
    input: {
      pool_id: poolId,
      codes: sealed.map((copy) => ({ copy, sale_limit: limits.get(copy.line) ?? null })),
      supplier: body.supplier ?? null,
      cost_per_code: body.cost_per_code ?? null,
      currency_code: body.currency_code ?? null,
      expires_at: body.expires_at ?? null,
      actor: actorOf(req, "user"),
    },
  })
  const { shared_codes } = await vault.listSharedCodes({ pool_id: poolId, ids: result.shared_code_ids, limit: result.shared_code_ids.length })
  res.status(200).json({ batch_id: result.batch_id, added: result.shared_code_ids.length, copies: result.copies, shared_codes })
}

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { setVoucherProgramWorkflow } from "../../../../../../workflows/redemption"
import { redemptionModule } from "../../../../../../workflows/redemption/utils/redemption-module"
import { vaultOf } from "../../../../../utils/card-vault"
import type { SetVoucherProgramBodyType } from "../../../vouchers/validators"

/** The pool's redemption program, or null when its codes are not redeemable vouchers. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await vaultOf(req).retrieveCardPool(req.params.id, { select: ["id"] })
  res.json({ voucher_program: await redemptionModule(req.scope).voucherProgramOf(req.params.id) })
}

/** Makes the pool's codes redeemable vouchers (核销), or changes or disables its program. */
export const POST = async (req: AuthenticatedMedusaRequest<SetVoucherProgramBodyType>, res: MedusaResponse) => {
  await vaultOf(req).retrieveCardPool(req.params.id, { select: ["id"] })
  const { result } = await setVoucherProgramWorkflow(req.scope).run({ input: { ...req.validatedBody, pool_id: req.params.id } })
  res.json({ voucher_program: result })
}

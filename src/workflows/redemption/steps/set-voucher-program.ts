import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { VoucherProgramInput } from "../../../modules/redemption/service"
import { redemptionModule } from "../utils/redemption-module"

export type SetVoucherProgramStepInput = VoucherProgramInput

export const setVoucherProgramStepId = "set-voucher-program"

/** Sets a pool's redemption program. Compensation restores the previous one (or removes a new one). */
export const setVoucherProgramStep = createStep(
  setVoucherProgramStepId,
  async (input: SetVoucherProgramStepInput, { container }) => {
    const redemption = redemptionModule(container)
    const previous = await redemption.voucherProgramOf(input.pool_id)
    const program = await redemption.setVoucherProgram(input)
    return new StepResponse(program, { pool_id: input.pool_id, previous, id: program.id })
  },
  async (undo, { container }) => {
    if (!undo) return
    const redemption = redemptionModule(container)
    if (undo.previous) {
      const { id: _id, ...previous } = undo.previous
      await redemption.setVoucherProgram(previous)
    } else {
      await redemption.deleteVoucherPrograms(undo.id)
    }
  }
)

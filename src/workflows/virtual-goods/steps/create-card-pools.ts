import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardVaultModule } from "../utils/card-vault-module"

export type CreateCardPoolsStepInput = { name: string; description?: string | null; kind?: "exclusive" | "reusable" }[]

export const createCardPoolsStepId = "create-card-pools"

/** Creates pools; compensation deletes them. */
export const createCardPoolsStep = createStep(
  createCardPoolsStepId,
  async (input: CreateCardPoolsStepInput, { container }) => {
    const vault = cardVaultModule(container)
    const pools = await vault.createCardPools(input)
    return new StepResponse(pools, pools.map((p) => p.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const vault = cardVaultModule(container)
    await vault.deleteCardPools(ids)
  }
)

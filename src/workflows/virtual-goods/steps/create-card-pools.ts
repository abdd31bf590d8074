import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import type CardVaultModuleService from "../../../modules/card-vault/service"

export type CreateCardPoolsStepInput = { name: string; description?: string | null }[]

export const createCardPoolsStepId = "create-card-pools"

/** Creates pools; compensation deletes them. */
export const createCardPoolsStep = createStep(
  createCardPoolsStepId,
  async (input: CreateCardPoolsStepInput, { container }) => {
    const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
    const pools = await vault.createCardPools(input)
    return new StepResponse(pools, pools.map((p) => p.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const vault: CardVaultModuleService = container.resolve(CARD_VAULT_MODULE)
    await vault.deleteCardPools(ids)
  }
)

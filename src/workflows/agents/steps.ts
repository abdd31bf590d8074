import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AGENTS_MODULE } from "../../modules/agents"
import type AgentsModuleService from "../../modules/agents/service"
import type { LedgerActor } from "../../modules/agents/service"

const agents = (container: any): AgentsModuleService => container.resolve(AGENTS_MODULE)

export type CreateAgentStepInput = {
  name: string
  parent_id?: string | null
  customer_group_id?: string | null
  currency_code: string
  credit_limit?: string | number
}

/** Creates the agent and its account. Compensation soft-deletes both (nothing can have been posted yet). */
export const createAgentStep = createStep(
  "create-agent",
  async (input: CreateAgentStepInput, { container }) => {
    const created = await agents(container).createAgentWithAccount(input)
    return new StepResponse(created, created)
  },
  async (created, { container }) => {
    if (!created) return
    await agents(container).softDeleteAgentAccounts([created.account_id])
    await agents(container).softDeleteAgents([created.agent_id])
  }
)

export type TopUpAgentStepInput = { agent_id: string; currency_code: string; amount: string | number; note?: string | null; actor: LedgerActor }

/** Posts a top-up (house → agent). Compensation posts the reverse as an adjustment: the ledger is append-only. */
export const topUpAgentStep = createStep(
  "top-up-agent",
  async (input: TopUpAgentStepInput, { container }) => {
    const { transaction_id } = await agents(container).topUp(input)
    return new StepResponse({ transaction_id }, { ...input, transaction_id })
  },
  async (data, { container }) => {
    if (!data) return
    const service = agents(container)
    const account = await service.accountOf(data.agent_id, data.currency_code)
    const house = await service.houseAccount(data.currency_code)
    await service.post({
      kind: "adjustment",
      legs: [
        { account_id: account.account_id, amount: `-${data.amount}` },
        { account_id: house, amount: String(data.amount) },
      ],
      reference_type: "ledger_transaction",
      reference_id: data.transaction_id,
      note: "reversal of a top-up whose workflow failed",
      actor: { type: "system" },
    })
  }
)

export type CreateAgentApiKeyStepInput = {
  agent_id: string
  name: string
  scopes: string[]
  expires_at?: string | null
  prefix: string
  secret_hash: string
  created_by?: string | null
}

/** Stores a key (its prefix and the hash of its secret: the secret itself never enters a workflow). Compensation deletes it. */
export const createAgentApiKeyStep = createStep(
  "create-agent-api-key",
  async (input: CreateAgentApiKeyStepInput, { container }) => {
    const key = await agents(container).createApiKey({ ...input, expires_at: input.expires_at ? new Date(input.expires_at) : null })
    return new StepResponse({ id: key.id }, key.id)
  },
  async (id, { container }) => {
    if (!id) return
    await agents(container).softDeleteAgentApiKeys([id])
  }
)

/** Revokes a key. Compensation lifts a revocation this step made (not one made before). */
export const revokeAgentApiKeyStep = createStep(
  "revoke-agent-api-key",
  async (input: { agent_id: string; key_id: string }, { container }) => {
    const before = await agents(container).retrieveAgentApiKey(input.key_id).catch(() => null)
    const revoked = await agents(container).revokeApiKey(input)
    return new StepResponse(revoked, { key_id: input.key_id, was_revoked: !!before?.revoked_at })
  },
  async (data, { container }) => {
    if (!data || data.was_revoked) return
    await agents(container).updateAgentApiKeys({ id: data.key_id, revoked_at: null })
  }
)

/** The customer an agent is to be linked to exists and is not an agent already. Reads only. */
export const validateAgentCustomerStep = createStep("validate-agent-customer", async (input: { customer_id: string }, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "customer", fields: ["id", "agent.id"], filters: { id: input.customer_id } })
  const customer: any = data[0]
  if (!customer) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${input.customer_id} was not found`)
  if (customer.agent?.id) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Customer ${input.customer_id} is already agent ${customer.agent.id}`)
  }
  return new StepResponse(void 0)
})

export type SetAgentQuotaStepInput = { agent_id: string; variant_id: string; limit: number; period?: "none" | "day" | "week" | "month" }

/** Sets an agent's quota for a variant. Compensation restores the previous quota (or removes a new one). */
export const setAgentQuotaStep = createStep(
  "set-agent-quota",
  async (input: SetAgentQuotaStepInput, { container }) => {
    const service = agents(container)
    const [before] = await service.listAgentQuotas({ agent_id: input.agent_id, variant_id: input.variant_id })
    const quota = await service.setQuota(input)
    return new StepResponse(
      { id: quota.id },
      { input, before: before ? { id: before.id, quota_limit: before.quota_limit, period: before.period, used: before.used, period_start: before.period_start } : null, id: quota.id }
    )
  },
  async (data, { container }) => {
    if (!data) return
    const service = agents(container)
    if (!data.before) await service.softDeleteAgentQuotas([data.id])
    else await service.updateAgentQuotas({ id: data.before.id, quota_limit: data.before.quota_limit, period: data.before.period as any, used: data.before.used, period_start: data.before.period_start })
  }
)

export type AdjustAgentStepInput = { agent_id: string; currency_code: string; amount: string | number; note: string; actor: LedgerActor }

/** Posts a manual adjustment (house ↔ agent) with its reason. Compensation posts the exact reverse. */
export const adjustAgentStep = createStep(
  "adjust-agent",
  async (input: AdjustAgentStepInput, { container }) => {
    const { transaction_id } = await agents(container).adjust(input)
    return new StepResponse({ transaction_id }, transaction_id)
  },
  async (transactionId, { container }) => {
    if (!transactionId) return
    await agents(container).reverseTransaction({ transaction_id: transactionId, note: "reversal of an adjustment whose workflow failed", actor: { type: "system" } })
  }
)

export type UpdateAgentStepInput = { id: string; name?: string; status?: "active" | "frozen"; credit_limit?: string | number; currency_code?: string }

/** Changes an agent's name, status or credit limit. Compensation puts back what it was. */
export const updateAgentStep = createStep(
  "update-agent",
  async (input: UpdateAgentStepInput, { container }) => {
    const before = await agents(container).updateAgent(input)
    return new StepResponse({ id: input.id }, { id: input.id, input, before })
  },
  async (data, { container }) => {
    if (!data) return
    const { before, input } = data
    await agents(container).updateAgent({
      id: data.id,
      ...(input.name !== undefined ? { name: before.name } : {}),
      ...(input.status !== undefined ? { status: before.status } : {}),
      ...(before.credit_limit !== null ? { credit_limit: before.credit_limit, currency_code: before.currency_code! } : {}),
    })
  }
)

/** Sets or removes an agent's webhook URL (a new secret when asked or on first set). Compensation restores the old one. */
export const setAgentWebhookStep = createStep(
  "set-agent-webhook",
  async (input: { agent_id: string; url: string | null; rotate_secret?: boolean }, { container }) => {
    const { url, secret, previous } = await agents(container).setWebhook(input)
    // The secret is derived from the server key and the version: only whether one was issued leaves the step.
    return new StepResponse({ url, issued_secret: secret !== null }, { agent_id: input.agent_id, ...previous })
  },
  async (previous, { container }) => {
    if (!previous) return
    await agents(container).restoreWebhook(previous)
  }
)

/** Puts a dead (or pending) webhook delivery back in the queue from its first attempt. Compensation restores its state. */
export const replayAgentWebhookStep = createStep(
  "replay-agent-webhook",
  async (input: { id: string }, { container }) => {
    const before = await agents(container).replayWebhook(input.id)
    return new StepResponse({ id: input.id }, before)
  },
  async (before, { container }) => {
    if (!before) return
    await agents(container).updateAgentWebhookDeliveries({ id: before.id, status: before.status as any, attempts: before.attempts, next_attempt_at: before.next_attempt_at })
  }
)

/** Removes an agent's quota for a variant (no limit from then on). Compensation restores it. */
export const removeAgentQuotaStep = createStep(
  "remove-agent-quota",
  async (input: { agent_id: string; quota_id: string }, { container }) => {
    const [quota] = await agents(container).listAgentQuotas({ id: input.quota_id, agent_id: input.agent_id })
    if (!quota) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Quota ${input.quota_id} of agent ${input.agent_id} was not found`)
    await agents(container).softDeleteAgentQuotas([quota.id])
    return new StepResponse({ id: quota.id }, quota.id)
  },
  async (id, { container }) => {
    if (id) await agents(container).restoreAgentQuotas([id])
  }
)

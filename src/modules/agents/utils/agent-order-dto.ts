import type { BigNumberInput, FindConfig } from "@medusajs/framework/types"
import type { ModelConfigurationsToConfigTemplate } from "@medusajs/framework/utils"
import type { Agent, AgentAccount, AgentApiKey, AgentLedgerEntry, AgentNumericAlias, AgentOrder, AgentQuota, AgentWebhookDelivery } from "../models"
import type { AgentOrderDTO } from "../types"
import type { AgentKeyScope } from "./api-keys"

type Generated = ModelConfigurationsToConfigTemplate<{
  Agent: typeof Agent
  AgentAccount: typeof AgentAccount
  AgentLedgerEntry: typeof AgentLedgerEntry
  AgentApiKey: typeof AgentApiKey
  AgentQuota: typeof AgentQuota
  AgentOrder: typeof AgentOrder
  AgentWebhookDelivery: typeof AgentWebhookDelivery
  AgentNumericAlias: typeof AgentNumericAlias
}>

type Config<K extends keyof Generated> = Generated[K]

/**
 * The module's generated methods as Medusa derives them from the models, with what the models cannot say: agent
 * orders as `AgentOrderDTO`, amounts given as any exact `BigNumberInput`, a key's scopes as the list they are.
 */
export type AgentsServiceConfig = Omit<Generated, "AgentOrder" | "AgentAccount" | "AgentApiKey"> & {
  AgentOrder: Omit<Config<"AgentOrder">, "dto"> & { dto: AgentOrderDTO }
  AgentAccount: Omit<Config<"AgentAccount">, "inputDto"> & {
    inputDto: Omit<Config<"AgentAccount">["inputDto"], "balance" | "credit_limit"> & { balance?: BigNumberInput; credit_limit?: BigNumberInput }
  }
  AgentApiKey: Omit<Config<"AgentApiKey">, "dto" | "inputDto"> & {
    dto: Omit<Config<"AgentApiKey">["dto"], "scopes"> & { scopes: AgentKeyScope[] }
    inputDto: Omit<Config<"AgentApiKey">["inputDto"], "scopes"> & { scopes?: AgentKeyScope[] }
  }
}

/** An agent order as Medusa serializes a `bigNumber` column: a JavaScript number beside its exact raw form. */
type SerializedAgentOrder = Omit<AgentOrderDTO, "total"> & { total?: string | number | null; raw_total?: { value: string | number } | null }

/** Reading `total` also reads `raw_total`, its exact form. */
export function withRawTotalSelected(config: FindConfig<AgentOrderDTO>): FindConfig<AgentOrderDTO> {
  const select = config.select as string[] | undefined
  if (!select?.includes("total") || select.includes("raw_total")) return config
  return { ...config, select: [...select, "raw_total"] }
}

/** `total` as the exact decimal string the order was recorded with (never a float); `raw_total` left out. */
export function exactAgentOrder(order: SerializedAgentOrder): AgentOrderDTO {
  const { raw_total, total, ...rest } = order
  if (total === undefined) return rest as AgentOrderDTO
  return { ...rest, total: total === null ? null : String(raw_total?.value ?? total) }
}

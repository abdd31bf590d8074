import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import { PAGE_SIZE } from "../../lib/utils"
import type {
  Agent,
  AgentCreate,
  AgentOrder,
  AgentUpdate,
  ApiKey,
  ApiKeyScope,
  LedgerEntry,
  MoneyPosting,
  PriceList,
  Quota,
  QuotaInput,
  Statement,
  StatementQuery,
  WebhookInput,
} from "../../types"

const BASE = "/admin/virtual-goods/agents"
/** The rule of a Medusa price list that names the customer groups it applies to. */
const GROUP_RULE = "customer.groups.id"

/** Every agent (the tree is drawn from `parent_id`), with its accounts. */
export const useAgents = () =>
  useQuery({ queryKey: queryKeys.agents.lists(), queryFn: () => sdk.client.fetch<{ agents: Agent[]; count: number }>(BASE) })

export const useAgent = (id: string) =>
  useQuery({ queryKey: queryKeys.agents.detail(id), queryFn: () => sdk.client.fetch<{ agent: Agent }>(`${BASE}/${id}`) })

export const useCreateAgent = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: AgentCreate) => sdk.client.fetch<{ agent: Agent }>(BASE, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.agents.lists() }),
  })
}

/** Freezes or unfreezes the agent, or sets the credit limit of one of its accounts. */
export const useUpdateAgent = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: AgentUpdate) => sdk.client.fetch<{ agent: Agent }>(`${BASE}/${id}`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.all }),
  })
}

/**
 * Posts money to an agent's ledger: a top-up (positive, optional note) or an adjustment (signed, a reason required).
 * Balances show on the list, the detail, the ledger and the statement: all are refreshed.
 */
export const usePostMoney = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ agentId, kind, ...body }: MoneyPosting & { agentId: string; kind: "topup" | "adjustment" }) =>
      sdk.client.fetch<{ agent: Agent }>(`${BASE}/${agentId}/${kind === "adjustment" ? "adjustments" : "topups"}`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.all }),
  })
}

/** Sets (or with `url: null` removes) the agent's webhook; `secret` is the signing secret, answered this once. */
export const useSetAgentWebhook = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: WebhookInput) => sdk.client.fetch<{ agent: Agent; secret: string | null }>(`${BASE}/${id}/webhook`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.agents.detail(id) }),
  })
}

export const useAgentLedger = (id: string, offset: number) =>
  useQuery({
    queryKey: queryKeys.agentLedger.list({ agent_id: id, offset }),
    queryFn: () => sdk.client.fetch<{ entries: LedgerEntry[]; count: number }>(`${BASE}/${id}/ledger`, { query: { limit: PAGE_SIZE, offset } }),
    placeholderData: keepPreviousData,
  })

/** The statement (对账单) of a period in one currency; asked for only once the period is complete. */
export const useAgentStatement = (id: string, query: StatementQuery, enabled: boolean) =>
  useQuery({
    queryKey: queryKeys.agentStatements.detail(id, query),
    enabled,
    queryFn: () => sdk.client.fetch<{ statement: Statement }>(`${BASE}/${id}/statement`, { query }),
    placeholderData: keepPreviousData,
    retry: false,
  })

/** The statement as CSV: a plain link the browser downloads with the admin's session. */
export const agentStatementCsvUrl = (id: string, query: StatementQuery) =>
  `${BASE}/${id}/statement?${new URLSearchParams({ ...query, format: "csv" })}`

export const useAgentQuotas = (id: string) =>
  useQuery({ queryKey: queryKeys.agentQuotas.list({ agent_id: id }), queryFn: () => sdk.client.fetch<{ quotas: Quota[] }>(`${BASE}/${id}/quotas`) })

export const useSetAgentQuota = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: QuotaInput) => sdk.client.fetch<{ quota: Quota }>(`${BASE}/${id}/quotas`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.agentQuotas.list({ agent_id: id }) }),
  })
}

/** The agent's wholesale orders, newest first, with the bookkeeping state of each. */
export const useAgentOrders = (id: string, offset: number) =>
  useQuery({
    queryKey: queryKeys.agentOrders.list({ agent_id: id, offset }),
    queryFn: () => sdk.client.fetch<{ orders: AgentOrder[]; count: number }>(`${BASE}/${id}/orders`, { query: { limit: PAGE_SIZE, offset } }),
    placeholderData: keepPreviousData,
  })

export const useAgentApiKeys = (agentId: string | undefined) =>
  useQuery({
    queryKey: queryKeys.agentApiKeys.list({ agent_id: agentId }),
    enabled: !!agentId,
    queryFn: () => sdk.client.fetch<{ api_keys: ApiKey[] }>(`${BASE}/${agentId}/api-keys`),
  })

/** Creates an API key; `key` is the key itself, answered this once. */
export const useCreateAgentApiKey = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ agentId, ...body }: { agentId: string; name: string; scopes: ApiKeyScope[] }) =>
      sdk.client.fetch<{ api_key: ApiKey; key: string; signing_secret: string | null }>(`${BASE}/${agentId}/api-keys`, { method: "POST", body }),
    onSuccess: (_, { agentId }) => qc.invalidateQueries({ queryKey: queryKeys.agentApiKeys.list({ agent_id: agentId }) }),
  })
}

export const useRevokeAgentApiKey = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ agentId, keyId }: { agentId: string; keyId: string }) => sdk.client.fetch(`${BASE}/${agentId}/api-keys/${keyId}`, { method: "DELETE" }),
    onSuccess: (_, { agentId }) => qc.invalidateQueries({ queryKey: queryKeys.agentApiKeys.list({ agent_id: agentId }) }),
  })
}

/** The agent's tier: a Medusa customer group. */
export const useCustomerGroup = (groupId: string | null) =>
  useQuery({
    queryKey: queryKeys.customerGroups.detail(groupId ?? "none"),
    enabled: !!groupId,
    queryFn: () => sdk.client.fetch<{ customer_group: { id: string; name: string } }>(`/admin/customer-groups/${groupId}`, { query: { fields: "id,name" } }),
  })

/** The price lists whose customer-group rule names the tier. */
export const useTierPriceLists = (groupId: string | null) =>
  useQuery({
    queryKey: queryKeys.priceLists.list({ customer_group_id: groupId }),
    enabled: !!groupId,
    queryFn: async () => {
      // Medusa's list does not filter by rule: every page is read, the lists whose customer-group rule names the tier kept.
      const found: PriceList[] = []
      for (let offset = 0; ; offset += 100) {
        const page = await sdk.client.fetch<{ price_lists: PriceList[]; count: number }>("/admin/price-lists", { query: { limit: 100, offset } })
        for (const pl of page.price_lists) {
          const groups = pl.rules?.[GROUP_RULE]
          if (groupId && (Array.isArray(groups) ? groups : groups ? [groups] : []).includes(groupId)) found.push(pl)
        }
        if (offset + 100 >= page.count) return found
      }
    },
  })

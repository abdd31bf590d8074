import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import { PAGE_SIZE } from "../../lib/utils"
import type { Delivery } from "../../types"

const BASE = "/admin/virtual-goods/webhook-deliveries"

/** A page of an agent's webhook deliveries, optionally of one status. */
export const useWebhookDeliveries = (agentId: string, status: string, offset: number) =>
  useQuery({
    queryKey: queryKeys.webhookDeliveries.list({ agent_id: agentId, status, offset }),
    queryFn: () =>
      sdk.client.fetch<{ deliveries: Delivery[]; count: number }>(BASE, {
        query: { agent_id: agentId, status: status || undefined, limit: PAGE_SIZE, offset },
      }),
    placeholderData: keepPreviousData,
    // The webhook job sends in the background: the list follows it while a delivery is pending.
    refetchInterval: (query) => (query.state.data?.deliveries.some((d) => d.status === "pending") ? 5000 : false),
  })

/** Queues a dead delivery to be sent again from its first attempt. */
export const useReplayWebhookDelivery = (agentId: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch(`${BASE}/${id}/replay`, { method: "POST", body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.webhookDeliveries.list({ agent_id: agentId }) }),
  })
}

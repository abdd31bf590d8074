import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type { Campaign, CampaignInput } from "../../types"

const BASE = "/admin/virtual-goods/campaigns"

/** Campaigns with their reports (issued, revealed, redeemed, budget left). */
export const useCampaigns = () =>
  useQuery({ queryKey: queryKeys.campaigns.lists(), queryFn: () => sdk.client.fetch<{ campaigns: Campaign[] }>(BASE) })

export const useCreateCampaign = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: CampaignInput) => sdk.client.fetch<{ campaign: Campaign }>(BASE, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.campaigns.all }),
  })
}

export const useUpdateCampaign = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; status?: "active" | "paused"; budget?: number }) =>
      sdk.client.fetch<{ campaign: Campaign }>(`${BASE}/${id}`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.campaigns.all }),
  })
}

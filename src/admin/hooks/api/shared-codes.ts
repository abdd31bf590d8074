import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type { SharedCode } from "../../types"

const BASE = "/admin/virtual-goods/pools"

/** A reusable pool's shared codes (masks and counts), newest first. */
export const useSharedCodes = (poolId: string) =>
  useQuery({
    queryKey: queryKeys.sharedCodes.list({ pool_id: poolId }),
    queryFn: () => sdk.client.fetch<{ shared_codes: SharedCode[]; count: number }>(`${BASE}/${poolId}/shared-codes`, { query: { limit: 200 } }),
  })

export type SharedCodeLine = { code: string; password?: string }

/** Adds shared codes, all or nothing; refreshes the pool's stock, batches and shared codes. */
export const useAddSharedCodes = (poolId: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { codes: SharedCodeLine[]; sale_limit: number | null }) =>
      sdk.client.fetch<{ added: number; copies: number; shared_codes: SharedCode[] }>(`${BASE}/${poolId}/shared-codes`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.all }),
  })
}

/** Withdraws a shared code with a reason: no further sale, holders mailed. */
export const useWithdrawSharedCode = (poolId: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      sdk.client.fetch<{ shared_code: SharedCode; voided: number; holders: number; notified: number }>(
        `${BASE}/${poolId}/shared-codes/${id}/withdraw`,
        { method: "POST", body: { reason } }
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.all }),
  })
}

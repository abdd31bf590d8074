import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import { PAGE_SIZE } from "../../lib/utils"
import type { Code, OrderCode, OrderCodes, RevealedCode } from "../../types"

const BASE = "/admin/virtual-goods"

/** A page of a pool's codes (masked), optionally of one status. */
export const useCodes = (poolId: string, status: string, offset: number) =>
  useQuery({
    queryKey: queryKeys.codes.list({ pool_id: poolId, status, offset }),
    queryFn: () =>
      sdk.client.fetch<{ card_codes: Code[]; count: number }>(`${BASE}/codes`, {
        query: { pool_id: poolId, status: status || undefined, limit: PAGE_SIZE, offset },
      }),
    placeholderData: keepPreviousData,
  })

/** Finds a code by its full value. Sent in a POST body: a code must never end up in a URL (and so in access logs). */
export const useFindCode = () =>
  useMutation({
    mutationFn: (body: { code: string; pool_id: string }) => sdk.client.fetch<{ card_codes: Code[] }>(`${BASE}/codes/search`, { method: "POST", body }),
  })

/** An order's codes (masked), its delivery and the history of reveals (the order widget). */
export const useOrderCodes = (orderId: string) =>
  useQuery({
    queryKey: queryKeys.orderCodes.detail(orderId),
    queryFn: () => sdk.client.fetch<OrderCodes>(`${BASE}/orders/${orderId}/codes`),
  })

/** Reveals one of the order's codes (audited with the reason); the widget's reveal count follows. */
export const useRevealCode = (orderId: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      sdk.client.fetch<{ card_code: RevealedCode }>(`${BASE}/codes/${id}/reveal`, { method: "POST", body: { reason } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.orderCodes.detail(orderId) }),
  })
}

/** Voids one of the order's codes and delivers a fresh one in its place. */
export const useReissueCode = (orderId: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      sdk.client.fetch<{ card_code: OrderCode; voided_card_code: OrderCode }>(`${BASE}/codes/${id}/reissue`, { method: "POST", body: { reason } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.orderCodes.detail(orderId) }),
  })
}

/** Sends the order's delivery notification again; `sent` says whether the provider took it. */
export const useResendOrderCodes = (orderId: string) =>
  useMutation({
    mutationFn: () => sdk.client.fetch<{ sent: boolean }>(`${BASE}/orders/${orderId}/resend`, { method: "POST", body: {} }),
  })

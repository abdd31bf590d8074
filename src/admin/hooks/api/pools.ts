import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type { Pool, PoolUpdate, VariantPool } from "../../types"

const BASE = "/admin/virtual-goods/pools"

/** Pools whose name matches `q` (all when empty), with stock and alerts. */
export const usePools = (q: string) =>
  useQuery({
    queryKey: queryKeys.pools.list({ q }),
    queryFn: () => sdk.client.fetch<{ card_pools: Pool[]; count: number }>(BASE, { query: { q: q || undefined, limit: 100 } }),
    placeholderData: keepPreviousData,
  })

export const usePool = (id: string) =>
  useQuery({ queryKey: queryKeys.pools.detail(id), queryFn: () => sdk.client.fetch<{ card_pool: Pool }>(`${BASE}/${id}`) })

export const useCreatePool = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { name: string; description?: string; kind?: Pool["kind"] }) => sdk.client.fetch<{ card_pool: Pool }>(BASE, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.pools.lists() }),
  })
}

// A pool's settings and variant show on many pages (lists, dashboard, product widget): a change refreshes them all.

export const useUpdatePool = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: PoolUpdate) => sdk.client.fetch<{ card_pool: Pool }>(`${BASE}/${id}`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.all }),
  })
}

export const useLinkVariant = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { variant_id: string; stock_location_id: string }) =>
      sdk.client.fetch<{ card_pool: Pool }>(`${BASE}/${id}/variant`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.all }),
  })
}

export const useUnlinkVariant = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ card_pool: Pool }>(`${BASE}/${id}/variant`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.all }),
  })
}

/** Which pool each variant of a product sells from (the product widget). */
export const useProductPools = (productId: string) =>
  useQuery({
    queryKey: queryKeys.productPools.detail(productId),
    queryFn: () => sdk.client.fetch<{ variants: VariantPool[] }>(`/admin/virtual-goods/products/${productId}/pools`),
  })

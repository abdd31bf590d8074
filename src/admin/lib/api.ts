import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "./sdk"

export type Stock = {
  available: number
  reserved: number
  delivered: number
  revealed: number
  voided: number
  expired: number
  total: number
}
export type Alert = { id: string; kind: "low_stock" | "near_expiry"; status: string; details: Record<string, unknown> | null }
export type Pool = {
  id: string
  name: string
  description: string | null
  stock_location_id: string | null
  allocation_order: "fifo" | "expiry_first"
  low_stock_threshold: number | null
  expiry_warning_days: number | null
  product_variant: { id: string; title: string; sku: string | null; product_id: string } | null
  alerts: Alert[]
  stock: Stock
}
export type Batch = {
  id: string
  source: string
  supplier: string | null
  status: "importing" | "committed" | "rejected" | "failed"
  mode: string
  file_name: string | null
  code_count: number
  rejected_count: number
  cost_per_code: number | null
  currency_code: string | null
  expires_at: string | null
  error: string | null
  created_at: string
  progress: { percent: number; lines_read: number; code_count: number; rejected_count: number }
  report?: { sold: number; invalid: number; cost_total: string | null }
}
export type Code = {
  id: string
  mask: string
  status: string
  expires_at: string | null
  order_id: string | null
  created_at: string
}
export type ImportError = { line: number; field: string; message: string }

const BASE = "/admin/virtual-goods"

export const keys = {
  pools: (q: string) => ["virtual-goods", "pools", q] as const,
  pool: (id: string) => ["virtual-goods", "pool", id] as const,
  batches: (poolId: string) => ["virtual-goods", "batches", poolId] as const,
  batch: (id: string) => ["virtual-goods", "batch", id] as const,
  codes: (poolId: string, status: string, offset: number) => ["virtual-goods", "codes", poolId, status, offset] as const,
}

export const usePools = (q: string) =>
  useQuery({
    queryKey: keys.pools(q),
    queryFn: () =>
      sdk.client.fetch<{ card_pools: Pool[]; count: number }>(`${BASE}/pools`, { query: { q: q || undefined, limit: 100 } }),
    placeholderData: keepPreviousData,
  })

export const usePool = (id: string) =>
  useQuery({ queryKey: keys.pool(id), queryFn: () => sdk.client.fetch<{ card_pool: Pool }>(`${BASE}/pools/${id}`) })

export const useBatches = (poolId: string, refetchWhileImporting = false) =>
  useQuery({
    queryKey: keys.batches(poolId),
    queryFn: () => sdk.client.fetch<{ card_batches: Batch[]; count: number }>(`${BASE}/pools/${poolId}/batches`, { query: { limit: 50 } }),
    refetchInterval: (query) =>
      refetchWhileImporting || query.state.data?.card_batches.some((b) => b.status === "importing") ? 1000 : false,
  })

/** One batch, polled every second while it imports (the progress bar). */
export const useBatch = (id: string | null) =>
  useQuery({
    queryKey: keys.batch(id ?? "none"),
    enabled: !!id,
    queryFn: () => sdk.client.fetch<{ card_batch: Batch }>(`${BASE}/batches/${id}`),
    refetchInterval: (query) => (query.state.data?.card_batch.status === "importing" ? 700 : false),
  })

export const useBatchErrors = (id: string | null, enabled: boolean) =>
  useQuery({
    queryKey: ["virtual-goods", "batch-errors", id],
    enabled: !!id && enabled,
    queryFn: () => sdk.client.fetch<{ errors: ImportError[]; count: number }>(`${BASE}/batches/${id}/errors`, { query: { limit: 200 } }),
  })

export const PAGE_SIZE = 20

export const useCodes = (poolId: string, status: string, offset: number) =>
  useQuery({
    queryKey: keys.codes(poolId, status, offset),
    queryFn: () =>
      sdk.client.fetch<{ card_codes: Code[]; count: number }>(`${BASE}/codes`, {
        query: { pool_id: poolId, status: status || undefined, limit: PAGE_SIZE, offset },
      }),
    placeholderData: keepPreviousData,
  })

/** Finds a code by its full value. Sent in a POST body: a code must never end up in a URL (and so in access logs). */
export const useFindCode = () =>
  useMutation({
    mutationFn: (body: { code: string; pool_id: string }) =>
      sdk.client.fetch<{ card_codes: Code[] }>(`${BASE}/codes/search`, { method: "POST", body }),
  })

export const useCreatePool = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { name: string; description?: string }) =>
      sdk.client.fetch<{ card_pool: Pool }>(`${BASE}/pools`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["virtual-goods", "pools"] }),
  })
}

export const useUpdatePool = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: Partial<Pick<Pool, "name" | "description" | "allocation_order" | "low_stock_threshold" | "expiry_warning_days">>) =>
      sdk.client.fetch<{ card_pool: Pool }>(`${BASE}/pools/${id}`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["virtual-goods"] }),
  })
}

export const useLinkVariant = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { variant_id: string; stock_location_id: string }) =>
      sdk.client.fetch<{ card_pool: Pool }>(`${BASE}/pools/${id}/variant`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["virtual-goods"] }),
  })
}

export const useUnlinkVariant = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ card_pool: Pool }>(`${BASE}/pools/${id}/variant`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["virtual-goods"] }),
  })
}

export const useImportFile = (poolId: string) =>
  useMutation({
    mutationFn: (form: FormData) =>
      // FormData goes as is (no JSON content type): the browser sets the multipart boundary.
      sdk.client.fetch<{ card_batch: Batch }>(`${BASE}/pools/${poolId}/import-files`, {
        method: "POST",
        body: form,
        headers: { "content-type": null },
      }),
  })

export const useGenerate = (poolId: string) =>
  useMutation({
    mutationFn: (body: { count: number; prefix?: string; length?: number; group_size?: number; separator?: string }) =>
      sdk.client.fetch<{ card_batch: Batch }>(`${BASE}/pools/${poolId}/generate`, { method: "POST", body }),
  })

export const reportUrl = (batchId: string) => `${BASE}/batches/${batchId}/report`

export const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e))

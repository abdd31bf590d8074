import { useMutation, useQuery } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type { Batch, GenerateInput, ImportError } from "../../types"

const BASE = "/admin/virtual-goods"

/** A pool's batches, polled every second while one of them imports. */
export const useBatches = (poolId: string) =>
  useQuery({
    queryKey: queryKeys.batches.list({ pool_id: poolId }),
    queryFn: () => sdk.client.fetch<{ card_batches: Batch[]; count: number }>(`${BASE}/pools/${poolId}/batches`, { query: { limit: 50 } }),
    refetchInterval: (query) => (query.state.data?.card_batches.some((b) => b.status === "importing") ? 1000 : false),
  })

/** One batch, polled while it imports (the progress bar). */
export const useBatch = (id: string | null) =>
  useQuery({
    queryKey: queryKeys.batches.detail(id ?? "none"),
    enabled: !!id,
    queryFn: () => sdk.client.fetch<{ card_batch: Batch }>(`${BASE}/batches/${id}`),
    refetchInterval: (query) => (query.state.data?.card_batch.status === "importing" ? 700 : false),
  })

/** The lines an import rejected, once it has finished with some. */
export const useBatchErrors = (id: string | null, enabled: boolean) =>
  useQuery({
    queryKey: queryKeys.importErrors.list({ batch_id: id }),
    enabled: !!id && enabled,
    queryFn: () => sdk.client.fetch<{ errors: ImportError[]; count: number }>(`${BASE}/batches/${id}/errors`, { query: { limit: 200 } }),
  })

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
    mutationFn: (body: GenerateInput) => sdk.client.fetch<{ card_batch: Batch }>(`${BASE}/pools/${poolId}/generate`, { method: "POST", body }),
  })

/** The per-line report of an import (CSV), a plain link the browser downloads with the admin's session. */
export const batchReportUrl = (batchId: string) => `${BASE}/batches/${batchId}/report`

import { useMutation, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type { Bundle, BundleInput } from "../../types"

const path = (variantId: string) => `/admin/virtual-goods/variants/${variantId}/bundle`

// A bundle shows on the product widget and its pools' stock everywhere: a change refreshes them all.

/** Composes the variant's bundle or replaces it (name and components as a whole). */
export const useSetBundle = (variantId: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: BundleInput) => sdk.client.fetch<{ bundle: Bundle }>(path(variantId), { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.all }),
  })
}

/** The variant stops being a bundle. */
export const useRemoveBundle = (variantId: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ id: string; deleted: boolean }>(path(variantId), { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.all }),
  })
}

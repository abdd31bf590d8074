import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import { PAGE_SIZE } from "../../lib/utils"
import type { AuditChainReport, AuditCheckpoint, AuditEntry, AuditFilters } from "../../types"

const DAY = 86_400_000

/** A page of the vault's audit log under the filters; dates are the admin's local days, `to` included. */
export const useAuditLogs = (filters: AuditFilters, offset: number) =>
  useQuery({
    queryKey: queryKeys.auditLogs.list({ ...filters, offset }),
    queryFn: () =>
      sdk.client.fetch<{ card_audit_logs: AuditEntry[]; count: number }>("/admin/virtual-goods/audit-logs", {
        query: {
          action: filters.action || undefined,
          actor_id: filters.actor_id.trim() || undefined,
          pool_id: filters.pool_id || undefined,
          order_id: filters.order_id.trim() || undefined,
          created_after: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined,
          created_before: filters.to ? new Date(new Date(`${filters.to}T00:00:00`).getTime() + DAY).toISOString() : undefined,
          limit: PAGE_SIZE,
          offset,
        },
      }),
    placeholderData: keepPreviousData,
  })

/** The audit log's verification (chains, heads, checkpoints): run when asked, it reads every row. */
export const useAuditChainVerification = () =>
  useQuery({
    queryKey: queryKeys.auditLogs.detail("verification"),
    queryFn: () => sdk.client.fetch<{ audit_chain: AuditChainReport }>("/admin/virtual-goods/audit-logs/verify"),
    enabled: false,
    retry: false,
  })

/** The latest signed checkpoints and the key that verifies them. */
export const useAuditCheckpoints = () =>
  useQuery({
    queryKey: queryKeys.auditLogs.list({ checkpoints: true }),
    queryFn: () =>
      sdk.client.fetch<{ public_key: string | null; checkpoints: AuditCheckpoint[]; count: number }>("/admin/virtual-goods/audit-checkpoints", {
        query: { limit: 5 },
      }),
  })

/** Signs a checkpoint now. */
export const useSignAuditCheckpoint = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () =>
      sdk.client.fetch<{ audit_checkpoint: { id: string; key_id: string; exported_to: string[]; export_failures: string[] } }>(
        "/admin/virtual-goods/audit-checkpoints",
        { method: "POST" }
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.auditLogs.all }),
  })
}

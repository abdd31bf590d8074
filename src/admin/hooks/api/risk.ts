import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type { RiskDecision, RiskRule } from "../../types"

const BASE = "/admin/virtual-goods/risk"

/** Decisions by review status (`pending`, `approved`, `rejected`), or the blocked ones (`block`). */
export const useRiskDecisions = (show: string) => {
  const query = show === "block" ? { action: "block", limit: 50 } : { review_status: show, limit: 50 }
  return useQuery({
    queryKey: queryKeys.riskDecisions.list(query),
    queryFn: () => sdk.client.fetch<{ risk_decisions: RiskDecision[]; count: number }>(`${BASE}/decisions`, { query }),
  })
}

/** The decision taken on an order's checkout (the order widget). */
export const useOrderRiskDecision = (orderId: string) => {
  const query = { order_id: orderId, limit: 1 }
  return useQuery({
    queryKey: queryKeys.riskDecisions.list(query),
    queryFn: () => sdk.client.fetch<{ risk_decisions: RiskDecision[] }>(`${BASE}/decisions`, { query }),
  })
}

export const useApproveRiskDecision = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch(`${BASE}/decisions/${id}/approve`, { method: "POST", body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.riskDecisions.all }),
  })
}

export const useRejectRiskDecision = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) => sdk.client.fetch(`${BASE}/decisions/${id}/reject`, { method: "POST", body: { note } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.riskDecisions.all }),
  })
}

export const useRiskRules = () =>
  useQuery({ queryKey: queryKeys.riskRules.lists(), queryFn: () => sdk.client.fetch<{ risk_rules: RiskRule[] }>(`${BASE}/rules`) })

export const useCreateRiskRule = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => sdk.client.fetch<{ risk_rule: RiskRule }>(`${BASE}/rules`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.riskRules.lists() }),
  })
}

export const useToggleRiskRule = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (r: RiskRule) => sdk.client.fetch(`${BASE}/rules/${r.id}`, { method: "POST", body: { enabled: !r.enabled } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.riskRules.lists() }),
  })
}

export const useDeleteRiskRule = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (r: RiskRule) => sdk.client.fetch(`${BASE}/rules/${r.id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.riskRules.lists() }),
  })
}

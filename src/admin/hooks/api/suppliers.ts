import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type {
  Supplier,
  SupplierCheck,
  SupplierCreate,
  SupplierFinding,
  SupplierOrder,
  SupplierOrderAction,
  SupplierOrderEvent,
  SupplierReconciliation,
  SupplierReport,
  SupplierStatus,
  SuppliersQuery,
} from "../../routes/virtual-goods/suppliers/lib"

const BASE = "/admin/virtual-goods"

type OrderList = { supplier_orders: SupplierOrder[]; count: number; limit: number; offset: number }
type FindingList = { supplier_findings: SupplierFinding[]; count: number; limit: number; offset: number }

/** Every supplier, by name, with health, last error, balance and the names of its credentials. */
export const useSuppliers = () =>
  useQuery({ queryKey: queryKeys.suppliers.lists(), queryFn: () => sdk.client.fetch<{ suppliers: Supplier[] }>(`${BASE}/suppliers`) })

/** Creates a supplier; its credentials are sealed by the API and never answered (only their names). */
export const useCreateSupplier = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: SupplierCreate) => sdk.client.fetch<{ supplier: Supplier }>(`${BASE}/suppliers`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.suppliers.all }),
  })
}

/** Enables or disables a supplier (a disabled one gets no new orders). */
export const useSetSupplierStatus = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: SupplierStatus }) =>
      sdk.client.fetch<{ supplier: Supplier }>(`${BASE}/suppliers/${id}`, { method: "POST", body: { status } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.suppliers.all }),
  })
}

/** Reaches a supplier now (ping, then balance); its health, last error and balance are recorded either way. */
export const useCheckSupplier = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<SupplierCheck>(`${BASE}/suppliers/${id}/check`, { method: "POST", body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.suppliers.all }),
  })
}

/** Reconciles a supplier now (balance and order lists compared); the findings and the balance follow. */
export const useReconcileSupplier = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch<{ reconciliation: SupplierReconciliation }>(`${BASE}/suppliers/${id}/reconcile`, { method: "POST", body: {} }),
    onSettled: () =>
      Promise.all([queryKeys.suppliers.all, queryKeys.supplierFindings.all].map((queryKey) => qc.invalidateQueries({ queryKey }))),
  })
}

/** A page of supplier orders, newest first (query from `supplierOrdersQuery`); recipients masked. */
export const useSupplierOrders = (query: SuppliersQuery) =>
  useQuery({
    queryKey: queryKeys.supplierOrders.list(query),
    queryFn: () => sdk.client.fetch<OrderList>(`${BASE}/supplier-orders`, { query }),
    placeholderData: keepPreviousData,
  })

/** A supplier order with every exchange and decision, oldest first. */
export const useSupplierOrder = (id: string) =>
  useQuery({
    queryKey: queryKeys.supplierOrders.detail(id),
    queryFn: () => sdk.client.fetch<{ supplier_order: SupplierOrder; events: SupplierOrderEvent[] }>(`${BASE}/supplier-orders/${id}`),
  })

/** An admin's decision on a supplier order with its reason: retry, refund or mark succeeded. */
export const useResolveSupplierOrder = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: SupplierOrderAction; reason: string }) =>
      sdk.client.fetch<{ supplier_order: SupplierOrder }>(`${BASE}/supplier-orders/${id}/resolve`, { method: "POST", body: { action, reason } }),
    onSettled: () =>
      Promise.all(
        [queryKeys.supplierOrders.all, queryKeys.supplierFindings.all, queryKeys.supplierReports.all].map((queryKey) => qc.invalidateQueries({ queryKey }))
      ),
  })
}

/** A page of what reconciliation and the alerts found (query from `supplierFindingsQuery`). */
export const useSupplierFindings = (query: SuppliersQuery) =>
  useQuery({
    queryKey: queryKeys.supplierFindings.list(query),
    queryFn: () => sdk.client.fetch<FindingList>(`${BASE}/supplier-findings`, { query }),
    placeholderData: keepPreviousData,
  })

/** Resolves an open finding with what was done about it; it leaves the open list. */
export const useResolveSupplierFinding = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, resolution }: { id: string; resolution: string }) =>
      sdk.client.fetch<{ supplier_finding: SupplierFinding }>(`${BASE}/supplier-findings/${id}/resolve`, { method: "POST", body: { resolution } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.supplierFindings.all }),
  })
}

/** The margin report per supplier product between two dates (query from `reportQuery`). */
export const useSupplierReport = (query: SuppliersQuery) =>
  useQuery({
    queryKey: queryKeys.supplierReports.list(query),
    queryFn: () => sdk.client.fetch<SupplierReport>(`${BASE}/suppliers/report`, { query }),
    placeholderData: keepPreviousData,
  })

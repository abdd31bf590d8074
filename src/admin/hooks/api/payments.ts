import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeys } from "../../lib/query-keys"
import { sdk } from "../../lib/sdk"
import type { PaymentsQuery } from "../../routes/virtual-goods/payments/lib"
import type { Finding, OrderPaymentInfo, PaymentEvent, ReconcileResult } from "../../types"

const BASE = "/admin/virtual-goods/payments"

type FindingList = { findings: Finding[]; count: number; limit: number; offset: number }
type EventList = { events: PaymentEvent[]; count: number; limit: number; offset: number }

const fetchFindings = (query: PaymentsQuery) => sdk.client.fetch<FindingList>(`${BASE}/findings`, { query })

/** A page of what the reconciliation found (query from `findingsQuery`). */
export const usePaymentFindings = (query: PaymentsQuery) =>
  useQuery({
    queryKey: queryKeys.paymentFindings.list(query),
    queryFn: () => fetchFindings(query),
    placeholderData: keepPreviousData,
  })

/** The total of each group of findings queries (`countQuery`s), for the counters on top of the payments page. */
export const usePaymentFindingCounts = (groups: readonly (readonly PaymentsQuery[])[]) => {
  const flat = groups.flat()
  const results = useQueries({
    queries: flat.map((query) => ({
      queryKey: queryKeys.paymentFindings.list(query),
      queryFn: () => fetchFindings(query),
      select: (d: FindingList) => d.count,
    })),
  })
  // Each group's results sit in `results` where its queries sit in `flat`; a total is known once all its counts are.
  const starts = groups.map((_, i) => groups.slice(0, i).reduce((n, g) => n + g.length, 0))
  const totals = groups.map((g, i) => {
    const counts = results.slice(starts[i], starts[i] + g.length).map((r) => r.data)
    return counts.every((c): c is number => c !== undefined) ? counts.reduce((sum, c) => sum + c, 0) : undefined
  })
  return { totals, error: results.find((r) => r.error)?.error ?? null, refetch: () => results.forEach((r) => r.refetch()) }
}

/** A page of the payment providers' webhook events (query from `eventsQuery`). */
export const usePaymentEvents = (query: PaymentsQuery) =>
  useQuery({
    queryKey: queryKeys.paymentEvents.list(query),
    queryFn: () => sdk.client.fetch<EventList>(`${BASE}/events`, { query }),
    placeholderData: keepPreviousData,
  })

/** Marks a finding resolved with a note; the lists, the counters and the order's payment section follow. */
export const useResolvePaymentFinding = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      sdk.client.fetch<{ finding: Finding }>(`${BASE}/findings/${id}/resolve`, { method: "POST", body: { note } }),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: queryKeys.paymentFindings.all }), qc.invalidateQueries({ queryKey: queryKeys.orderPayments.all })]),
  })
}

/** Runs the reconciliation now (as its scheduled job does) and answers what it did. */
export const useReconcilePayments = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => sdk.client.fetch<{ result: ReconcileResult }>(`${BASE}/reconcile`, { method: "POST", body: {} }),
    onSuccess: () =>
      Promise.all(
        [queryKeys.paymentFindings.all, queryKeys.paymentEvents.all, queryKeys.orderPayments.all].map((queryKey) => qc.invalidateQueries({ queryKey }))
      ),
  })
}

/** An order's payments (provider, amounts, Stripe Radar) and what the reconciliation found about it (the order widget). */
export const useOrderPayment = (orderId: string) =>
  useQuery({
    queryKey: queryKeys.orderPayments.detail(orderId),
    queryFn: () => sdk.client.fetch<OrderPaymentInfo>(`/admin/virtual-goods/orders/${orderId}/payment`),
  })

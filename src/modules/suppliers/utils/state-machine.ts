/** A supplier order's states (see models/supplier-order.ts). */
export const SUPPLIER_ORDER_STATUSES = ["pending", "submitting", "accepted", "succeeded", "failed", "unknown"] as const
export type SupplierOrderStatus = (typeof SUPPLIER_ORDER_STATUSES)[number]

/**
 * The only transitions: each status change in SQL takes its `WHERE status IN (…)` from here.
 * - claim: a submission takes the order (pending, or submitting whose lease ran out: the process died mid-call).
 * - accept / succeed / fail: what the supplier said (submission, query or callback). `fail` only on a definite failure.
 * - give_up: past the window without a final answer: the admins' queue.
 * - retry: an admin sends a failed (not refunded) or unknown order again, under the same order number.
 * - resolve_succeeded: an admin records a success the supplier confirmed elsewhere.
 */
export const SUPPLIER_ORDER_TRANSITIONS = {
  claim: { from: ["pending", "submitting"], to: "submitting" },
  accept: { from: ["submitting", "unknown"], to: "accepted" },
  succeed: { from: ["submitting", "accepted", "unknown"], to: "succeeded" },
  fail: { from: ["pending", "submitting", "accepted", "unknown"], to: "failed" },
  give_up: { from: ["submitting", "accepted"], to: "unknown" },
  retry: { from: ["failed", "unknown"], to: "pending" },
  resolve_succeeded: { from: ["submitting", "accepted", "unknown", "failed"], to: "succeeded" },
} as const satisfies Record<string, { from: readonly SupplierOrderStatus[]; to: SupplierOrderStatus }>

export type SupplierOrderTransition = keyof typeof SUPPLIER_ORDER_TRANSITIONS

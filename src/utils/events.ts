/**
 * The plugin's domain events, emitted with Medusa's `emitEventStep` at the end of the workflow that made the change
 * (so they are released only when it commits). A host app subscribes to them like to Medusa's own events:
 *
 * @example
 * // src/subscribers/codes-delivered.ts in the host app
 * import { VirtualGoodsEvents } from "medusa-virtual-goods/workflows"
 * export default async function ({ event }) { … event.data.order_id … }
 * export const config = { event: VirtualGoodsEvents.CODES_DELIVERED }
 *
 * Payloads carry ids and counts only — never a code, a token or a key.
 */
export const VirtualGoodsEvents = {
  /** An order's codes were delivered (also by the sweep that retries held deliveries). `{ order_id, code_count }` */
  CODES_DELIVERED: "virtual_goods.codes.delivered",
  /** An order's delivery is held: out of stock, a failing step or a risk review. `{ order_id, reason }` */
  DELIVERY_HELD: "virtual_goods.delivery.held",
  /**
   * An order's codes came back (refund, cancelation, admin return): unrevealed ones to stock, revealed ones voided.
   * `{ order_id, restocked, voided, released }` (counts)
   */
  CODES_RETURNED: "virtual_goods.codes.returned",
  /** A stock alert was raised for a pool, one event per alert. `{ alert_id, pool_id, kind }` (`low_stock` | `near_expiry`) */
  STOCK_ALERT_RAISED: "virtual_goods.stock_alert.raised",
  /** An import or generation finished. `{ batch_id, pool_id, status, code_count, rejected_count }` */
  IMPORT_FINISHED: "virtual_goods.import.finished",
  /**
   * A guest's order lookup (email + order number) matched an order with delivered codes: a fresh guest link is mailed
   * to the order's address. `{ order_id }` — never the link.
   */
  ORDER_LINK_REQUESTED: "virtual_goods.order_link.requested",
} as const

/** Events of campaigns that give codes (营销). */
export const CampaignEvents = {
  /** A campaign gave a customer a code. `{ campaign_id, grant_id, customer_id, code_id }` */
  CODE_GIVEN: "virtual_goods.campaign.code_given",
} as const

/** Events of reusable pools (循环卡密). */
export const SharedCodeEvents = {
  /** Shared codes were added to a reusable pool. `{ pool_id, batch_id, shared_code_count }` */
  ADDED: "virtual_goods.shared_codes.added",
  /**
   * A shared code was withdrawn: no further sale; its holders were mailed. `{ id, pool_id, order_ids, voided }` (voided:
   * unsold copies taken out of sale)
   */
  WITHDRAWN: "virtual_goods.shared_code.withdrawn",
} as const

/** Events of bundles (组合商品). */
export const BundleEvents = {
  /** A variant's bundle was composed or changed. `{ id, variant_id }` */
  COMPOSED: "virtual_goods.bundle.composed",
  /** A variant stopped being a bundle. `{ id, variant_id }` */
  REMOVED: "virtual_goods.bundle.removed",
  /**
   * One component of a sold bundle line was refunded: its codes taken back (unrevealed ones to stock, revealed ones
   * voided) and its share of the line's price given back. `{ id, order_id, line_item_id, pool_id, restocked, voided }`
   */
  COMPONENT_REFUNDED: "virtual_goods.bundle_component.refunded",
} as const

/** Events of resellers' wholesale orders (the agents module's workflows). */
export const AgentEvents = {
  /** A wholesale order was answered; its bookkeeping (the Medusa order) is pending. `{ id }` (the agent order) */
  ORDER_PLACED: "agent_order.placed",
  /**
   * A wholesale order's bookkeeping finished: its Medusa order is recorded, paid from the ledger and delivered (or
   * held for review). `{ id, agent_id, order_id, status }` (`delivered` | `held_for_review`)
   */
  ORDER_COMPLETED: "agent_order.completed",
} as const

/** Events of payment reconciliation (the `payment_reconciliation` module's workflows). */
export const PaymentEvents = {
  /** A verified webhook event was recorded (once per event id) and is waiting to be processed. `{ id }` (our record) */
  WEBHOOK_RECORDED: "virtual_goods.payment_webhook.recorded",
  /**
   * Reconciliation found something about a payment and recorded it (a payment without an order, a refund it made, a
   * refund in Stripe, a dispute, a failed capture). `{ id, kind, order_id }` (the finding)
   */
  FINDING_RECORDED: "virtual_goods.payment_finding.recorded",
  /** An order's codes were frozen because its payment is disputed. `{ order_id, voided, frozen }` (counts) */
  CODES_FROZEN: "virtual_goods.codes.frozen",
} as const

export type PaymentEventName = (typeof PaymentEvents)[keyof typeof PaymentEvents]

export type AgentEventName = (typeof AgentEvents)[keyof typeof AgentEvents]

export type VirtualGoodsEventName = (typeof VirtualGoodsEvents)[keyof typeof VirtualGoodsEvents]

/** @deprecated use `VirtualGoodsEvents.ORDER_LINK_REQUESTED` */
export const VIRTUAL_GOODS_ORDER_LINK_REQUESTED_EVENT = VirtualGoodsEvents.ORDER_LINK_REQUESTED

/** Events of the suppliers: top-ups (直充) and the orders placed with upstream suppliers. Payloads hold ids only. */
export const SupplierEvents = {
  /** A supplier order was created and is waiting for its submission. `{ id, order_id }` */
  ORDER_CREATED: "virtual_goods.supplier_order.created",
  /** A supplier order reached a final or unknown state. `{ id, order_id, status }` (succeeded | failed | unknown) */
  ORDER_SETTLED: "virtual_goods.supplier_order.settled",
  /** A failed supplier order's line was refunded. `{ id, order_id }` */
  ORDER_REFUNDED: "virtual_goods.supplier_order.refunded",
  /** Something about a supplier needs an admin (a late callback after a refund, an unknown outcome, a low balance). `{ id, kind, supplier_id }` (the finding) */
  FINDING_RECORDED: "virtual_goods.supplier_finding.recorded",
} as const

export type SupplierEventName = (typeof SupplierEvents)[keyof typeof SupplierEvents]

/** Events of redemption (核销) of the merchant's own vouchers. Payloads hold ids only, never a code. */
export const RedemptionEvents = {
  /** A voucher was redeemed (a use, or an amount of a stored value). `{ id, code_id, pool_id, channel }` (the redemption) */
  REDEEMED: "virtual_goods.voucher.redeemed",
  /** A redemption was given back. `{ id, reverses_id, code_id, pool_id }` (the rollback) */
  ROLLED_BACK: "virtual_goods.voucher.rolled_back",
} as const

export type RedemptionEventName = (typeof RedemptionEvents)[keyof typeof RedemptionEvents]

/**
 * Notification template sent when an order's codes are delivered (and again on a reissue, a resend or a guest's order
 * lookup). Data: order_id, display_id, locale, reveal_link { id, url_template, expires_at, max_uses } (no token: the
 * provider renders the URL with `revealUrlOf`), reveal_url_expires_at, reveal_url_max_uses, codes[] { id, mask },
 * reissued_code_id when a code was reissued, resent when an admin sent it again, lookup when a guest asked for it.
 */
export const VIRTUAL_GOODS_DELIVERED_TEMPLATE = "virtual-goods.codes-delivered"

/**
 * Notification template of stock alerts (on the `alert_channel`, the admin feed by default). Data: title,
 * description (what the admin feed shows), alert_id, pool_id, pool_name, kind (`low_stock` | `near_expiry`), details.
 */
export const VIRTUAL_GOODS_STOCK_ALERT_TEMPLATE = "virtual-goods.stock-alert"

/** Notification template of an order refused after a risk review (refunded, nothing delivered). */
export const VIRTUAL_GOODS_REJECTED_TEMPLATE = "virtual-goods.order-rejected"

/**
 * Emitted when a guest's order lookup (email + order number) matched an order with delivered codes: a fresh guest link
 * is mailed to the order's address. Data: `{ order_id }` — never the link.
 */
export const VIRTUAL_GOODS_ORDER_LINK_REQUESTED_EVENT = "virtual_goods.order_link.requested"

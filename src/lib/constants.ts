/** Notification template sent when an order's codes are delivered. Data: order_id, display_id, reveal_url, codes[].mask */
export const VIRTUAL_GOODS_DELIVERED_TEMPLATE = "virtual-goods.codes-delivered"

/**
 * Notification template of stock alerts (on the `alert_channel`, the admin feed by default). Data: title,
 * description (what the admin feed shows), alert_id, pool_id, pool_name, kind (`low_stock` | `near_expiry`), details.
 */
export const VIRTUAL_GOODS_STOCK_ALERT_TEMPLATE = "virtual-goods.stock-alert"

/** Notification template of an order refused after a risk review (refunded, nothing delivered). */
export const VIRTUAL_GOODS_REJECTED_TEMPLATE = "virtual-goods.order-rejected"

/** Notification template sent when an order's codes are delivered. Data: order_id, display_id, reveal_url, codes[].mask */
export const VIRTUAL_GOODS_DELIVERED_TEMPLATE = "virtual-goods.codes-delivered"

/**
 * Notification templates the plugin sends (through Medusa's Notification Module). A host app's notification provider
 * renders them; the plugin's SMTP provider (src/providers/email-smtp) has English and Chinese versions of each.
 */

/**
 * Sent when an order's codes are delivered (and again on a reissue, a resend or a guest's order lookup). Data:
 * order_id, display_id, locale, reveal_link { id, url_template, expires_at, max_uses } (no token: the provider renders
 * the URL with `revealUrlOf`), reveal_url_expires_at, reveal_url_max_uses, codes[] { id, mask }, reissued_code_id when
 * a code was reissued, resent when an admin sent it again, lookup when a guest asked for it.
 */
export const VIRTUAL_GOODS_DELIVERED_TEMPLATE = "virtual-goods.codes-delivered"

/**
 * Stock alerts (on the `alert_channel`, the admin feed by default). Data: title, description (what the admin feed
 * shows), alert_id, pool_id, pool_name, kind (`low_stock` | `near_expiry`), details.
 */
export const VIRTUAL_GOODS_STOCK_ALERT_TEMPLATE = "virtual-goods.stock-alert"

/** An order refused after a risk review (refunded, nothing delivered). */
export const VIRTUAL_GOODS_REJECTED_TEMPLATE = "virtual-goods.order-rejected"

/**
 * The shopper's payment did not go through (failed, canceled, its time ran out, or the order was refused and the card's
 * authorization released): nothing was charged and the codes
 * held for the cart went back to stock. Data: cart_id, reason (`failed` | `canceled` | `expired` | `refused`), message (Stripe's,
 * when it gave one), locale.
 */
export const VIRTUAL_GOODS_PAYMENT_FAILED_TEMPLATE = "virtual-goods.payment-failed"

/**
 * A payment was taken but the order could not be placed (stock gone, risk control refused it): the payment was
 * refunded in full. Data: cart_id, amount, currency_code, reason, locale.
 */
export const VIRTUAL_GOODS_PAYMENT_REFUNDED_TEMPLATE = "virtual-goods.payment-refunded"

/**
 * Payment alerts for admins (on the `alert_channel`, the admin feed by default): a dispute opened or closed, a
 * payment refunded because its order could not be placed. Data: title, description, finding_id, kind, order_id.
 */
export const VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE = "virtual-goods.payment-alert"

/**
 * A top-up (直充) the supplier definitely refused or failed: the line was refunded. Data: order_id, display_id,
 * product (the line's title), recipient (masked), amount, currency_code, reason, locale. Never the recipient in clear.
 */
export const VIRTUAL_GOODS_TOPUP_REFUNDED_TEMPLATE = "virtual-goods.topup-refunded"

/**
 * Codes a line was to get from a supplier at delivery (a pass-through purchase) could not be bought — a definite
 * failure — and that part of the line was refunded. Data: order_id, display_id, product, quantity (codes not bought),
 * amount, currency_code, reason, locale.
 */
export const VIRTUAL_GOODS_PURCHASE_REFUNDED_TEMPLATE = "virtual-goods.purchase-refunded"

/**
 * Codes of an order expire soon and are unused (never revealed, or a voucher not used up): sent once per code. Data:
 * order_id, display_id, locale, codes[] { id, mask, expires_at } — masks only, no link.
 */
export const VIRTUAL_GOODS_EXPIRY_REMINDER_TEMPLATE = "virtual-goods.expiry-reminder"

/** A top-up was credited by the supplier. Data: order_id, display_id, product, recipient (masked), locale. */
export const VIRTUAL_GOODS_TOPUP_SUCCEEDED_TEMPLATE = "virtual-goods.topup-succeeded"

/**
 * A campaign gave the customer a code (e.g. a week's membership for registering). Data: campaign_id, campaign_name,
 * grant_id, locale, reveal_link { id, url_template, expires_at, max_uses } (no token, as for a delivery),
 * reveal_url_expires_at, reveal_url_max_uses, codes[] { id, mask }.
 */
export const VIRTUAL_GOODS_CAMPAIGN_GIFT_TEMPLATE = "virtual-goods.campaign-gift"

/**
 * A shared code of a reusable pool (a shared account, a course link) that the order bought was withdrawn by the
 * merchant: it is no longer sold, and may stop working. Data: order_id, display_id, locale, reason, codes[] { id, mask }
 * — masks only, no link.
 */
export const VIRTUAL_GOODS_SHARED_CODE_WITHDRAWN_TEMPLATE = "virtual-goods.shared-code-withdrawn"

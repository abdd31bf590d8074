import StripeProviderService from "@medusajs/payment-stripe/dist/services/stripe-provider"
import type { PaymentIntentOptions } from "@medusajs/payment-stripe/dist/types"
import { repointStripe, type VirtualGoodsStripeOptions } from "./sdk"

/**
 * Medusa's Stripe card provider (`@medusajs/payment-stripe`), unchanged but for `apiBaseUrl`. Provider id
 * `pp_stripe_stripe` when registered with `id: "stripe"`; webhook URL `/hooks/payment/stripe_stripe`.
 */
export class VirtualGoodsStripeCardService extends StripeProviderService {
  static identifier = "stripe"

  constructor(cradle: Record<string, unknown>, options: VirtualGoodsStripeOptions) {
    super(cradle, options)
    this.stripe_ = repointStripe(this.stripe_, options.apiKey, options.apiBaseUrl)
  }
}

/**
 * Alipay through Stripe: a redirect the shopper confirms in Alipay, captured automatically when it succeeds (the
 * payment intent goes `requires_action` → `succeeded`, possibly after the shopper closed the tab).
 * Provider id `pp_stripe-alipay_stripe`.
 */
export class VirtualGoodsStripeAlipayService extends VirtualGoodsStripeCardService {
  static identifier = "stripe-alipay"

  get paymentIntentOptions(): PaymentIntentOptions {
    return { payment_method_types: ["alipay"], capture_method: "automatic" }
  }
}

/**
 * WeChat Pay through Stripe: a QR code the shopper scans, captured automatically when paid.
 * Provider id `pp_stripe-wechat-pay_stripe`.
 */
export class VirtualGoodsStripeWeChatPayService extends VirtualGoodsStripeCardService {
  static identifier = "stripe-wechat-pay"

  get paymentIntentOptions(): PaymentIntentOptions {
    // Stripe requires the client for WeChat Pay; a web checkout shows the QR code.
    return {
      payment_method_types: ["wechat_pay"],
      capture_method: "automatic",
      payment_method_options: { wechat_pay: { client: "web" } },
    } as PaymentIntentOptions
  }
}

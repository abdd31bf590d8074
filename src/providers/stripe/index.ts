import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { VirtualGoodsStripeAlipayService, VirtualGoodsStripeCardService, VirtualGoodsStripeWeChatPayService } from "./services"

/**
 * Stripe for virtual goods: Medusa's official Stripe provider for cards and the asynchronous methods this market
 * uses (Alipay, WeChat Pay). Register under the payment module with `id: "stripe"`.
 */
export default ModuleProvider(Modules.PAYMENT, {
  services: [VirtualGoodsStripeCardService, VirtualGoodsStripeAlipayService, VirtualGoodsStripeWeChatPayService],
})

export * from "./sdk"

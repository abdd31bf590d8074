import { stripeHostConfig } from "../sdk"
import { isStripeWebhookProvider } from "../../../api/hooks/stripe-webhook"

describe("the Stripe providers' apiBaseUrl", () => {
  it("is Stripe's own API when unset, else host, port and protocol for the SDK", () => {
    expect(stripeHostConfig(undefined)).toBeNull()
    expect(stripeHostConfig("")).toBeNull()
    expect(stripeHostConfig("http://127.0.0.1:12111")).toEqual({ host: "127.0.0.1", port: 12111, protocol: "http" })
    expect(stripeHostConfig("https://stripe-proxy.example.com")).toEqual({ host: "stripe-proxy.example.com", port: 443, protocol: "https" })
  })

  it("explains a value that is not an http(s) URL", () => {
    expect(() => stripeHostConfig("stripe")).toThrow('apiBaseUrl "stripe" is not a URL (expected e.g. https://api.stripe.com)')
    expect(() => stripeHostConfig("ftp://x")).toThrow('apiBaseUrl "ftp://x" must use http or https')
  })
})

describe("the webhook routes verified by the plugin", () => {
  it("are the Stripe providers' (card and method variants), not other providers'", () => {
    expect(["stripe_stripe", "stripe-alipay_stripe", "stripe-wechat-pay_stripe"].map(isStripeWebhookProvider)).toEqual([true, true, true])
    expect(["system_default", "paypal_paypal", undefined, "stripe"].map(isStripeWebhookProvider)).toEqual([false, false, false, false])
  })
})

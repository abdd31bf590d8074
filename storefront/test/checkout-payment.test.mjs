import { test } from "node:test"
import assert from "node:assert/strict"
import { importTs } from "./ts-module.mjs"

const choice = await importTs("src/modules/checkout/payment-choice.ts")
const outcome = await importTs("src/modules/checkout/payment-outcome.ts")

const PK = "pk_test_51AbCdEfGh0123456789"
const ALL = ["pp_system_default", "pp_stripe-wechat-pay_stripe", "pp_stripe_stripe", "pp_stripe-alipay_stripe"]

test("without a Stripe key the checkout keeps the system provider, whatever the region offers", () => {
  for (const stripeKey of [undefined, null, "", "   "]) {
    assert.deepEqual(choice.choosePayment({ stripeKey, regionProviderIds: ALL }), { mode: "system", providerId: "pp_system_default", reason: "no_key" })
  }
  assert.deepEqual(choice.choosePayment({ stripeKey: "", regionProviderIds: [], systemProviderId: "pp_manual_manual" }), { mode: "system", providerId: "pp_manual_manual", reason: "no_key" })
  assert.deepEqual(choice.choosePayment({ stripeKey: "", regionProviderIds: [], systemProviderId: "  " }), { mode: "system", providerId: "pp_system_default", reason: "no_key" })
})

test("a key that is not a publishable key is never used (a secret key must not reach the browser)", () => {
  for (const stripeKey of ["sk_test_51AbCdEf", "sk_live_51AbCdEf", "rk_live_51AbCdEf", "pk_test_", "pk_demo_123", "pk_test_abc def", "whsec_abc"]) {
    assert.equal(choice.isPublishableKey(stripeKey), false, stripeKey)
    assert.deepEqual(choice.choosePayment({ stripeKey, regionProviderIds: ALL }), { mode: "system", providerId: "pp_system_default", reason: "not_a_publishable_key" }, stripeKey)
  }
  assert.equal(choice.isPublishableKey(PK), true)
  assert.equal(choice.isPublishableKey("pk_live_51Zz9"), true)
})

test("with a publishable key Stripe is offered with the methods the region has, cards first", () => {
  assert.deepEqual(choice.choosePayment({ stripeKey: `  ${PK}\n`, regionProviderIds: ALL }), {
    mode: "stripe",
    publishableKey: PK,
    options: [
      { method: "card", providerId: "pp_stripe_stripe" },
      { method: "alipay", providerId: "pp_stripe-alipay_stripe" },
      { method: "wechat_pay", providerId: "pp_stripe-wechat-pay_stripe" },
    ],
  })
  assert.deepEqual(choice.choosePayment({ stripeKey: PK, regionProviderIds: ["pp_stripe-wechat-pay_stripe", "pp_stripe-alipay_stripe"] }).options, [
    { method: "alipay", providerId: "pp_stripe-alipay_stripe" },
    { method: "wechat_pay", providerId: "pp_stripe-wechat-pay_stripe" },
  ])
  assert.deepEqual(choice.choosePayment({ stripeKey: PK, regionProviderIds: ["pp_stripe_stripe"] }).options, [{ method: "card", providerId: "pp_stripe_stripe" }])
})

test("a key but no Stripe provider in the region (or the region unknown) falls back to the system provider", () => {
  assert.deepEqual(choice.choosePayment({ stripeKey: PK, regionProviderIds: ["pp_system_default"] }), { mode: "system", providerId: "pp_system_default", reason: "no_stripe_provider_in_region" })
  assert.deepEqual(choice.choosePayment({ stripeKey: PK, regionProviderIds: [] }), { mode: "system", providerId: "pp_system_default", reason: "no_stripe_provider_in_region" })
  // A look-alike id is not Stripe's provider.
  assert.equal(choice.choosePayment({ stripeKey: PK, regionProviderIds: ["pp_stripe_other", "stripe"] }).mode, "system")
})

test("the method the browser picks is used only when the choice offers it", () => {
  const stripe = choice.choosePayment({ stripeKey: PK, regionProviderIds: ["pp_stripe_stripe", "pp_stripe-alipay_stripe"] })
  assert.deepEqual(choice.stripeOptionOf(stripe, "alipay"), { method: "alipay", providerId: "pp_stripe-alipay_stripe" })
  assert.deepEqual(choice.stripeOptionOf(stripe, "card"), { method: "card", providerId: "pp_stripe_stripe" })
  for (const method of ["wechat_pay", "pp_system_default", "pp_stripe_stripe", "system", "", "__proto__", "constructor"]) {
    assert.equal(choice.stripeOptionOf(stripe, method), null, method)
  }
  const system = choice.choosePayment({ stripeKey: "", regionProviderIds: ALL })
  assert.equal(choice.stripeOptionOf(system, "card"), null)
})

test("the return URL is the origin's stripe-return page of the country, with the cart id", () => {
  assert.equal(choice.stripeReturnUrl("https://shop.example", "cn", "cart_01JABC"), "https://shop.example/cn/checkout/stripe-return?cart_id=cart_01JABC")
  assert.equal(choice.stripeReturnUrl("http://127.0.0.1:8000", "us", "cart_1"), "http://127.0.0.1:8000/us/checkout/stripe-return?cart_id=cart_1")
  // Never another host, whatever the country segment holds; the cart id is encoded.
  assert.equal(choice.stripeReturnUrl("https://shop.example", "/evil.example", "cart_1"), "https://shop.example/us/checkout/stripe-return?cart_id=cart_1")
  assert.equal(choice.stripeReturnUrl("https://shop.example", "us", "a&b=c"), "https://shop.example/us/checkout/stripe-return?cart_id=a%26b%3Dc")
})

test("country segments: two letters (lower-cased) or the fallback", () => {
  assert.equal(choice.countrySegment("us", "gb"), "us")
  assert.equal(choice.countrySegment("CN", "gb"), "cn")
  for (const bad of ["", null, undefined, "usa", "u", "/x", "//evil.example", "u/"]) assert.equal(choice.countrySegment(bad, "gb"), "gb", String(bad))
})

test("the Payment Element speaks the storefront's language", () => {
  assert.equal(choice.elementsLocale("zh-CN"), "zh")
  assert.equal(choice.elementsLocale("en"), "en")
  assert.equal(choice.elementsLocale("fr"), "en")
})

test("Stripe's statuses: paid, pending, failed or unknown", () => {
  const expected = {
    succeeded: "paid",
    requires_capture: "paid",
    processing: "pending",
    requires_action: "pending",
    requires_confirmation: "pending",
    failed: "failed",
    requires_payment_method: "failed",
    canceled: "failed",
  }
  for (const [status, want] of Object.entries(expected)) assert.equal(outcome.stripeOutcome(status), want, status)
  for (const status of [null, undefined, "", "SUCCEEDED", "paid"]) assert.equal(outcome.stripeOutcome(status), "unknown", String(status))
})

test("the return page goes to the order whenever there is one", () => {
  for (const status of ["succeeded", "processing", "failed", null]) {
    assert.deepEqual(outcome.returnView({ type: "order", orderId: "order_01" }, status), { view: "confirmed", orderId: "order_01" })
  }
})

test("a payment not yet final reads as being processed, never as an error", () => {
  const pending = [
    // Alipay / WeChat Pay still confirming: completion answers the cart with a payment error.
    [{ type: "cart", errorType: "payment_authorization_error" }, "processing"],
    [{ type: "cart", errorType: "payment_requires_more_error" }, "succeeded"],
    [{ type: "cart", errorType: null }, null],
    // The webhook is completing the cart at the same moment.
    [{ type: "failed", status: 409 }, "succeeded"],
    // Paid but the cart cannot become an order: the backend reconciles (completes or refunds) and emails.
    [{ type: "failed", status: 400 }, "succeeded"],
    [{ type: "failed", status: null }, "processing"],
    // An in-page confirmation that needs no redirect.
    [{ type: "cart", errorType: "payment_authorization_error" }, "requires_capture"],
    [{ type: "failed", status: 500 }, "something_new"],
  ]
  for (const [completion, status] of pending) assert.deepEqual(outcome.returnView(completion, status), { view: "processing" }, JSON.stringify([completion, status]))
})

test("a payment Stripe says failed leads back to the checkout", () => {
  assert.deepEqual(outcome.returnView({ type: "cart", errorType: "payment_authorization_error" }, "failed"), { view: "failed" })
  assert.deepEqual(outcome.returnView({ type: "failed", status: 400 }, "failed"), { view: "failed" })
  assert.deepEqual(outcome.returnView({ type: "cart", errorType: "payment_authorization_error" }, "requires_payment_method"), { view: "failed" })
  assert.deepEqual(outcome.returnView({ type: "cart", errorType: null }, "canceled"), { view: "failed" })
})

test("the return URL's query: Stripe's redirect_status and our cart id, or nothing", () => {
  assert.equal(outcome.redirectStatusOf("succeeded"), "succeeded")
  assert.equal(outcome.redirectStatusOf(["failed", "succeeded"]), "failed")
  for (const v of [undefined, "", [], "<b>", "Succeeded", "a b"]) assert.equal(outcome.redirectStatusOf(v), null, String(v))
  assert.equal(outcome.cartIdOf("cart_01JABCDEF0123456789"), "cart_01JABCDEF0123456789")
  assert.equal(outcome.cartIdOf(["cart_1", "cart_2"]), "cart_1")
  for (const v of [undefined, "", "cart_", "order_01", "cart_01/../x", `cart_${"a".repeat(65)}`, "cart_1&x=y"]) assert.equal(outcome.cartIdOf(v), null, String(v))
})

test("the confirmation path stays on this site", () => {
  assert.equal(outcome.confirmationPath("cn", "order_01"), "/cn/order/order_01/confirmed")
  assert.equal(outcome.confirmationPath("//evil.example", "order_01"), "/us/order/order_01/confirmed")
  assert.equal(outcome.confirmationPath("us", "../admin"), "/us/order/..%2Fadmin/confirmed")
})

test("the processing view asks again a few times, sooner first", () => {
  const delays = [...outcome.RECHECK_DELAYS_MS]
  assert.ok(delays.length >= 1 && delays.length <= 5)
  assert.deepEqual([...delays].sort((a, b) => a - b), delays)
  assert.ok(delays.reduce((a, b) => a + b, 0) <= 60_000)
})

/**
 * The Stripe emulator of the test suite, driven through Medusa's own Stripe provider (`@medusajs/payment-stripe`)
 * and the SDK it ships with (its own nested `stripe`, v15), pointed at the emulator the way the project's provider
 * points it (host, port and protocol of the SDK). No Medusa application is started.
 */
import http from "http"
import { AddressInfo } from "net"
import StripeProviderService from "@medusajs/payment-stripe/dist/services/stripe-provider"
import { providerStripeSdk, StripeEmulator, StripeEvent, StripePaymentIntent } from "../helpers/stripe-emulator"

jest.setTimeout(30_000)

const API_KEY = "sk_test_emulator"
const WEBHOOK_SECRET = "whsec_emulator_secret"

const emulator = new StripeEmulator()

type SdkConstructor = new (key: string, config: typeof emulator.sdkConfig) => ProviderSdkInstance
type ProviderSdkInstance = ReturnType<typeof sdkOf>
const sdkOf = (provider: StripeProviderService) => provider["stripe_"]
/** A provider method's input. Tests pass only the fields the provider reads (Medusa's DTOs have many more). */
type InputOf<M extends "createAccountHolder" | "listPaymentMethods" | "savePaymentMethod" | "deletePaymentMethod" | "deleteAccountHolder"> =
  Parameters<StripeProviderService[M]>[0]

/**
 * An SDK of the version the provider uses, talking to the emulator. Built from the provider's own `stripe` package:
 * an SDK instance's `constructor` is not the SDK (its prototype is a plain object), so it cannot be cloned from it.
 */
function sdk(key = API_KEY): ProviderSdkInstance {
  const Sdk = providerStripeSdk<SdkConstructor>()
  return new Sdk(key, emulator.sdkConfig)
}

/** Medusa's card provider, its SDK swapped for one that talks to the emulator (what the project's subclass does). */
function providerFor(options: { capture?: boolean } = {}) {
  const provider = new StripeProviderService({}, { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, ...options })
  provider["stripe_"] = sdk()
  return provider
}

async function initiate(
  provider: StripeProviderService,
  sessionId: string,
  extra: { amount?: number; payment_method_types?: string[]; idempotency_key?: string } = {}
) {
  const { amount = 15, payment_method_types, idempotency_key = sessionId } = extra
  const result = await provider.initiatePayment({
    amount,
    currency_code: "usd",
    data: { session_id: sessionId, ...(payment_method_types ? { payment_method_types } : {}) },
    context: { idempotency_key },
  })
  return { ...result, pi: result.data as unknown as StripePaymentIntent }
}

const statusOf = async (provider: StripeProviderService, id: string) =>
  (await provider.authorizePayment({ data: { id }, context: {} })).status

async function webhookResult(provider: StripeProviderService, event: StripeEvent, options: Parameters<StripeEmulator["signedWebhook"]>[2] = {}, secret = WEBHOOK_SECRET) {
  const signed = emulator.signedWebhook(event, secret, options)
  return provider.getWebhookActionAndData({
    data: JSON.parse(signed.body) as Record<string, unknown>,
    rawData: Buffer.from(signed.body),
    headers: signed.headers,
  })
}

beforeAll(async () => {
  await emulator.start()
})

afterAll(async () => {
  await emulator.stop()
})

beforeEach(() => {
  emulator.reset()
})

describe("Stripe emulator through Medusa's Stripe provider", () => {
  it("uses the SDK the provider ships with (v15), not the hoisted one", () => {
    expect(providerStripeSdk<{ PACKAGE_VERSION: string }>().PACKAGE_VERSION).toMatch(/^15\./)
    const original = new StripeProviderService({}, { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET })["stripe_"]
    expect(original).toBeInstanceOf(providerStripeSdk<SdkConstructor>())
    expect(original.constructor).toBe(Object)
    expect(emulator.apiBaseUrl).toBe(`http://127.0.0.1:${emulator.port}`)
  })

  it("initiatePayment creates a payment intent with the session id and the capture method", async () => {
    const manual = await initiate(providerFor(), "payses_manual")
    expect(manual.id).toMatch(/^pi_/)
    expect(manual.status).toBe("pending")
    const [call] = emulator.callsTo("/v1/payment_intents", "POST")
    expect(call).toEqual({
      method: "POST",
      path: "/v1/payment_intents",
      params: {
        amount: "1500",
        currency: "usd",
        metadata: { session_id: "payses_manual" },
        capture_method: "manual",
        expand: ["payment_method"],
      },
      idempotency_key: "payses_manual",
      status: 200,
      replayed: false,
    })
    expect(emulator.paymentIntent(manual.id)).toMatchObject({
      amount: 1500,
      currency: "usd",
      capture_method: "manual",
      metadata: { session_id: "payses_manual" },
      status: "requires_payment_method",
      // automatic payment methods, of which only cards can be captured manually
      automatic_payment_methods: { enabled: true, allow_redirects: "always" },
      payment_method_types: ["card"],
    })
    expect(manual.pi.client_secret).toMatch(new RegExp(`^${manual.id}_secret_`))

    const automatic = await initiate(providerFor({ capture: true }), "payses_auto")
    expect(emulator.callsTo("/v1/payment_intents", "POST")[1].params.capture_method).toBe("automatic")
    expect(emulator.paymentIntent(automatic.id)).toMatchObject({
      capture_method: "automatic",
      payment_method_types: ["card", "alipay", "wechat_pay"],
    })
    expect(emulator.eventsFor(automatic.id).map((e) => e.type)).toEqual(["payment_intent.created"])
  })

  it("refuses Alipay with manual capture, as Stripe does", async () => {
    await expect(initiate(providerFor(), "payses_alipay_manual", { payment_method_types: ["alipay"] })).rejects.toThrow(
      /do not support capture_method manual: alipay/
    )
    expect(emulator.callsTo("/v1/payment_intents")[0].status).toBe(400)
    expect(emulator.paymentIntentList()).toEqual([])
  })

  it("authorizePayment: a card with manual capture is authorized, with automatic capture captured", async () => {
    const manualProvider = providerFor()
    const manual = await initiate(manualProvider, "payses_1")
    const events = emulator.pay(manual.id, { method: "card", risk: { risk_level: "elevated", risk_score: 71 }, fingerprint: "fp_same_card" })
    expect(events.map((e) => e.type)).toEqual(["payment_intent.amount_capturable_updated", "charge.succeeded"])
    expect(await statusOf(manualProvider, manual.id)).toBe("authorized")
    const charge = emulator.chargeOf(manual.id)
    expect(charge).toMatchObject({
      amount: 1500,
      captured: false,
      status: "succeeded",
      payment_intent: manual.id,
      outcome: { risk_level: "elevated", risk_score: 71, network_status: "approved_by_network", type: "authorized" },
      payment_method_details: { type: "card", card: { fingerprint: "fp_same_card" } },
    })
    const retrieval = emulator.callsTo(`/v1/payment_intents/${manual.id}`, "GET")
    expect(retrieval.map((c) => c.params)).toEqual([{ expand: ["payment_method"] }])

    const autoProvider = providerFor({ capture: true })
    const automatic = await initiate(autoProvider, "payses_2")
    const autoEvents = emulator.pay(automatic.id, { method: "card" })
    expect(autoEvents.map((e) => e.type)).toEqual(["payment_intent.succeeded", "charge.succeeded"])
    expect(await statusOf(autoProvider, automatic.id)).toBe("captured")
    expect(emulator.paymentIntent(automatic.id)).toMatchObject({ status: "succeeded", amount_received: 1500 })
  })

  it("authorizePayment: Alipay and WeChat Pay need the shopper's action, then are captured", async () => {
    const provider = providerFor({ capture: true })
    for (const method of ["alipay", "wechat_pay"] as const) {
      const { id } = await initiate(provider, `payses_${method}`, { payment_method_types: [method] })
      const [requiresAction] = emulator.pay(id, { method })
      expect(requiresAction.type).toBe("payment_intent.requires_action")
      const waiting = emulator.paymentIntent(id)
      expect(waiting.next_action?.type).toBe(method === "alipay" ? "alipay_handle_redirect" : "wechat_pay_display_qr_code")
      expect(await statusOf(provider, id)).toBe("requires_more")
      expect((await webhookResult(provider, requiresAction)).action).toBe("requires_more")

      const done = emulator.completeAction(id, { outcome: "succeeded" })
      expect(done.map((e) => e.type)).toEqual(["payment_intent.succeeded", "charge.succeeded"])
      expect(await statusOf(provider, id)).toBe("captured")
      expect(emulator.chargeOf(id)?.outcome).toEqual({
        network_status: "approved_by_network",
        reason: null,
        risk_level: "not_assessed",
        seller_message: "Payment complete.",
        type: "authorized",
      })
    }
  })

  it("a failed or abandoned payment leaves the intent requires_payment_method with last_payment_error", async () => {
    const provider = providerFor({ capture: true })
    const card = await initiate(provider, "payses_declined")
    const events = emulator.pay(card.id, { method: "card", outcome: "failed" })
    expect(events.map((e) => e.type)).toEqual(["payment_intent.payment_failed", "charge.failed"])
    expect(events[0].data.object).toMatchObject({
      status: "requires_payment_method",
      payment_method: null,
      last_payment_error: { type: "card_error", code: "card_declined", decline_code: "generic_decline" },
    })
    expect(await statusOf(provider, card.id)).toBe("error")
    expect((await webhookResult(provider, events[0])).action).toBe("failed")
    // the shopper tries again with another card
    emulator.pay(card.id, { method: "card" })
    expect(await statusOf(provider, card.id)).toBe("captured")

    const alipay = await initiate(provider, "payses_alipay_failed", { payment_method_types: ["alipay"] })
    emulator.pay(alipay.id, { method: "alipay" })
    const failed = emulator.completeAction(alipay.id, { outcome: "failed" })
    expect(failed.map((e) => e.type)).toEqual(["payment_intent.payment_failed"])
    expect(emulator.paymentIntent(alipay.id).last_payment_error?.code).toBe("payment_intent_payment_attempt_failed")

    const wechat = await initiate(provider, "payses_wechat_processing", { payment_method_types: ["wechat_pay"] })
    emulator.pay(wechat.id, { method: "wechat_pay" })
    expect(emulator.completeAction(wechat.id, { outcome: "processing" })[0].type).toBe("payment_intent.processing")
    expect(await statusOf(provider, wechat.id)).toBe("pending")
    expect(emulator.settle(wechat.id, "succeeded")[0].type).toBe("payment_intent.succeeded")
    expect(await statusOf(provider, wechat.id)).toBe("captured")
  })

  it("capturePayment captures, and a second capture is tolerated by the provider", async () => {
    const provider = providerFor()
    const { id } = await initiate(provider, "payses_capture")
    emulator.pay(id, { method: "card" })
    const first = await provider.capturePayment({ data: { id }, context: { idempotency_key: "capt_1" } })
    expect(first.data).toMatchObject({ id, status: "succeeded", amount_received: 1500, amount_capturable: 0 })
    expect(emulator.chargeOf(id)).toMatchObject({ captured: true, amount_captured: 1500 })
    expect(emulator.eventsFor(id).slice(-2).map((e) => e.type)).toEqual(["payment_intent.succeeded", "charge.captured"])

    const second = await provider.capturePayment({ data: { id }, context: { idempotency_key: "capt_2" } })
    expect(second.data).toMatchObject({ id, status: "succeeded" })
    const captures = emulator.callsTo(`/v1/payment_intents/${id}/capture`)
    expect(captures.map((c) => [c.idempotency_key, c.status])).toEqual([["capt_1", 200], ["capt_2", 400]])

    // the same key again is Stripe's replay of the first answer
    const replay = await provider.capturePayment({ data: { id }, context: { idempotency_key: "capt_1" } })
    expect(replay.data).toEqual(first.data)
    expect(emulator.callsTo(`/v1/payment_intents/${id}/capture`)[2]).toMatchObject({ status: 200, replayed: true })
  })

  it("a capture that fails makes the provider throw", async () => {
    const provider = providerFor()
    const declined = await initiate(provider, "payses_capture_declined")
    emulator.pay(declined.id, { method: "card" })
    emulator.failNextCapture(declined.id)
    await expect(provider.capturePayment({ data: { id: declined.id }, context: {} })).rejects.toThrow(/Your card was declined/)
    expect(emulator.paymentIntent(declined.id).status).toBe("requires_capture")
    expect(emulator.callsTo(`/v1/payment_intents/${declined.id}/capture`)[0].status).toBe(402)
    // only the next capture fails
    await expect(provider.capturePayment({ data: { id: declined.id }, context: {} })).resolves.toMatchObject({
      data: { status: "succeeded" },
    })

    const expired = await initiate(provider, "payses_capture_expired")
    emulator.pay(expired.id, { method: "card" })
    emulator.failNextCapture(expired.id, "expired")
    await expect(provider.capturePayment({ data: { id: expired.id }, context: {} })).rejects.toThrow(
      /could not be captured because it has a status of canceled/
    )
    expect(emulator.paymentIntent(expired.id)).toMatchObject({ status: "canceled", cancellation_reason: "automatic" })
    expect(emulator.eventsFor(expired.id).slice(-2).map((e) => e.type)).toEqual(["payment_intent.canceled", "charge.expired"])
  })

  it("refundPayment refunds, tolerates an already refunded charge and refuses an over-refund", async () => {
    const provider = providerFor({ capture: true })
    const { id } = await initiate(provider, "payses_refund")
    emulator.pay(id, { method: "card" })
    const data = emulator.paymentIntent(id) as unknown as Record<string, unknown>

    await provider.refundPayment({ amount: 5, data, context: { idempotency_key: "ref_1" } })
    const [refundCall] = emulator.callsTo("/v1/refunds", "POST")
    expect(refundCall.params).toEqual({ amount: "500", payment_intent: id })
    expect(emulator.refundsOf(id)).toMatchObject([{ amount: 500, status: "succeeded", payment_intent: id }])
    expect(emulator.chargeOf(id)).toMatchObject({ amount_refunded: 500, refunded: false })

    await expect(provider.refundPayment({ amount: 20, data, context: { idempotency_key: "ref_2" } })).rejects.toThrow(
      /Refund amount \(20\.00 usd\) is greater than unrefunded amount on charge \(10\.00 usd\)/
    )
    await provider.refundPayment({ amount: 10, data, context: { idempotency_key: "ref_3" } })
    expect(emulator.chargeOf(id)).toMatchObject({ amount_refunded: 1500, refunded: true })
    const refunded = emulator.eventsFor(id).filter((e) => e.type === "charge.refunded")
    expect(refunded.map((e) => e.data.object)).toMatchObject([{ amount_refunded: 500 }, { amount_refunded: 1500, refunded: true }])

    // charge_already_refunded is swallowed by the provider
    await expect(provider.refundPayment({ amount: 1, data, context: { idempotency_key: "ref_4" } })).resolves.toEqual({ data })
    expect(emulator.callsTo("/v1/refunds").map((c) => c.status)).toEqual([200, 400, 200, 400])
    expect(emulator.refundsOf(id)).toHaveLength(2)
  })

  it("cancelPayment cancels; an authorization is released; canceling twice is tolerated", async () => {
    const provider = providerFor()
    const pending = await initiate(provider, "payses_cancel_pending")
    const canceled = await provider.cancelPayment({ data: { id: pending.id }, context: { idempotency_key: "pay_1" } })
    expect(canceled.data).toMatchObject({ id: pending.id, status: "canceled" })
    const again = await provider.cancelPayment({ data: { id: pending.id }, context: { idempotency_key: "pay_1b" } })
    expect(again.data).toMatchObject({ id: pending.id, status: "canceled" })

    const authorized = await initiate(provider, "payses_cancel_authorized")
    emulator.pay(authorized.id, { method: "card" })
    await provider.cancelPayment({ data: { id: authorized.id }, context: {} })
    expect(emulator.eventsFor(authorized.id).slice(-2).map((e) => e.type)).toEqual(["payment_intent.canceled", "charge.refunded"])
    expect(emulator.chargeOf(authorized.id)).toMatchObject({ captured: false, amount_refunded: 1500, refunded: true })

    const captured = await initiate(providerFor({ capture: true }), "payses_cancel_captured")
    emulator.pay(captured.id, { method: "card" })
    await expect(provider.cancelPayment({ data: { id: captured.id }, context: {} })).rejects.toThrow(
      /You cannot cancel this PaymentIntent because it has a status of succeeded/
    )
  })

  it("getWebhookActionAndData reads signed events and rejects tampered, stale or wrongly signed ones", async () => {
    const provider = providerFor({ capture: true })
    const { id } = await initiate(provider, "payses_webhook", { amount: 12.5 })
    const [succeeded, chargeSucceeded] = emulator.pay(id, { method: "card" })
    expect(succeeded).toMatchObject({
      object: "event",
      type: "payment_intent.succeeded",
      livemode: false,
      api_version: "2024-04-10",
      data: { object: { id, object: "payment_intent", amount_received: 1250, metadata: { session_id: "payses_webhook" } } },
    })
    expect(succeeded.id).toMatch(/^evt_/)
    expect(Math.abs(succeeded.created - Date.now() / 1000)).toBeLessThan(5)
    expect(chargeSucceeded.data.object).toMatchObject({ object: "charge", payment_intent: id })

    expect(await webhookResult(provider, succeeded)).toEqual({
      action: "captured",
      data: { session_id: "payses_webhook", amount: 12.5 },
    })
    // a charge carries no session id of its own: not for the provider
    expect(await webhookResult(provider, chargeSucceeded)).toEqual({ action: "not_supported" })

    await expect(webhookResult(provider, succeeded, { tamper: true })).rejects.toThrow(/constructWebhookEvent/)
    await expect(
      webhookResult(provider, succeeded, { timestamp: Math.floor(Date.now() / 1000) - 600 })
    ).rejects.toThrow(/Timestamp outside the tolerance zone/)
    await expect(webhookResult(provider, succeeded, {}, "whsec_other")).rejects.toThrow(/No signatures found matching/)

    const manualProvider = providerFor()
    const manual = await initiate(manualProvider, "payses_webhook_manual")
    const [capturable] = emulator.pay(manual.id, { method: "card" })
    expect(await webhookResult(manualProvider, capturable)).toEqual({
      action: "authorized",
      data: { session_id: "payses_webhook_manual", amount: 15 },
    })
    const [canceledEvent] = emulator.cancel(manual.id)
    expect(await webhookResult(manualProvider, canceledEvent)).toEqual({
      action: "canceled",
      data: { session_id: "payses_webhook_manual", amount: 15 },
    })
  })

  it("deliver posts the exact signed bytes", async () => {
    const received: { body: string; headers: http.IncomingHttpHeaders }[] = []
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), headers: req.headers })
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ received: true }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/payment/stripe_stripe`
      const { id } = await initiate(providerFor({ capture: true }), "payses_deliver")
      const [event] = emulator.pay(id, { method: "card" })
      const answer = await emulator.deliver(url, event, WEBHOOK_SECRET)
      expect(answer).toEqual({ status: 200, body: { received: true }, text: '{"received":true}' })
      expect(received).toHaveLength(1)
      expect(received[0].body).toBe(JSON.stringify(event, null, 2))
      expect(received[0].headers["content-type"]).toBe("application/json")
      const verified = sdk().webhooks.constructEvent(
        received[0].body,
        received[0].headers["stripe-signature"] as string,
        WEBHOOK_SECRET
      )
      expect(verified.id).toBe(event.id)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it("an Idempotency-Key replays the stored answer; other parameters under the same key are refused", async () => {
    const provider = providerFor()
    const first = await initiate(provider, "payses_idem", { idempotency_key: "payses_idem" })
    const second = await initiate(provider, "payses_idem", { idempotency_key: "payses_idem" })
    expect(second.id).toBe(first.id)
    expect(emulator.paymentIntentList()).toHaveLength(1)
    expect(emulator.callsTo("/v1/payment_intents", "POST").map((c) => c.replayed)).toEqual([false, true])

    await expect(initiate(provider, "payses_idem", { amount: 16, idempotency_key: "payses_idem" })).rejects.toThrow(
      /Keys for idempotent requests can only be used with the same parameters/
    )
    expect(emulator.paymentIntentList()).toHaveLength(1)
  })

  it("answers in Stripe's error shape: unknown object, unknown route, bad key", async () => {
    const error = await sdk().paymentIntents.retrieve("pi_missing").catch((e: unknown) => e)
    expect(error).toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 404,
      code: "resource_missing",
      message: "No such payment_intent: 'pi_missing'",
    })

    const response = await fetch(`${emulator.apiBaseUrl}/v1/nothing_here`, { headers: { authorization: `Bearer ${API_KEY}` } })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({
      error: {
        type: "invalid_request_error",
        message:
          "Unrecognized request URL (GET: /v1/nothing_here). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
      },
    })

    await expect(sdk("pk_live_nope").paymentIntents.list()).rejects.toMatchObject({
      type: "StripeAuthenticationError",
      statusCode: 401,
    })

    await expect(sdk().paymentIntents.create({ amount: 100, currency: "usd", colour: "red" } as unknown as { amount: number; currency: string })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "parameter_unknown",
      param: "colour",
    })
  })

  it("expands payment_method and latest_charge, and serves refunds and charges by id", async () => {
    const provider = providerFor({ capture: true })
    const { id } = await initiate(provider, "payses_expand")
    emulator.pay(id, { method: "card", fingerprint: "fp_card_1" })
    const pi = await sdk().paymentIntents.retrieve(id, { expand: ["payment_method", "latest_charge"] })
    expect(emulator.calls.at(-1)?.params).toEqual({ expand: ["payment_method", "latest_charge"] })
    expect(typeof pi.payment_method).toBe("object")
    expect(pi.payment_method).toMatchObject({ object: "payment_method", type: "card", card: { fingerprint: "fp_card_1" } })
    expect(pi.latest_charge).toMatchObject({
      object: "charge",
      outcome: { risk_level: "normal", risk_score: 20 },
      payment_method_details: { card: { fingerprint: "fp_card_1" } },
    })
    const plain = await sdk().paymentIntents.retrieve(id)
    expect(plain.latest_charge).toBe(emulator.chargeOf(id)?.id)

    const [refunded, refundCreated] = emulator.refundFromDashboard(id, 300)
    expect(refunded).toMatchObject({
      type: "charge.refunded",
      request: { id: null, idempotency_key: null },
      data: { object: { object: "charge", amount_refunded: 300, refunded: false, payment_intent: id } },
    })
    expect(refundCreated.type).toBe("refund.created")
    const refund = await sdk().refunds.retrieve(refundCreated.data.object.id)
    expect(refund).toMatchObject({ amount: 300, payment_intent: id, status: "succeeded" })
    const charges = await sdk().charges.list({ payment_intent: id })
    expect(charges.data.map((c) => c.id)).toEqual([emulator.chargeOf(id)?.id])
  })

  it("disputes: opened and closed, as charge.dispute.* events", async () => {
    const provider = providerFor({ capture: true })
    const { id } = await initiate(provider, "payses_dispute")
    emulator.pay(id, { method: "card" })
    const [created] = emulator.openDispute(id, { reason: "fraudulent" })
    const chargeId = emulator.chargeOf(id)?.id
    expect(created).toMatchObject({
      type: "charge.dispute.created",
      data: { object: { object: "dispute", charge: chargeId, payment_intent: id, amount: 1500, currency: "usd", reason: "fraudulent", status: "needs_response" } },
    })
    expect(created.data.object.id).toMatch(/^dp_/)
    expect(emulator.chargeOf(id)?.disputed).toBe(true)
    const [closed] = emulator.closeDispute(created.data.object.id, "lost")
    expect(closed).toMatchObject({ type: "charge.dispute.closed", data: { object: { id: created.data.object.id, status: "lost" } } })
    expect(() => emulator.closeDispute(created.data.object.id, "won")).toThrow(/already lost/)
    expect(await webhookResult(provider, closed)).toEqual({ action: "not_supported" })
  })

  it("customers and payment methods: account holders, saved methods, setup intents", async () => {
    const provider = providerFor()
    const holder = await provider.createAccountHolder({
      context: {
        customer: { id: "cus_medusa_1", email: "buyer@example.com", first_name: "Ada", last_name: "Lovelace", phone: null, company_name: null },
        idempotency_key: "cus_medusa_1",
      },
    } as unknown as InputOf<"createAccountHolder">)
    expect(holder.id).toMatch(/^cus_/)
    expect(emulator.customer(holder.id)).toMatchObject({ email: "buyer@example.com", name: "Ada Lovelace" })
    const accountHolder = { data: { id: holder.id } }

    const pm = emulator.createPaymentMethod({ type: "card", customer: holder.id, fingerprint: "fp_saved" })
    const methods = await provider.listPaymentMethods({ context: { account_holder: accountHolder } } as unknown as InputOf<"listPaymentMethods">)
    expect(methods.map((m) => m.id)).toEqual([pm.id])
    expect(emulator.callsTo(`/v1/customers/${holder.id}/payment_methods`)[0].params).toEqual({ limit: "100" })

    const saved = await provider.savePaymentMethod({ context: { account_holder: accountHolder }, data: {} } as unknown as InputOf<"savePaymentMethod">)
    expect(saved.id).toMatch(/^seti_/)
    await provider.deletePaymentMethod({ data: { id: pm.id }, context: {} } as unknown as InputOf<"deletePaymentMethod">)
    expect(emulator.paymentMethod(pm.id).customer).toBeNull()

    await provider.deleteAccountHolder({ context: { account_holder: accountHolder } } as unknown as InputOf<"deleteAccountHolder">)
    expect(emulator.customer(holder.id)).toBeNull()
    expect(await sdk().customers.retrieve(holder.id)).toMatchObject({ id: holder.id, deleted: true })
  })

  it("server-side confirmation with Stripe's test cards; injected request failures", async () => {
    const stripe = sdk()
    const declined = await stripe.paymentIntents
      .create({ amount: 2000, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true, payment_method_types: ["card"] })
      .catch((e: unknown) => e)
    expect(declined).toMatchObject({
      type: "StripeCardError",
      statusCode: 402,
      code: "card_declined",
      payment_intent: { status: "requires_payment_method", last_payment_error: { code: "card_declined" } },
    })
    const ok = await stripe.paymentIntents.create({
      amount: 2000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      capture_method: "manual",
      payment_method_types: ["card"],
    })
    expect(ok.status).toBe("requires_capture")

    // a 500 is retried once by the SDK: two failures make the call fail with StripeAPIError
    emulator.failNextRequest({ method: "POST", path: "/v1/payment_intents" }, { status: 500, type: "api_error", message: "boom" }, 2)
    await expect(stripe.paymentIntents.create({ amount: 100, currency: "usd" })).rejects.toMatchObject({ type: "StripeAPIError" })
    const provider = providerFor()
    emulator.failNextRequest({ path: "/v1/payment_intents" }, { status: 500, type: "api_error" }, 2)
    // Medusa's provider treats an API error as indeterminate (relies on webhooks) instead of failing
    const indeterminate = await provider.initiatePayment({ amount: 1, currency_code: "usd", data: { session_id: "payses_down" }, context: {} })
    expect(indeterminate).toMatchObject({ id: "payses_down", data: { indeterminate_due_to: "stripe_api_error" } })
  })
})

import { MedusaService } from "@medusajs/framework/utils"
import { PaymentFinding, PaymentHold, PaymentWebhookEvent } from "./models"
import type { ResolvedPaymentReconciliationOptions } from "./utils/options"
import type StripeApiService from "./services/stripe-api"
import type WebhookInboxService from "./services/webhook-inbox"
import type FindingsService from "./services/findings"
import type CheckoutHoldsService from "./services/checkout-holds"

export type { PaymentIntentReadBack } from "./services/stripe-api"
export type { PaymentFindingKind, RecordFindingInput } from "./services/findings"
export type { HeldCart } from "./services/checkout-holds"
export type { SummarizedPaymentEvent, PaymentEventSummary } from "./utils/event-summary"

type PaymentReconciliationDeps = {
  stripeApiService: StripeApiService
  webhookInboxService: WebhookInboxService
  findingsService: FindingsService
  checkoutHoldsService: CheckoutHoldsService
  paymentReconciliationOptions: ResolvedPaymentReconciliationOptions
}

/**
 * Payment reconciliation: the verified webhook inbox, the findings, the holds on carts paid asynchronously, and
 * Stripe read back. Medusa's generated methods for its models (listPaymentFindings, …) plus a facade over the
 * internal services in ./services. It never moves money: captures and refunds are Medusa's payment module's.
 */
class PaymentReconciliationModuleService extends MedusaService({ PaymentWebhookEvent, PaymentFinding, PaymentHold }) {
  protected readonly stripe_: StripeApiService
  protected readonly inbox_: WebhookInboxService
  protected readonly findings_: FindingsService
  protected readonly holds_: CheckoutHoldsService
  protected readonly options_: ResolvedPaymentReconciliationOptions

  constructor(container: PaymentReconciliationDeps) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.stripe_ = container.stripeApiService
    this.inbox_ = container.webhookInboxService
    this.findings_ = container.findingsService
    this.holds_ = container.checkoutHoldsService
    this.options_ = container.paymentReconciliationOptions
  }

  /** The module's options without its secrets. */
  getOptions(): Omit<ResolvedPaymentReconciliationOptions, "api_key" | "webhook_secret"> & { webhooks: boolean; read_back: boolean } {
    const { api_key: _k, webhook_secret: _s, ...rest } = this.options_
    return { ...rest, webhooks: this.stripe_.verifiesWebhooks(), read_back: this.stripe_.readsBack() }
  }

  // Stripe (StripeApiService, services/stripe-api.ts)

  verifiesWebhooks(): boolean {
    return this.stripe_.verifiesWebhooks()
  }

  readsBack(): boolean {
    return this.stripe_.readsBack()
  }

  verifyWebhook(...args: Parameters<StripeApiService["verifyWebhook"]>): ReturnType<StripeApiService["verifyWebhook"]> {
    return this.stripe_.verifyWebhook(...args)
  }

  retrievePaymentIntent(...args: Parameters<StripeApiService["retrievePaymentIntent"]>): ReturnType<StripeApiService["retrievePaymentIntent"]> {
    return this.stripe_.retrievePaymentIntent(...args)
  }

  // The webhook inbox (WebhookInboxService, services/webhook-inbox.ts)

  recordEvent(...args: Parameters<WebhookInboxService["recordEvent"]>): ReturnType<WebhookInboxService["recordEvent"]> {
    return this.inbox_.recordEvent(...args)
  }

  markEvent(...args: Parameters<WebhookInboxService["markEvent"]>): ReturnType<WebhookInboxService["markEvent"]> {
    return this.inbox_.markEvent(...args)
  }

  listEventsToProcess(...args: Parameters<WebhookInboxService["listEventsToProcess"]>): ReturnType<WebhookInboxService["listEventsToProcess"]> {
    return this.inbox_.listEventsToProcess(...args)
  }

  listUnsettledPayments(...args: Parameters<WebhookInboxService["listUnsettledPayments"]>): ReturnType<WebhookInboxService["listUnsettledPayments"]> {
    return this.inbox_.listUnsettledPayments(...args)
  }

  settlePayment(...args: Parameters<WebhookInboxService["settlePayment"]>): ReturnType<WebhookInboxService["settlePayment"]> {
    return this.inbox_.settlePayment(...args)
  }

  sessionOfPaymentIntent(...args: Parameters<WebhookInboxService["sessionOfPaymentIntent"]>): ReturnType<WebhookInboxService["sessionOfPaymentIntent"]> {
    return this.inbox_.sessionOfPaymentIntent(...args)
  }

  // Findings (FindingsService, services/findings.ts)

  recordFinding(...args: Parameters<FindingsService["recordFinding"]>): ReturnType<FindingsService["recordFinding"]> {
    return this.findings_.recordFinding(...args)
  }

  resolveFinding(...args: Parameters<FindingsService["resolveFinding"]>): ReturnType<FindingsService["resolveFinding"]> {
    return this.findings_.resolveFinding(...args)
  }

  // Holds for asynchronous payments (CheckoutHoldsService, services/checkout-holds.ts)

  holdCart(...args: Parameters<CheckoutHoldsService["holdCart"]>): ReturnType<CheckoutHoldsService["holdCart"]> {
    return this.holds_.holdCart(...args)
  }

  closeHold(...args: Parameters<CheckoutHoldsService["closeHold"]>): ReturnType<CheckoutHoldsService["closeHold"]> {
    return this.holds_.closeHold(...args)
  }

  heldCartIds(...args: Parameters<CheckoutHoldsService["heldCartIds"]>): ReturnType<CheckoutHoldsService["heldCartIds"]> {
    return this.holds_.heldCartIds(...args)
  }

  listActiveHolds(...args: Parameters<CheckoutHoldsService["listActiveHolds"]>): ReturnType<CheckoutHoldsService["listActiveHolds"]> {
    return this.holds_.listActiveHolds(...args)
  }
}

export default PaymentReconciliationModuleService

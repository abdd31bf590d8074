import type { T } from "@lib/i18n"

/** The texts of a payment's outcome (being processed, failed), in the page's language. */
export const outcomeLabels = (t: T) => ({
  confirming: t("payment.confirming"),
  processingTitle: t("payment.processing.title"),
  processingText: t("payment.processing.text"),
  lookupText: t("payment.processing.lookup"),
  lookupLink: t("nav.lookup"),
  checkAgain: t("payment.checkAgain"),
  failedTitle: t("payment.failed.title"),
  failedText: t("payment.failed.text"),
  retry: t("payment.failed.retry"),
})

export type OutcomeLabels = ReturnType<typeof outcomeLabels>

/** The texts of the Stripe checkout (method, Payment Element, pay), in the page's language. */
export const stripeCheckoutLabels = (t: T, amount: string) => ({
  email: t("checkout.email"),
  method: t("checkout.method"),
  methods: { card: t("checkout.method.card"), alipay: t("checkout.method.alipay"), wechat_pay: t("checkout.method.wechat_pay") },
  continue: t("checkout.continue"),
  change: t("checkout.change"),
  note: t("checkout.stripeNote"),
  loading: t("checkout.loadingPayment"),
  unavailable: t("checkout.paymentUnavailable"),
  pay: t("checkout.pay", { amount }),
  paying: t("checkout.paying"),
  generic: t("error.generic"),
  outcome: outcomeLabels(t),
})

export type StripeCheckoutLabels = ReturnType<typeof stripeCheckoutLabels>

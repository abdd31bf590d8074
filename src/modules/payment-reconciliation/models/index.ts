export { PaymentWebhookEvent } from "./payment-webhook-event"
export { PaymentFinding } from "./payment-finding"
export { PaymentHold } from "./payment-hold"

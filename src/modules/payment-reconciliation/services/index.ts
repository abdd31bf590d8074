export { default as StripeApiService } from "./stripe-api"
export { default as WebhookInboxService } from "./webhook-inbox"
export { default as FindingsService } from "./findings"
export { default as CheckoutHoldsService } from "./checkout-holds"

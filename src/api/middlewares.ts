import { authenticate, defineMiddlewares, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import {
  AdminCreateCardPool,
  AdminGetCardAlertsParams,
  AdminReissueCardCode,
  AdminUpdateCardPool,
  AdminGenerateCardCodes,
  AdminGetImportErrorsParams,
  AdminImportCardFile,
  AdminGetCardAuditLogsParams,
  AdminGetCardBatchesParams,
  AdminGetCardCodesParams,
  AdminGetCardDeliveriesParams,
  AdminGetCardPoolsParams,
  AdminImportCardCodes,
  AdminLinkCardPoolVariant,
  AdminRevealCardCode,
  AdminSearchCardCodes,
  AdminResendDelivery,
  AdminGetSalesReportParams,
  AdminCreateAgent,
  AdminTopUpAgent,
  AdminCreateAgentApiKey,
  AdminGetAgentLedgerParams,
  AdminGetAgentStatementParams,
  AdminSetAgentQuota,
  AdminAdjustAgent,
  AdminUpdateAgent,
  AdminSetAgentWebhook,
  AdminGetWebhookDeliveriesParams,
  AdminCreateRiskRule,
  AdminUpdateRiskRule,
  AdminGetRiskDecisionsParams,
  AdminApproveRiskReview,
  AdminRejectRiskReview,
  AdminGetPaymentFindingsParams,
  AdminGetPaymentEventsParams,
  AdminResolvePaymentFinding,
} from "./admin/virtual-goods/validators"
import { verifyAndRecordStripeWebhook } from "./hooks/stripe-webhook"
import { authenticateAgentKey } from "./wholesale/helpers"
import { requireSignedRequest } from "./wholesale/signed-requests"
import { dujiaoUpstreamMiddlewares } from "./wholesale/dujiao/middlewares"
import { guardPriceListCreate, guardPriceListPrices } from "./utils/price-floor"
import { rateLimit, rateLimitActor } from "./utils/rate-limit"
import { recordRiskClient } from "./utils/risk-client"
import { WholesaleCreateOrder, WholesaleListOrdersParams, WholesaleRevealOrderCodes } from "./wholesale/validators"
import { uploadImportFile } from "./admin/virtual-goods/upload"
import {
  ListVoucherRedemptionsParams,
  RedeemVoucherBody,
  RollbackRedemptionBody,
  SetVoucherProgramBody,
  VoucherCodeBody,
  VoucherReportParams,
  SetCounterAccountBody,
} from "./admin/virtual-goods/vouchers/validators"
import { restrictCounterAccounts } from "./utils/counter-accounts"
import { RefundBundleComponentBody, SetCardBundleBody } from "./admin/virtual-goods/bundles/validators"
import { ListAuditCheckpointsParams } from "./admin/virtual-goods/audit-checkpoints/validators"
import { AdminGetJobTickSummaryParams, AdminGetJobTicksParams } from "./admin/virtual-goods/job-ticks/validators"
import { AddSharedCodesBody, ListSharedCodesParams, WithdrawSharedCodeBody } from "./admin/virtual-goods/shared-codes/validators"
import { CreateCodeCampaignBody, ListCampaignGrantsParams, UpdateCodeCampaignBody } from "./admin/virtual-goods/campaigns/validators"
import {
  AdminCreateSupplier,
  AdminCreateSupplierProduct,
  AdminUpdateSupplierProduct,
  AdminGetSupplierOrdersParams,
  AdminResolveSupplierOrder,
  AdminUpdateSupplier,
  AdminGetSupplierFindingsParams,
  AdminResolveSupplierFinding,
  AdminGetSupplierReportParams,
} from "./admin/virtual-goods/suppliers/validators"
import {
  StoreCreateReceipt,
  StoreGetVirtualStockParams,
  StoreReceipt,
  StoreRequestOrderLink,
  StoreRevealCardCode,
  StoreRevealLinkToken,
  StoreGetTopUpFieldsParams,
  StoreSetRecipient,
  StoreGetPickableCodesParams,
  StorePickCardCode,
} from "./store/virtual-goods/validators"
import { StoreGetCartsCart } from "@medusajs/medusa/api/store/carts/validators"
import { retrieveTransformQueryConfig as storeCartQueryConfig } from "@medusajs/medusa/api/store/carts/query-config"

/** Runs a wholesale middleware except on the dujiao-next compatible routes, which authenticate by signature. */
function unlessDujiao(middleware: (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => unknown) {
  return (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) =>
    (req.originalUrl ?? req.url).startsWith("/wholesale/dujiao/") ? next() : middleware(req, res, next)
}

const queryConfig = { isList: true, defaults: [] as string[] }

/**
 * Every route of the plugin declares who may call it:
 * - /admin/virtual-goods/*: an admin user (session, bearer token or secret API key);
 * - /store/virtual-goods/orders/*: a logged-in customer (their own orders only);
 * - /store/virtual-goods/gifts*: a logged-in customer (the codes campaigns gave them only);
 * - /store/virtual-goods/reveal-links/*: public with a publishable key; the guest link token is the credential;
 * - /store/virtual-goods/stock: public with a publishable key (stock of virtual variants, nothing secret);
 * - /wholesale/*: an agent's API key (Authorization: Bearer vgk_…), checked on every request;
 * - /store/virtual-goods/carts/:id/payment-hold: public with a publishable key (the cart id is the shopper's);
 * - /store/virtual-goods/variants/:id/picks, /store/virtual-goods/carts/:id/picks: public with a publishable key
 *   (buyer's choice: labels only, never codes; a pick reserves one code for the shopper's cart);
 * - /hooks/payment/stripe*: Stripe's signature over the raw body, checked before Medusa queues the event.
 * Every public or token-based surface is rate limited per client IP, per actor and by a global failure budget
 * (see rate-limit.ts); the limiter runs before the credential is checked where guessing it is the threat. A spent
 * global budget turns failure answers into 429 but lets valid credentials through; a wholesale key's own allowance
 * is counted after the key is checked (rateLimitActor), so wrong secrets cannot spend it.
 */
export const ADMIN_AUTH = authenticate("user", ["session", "bearer", "api-key"])
export const CUSTOMER_AUTH = authenticate("customer", ["session", "bearer"])

export default defineMiddlewares({
  routes: [
    { matcher: "/admin/virtual-goods*", middlewares: [ADMIN_AUTH] },
    { matcher: "/store/virtual-goods/orders*", middlewares: [CUSTOMER_AUTH, rateLimit("order_lookup")] },
    { matcher: "/store/virtual-goods/orders/:id/codes/:code_id/reveal", method: ["POST"], middlewares: [rateLimit("reveal")] },
    { matcher: "/store/virtual-goods/gifts*", middlewares: [CUSTOMER_AUTH, rateLimit("order_lookup")] },
    { matcher: "/store/virtual-goods/gifts/:id/codes/:code_id/reveal", method: ["POST"], middlewares: [rateLimit("reveal"), validateAndTransformBody(StoreRevealCardCode)] },
    { matcher: "/store/virtual-goods/reveal-links*", middlewares: [rateLimit("guest_link")] },
    { matcher: "/store/virtual-goods/receipts*", middlewares: [rateLimit("guest_link")] },
    { matcher: "/store/virtual-goods/carts/:id/receipt", method: ["POST"], middlewares: [rateLimit("guest_link"), validateAndTransformBody(StoreCreateReceipt)] },
    { matcher: "/store/virtual-goods/receipts/lookup", method: ["POST"], middlewares: [validateAndTransformBody(StoreReceipt)] },
    { matcher: "/store/virtual-goods/receipts/reveal", method: ["POST"], middlewares: [validateAndTransformBody(StoreReceipt)] },
    { matcher: "/store/virtual-goods/order-status/:id", method: ["GET"], middlewares: [rateLimit("order_status")] },
    {
      matcher: "/store/virtual-goods/order-lookup",
      method: ["POST"],
      middlewares: [rateLimit("guest_order_lookup"), validateAndTransformBody(StoreRequestOrderLink)],
    },
    {
      matcher: "/store/virtual-goods/stock",
      method: ["GET"],
      middlewares: [rateLimit("stock"), validateAndTransformQuery(StoreGetVirtualStockParams, { isList: false, defaults: [] as string[] })],
    },
    // The dujiao-next compatible routes (/wholesale/dujiao/…) sign every request instead (their own middlewares below).
    { matcher: "/wholesale*", middlewares: [rateLimit("wholesale"), unlessDujiao(authenticateAgentKey), unlessDujiao(rateLimitActor("wholesale"))] },
    { matcher: "/admin/virtual-goods/codes/search", method: ["POST"], middlewares: [rateLimit("code_lookup")] },
    // Counter accounts may validate and redeem vouchers and nothing else (every admin route).
    { matcher: "/admin*", middlewares: [restrictCounterAccounts] },
    { matcher: "/admin/virtual-goods/counter-accounts", method: ["POST"], middlewares: [validateAndTransformBody(SetCounterAccountBody)] },
    // Vouchers (核销): counters and partners, one surface (a partner's key is checked by the /wholesale* entry above).
    { matcher: "/admin/virtual-goods/vouchers/validate", method: ["POST"], middlewares: [rateLimit("vouchers"), validateAndTransformBody(VoucherCodeBody)] },
    { matcher: "/admin/virtual-goods/vouchers/redeem", method: ["POST"], middlewares: [rateLimit("vouchers"), validateAndTransformBody(RedeemVoucherBody)] },
    { matcher: "/admin/virtual-goods/voucher-redemptions/:id/rollback", method: ["POST"], middlewares: [validateAndTransformBody(RollbackRedemptionBody)] },
    { matcher: "/admin/virtual-goods/voucher-redemptions", method: ["GET"], middlewares: [validateAndTransformQuery(ListVoucherRedemptionsParams, { isList: true, defaults: [] as string[] })] },
    { matcher: "/admin/virtual-goods/vouchers/report", method: ["GET"], middlewares: [validateAndTransformQuery(VoucherReportParams, { isList: false, defaults: [] as string[] })] },
    { matcher: "/admin/virtual-goods/pools/:id/voucher-program", method: ["POST"], middlewares: [validateAndTransformBody(SetVoucherProgramBody)] },
    { matcher: "/admin/virtual-goods/variants/:id/bundle", method: ["POST"], middlewares: [validateAndTransformBody(SetCardBundleBody)] },
    { matcher: "/admin/virtual-goods/audit-checkpoints", method: ["GET"], middlewares: [validateAndTransformQuery(ListAuditCheckpointsParams, { isList: false, defaults: [] as string[] })] },
    // The scheduled jobs' tick ledger.
    { matcher: "/admin/virtual-goods/job-ticks", method: ["GET"], middlewares: [validateAndTransformQuery(AdminGetJobTicksParams, queryConfig)] },
    {
      matcher: "/admin/virtual-goods/job-ticks/summary",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetJobTickSummaryParams, { isList: false, defaults: [] as string[] })],
    },
    { matcher: "/admin/virtual-goods/pools/:id/shared-codes", method: ["GET"], middlewares: [validateAndTransformQuery(ListSharedCodesParams, { isList: true, defaults: [] as string[] })] },
    { matcher: "/admin/virtual-goods/pools/:id/shared-codes", method: ["POST"], bodyParser: { sizeLimit: "2mb" }, middlewares: [validateAndTransformBody(AddSharedCodesBody)] },
    { matcher: "/admin/virtual-goods/pools/:id/shared-codes/:shared_id/withdraw", method: ["POST"], middlewares: [validateAndTransformBody(WithdrawSharedCodeBody)] },
    { matcher: "/admin/virtual-goods/orders/:id/bundle-refunds", method: ["POST"], middlewares: [validateAndTransformBody(RefundBundleComponentBody)] },
    { matcher: "/admin/virtual-goods/campaigns", method: ["POST"], middlewares: [validateAndTransformBody(CreateCodeCampaignBody)] },
    { matcher: "/admin/virtual-goods/campaigns/:id", method: ["POST"], middlewares: [validateAndTransformBody(UpdateCodeCampaignBody)] },
    { matcher: "/admin/virtual-goods/campaigns/:id/grants", method: ["GET"], middlewares: [validateAndTransformQuery(ListCampaignGrantsParams, { isList: true, defaults: [] as string[] })] },
    // Partners' redemption API: signed requests (the raw body kept for the signature), checked before the body is read.
    { matcher: "/wholesale/vouchers*", bodyParser: { preserveRawBody: true }, middlewares: [requireSignedRequest] },
    { matcher: "/wholesale/vouchers/validate", method: ["POST"], middlewares: [rateLimit("vouchers"), validateAndTransformBody(VoucherCodeBody)] },
    { matcher: "/wholesale/vouchers/redeem", method: ["POST"], middlewares: [rateLimit("vouchers"), validateAndTransformBody(RedeemVoucherBody)] },
    { matcher: "/wholesale/vouchers/redemptions/:id/rollback", method: ["POST"], middlewares: [validateAndTransformBody(RollbackRedemptionBody)] },
    { matcher: "/admin/virtual-goods/codes/:id/reveal", method: ["POST"], middlewares: [rateLimit("code_lookup")] },
    { matcher: "/store/virtual-goods/carts/:id/payment-hold", method: ["POST"], middlewares: [rateLimit("payment_hold")] },
    // The dujiao-next upstream protocol on agents' keys: raw body kept, signature checked, the key's rate limit.
    ...dujiaoUpstreamMiddlewares,
    // Suppliers and top-ups (直充).
    { matcher: "/admin/virtual-goods/suppliers", method: ["POST"], middlewares: [validateAndTransformBody(AdminCreateSupplier)] },
    { matcher: "/admin/virtual-goods/suppliers/:id", method: ["POST"], middlewares: [validateAndTransformBody(AdminUpdateSupplier)] },
    { matcher: "/admin/virtual-goods/suppliers/:id/products", method: ["POST"], middlewares: [validateAndTransformBody(AdminCreateSupplierProduct)] },
    { matcher: "/admin/virtual-goods/suppliers/:id/products/:product_id", method: ["POST"], middlewares: [validateAndTransformBody(AdminUpdateSupplierProduct)] },
    { matcher: "/admin/virtual-goods/supplier-orders", method: ["GET"], middlewares: [validateAndTransformQuery(AdminGetSupplierOrdersParams, queryConfig)] },
    { matcher: "/admin/virtual-goods/supplier-orders/:id/resolve", method: ["POST"], middlewares: [validateAndTransformBody(AdminResolveSupplierOrder)] },
    { matcher: "/admin/virtual-goods/supplier-findings", method: ["GET"], middlewares: [validateAndTransformQuery(AdminGetSupplierFindingsParams, queryConfig)] },
    { matcher: "/admin/virtual-goods/supplier-findings/:id/resolve", method: ["POST"], middlewares: [validateAndTransformBody(AdminResolveSupplierFinding)] },
    {
      matcher: "/admin/virtual-goods/suppliers/report",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetSupplierReportParams, { isList: false, defaults: [] as string[] })],
    },
    {
      matcher: "/store/virtual-goods/carts/:id/line-items/:line_id/recipient",
      method: ["POST"],
      middlewares: [rateLimit("payment_hold"), validateAndTransformBody(StoreSetRecipient)],
    },
    // Buyer's choice (自选卡密): the list a shopper picks from, and the pick (answered with the cart, like Medusa's routes).
    {
      matcher: "/store/virtual-goods/variants/:id/picks",
      method: ["GET"],
      middlewares: [rateLimit("stock"), validateAndTransformQuery(StoreGetPickableCodesParams, { isList: false, defaults: [] as string[] })],
    },
    {
      matcher: "/store/virtual-goods/carts/:id/picks",
      method: ["POST"],
      middlewares: [rateLimit("payment_hold"), validateAndTransformBody(StorePickCardCode), validateAndTransformQuery(StoreGetCartsCart, storeCartQueryConfig)],
    },
    {
      matcher: "/store/virtual-goods/topup-fields",
      method: ["GET"],
      middlewares: [rateLimit("stock"), validateAndTransformQuery(StoreGetTopUpFieldsParams, { isList: false, defaults: [] as string[] })],
    },
    // Suppliers' callbacks: public, verified by each supplier's signature over the raw body.
    { matcher: "/suppliers/callbacks/:id", method: ["POST"], bodyParser: { preserveRawBody: true }, middlewares: [rateLimit("wholesale")] },
    // Stripe's webhooks: verified and recorded before Medusa's handler queues them (raw body kept for the signature).
    {
      matcher: "/hooks/payment/:provider",
      method: ["POST"],
      bodyParser: { preserveRawBody: true },
      middlewares: [verifyAndRecordStripeWebhook],
    },
    {
      matcher: "/admin/virtual-goods/payments/findings",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetPaymentFindingsParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/payments/events",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetPaymentEventsParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/payments/findings/:id/resolve",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminResolvePaymentFinding)],
    },
    // Who completes a cart (client IP, device id): facts for the risk rules.
    { matcher: "/store/carts/:id/complete", method: ["POST"], middlewares: [recordRiskClient] },
    // The price floor on Medusa's price-list routes (after the admin is authenticated).
    { matcher: "/admin/price-lists", method: ["POST"], middlewares: [ADMIN_AUTH, guardPriceListCreate] },
    { matcher: "/admin/price-lists/:id/prices/batch", method: ["POST"], middlewares: [ADMIN_AUTH, guardPriceListPrices] },
    { matcher: "/wholesale/orders", method: ["POST"], middlewares: [validateAndTransformBody(WholesaleCreateOrder)] },
    { matcher: "/wholesale/orders", method: ["GET"], middlewares: [validateAndTransformQuery(WholesaleListOrdersParams, queryConfig)] },
    { matcher: "/wholesale/orders/:id/codes", method: ["POST"], middlewares: [validateAndTransformBody(WholesaleRevealOrderCodes)] },
    { matcher: "/admin/virtual-goods/agents", method: ["POST"], middlewares: [validateAndTransformBody(AdminCreateAgent)] },
    { matcher: "/admin/virtual-goods/agents/:id", method: ["POST"], middlewares: [validateAndTransformBody(AdminUpdateAgent)] },
    { matcher: "/admin/virtual-goods/agents/:id/topups", method: ["POST"], middlewares: [validateAndTransformBody(AdminTopUpAgent)] },
    { matcher: "/admin/virtual-goods/agents/:id/adjustments", method: ["POST"], middlewares: [validateAndTransformBody(AdminAdjustAgent)] },
    { matcher: "/admin/virtual-goods/agents/:id/webhook", method: ["POST"], middlewares: [validateAndTransformBody(AdminSetAgentWebhook)] },
    { matcher: "/admin/virtual-goods/risk/rules", method: ["POST"], middlewares: [validateAndTransformBody(AdminCreateRiskRule)] },
    { matcher: "/admin/virtual-goods/risk/rules/:id", method: ["POST"], middlewares: [validateAndTransformBody(AdminUpdateRiskRule)] },
    {
      matcher: "/admin/virtual-goods/risk/decisions",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetRiskDecisionsParams, queryConfig)],
    },
    { matcher: "/admin/virtual-goods/risk/decisions/:id/approve", method: ["POST"], middlewares: [validateAndTransformBody(AdminApproveRiskReview)] },
    { matcher: "/admin/virtual-goods/risk/decisions/:id/reject", method: ["POST"], middlewares: [validateAndTransformBody(AdminRejectRiskReview)] },
    {
      matcher: "/admin/virtual-goods/webhook-deliveries",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetWebhookDeliveriesParams, queryConfig)],
    },
    { matcher: "/admin/virtual-goods/agents/:id/quotas", method: ["POST"], middlewares: [validateAndTransformBody(AdminSetAgentQuota)] },
    { matcher: "/admin/virtual-goods/agents/:id/api-keys", method: ["POST"], middlewares: [validateAndTransformBody(AdminCreateAgentApiKey)] },
    {
      matcher: "/admin/virtual-goods/agents/:id/statement",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetAgentStatementParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/agents/:id/orders",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetAgentLedgerParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/agents/:id/ledger",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetAgentLedgerParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/pools",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetCardPoolsParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/pools",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminCreateCardPool)],
    },
    {
      matcher: "/admin/virtual-goods/pools/:id",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminUpdateCardPool)],
    },
    {
      matcher: "/admin/virtual-goods/alerts",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetCardAlertsParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/codes/:id/reissue",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminReissueCardCode)],
    },
    {
      matcher: "/admin/virtual-goods/pools/:id/variant",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminLinkCardPoolVariant)],
    },
    {
      matcher: "/admin/virtual-goods/pools/:id/batches",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetCardBatchesParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/pools/:id/imports",
      method: ["POST"],
      bodyParser: { sizeLimit: "8mb" },
      middlewares: [validateAndTransformBody(AdminImportCardCodes)],
    },
    {
      matcher: "/admin/virtual-goods/pools/:id/import-files",
      method: ["POST"],
      bodyParser: false,
      middlewares: [uploadImportFile, validateAndTransformBody(AdminImportCardFile)],
    },
    {
      matcher: "/admin/virtual-goods/pools/:id/generate",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminGenerateCardCodes)],
    },
    {
      matcher: "/admin/virtual-goods/batches/:id/errors",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetImportErrorsParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/codes",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetCardCodesParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/reports/sales",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetSalesReportParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/orders/:id/resend",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminResendDelivery)],
    },
    {
      matcher: "/admin/virtual-goods/codes/search",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminSearchCardCodes)],
    },
    {
      matcher: "/admin/virtual-goods/codes/:id/reveal",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminRevealCardCode)],
    },
    {
      matcher: "/admin/virtual-goods/audit-logs",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetCardAuditLogsParams, queryConfig)],
    },
    {
      matcher: "/admin/virtual-goods/deliveries",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetCardDeliveriesParams, queryConfig)],
    },
    {
      matcher: "/store/virtual-goods/orders/:id/codes/:code_id/reveal",
      method: ["POST"],
      middlewares: [validateAndTransformBody(StoreRevealCardCode)],
    },
    {
      matcher: "/store/virtual-goods/reveal-links/lookup",
      method: ["POST"],
      middlewares: [validateAndTransformBody(StoreRevealLinkToken)],
    },
    {
      matcher: "/store/virtual-goods/reveal-links/reveal",
      method: ["POST"],
      middlewares: [validateAndTransformBody(StoreRevealLinkToken)],
    },
  ],
})

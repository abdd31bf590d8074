import { defineConfig, loadEnv, Modules } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const redisUrl = process.env.REDIS_URL
const smtpHost = process.env.VIRTUAL_GOODS_SMTP_HOST
const stripeApiKey = process.env.STRIPE_API_KEY

/**
 * Dev app of the plugin: the same modules and providers a host app registers (see README "Install in your app"),
 * with Redis infrastructure when REDIS_URL is set and in-memory infrastructure otherwise.
 */
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors: process.env.AUTH_CORS || "http://localhost:8000,http://localhost:9000,http://localhost:5173",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: {
    disable: process.env.MEDUSA_ADMIN_DISABLED === "true",
  },
  modules: [
    // Options left out fall back to the VIRTUAL_GOODS_* environment variables (see README, Configuration).
    { resolve: "./src/modules/card-vault", options: {} },
    { resolve: "./src/modules/agents" },
    { resolve: "./src/modules/risk" },
    // Suppliers: top-ups (直充), docking with upstream stores, restocking; keys derived from VIRTUAL_GOODS_ENCRYPTION_KEYS.
    { resolve: "./src/modules/suppliers" },
    { resolve: "./src/modules/redemption" },
    // Campaigns that give codes (营销): on registration or a placed order, once per customer, within a budget.
    { resolve: "./src/modules/code-campaigns" },
    // Webhook inbox, findings, holds for asynchronous payments; options fall back to STRIPE_* / VIRTUAL_GOODS_* variables.
    { resolve: "./src/modules/payment-reconciliation" },
    // The scheduled jobs' tick ledger: each job's tick runs once across every process (see src/utils/once-per-tick.ts).
    { resolve: "./src/modules/job-ticks" },
    ...(stripeApiKey
      ? [
          {
            resolve: "@medusajs/medusa/payment",
            options: {
              // How long Medusa waits before processing a webhook it queued (its default: 5 s).
              ...(process.env.PAYMENT_WEBHOOK_DELAY_MS ? { webhook_delay: Number(process.env.PAYMENT_WEBHOOK_DELAY_MS) } : {}),
              // Cards (pp_stripe_stripe), Alipay (pp_stripe-alipay_stripe), WeChat Pay (pp_stripe-wechat-pay_stripe).
              providers: [
                {
                  resolve: "./src/providers/stripe",
                  id: "stripe",
                  options: {
                    apiKey: stripeApiKey,
                    webhookSecret: process.env.STRIPE_WEBHOOK_SECRET,
                    apiBaseUrl: process.env.STRIPE_API_BASE_URL || undefined,
                    automaticPaymentMethods: process.env.STRIPE_AUTOMATIC_PAYMENT_METHODS === "true",
                  },
                },
              ],
            },
          },
        ]
      : []),
    {
      resolve: "@medusajs/medusa/fulfillment",
      options: {
        providers: [
          { resolve: "@medusajs/medusa/fulfillment-manual", id: "manual" },
          { resolve: "./src/providers/digital-fulfillment", id: "digital" },
        ],
      },
    },
    {
      resolve: "@medusajs/medusa/notification",
      options: {
        // Email goes over SMTP when VIRTUAL_GOODS_SMTP_HOST is set (the demo points it at its mail catcher), else to
        // the log. Options left out fall back to the VIRTUAL_GOODS_SMTP_* / VIRTUAL_GOODS_MAIL_* variables.
        providers: [
          ...(smtpHost ? [{ resolve: "./src/providers/email-smtp", id: "smtp", options: { channels: ["email"] } }] : []),
          {
            resolve: "@medusajs/medusa/notification-local",
            id: "local",
            options: { channels: smtpHost ? ["feed"] : ["email", "feed"] },
          },
        ],
      },
    },
    ...(redisUrl
      ? [
          { key: Modules.EVENT_BUS, resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
          {
            key: Modules.WORKFLOW_ENGINE,
            resolve: "@medusajs/medusa/workflow-engine-redis",
            // Scheduled jobs run one at a time per process unless told otherwise (BullMQ's default concurrency of 1):
            // a long job would hold back the minute sweep (see docs/operations.md#scale-out).
            options: { redis: { redisUrl, jobWorkerOptions: { concurrency: 16 } } },
          },
          {
            key: Modules.LOCKING,
            resolve: "@medusajs/medusa/locking",
            options: {
              providers: [
                {
                  resolve: "@medusajs/medusa/locking-redis",
                  id: "locking-redis",
                  is_default: true,
                  options: { redisUrl },
                },
              ],
            },
          },
        ]
      : []),
  ],
})

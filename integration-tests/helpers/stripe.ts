import { execFileSync } from "child_process"
import { useEnv } from "./env"
import { StripeEmulator } from "./stripe-emulator"

/** A free loopback port, known synchronously: the app reads STRIPE_API_BASE_URL when it loads its config. */
function freeLoopbackPort(): number {
  return Number(
    execFileSync(process.execPath, [
      "-e",
      "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
    ]).toString()
  )
}

/**
 * A Stripe emulator for this test file, and the app configured for it: the plugin's Stripe providers and the
 * reconciliation module point at the emulator (STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE_URL), Medusa
 * processes queued webhooks after 100 ms, and reconciliation looks at payments after 1 s. Call it at the top of the
 * file, before the runner (which loads medusa-config first); worker processes started later inherit the variables.
 */
export function useStripe(options: { apiKey: string; webhookSecret: string; env?: Record<string, string | undefined> }): {
  stripe: StripeEmulator
  webhookSecret: string
} {
  const port = freeLoopbackPort()
  const stripe = new StripeEmulator({ port, apiKey: options.apiKey })
  useEnv({
    STRIPE_API_KEY: options.apiKey,
    STRIPE_WEBHOOK_SECRET: options.webhookSecret,
    STRIPE_API_BASE_URL: `http://127.0.0.1:${port}`,
    PAYMENT_WEBHOOK_DELAY_MS: "100",
    VIRTUAL_GOODS_RECONCILE_AFTER_SECONDS: "1",
    ...options.env,
  })
  beforeAll(() => stripe.start())
  afterAll(() => stripe.stop())
  return { stripe, webhookSecret: options.webhookSecret }
}

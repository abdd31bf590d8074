import type Stripe from "stripe"

/** `{ host, port, protocol }` for the Stripe SDK from a base URL, or null for Stripe's own API. */
export function stripeHostConfig(apiBaseUrl: string | undefined | null): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> | null {
  if (!apiBaseUrl) return null
  let url: URL
  try {
    url = new URL(apiBaseUrl)
  } catch {
    throw new Error(`apiBaseUrl "${apiBaseUrl}" is not a URL (expected e.g. https://api.stripe.com)`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`apiBaseUrl "${apiBaseUrl}" must use http or https`)
  }
  const protocol = url.protocol === "http:" ? "http" : "https"
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443, protocol }
}

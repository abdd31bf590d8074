import type { LoaderOptions } from "@medusajs/framework/types"
import { asValue } from "@medusajs/framework/awilix"
import type { AgentsModuleOptions, ResolvedAgentsOptions } from "../types"

/** The module's options with their defaults (environment variables, then built-in values). */
export function resolveAgentsOptions(options: AgentsModuleOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedAgentsOptions {
  return {
    webhook_key: options.webhook_key ?? env.VIRTUAL_GOODS_WEBHOOK_KEY ?? env.VIRTUAL_GOODS_BLIND_INDEX_KEY ?? null,
    allow_private_webhook_urls:
      options.allow_private_webhook_urls ?? (env.VIRTUAL_GOODS_ALLOW_PRIVATE_WEBHOOKS === "true" || env.NODE_ENV === "development"),
    webhook_max_attempts: options.webhook_max_attempts ?? (Number(env.VIRTUAL_GOODS_WEBHOOK_MAX_ATTEMPTS) || 8),
    webhook_timeout_ms: options.webhook_timeout_ms ?? 10_000,
  }
}

/** Registers the resolved options in the module's container, where the internal services take them as `agentsOptions`. */
export default async function agentsOptionsLoader({ container, options }: LoaderOptions<AgentsModuleOptions>) {
  container.register("agentsOptions", asValue(resolveAgentsOptions(options)))
}

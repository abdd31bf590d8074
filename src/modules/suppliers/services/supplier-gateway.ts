import { MedusaError } from "@medusajs/framework/utils"
import { RateLimiterMemory, RateLimiterQueue } from "rate-limiter-flexible"
import { adapterOf } from "../adapters"
import type { SupplierAdapter, SupplierConnection, UpstreamOrderAnswer } from "../adapters/types"
import type SupplierDirectoryService from "./supplier-directory"
import type { SuppliersDeps } from "../utils/sql"

/**
 * Whether an operation's result says the supplier is not answering properly: an order answer without a definite
 * outcome (`unknown`), or a failed ping. Its short reason, or null when the supplier answered.
 */
function failureOf(result: unknown): string | null {
  if (!result || typeof result !== "object") return null
  const answer = result as Partial<UpstreamOrderAnswer> & { ok?: boolean; detail?: string | null }
  if (answer.state === "unknown") return answer.reason ?? "no definite answer"
  if (answer.ok === false) return answer.detail ?? "the supplier refused the check"
  return null
}

type GatewayDeps = SuppliersDeps & { supplierDirectoryService: SupplierDirectoryService }

/**
 * The one place adapters are called: opens the supplier's connection, keeps to its rate limit (requests wait their
 * turn, per process), and records its health and last error. Order operations never throw for the supplier's
 * failures: the adapter classifies them (`unknown` for anything not definite).
 */
export default class SupplierGatewayService {
  protected directory_: SupplierDirectoryService
  private readonly queues = new Map<string, { perMinute: number; queue: RateLimiterQueue }>()

  constructor(container: GatewayDeps) {
    this.directory_ = container.supplierDirectoryService
  }

  private async throttle(supplierId: string, perMinute: number): Promise<void> {
    let entry = this.queues.get(supplierId)
    if (!entry || entry.perMinute !== perMinute) {
      entry = { perMinute, queue: new RateLimiterQueue(new RateLimiterMemory({ points: perMinute, duration: 60 }), { maxQueueSize: 1000 }) }
      this.queues.set(supplierId, entry)
    }
    try {
      await entry.queue.removeTokens(1)
    } catch {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Too many requests queued for supplier ${supplierId}`)
    }
  }

  /** Runs one adapter operation against a supplier; health is recorded from its outcome. */
  async call<T>(supplierId: string, operation: (adapter: SupplierAdapter, conn: SupplierConnection) => Promise<T>, options: { allowDisabled?: boolean } = {}): Promise<T> {
    const conn = await this.directory_.connectionOf(supplierId)
    if (conn.status !== "active" && !options.allowDisabled) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Supplier ${supplierId} is disabled`)
    }
    const adapter = adapterOf(conn.adapter)
    await this.throttle(supplierId, conn.rate_limit_per_minute)
    try {
      const result = await operation(adapter, conn)
      const failure = failureOf(result)
      await this.directory_.recordHealth(supplierId, { ok: failure === null, error: failure })
      return result
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e)
      await this.directory_.recordHealth(supplierId, { ok: false, error: reason })
      throw e instanceof MedusaError ? e : new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Supplier ${supplierId}: ${reason.slice(0, 300)}`)
    } finally {
      conn.credentials = {}
    }
  }

  /** Verifies a supplier's callback (throws on a bad signature) without counting it as a call. */
  async verifyCallback(supplierId: string, callback: Parameters<SupplierAdapter["verifyCallback"]>[1]) {
    const conn = await this.directory_.connectionOf(supplierId)
    const adapter = adapterOf(conn.adapter)
    const settings = { ...conn, credentials: {} }
    try {
      return { verified: adapter.verifyCallback(conn, callback), answer: (ok: boolean) => adapter.callbackAnswer(ok, settings) }
    } finally {
      conn.credentials = {}
    }
  }

  /** The callback answer a supplier expects, without verifying anything (for a refused callback). */
  async callbackAnswer(supplierId: string, ok: boolean) {
    const conn = await this.directory_.connectionOf(supplierId)
    conn.credentials = {}
    return adapterOf(conn.adapter).callbackAnswer(ok, conn)
  }
}

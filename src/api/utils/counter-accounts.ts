import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"

/** The user metadata key that makes an admin user a counter account, and its value. */
export const COUNTER_ROLE_KEY = "virtual_goods_role"
export const COUNTER_ROLE = "counter"

/** How long a user's role is remembered by a process (a change applies within this time everywhere). */
const ROLE_TTL_MS = 10_000
const roles = new Map<string, { counter: boolean; at: number }>()

/** What a counter account may call: validating, redeeming and rolling back its own redemptions, and who it is. */
const COUNTER_MAY: { method: string; path: RegExp }[] = [
  { method: "POST", path: /^\/admin\/virtual-goods\/vouchers\/(validate|redeem)$/ },
  { method: "POST", path: /^\/admin\/virtual-goods\/voucher-redemptions\/[^/]+\/rollback$/ },
  { method: "GET", path: /^\/admin\/users\/me$/ },
  { method: "GET", path: /^\/admin\/stores$/ },
]

/** Whether an admin user is a counter account (its metadata says so). Remembered for ten seconds. */
export async function isCounterAccount(scope: Pick<MedusaContainer, "resolve">, userId: string): Promise<boolean> {
  const known = roles.get(userId)
  if (known && Date.now() - known.at < ROLE_TTL_MS) return known.counter
  const [user] = await scope.resolve(Modules.USER).listUsers({ id: userId }, { select: ["id", "metadata"], take: 1 })
  const counter = user?.metadata?.[COUNTER_ROLE_KEY] === COUNTER_ROLE
  roles.set(userId, { counter, at: Date.now() })
  return counter
}

/** Forgets a user's remembered role (after it was changed here; other processes follow within ten seconds). */
export const forgetCounterRole = (userId: string) => roles.delete(userId)

type AdminRequest = MedusaRequest & { auth_context?: { actor_id?: string; actor_type?: string } }

/**
 * Counter accounts (核销员) may redeem vouchers and nothing else: on every admin route, a user whose metadata marks it
 * a counter gets 403 except on the voucher routes (and who it is, and the store's name, for the dashboard's shell).
 */
export async function restrictCounterAccounts(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const auth = (req as AdminRequest).auth_context
  if (auth?.actor_type !== "user" || !auth.actor_id) return next()
  try {
    if (!(await isCounterAccount(req.scope, auth.actor_id))) return next()
  } catch (e) {
    return next(e)
  }
  const path = (req.originalUrl ?? req.url).split("?")[0].replace(/\/+$/, "")
  if (COUNTER_MAY.some((allowed) => allowed.method === req.method && allowed.path.test(path))) return next()
  next(new MedusaError(MedusaError.Types.FORBIDDEN, "This is a counter account: it may only validate and redeem vouchers"))
}

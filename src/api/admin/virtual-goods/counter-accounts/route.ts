import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { updateUsersWorkflow } from "@medusajs/medusa/core-flows"
import { COUNTER_ROLE, COUNTER_ROLE_KEY, forgetCounterRole } from "../../../utils/counter-accounts"
import type { SetCounterAccountBodyType } from "../vouchers/validators"

const view = (u: { id: string; email: string; first_name: string | null; last_name: string | null; metadata: Record<string, unknown> | null }) => ({
  id: u.id,
  email: u.email,
  first_name: u.first_name,
  last_name: u.last_name,
  counter: u.metadata?.[COUNTER_ROLE_KEY] === COUNTER_ROLE,
})

/** The admin users with whether each is a counter account (may only validate and redeem vouchers). */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const users = await req.scope.resolve(Modules.USER).listUsers({}, { select: ["id", "email", "first_name", "last_name", "metadata"], order: { email: "ASC" } })
  res.json({ users: users.map(view) })
}

/** Makes an admin user a counter account, or a full admin again (`{ user_id, counter }`); not one's own account. */
export const POST = async (req: AuthenticatedMedusaRequest<SetCounterAccountBodyType>, res: MedusaResponse) => {
  const { user_id, counter } = req.validatedBody
  if (user_id === req.auth_context.actor_id) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "user_id: an admin cannot change their own account's role")
  }
  const [user] = await req.scope.resolve(Modules.USER).listUsers({ id: user_id }, { select: ["id", "metadata"], take: 1 })
  if (!user) throw new MedusaError(MedusaError.Types.NOT_FOUND, `User with id: ${user_id} was not found`)
  // Medusa merges metadata: an empty value is how a key is taken off.
  const metadata = { ...(user.metadata ?? {}), [COUNTER_ROLE_KEY]: counter ? COUNTER_ROLE : "" }
  const { result } = await updateUsersWorkflow(req.scope).run({ input: { updates: [{ id: user_id, metadata }] } })
  forgetCounterRole(user_id)
  res.json({ user: view(result[0] as Parameters<typeof view>[0]) })
}

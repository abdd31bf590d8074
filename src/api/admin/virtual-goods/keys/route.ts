import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { vaultOf } from "../../../utils/card-vault"

/**
 * The keyring's state: the primary version and, per key version, how many codes it seals and whether the keyring
 * holds it. A version can be removed from the configuration once its `codes` is 0 (after `rotate-keys`).
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json(await vaultOf(req).getKeyStatus())
}

import type { MedusaRequest } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { StartCardImportWorkflowInput } from "../workflows/start-card-import"
import { startCardImportWorkflow } from "../workflows/start-card-import"
import { runCardImportWorkflow } from "../workflows/run-card-import"
import type { CardImportSource } from "../../../modules/card-vault/utils/import-sources"
import { errorMessage } from "../../../utils/errors"

/**
 * Opens the batch (refusals such as an already imported file surface here, to the caller), then fills it in the
 * background: the caller answers 202 at once and the admin follows the batch's progress. A failure of the
 * background run is recorded on the batch (status `failed` with the reason) by the import itself.
 */
export async function startBackgroundImport(
  req: MedusaRequest,
  input: StartCardImportWorkflowInput,
  source: CardImportSource,
  onSettled: () => Promise<void> = async () => undefined
): Promise<string> {
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  const { result } = await startCardImportWorkflow(req.scope).run({ input })
  runCardImportWorkflow(req.scope)
    .run({ input: { pool_id: input.pool_id, batch_id: result.batch_id, source, actor: input.actor } })
    .catch((e: unknown) => logger.warn(`virtual-goods: import of batch ${result.batch_id} did not commit: ${errorMessage(e)}`))
    .finally(() => onSettled().catch(() => undefined))
  return result.batch_id
}

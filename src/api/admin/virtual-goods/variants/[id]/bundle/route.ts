import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { removeCardBundleWorkflow, setCardBundleWorkflow } from "../../../../../../workflows/bundles"
import { bundleViews } from "../../../../../utils/bundles"
import type { SetCardBundleBodyType } from "../../../bundles/validators"

type VariantBundleRow = { id: string; card_bundle?: { id: string } | null }

async function bundleOfVariant(req: AuthenticatedMedusaRequest, variantId: string) {
  const { data } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "product_variant",
    fields: ["id", "card_bundle.id"],
    filters: { id: variantId },
  })
  const variant = (data as VariantBundleRow[])[0]
  if (!variant) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product variant with id: ${variantId} was not found`)
  const id = variant.card_bundle?.id
  return id ? ((await bundleViews(req, [id])).get(id) ?? null) : null
}

/** The variant's bundle (components, their pools' stock, whole bundles left), or null when it is not a bundle. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json({ bundle: await bundleOfVariant(req, req.params.id) })
}

/** Composes the variant's bundle, or changes it (name and components, replaced as a whole). */
export const POST = async (req: AuthenticatedMedusaRequest<SetCardBundleBodyType>, res: MedusaResponse) => {
  await setCardBundleWorkflow(req.scope).run({ input: { ...req.validatedBody, variant_id: req.params.id } })
  res.json({ bundle: await bundleOfVariant(req, req.params.id) })
}

/** The variant stops being a bundle (orders that sold it keep their codes). */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { result } = await removeCardBundleWorkflow(req.scope).run({ input: { variant_id: req.params.id } })
  res.json({ id: result.id, object: "card_bundle", deleted: true })
}

import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createRemoteLinkStep } from "@medusajs/medusa/core-flows"
import { SUPPLIERS_MODULE } from "../../../modules/suppliers"
import { CARD_VAULT_MODULE } from "../../../modules/card-vault"
import { createSupplierProductStep, CreateSupplierProductStepInput } from "../steps/create-supplier-product"

export type CreateSupplierProductWorkflowInput = CreateSupplierProductStepInput & {
  /** A top-up product: the variant it fulfils. */
  variant_id?: string | null
  /** A codes product: the pool it restocks. */
  pool_id?: string | null
}
export type CreateSupplierProductWorkflowOutput = { id: string }

export const createSupplierProductWorkflowId = "create-supplier-product"

/**
 * Creates what we buy from a supplier and links it: a top-up product to the variant it fulfils, a codes product to the
 * pool it restocks.
 *
 * @example
 * await createSupplierProductWorkflow(container).run({ input: { supplier_id, kind: "topup", upstream_product_id: "CM10", name: "China Mobile 10", variant_id, recipient_fields: [{ key: "phone", label: "Phone", pattern: "1[3-9]\\d{9}" }] } })
 *
 * @summary Create a supplier product.
 */
export const createSupplierProductWorkflow = createWorkflow(createSupplierProductWorkflowId, (input: CreateSupplierProductWorkflowInput) => {
  const fields = transform({ input }, ({ input }) => {
    const { variant_id: _v, pool_id: _p, ...rest } = input
    return rest
  })
  const product = createSupplierProductStep(fields)
  when("link-variant", { input }, ({ input }) => !!input.variant_id).then(() => {
    createRemoteLinkStep(
      transform({ input, product }, ({ input, product }) => [
        { [SUPPLIERS_MODULE]: { supplier_product_id: product.id }, [Modules.PRODUCT]: { product_variant_id: input.variant_id } },
      ])
    ).config({ name: "link-supplier-product-variant" })
  })
  when("link-pool", { input }, ({ input }) => !!input.pool_id).then(() => {
    createRemoteLinkStep(
      transform({ input, product }, ({ input, product }) => [
        { [SUPPLIERS_MODULE]: { supplier_product_id: product.id }, [CARD_VAULT_MODULE]: { card_pool_id: input.pool_id } },
      ])
    ).config({ name: "link-supplier-product-pool" })
  })
  return new WorkflowResponse(product)
})

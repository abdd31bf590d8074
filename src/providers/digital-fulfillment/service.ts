import { AbstractFulfillmentProviderService, MedusaError } from "@medusajs/framework/utils"
import {
  CalculatedShippingOptionPrice,
  CreateFulfillmentResult,
  FulfillmentOption,
} from "@medusajs/framework/types"

/**
 * Fulfillment provider for virtual goods. Nothing is shipped: by the time the delivery workflow creates a
 * fulfillment with this provider, the order's codes are already bound to the order in the card vault, so the
 * fulfillment records the digital delivery (never a code) and is marked delivered straight away.
 *
 * Contract: `createFulfillment` never throws for a valid order; it returns `{ data, labels: [] }` where `data`
 * holds only the delivery channel and time. Virtual goods have no physical return: a return fulfillment is
 * refused with NOT_ALLOWED; refunds go through Medusa's refund flow and the vault puts unrevealed codes back.
 */
export class DigitalFulfillmentProviderService extends AbstractFulfillmentProviderService {
  static identifier = "digital"

  async getFulfillmentOptions(): Promise<FulfillmentOption[]> {
    return [{ id: "digital-delivery", name: "Digital delivery (card codes)" }]
  }

  async validateOption(data: Record<string, unknown>): Promise<boolean> {
    return data?.id === undefined || data.id === "digital-delivery"
  }

  async validateFulfillmentData(
    _optionData: Record<string, unknown>,
    data: Record<string, unknown>
  ): Promise<Record<string, unknown>> {
    return data ?? {}
  }

  async canCalculate(): Promise<boolean> {
    return false
  }

  async calculatePrice(): Promise<CalculatedShippingOptionPrice> {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Digital delivery has no calculated price: use a flat shipping option priced 0"
    )
  }

  async createFulfillment(): Promise<CreateFulfillmentResult> {
    return { data: { channel: "digital", delivered_at: new Date().toISOString() }, labels: [] }
  }

  async cancelFulfillment(): Promise<Record<string, unknown>> {
    return {}
  }

  async createReturnFulfillment(): Promise<CreateFulfillmentResult> {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Virtual goods cannot be returned: refund the order instead (unrevealed codes go back to stock)"
    )
  }
}

export default DigitalFulfillmentProviderService

import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { WHOLESALE_OPENAPI } from "../../wholesale/openapi"

/** The wholesale API's OpenAPI 3.1 document (public: it describes the API, it grants nothing). */
export const GET = async (_req: MedusaRequest, res: MedusaResponse) => {
  res.json(WHOLESALE_OPENAPI)
}

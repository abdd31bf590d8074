import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { csvCell } from "../../../../../../utils/csv"
import { fetchCardBatch, vaultOf } from "../../../../../utils/card-vault"

/** The rejected lines of a batch as a CSV download: line, field, message. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const batch = await fetchCardBatch(req, req.params.id)
  const vault = vaultOf(req)
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="${batch.id}-report.csv"`)
  res.write("line,field,message\n")
  const page = 10_000
  for (let offset = 0; ; offset += page) {
    const { errors } = await vault.listImportErrors({ batch_id: batch.id, limit: page, offset })
    if (errors.length) res.write(errors.map((e) => `${e.line},${csvCell(e.field)},${csvCell(e.message)}`).join("\n") + "\n")
    if (errors.length < page) break
  }
  res.end()
}

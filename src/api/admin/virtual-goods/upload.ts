import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import multer from "multer"
import { discardStaged, stageUpload } from "../../../modules/card-vault/utils/import-sources"

/** Largest import file accepted by upload (about 10 million codes); bigger files: use the import command. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024

export type StagedUploadFile = { staged_id: string; sha256: string; size: number; originalname: string }

/** The staged upload of a request parsed by `uploadImportFile` (multer keeps what the storage answered on `req.file`). */
export function stagedFileOf(req: { file?: Partial<StagedUploadFile> }): StagedUploadFile | undefined {
  const file = req.file
  return typeof file?.staged_id === "string" ? (file as StagedUploadFile) : undefined
}

/** Multer storage that stages the upload encrypted (see `stageUpload`) instead of keeping it in memory. */
const stagingStorage: multer.StorageEngine = {
  _handleFile(_req, file, cb) {
    stageUpload(file.stream, file.originalname)
      .then((staged) => {
        const info: StagedUploadFile = { staged_id: staged.id, sha256: staged.sha256, size: staged.bytes, originalname: file.originalname }
        cb(null, info)
      })
      .catch((e) => cb(e))
  },
  _removeFile(_req, file, cb) {
    const staged = stagedFileOf({ file })
    const discarded = staged ? discardStaged(staged.staged_id) : Promise.resolve()
    discarded.then(() => cb(null)).catch((e) => cb(e))
  },
}

const upload = multer({ storage: stagingStorage, limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 20 } }).single("file")

/** Parses a multipart import: one `file` part plus text fields, with errors a client can act on. */
export function uploadImportFile(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  if (!req.is("multipart/form-data")) {
    return next(
      new MedusaError(MedusaError.Types.INVALID_DATA, 'Send the import as multipart/form-data with the file in the field "file"')
    )
  }
  upload(req, res, (err: unknown) => {
    if (!err) return next()
    if (err instanceof multer.MulterError) {
      const message =
        err.code === "LIMIT_FILE_SIZE"
          ? `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; import it with the import-codes command instead`
          : err.code === "LIMIT_UNEXPECTED_FILE"
            ? `Unexpected file field "${err.field}": send exactly one file, in the field "file"`
            : `Upload refused: ${err.message}`
      return next(new MedusaError(MedusaError.Types.INVALID_DATA, message))
    }
    next(err)
  })
}

const { randomBytes } = require("crypto")
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// Tests run with throwaway keys when none are given (npm test always gives fresh ones).
process.env.VIRTUAL_GOODS_ENCRYPTION_KEYS ||= `1:${randomBytes(32).toString("base64")}`
process.env.VIRTUAL_GOODS_BLIND_INDEX_KEY ||= randomBytes(32).toString("base64")

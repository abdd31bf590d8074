import type { MiddlewareRoute } from "@medusajs/framework/http"
import { rateLimitActor } from "../../utils/rate-limit"
import { authenticateDujiao } from "./helpers"

/**
 * The dujiao-next compatible routes (`/wholesale/dujiao/api/v1/upstream/*`): the raw body kept for the signature's
 * MD5, then the signed-request check (instead of the Bearer key of the other wholesale routes), then the key's own
 * allowance of the wholesale rate limits. The per-IP wholesale limit of `/wholesale*` runs before.
 */
export const dujiaoUpstreamMiddlewares: MiddlewareRoute[] = [
  {
    matcher: "/wholesale/dujiao/api/v1/upstream*",
    bodyParser: { preserveRawBody: true, sizeLimit: "1mb" },
    middlewares: [authenticateDujiao, rateLimitActor("wholesale")],
  },
]

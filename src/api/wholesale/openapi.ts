/**
 * The OpenAPI document of the wholesale API (served at GET /docs/wholesale-api). A test compares its paths with the
 * route files under src/api/wholesale, so it cannot fall behind the API.
 */
const money = { type: "string", description: "Exact decimal amount", examples: ["120.5"] }

const error = (description: string, example: string) => ({
  description,
  content: {
    "application/json": {
      schema: { type: "object", properties: { type: { type: "string" }, message: { type: "string", examples: [example] } } },
    },
  },
})

const account = {
  type: "object",
  properties: {
    account_id: { type: "string" },
    currency_code: { type: "string", examples: ["cny"] },
    balance: money,
    credit_limit: money,
    available: { ...money, description: "balance + credit_limit: what the agent can still spend" },
  },
}

const code = {
  type: "object",
  properties: {
    id: { type: "string" },
    mask: { type: "string", examples: ["****7F3A"] },
    status: { enum: ["delivered", "revealed", "voided", "available", "reserved", "expired"] },
    code: { type: "string", description: "Only in responses that reveal (placing the order, POST …/codes)" },
    password: { type: ["string", "null"], description: "Only in responses that reveal" },
  },
}

const agentOrder = {
  type: "object",
  properties: {
    order: {
      type: "object",
      properties: {
        id: { type: "string", examples: ["aord_…"] },
        order_id: { type: ["string", "null"], description: "The Medusa order: null until the store's worker has recorded it, moments after the answer" },
        display_id: { type: ["integer", "null"] },
        status: { enum: ["completed"] },
        held_for_review: { type: "boolean", description: "The store's risk rules sent the order to review: it is paid, and its codes come once an admin approves it" },
        bookkeeping_status: { enum: ["pending", "done"], description: "pending until the order's Medusa order (order_id, display_id) is recorded, then done" },
        currency_code: { type: "string" },
        total: money,
        items: {
          type: "array",
          items: {
            type: "object",
            properties: {
              variant_id: { type: "string" },
              title: { type: "string" },
              product_title: { type: ["string", "null"] },
              quantity: { type: "integer" },
              unit_price: money,
              codes: { type: "array", items: code, description: "A line of codes" },
              top_up: {
                type: "object",
                description: "A top-up line (直充): its supplier order as it moves; the agent's `topup.*` webhooks tell the outcome",
                properties: {
                  supplier_order_id: { type: "string" },
                  status: { enum: ["pending", "submitting", "accepted", "succeeded", "failed", "unknown"] },
                  refund_status: { enum: ["none", "refunding", "refunded"], description: "A failed top-up is given back to the agent's balance, commissions included" },
                  recipient: { type: ["string", "null"], description: "The recipient, masked" },
                  failure_reason: { type: ["string", "null"] },
                },
              },
            },
          },
        },
        created_at: { type: "string", format: "date-time" },
        completed_at: { type: "string", format: "date-time" },
      },
    },
  },
}

/** An order in the list: without codes, with the Idempotency-Key it was placed with. */
const listedOrder = {
  type: "object",
  properties: {
    ...agentOrder.properties.order.properties,
    idempotency_key: { type: "string", description: "The Idempotency-Key the order was placed with" },
  },
}

const json = (description: string, schema: unknown) => ({ description, content: { "application/json": { schema } } })

/** A voucher of the store (核销) as a partner sees it: its mask, never its code. */
const voucher = {
  type: "object",
  properties: {
    id: { type: "string" },
    mask: { type: "string" },
    pool_id: { type: "string" },
    kind: { enum: ["single_use", "multi_use", "stored_value"] },
    status: { enum: ["redeemable", "used_up", "disabled", "expired"] },
    remaining_uses: { type: ["integer", "null"] },
    remaining_value: { type: ["string", "null"], description: "Exact decimal amount (stored value)" },
    face_value: { type: ["string", "null"] },
    uses: { type: ["integer", "null"] },
    currency_code: { type: ["string", "null"] },
    expires_at: { type: ["string", "null"], format: "date-time" },
    redeemed_count: { type: "integer" },
    first_redeemed_at: { type: ["string", "null"], format: "date-time" },
    last_redeemed_at: { type: ["string", "null"], format: "date-time" },
  },
}
const redemption = {
  type: "object",
  properties: {
    id: { type: "string" },
    kind: { enum: ["redeem", "rollback"] },
    uses: { type: "integer" },
    amount: { type: ["string", "null"] },
    remaining_uses_after: { type: ["integer", "null"] },
    remaining_value_after: { type: ["string", "null"] },
    channel: { enum: ["counter", "partner"] },
    reason: { type: ["string", "null"] },
    reverses_id: { type: ["string", "null"] },
    created_at: { type: "string", format: "date-time" },
  },
}
const voucherCode = { type: "object", required: ["code"], properties: { code: { type: "string", description: "The voucher's code as printed or scanned" } } }
/** The headers of a signed request (the redemption API): see src/api/wholesale/signed-requests.ts. */
const signedHeaders = [
  { name: "X-Signature-Timestamp", in: "header", required: true, schema: { type: "string" }, description: "Unix time in seconds, within 300 s of the server's" },
  {
    name: "X-Signature",
    in: "header",
    required: true,
    schema: { type: "string", pattern: "^[0-9a-f]{64}$" },
    description: "Lower-case hex HMAC-SHA256 with the key's signing_secret over METHOD\\nPATH\\nTIMESTAMP\\nsha256hex(body): the path without host or query, the body's bytes as sent",
  },
]
const signedNote = " Signed requests: the key as Bearer, and X-Signature-Timestamp / X-Signature made with the key's `signing_secret` (a missing, stale or wrong signature is a 401 before the body is read)."

const unauthorized = error("No valid key", "Invalid, expired or revoked API key")
const notFound = error("Not this agent's order, or no such order (the same answer)", "Order with id: aord_… was not found")

export const WHOLESALE_OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "medusa-virtual-goods wholesale API",
    version: "0.1.0",
    description:
      "For resellers' own systems. Every request carries an agent's API key (`Authorization: Bearer vgk_…`, created by an admin and shown once). " +
      "A malformed, unknown, wrong, expired or revoked key gets 401 with the same message; a key without the route's scope gets 403.",
  },
  servers: [{ url: "/" }],
  components: {
    securitySchemes: { agentKey: { type: "http", scheme: "bearer", description: "vgk_<prefix>_<secret>" } },
  },
  security: [{ agentKey: [] }],
  paths: {
    "/wholesale/me": {
      get: {
        summary: "The agent the key belongs to",
        description: "Any scope. `curl $API/wholesale/me -H \"authorization: Bearer $KEY\"`",
        responses: {
          "200": {
            description: "The agent, its accounts and the key's scopes",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    agent: {
                      type: "object",
                      properties: {
                        id: { type: "string" },
                        name: { type: "string" },
                        parent_id: { type: ["string", "null"] },
                        customer_group_id: { type: ["string", "null"], description: "The agent's tier" },
                        status: { enum: ["active", "frozen"] },
                        accounts: { type: "array", items: account },
                      },
                    },
                    scopes: { type: "array", items: { enum: ["catalog:read", "orders:read", "orders:write", "vouchers:redeem"] } },
                  },
                },
              },
            },
          },
          "400": error("The agent is frozen", "Agent agent_… is frozen"),
          "401": error("No valid key", "Invalid, expired or revoked API key"),
        },
      },
    },
    "/wholesale/catalog": {
      get: {
        summary: "What the agent can buy, at its price",
        description:
          "Scope `catalog:read`. Every variant sold from a card pool or as a bundle of several pools' codes, at the agent's unit price in its account's currency (the price list of its tier), with the stock available now. " +
          "`curl $API/wholesale/catalog -H \"authorization: Bearer $KEY\"`",
        responses: {
          "200": {
            description: "Catalog and the agent's money",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    items: {
                      type: "array",
                      items: {
                        type: "object",
                        properties: {
                          variant_id: { type: "string" },
                          sku: { type: ["string", "null"] },
                          title: { type: "string" },
                          product_id: { type: "string" },
                          unit_price: { type: "number" },
                          currency_code: { type: "string" },
                          available: { type: "integer", description: "Codes in stock now (a bundle: whole bundles its pools can make)" },
                          quota_remaining: { type: ["integer", "null"], description: "What is left of the agent's quota this period; null: no quota" },
                          bundle: { type: "boolean", description: "Present and true for a bundle: an order's line gets codes of each of its pools" },
                        },
                      },
                    },
                    account: account,
                  },
                },
              },
            },
          },
          "401": error("No valid key", "Invalid, expired or revoked API key"),
          "403": error("The key lacks the scope", "This API key lacks the scope catalog:read"),
        },
      },
    },
    "/wholesale/orders": {
      post: {
        summary: "Place an order (exactly once per Idempotency-Key)",
        description:
          "Scope `orders:write`. All or nothing, in one database transaction: debits the agent's balance (+ credit), credits the commissions of the agents above it, " +
          "consumes its quotas and claims the codes — or does none of it. The codes are in the response; the paid, fulfilled Medusa order is recorded moments " +
          "later (`order_id`, `bookkeeping_status`). The same `Idempotency-Key` with the same body answers the same order and codes (header `Idempotent-Replayed: true`, " +
          "the codes fetched again and audited), even after a restart — a duplicate sent while the first is in its transaction waits for it; with another body → 422; " +
          "a key left processing by an earlier version of the store → 409 (retry later).\n\n" +
          "`curl -X POST $API/wholesale/orders -H \"authorization: Bearer $KEY\" -H \"idempotency-key: po-2026-0042\" -H \"content-type: application/json\" " +
          "-d '{\"items\":[{\"variant_id\":\"variant_…\",\"quantity\":100}]}'`",
        parameters: [
          { name: "Idempotency-Key", in: "header", required: true, schema: { type: "string", minLength: 1, maxLength: 255 }, description: "Unique per order, printable ASCII" },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["items"],
                additionalProperties: false,
                properties: {
                  items: {
                    type: "array",
                    minItems: 1,
                    maxItems: 50,
                    items: {
                      type: "object",
                      required: ["variant_id", "quantity"],
                      additionalProperties: false,
                      properties: {
                        variant_id: { type: "string" },
                        quantity: { type: "integer", minimum: 1, maximum: 10000 },
                        recipient: {
                          type: "object",
                          description: "Required for a top-up variant, refused otherwise: its product's fields (e.g. `{ \"account\": \"13800138000\" }`), sealed on arrival",
                          additionalProperties: { type: "string", maxLength: 200 },
                          minProperties: 1,
                          maxProperties: 10,
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        responses: {
          "201": json("The order with its codes in plaintext (Cache-Control: no-store)", agentOrder),
          "400": error("Bad body or key; insufficient funds; quota exceeded; out of stock; price floor", "Insufficient funds: the posting would take an agent below its balance plus credit limit"),
          "401": unauthorized,
          "403": error("The key lacks the scope", "This API key lacks the scope orders:write"),
          "404": error("An item's variant does not exist", "items[0].variant_id: variant variant_… was not found"),
          "409": error("The same key is still being processed (a request of an earlier store version)", "The request conflicted with another request. You may retry the request with the provided Idempotency-Key."),
          "422": error("The key was used with another body", 'Idempotency-Key "po-2026-0042" was already used with a different request body'),
        },
      },
      get: {
        summary: "The agent's orders, newest first",
        description:
          "Scope `orders:read`. Without codes; each order with the Idempotency-Key it was placed with. `idempotency_key` finds the order of one key " +
          "(none: an empty list) — how a client that lost an answer learns whether its order went through. " +
          "`curl \"$API/wholesale/orders?limit=20&offset=0\" -H \"authorization: Bearer $KEY\"`",
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
          { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
          { name: "idempotency_key", in: "query", schema: { type: "string", minLength: 1, maxLength: 255 }, description: "Only the order placed with this Idempotency-Key" },
        ],
        responses: {
          "200": json("A page of orders", {
            type: "object",
            properties: {
              orders: { type: "array", items: listedOrder },
              count: { type: "integer" },
              limit: { type: "integer" },
              offset: { type: "integer" },
            },
          }),
          "401": unauthorized,
          "403": error("The key lacks the scope", "This API key lacks the scope orders:read"),
        },
      },
    },
    "/wholesale/orders/{id}": {
      get: {
        summary: "One order, codes masked",
        description: "Scope `orders:read`. `curl $API/wholesale/orders/aord_… -H \"authorization: Bearer $KEY\"`",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": json("The order, codes masked", agentOrder), "401": unauthorized, "404": notFound },
      },
    },
    "/wholesale/orders/{id}/codes": {
      post: {
        summary: "The order's codes in plaintext again (audited)",
        description: "Scope `orders:read`. Every call is recorded as a reveal in the audit log. `curl -X POST $API/wholesale/orders/aord_…/codes -H \"authorization: Bearer $KEY\" -H \"content-type: application/json\" -d '{}'`",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": json("The order with its codes in plaintext (Cache-Control: no-store)", agentOrder), "401": unauthorized, "404": notFound },
      },
    },
    "/wholesale/vouchers/validate": {
      post: {
        summary: "Check a voucher of this store (核销), changing nothing",
        description: "Scope `vouchers:redeem`. Unknown, unsold and other stores' codes all answer the same 404 and spend the surface's failure budget." + signedNote,
        parameters: signedHeaders,
        requestBody: { required: true, content: { "application/json": { schema: voucherCode } } },
        responses: { "200": json("The voucher (Cache-Control: no-store)", { type: "object", properties: { voucher } }), "401": unauthorized, "403": error("The key lacks the scope", "This API key lacks the scope vouchers:redeem"), "404": error("Not a voucher of this store", "Voucher not found") },
      },
    },
    "/wholesale/vouchers/redeem": {
      post: {
        summary: "Redeem a voucher: one use, or an amount of a stored value",
        description: "Scope `vouchers:redeem`. Exactly once per `Idempotency-Key` (required): the same request again answers the same redemption (`Idempotent-Replayed: true`); the key with another request is a 422. Two redemptions racing for a voucher's last use or value cannot both succeed." + signedNote,
        parameters: [{ name: "Idempotency-Key", in: "header", required: true, schema: { type: "string", maxLength: 255 } }, ...signedHeaders],
        requestBody: { required: true, content: { "application/json": { schema: { ...voucherCode, properties: { ...voucherCode.properties, amount: { ...money, description: "Stored-value vouchers only: how much to take" } } } } } },
        responses: {
          "200": json("The redemption and the voucher after it", { type: "object", properties: { redemption, voucher } }),
          "400": error("Used up, over the balance, expired, or a bad amount", "Voucher is used up"),
          "401": unauthorized,
          "404": error("Not a voucher of this store", "Voucher not found"),
          "422": error("The key was used for another request", "Idempotency-Key was already used for another redemption request"),
        },
      },
    },
    "/wholesale/vouchers/redemptions/{id}/rollback": {
      post: {
        summary: "Give one of this partner's redemptions back, within the program's window",
        description: "Scope `vouchers:redeem`. Once per redemption; another partner's or a counter's redemption is a 404." + signedNote,
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }, ...signedHeaders],
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["reason"], properties: { reason: { type: "string", minLength: 3 } } } } } },
        responses: { "200": json("The rollback and the voucher after it", { type: "object", properties: { redemption, voucher } }), "400": error("Already rolled back, or past the window", "Redemption vred_… is already rolled back"), "401": unauthorized, "404": error("Not this partner's redemption", "Redemption with id: vred_… was not found") },
      },
    },
    "/wholesale/agents": {
      get: {
        summary: "The agent's sub-agents, as summaries",
        description: "Scope `orders:read`. Every agent below this one (any depth): name, parent, status, depth and, per currency, its order count and total. `curl $API/wholesale/agents -H \"authorization: Bearer $KEY\"`",
        responses: {
          "200": json("Sub-agents", {
            type: "object",
            properties: {
              agents: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    id: { type: "string" },
                    name: { type: "string" },
                    parent_id: { type: "string" },
                    status: { enum: ["active", "frozen"] },
                    depth: { type: "integer" },
                    purchases: { type: "array", items: { type: "object", properties: { currency_code: { type: "string" }, orders: { type: "integer" }, total: money } } },
                  },
                },
              },
            },
          }),
          "401": unauthorized,
        },
      },
    },
  },
} as const

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
                    scopes: { type: "array", items: { enum: ["catalog:read", "orders:read", "orders:write"] } },
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
          "Scope `catalog:read`. Every variant sold from a card pool, at the agent's unit price in its account's currency (the price list of its tier), with the stock available now. " +
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
                          available: { type: "integer", description: "Codes in stock now" },
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
  },
} as const

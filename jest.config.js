const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: "es2021",
        },
      },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/", "<rootDir>/.data/", "<rootDir>/storefront/"],
  setupFiles: ["./integration-tests/setup.js"],
}

if (process.env.TEST_TYPE === "integration:http") {
  module.exports.testMatch = ["**/integration-tests/http/*.spec.[jt]s"]
} else if (process.env.TEST_TYPE === "integration:modules") {
  // Every spec under src that is not a unit spec needs PostgreSQL or Redis: the modules' services through
  // moduleIntegrationTestRunner, and the API layer's Redis-backed pieces (src/api/__tests__/rate-limit-redis.spec.ts).
  module.exports.testMatch = ["**/src/**/__tests__/**/*.spec.[jt]s"]
  module.exports.testPathIgnorePatterns = ["/node_modules/", "\\.unit\\.spec\\."]
} else if (process.env.TEST_TYPE === "chaos") {
  // The scale-out deployment in child processes, killed and restarted under traffic (integration-tests/chaos/).
  module.exports.testMatch = ["**/integration-tests/chaos/*.spec.[jt]s"]
} else if (process.env.TEST_TYPE === "unit") {
  // Unit specs reach no database, Redis or other network service (an in-process server on loopback is theirs).
  module.exports.testMatch = ["**/src/**/__tests__/**/*.unit.spec.[jt]s"]
}

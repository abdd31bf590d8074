const { loadEnv } = require("@medusajs/framework/utils")
const path = require("path")
loadEnv("test", path.resolve(__dirname, ".."))

/** Benchmarks run through Medusa's own test runners (a real database per file), one file at a time. */
module.exports = {
  rootDir: path.resolve(__dirname, ".."),
  transform: require("../jest.config.js").transform,
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/", "<rootDir>/.data/"],
  setupFiles: ["./integration-tests/setup.js"],
  testMatch: ["<rootDir>/bench/*.bench.ts"],
}

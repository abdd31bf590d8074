import fs from "fs"
import path from "path"

type ModuleEntry = { resolve?: string; options?: { redis?: { jobWorkerOptions?: { concurrency?: number } } } }

/** The app's configuration for the scale-out deployment (docs/operations.md#scale-out). */
describe("medusa-config on Redis", () => {
  const saved = process.env.REDIS_URL
  afterAll(() => {
    if (saved === undefined) delete process.env.REDIS_URL
    else process.env.REDIS_URL = saved
  })

  it("lets the workflow engine run every scheduled job of the plugin side by side (BullMQ's default is one at a time)", () => {
    process.env.REDIS_URL = "redis://localhost:6379/15"
    let config: { modules?: Record<string, ModuleEntry> | ModuleEntry[] } = {}
    jest.isolateModules(() => {
      config = require("../../medusa-config")
    })
    const modules = Object.values(config.modules ?? {}) as ModuleEntry[]
    const engine = modules.find((m) => m.resolve === "@medusajs/medusa/workflow-engine-redis")
    expect(engine).toBeDefined()
    const jobs = fs.readdirSync(path.join(__dirname, "../jobs")).filter((f) => f.endsWith(".ts"))
    expect(jobs.length).toBeGreaterThan(10)
    expect(engine!.options!.redis!.jobWorkerOptions!.concurrency).toBeGreaterThanOrEqual(jobs.length)
  })
})

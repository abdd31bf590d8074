import { model } from "@medusajs/framework/utils"

/**
 * One run of a scheduled job for one cron tick, across every process of a cluster: the unique index on
 * (`job_name`, `tick_at`) lets one claim per tick win. `owner` (`hostname:pid`) holds it until `lease_until`; a run cut
 * off before `finished_at` (a crash) may be taken over by a later attempt of the same tick once the lease has expired
 * (`attempts` counts the claims). `error_message` is the error's message only, at most 500 characters.
 */
export const JobTick = model
  .define("job_tick", {
    id: model.id({ prefix: "jtick" }).primaryKey(),
    job_name: model.text(),
    tick_at: model.dateTime(),
    owner: model.text(),
    attempts: model.number().default(1),
    started_at: model.dateTime(),
    lease_until: model.dateTime(),
    finished_at: model.dateTime().nullable(),
    outcome: model.enum(["succeeded", "failed"]).nullable(),
    error_message: model.text().nullable(),
    duration_ms: model.number().nullable(),
  })
  .indexes([
    { name: "IDX_job_tick_job_name_tick_at_unique", on: ["job_name", "tick_at"], unique: true },
    { on: ["tick_at"] },
  ])

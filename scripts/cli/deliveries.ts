// `delivery retry` and `replay`: the Retry and Replay use cases of the
// dashboard and the API. They only queue; the worker sends.
import { validate } from "../../lib/api/request";
import { parseDuration } from "../../lib/platform/config";
import { previewReplay, replayFailed } from "../../lib/deliveries/replay";
import { retryDelivery } from "../../lib/deliveries/retry";
import { replayInputSchema } from "../../lib/dashboard/schemas";
import { answer, CliError, flagsOf, required, type Command } from "./command";
import { appOfDelivery, appOfEndpoint } from "./owners";

const failed = (count: number) => `${count} failed deliver${count === 1 ? "y" : "ies"}`;

/** An ISO 8601 time, or a duration before `now` (`2h`: two hours ago). */
function timeFlag(value: string, flag: string, now: Date): string {
  const ago = parseDuration(value);
  if (ago !== undefined) return new Date(now.getTime() - ago).toISOString();
  if (Number.isNaN(Date.parse(value))) {
    throw new CliError(`${flag}: give a time such as 2026-12-01T00:00:00Z, or how long ago, such as 2h`);
  }
  return value;
}

export const deliveryCommands: Record<string, Command> = {
  "delivery retry": {
    usage: "delivery retry <delivery-id> [--app APP] [--json]",
    summary: "Queue one more attempt of the delivery, ahead of any backlog",
    flags: { app: "--app", delivery: "<delivery-id>", deliveryId: "<delivery-id>" },
    async run(args, cli) {
      const { values, positionals } = flagsOf(args, { app: { type: "string" } }, ["<delivery-id>"]);
      const deliveryId = positionals[0]!;
      const appId = await appOfDelivery(cli.db(), values.app, deliveryId);
      await retryDelivery(cli.deps(), cli.caller, { appId, deliveryId });
      answer(
        values.json,
        { deliveryId, queued: true },
        () => `Queued a retry of delivery ${deliveryId}; the worker sends it.`,
      );
    },
  },
  replay: {
    usage: "replay --endpoint ID --since TIME [--until TIME] [--types T1,T2] [--app APP] [--dry-run] [--json]",
    summary:
      "Queue every failed delivery of the endpoint in that range again, 10 a second;\n" +
      "TIME is ISO 8601 or how long ago (30m, 2h, 3d); --until defaults to now.\n" +
      "--dry-run only counts them",
    flags: {
      app: "--app",
      endpoint: "--endpoint",
      endpointId: "--endpoint",
      from: "--since",
      to: "--until",
      eventTypes: "--types",
    },
    async run(args, cli) {
      const { values } = flagsOf(args, {
        app: { type: "string" },
        endpoint: { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
        types: { type: "string" },
        "dry-run": { type: "boolean" },
      });
      const now = new Date();
      const endpointId = required(values.endpoint, "--endpoint");
      const from = timeFlag(required(values.since, "--since"), "--since", now);
      const to = values.until === undefined ? now.toISOString() : timeFlag(values.until, "--until", now);
      const appId = await appOfEndpoint(cli.db(), values.app, endpointId);
      const input = validate(replayInputSchema, { appId, endpointId, from, to, eventTypes: values.types ?? "" });
      const range = `from ${input.from} to ${input.to}${input.eventTypes.length > 0 ? ` (${input.eventTypes.join(", ")})` : ""}`;
      if (values["dry-run"]) {
        const preview = await previewReplay(cli.deps(), cli.caller, input);
        const seconds = Math.ceil(preview.count / preview.perSecond);
        answer(
          values.json,
          { dryRun: true, count: preview.count, seconds, from: input.from, to: input.to },
          () =>
            `${failed(preview.count)} of endpoint ${endpointId} ${range} would be queued again, over about ${seconds} s. Nothing was queued.`,
        );
        return;
      }
      const replayed = await replayFailed(cli.deps(), cli.caller, input);
      answer(
        values.json,
        { dryRun: false, count: replayed.queued, seconds: replayed.seconds, from: input.from, to: input.to },
        () =>
          `Queued ${failed(replayed.queued)} of endpoint ${endpointId} ${range}, over about ${replayed.seconds} s; the worker sends them.`,
      );
    },
  },
};

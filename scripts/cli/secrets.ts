// `secrets reseal`: endpoint secrets sealed again with the primary key.
import { resealEndpointSecrets } from "../../lib/endpoints/endpoints";
import { generateKeyEntry } from "../../lib/endpoints/secret-box";
import { ensureLocalSecret } from "../local-secrets";
import { migrate } from "../services";
import { flagsOf, type Command } from "./command";

export const secretCommands: Record<string, Command> = {
  "secrets reseal": {
    usage: "secrets reseal",
    summary: "Re-encrypt endpoint secrets with the first key of SECRETS_ENCRYPTION_KEYS (after adding a new key)",
    async run(args, cli) {
      flagsOf(args, {});
      ensureLocalSecret("SECRETS_ENCRYPTION_KEYS", "secrets-encryption-keys", generateKeyEntry);
      await migrate(cli.config.DATABASE_URL, { quiet: true });
      const count = await resealEndpointSecrets(cli.db());
      console.log(`Re-encrypted the secrets of ${count} endpoint(s) with the primary key.`);
    },
  },
};

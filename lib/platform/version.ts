import packageJson from "../../package.json";

export const HOOKPOST_VERSION: string = packageJson.version;
export const USER_AGENT = `Hookpost/${HOOKPOST_VERSION}`;

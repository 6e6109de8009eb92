// How an app's portal looks to its consumer: a display name, a logo and an
// accent colour, checked here once for the API, the dashboard and the
// portal. The accent's text colour and link shade are derived so that
// both stay readable (WCAG contrast), whatever colour the operator chose.
import { z } from "zod";

export const brandingFields = {
  displayName: z.string().trim().min(1, "displayName must not be empty (send null to clear it)").max(100).nullable(),
  logoUrl: z
    .url({ protocol: /^https$/, error: "logoUrl must be an https URL" })
    .max(2048)
    .refine((url) => {
      const parsed = new URL(url);
      return parsed.username === "" && parsed.password === "";
    }, "logoUrl must not hold a user name or password")
    .nullable(),
  accentColor: z
    .string()
    .trim()
    .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, "accentColor must be a hex colour like #3b5bdb")
    .transform(normalizeHex)
    .nullable(),
};

export interface Branding {
  displayName: string | null;
  logoUrl: string | null;
  accentColor: string | null;
}

/** The app's name as its viewer knows it: the portal shows the display name when there is one. */
export function shownName(portal: boolean, app: { name: string; displayName?: string | null }): string {
  return portal ? (app.displayName ?? app.name) : app.name;
}

/** "#ABC" as "#aabbcc". */
export function normalizeHex(hex: string): string {
  const digits = hex.trim().slice(1).toLowerCase();
  return `#${digits.length === 3 ? [...digits].map((digit) => digit + digit).join("") : digits}`;
}

type Rgb = [number, number, number];

function toRgb(hex: string): Rgb {
  const value = Number.parseInt(normalizeHex(hex).slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, "0")).join("")}`;
}

/** WCAG 2 relative luminance. */
export function luminance(hex: string): number {
  const [r, g, b] = toRgb(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The text colour, white or black, that reads better on `background`. One
 * of the two always reaches 4.5:1 (the worst case, a background of
 * luminance 0.18, still gives about 4.58).
 */
export function textColorOn(background: string): string {
  return contrastRatio(background, "#ffffff") >= contrastRatio(background, "#000000") ? "#ffffff" : "#000000";
}

/** The page background links sit on (app/globals.css --bg). */
const PAGE_BACKGROUND = "#f7f7f8";
/** WCAG AA for normal text. */
const READABLE = 4.5;

/** The accent darkened, in small steps toward black, until text in it reads on the page background. */
export function readableOnPage(accent: string): string {
  let rgb = toRgb(accent);
  for (let step = 0; step < 40 && contrastRatio(toHex(rgb), PAGE_BACKGROUND) < READABLE; step++) {
    rgb = rgb.map((channel) => channel * 0.92) as Rgb;
  }
  return toHex(rgb);
}

/** The CSS custom properties (app/globals.css) a branded portal sets. */
export function accentProperties(accent: string): Record<"--accent" | "--accent-text" | "--link", string> {
  return { "--accent": accent, "--accent-text": textColorOn(accent), "--link": readableOnPage(accent) };
}

// The portal's accent colour: text on it and links in it stay readable
// (WCAG AA, 4.5:1) whatever colour the operator picks.
import { describe, expect, it } from "vitest";
import { accentProperties, contrastRatio, normalizeHex, readableOnPage, textColorOn } from "../../lib/apps/branding";

describe("branding colours", () => {
  it("normalizes #abc to #aabbcc", () => {
    expect(normalizeHex("#ABC")).toBe("#aabbcc");
    expect(normalizeHex("#0B7285")).toBe("#0b7285");
  });

  it("measures contrast as WCAG does", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it("puts dark text on light accents and white text on dark ones", () => {
    expect(textColorOn("#ffd43b")).not.toBe("#ffffff");
    expect(textColorOn("#1a237e")).toBe("#ffffff");
    for (const accent of ["#ffd43b", "#1a237e", "#40c057", "#ff0000", "#777777", "#00ffff", "#3b5bdb"]) {
      expect(contrastRatio(accent, textColorOn(accent)), accent).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("darkens an accent too light to read as a link on the page, and keeps one that reads", () => {
    expect(readableOnPage("#1a237e")).toBe("#1a237e");
    for (const accent of ["#ffd43b", "#40c057", "#00ffff", "#ffffff"]) {
      const link = readableOnPage(accent);
      expect(contrastRatio(link, "#f7f7f8"), accent).toBeGreaterThanOrEqual(4.5);
    }
    expect(accentProperties("#ffd43b")).toMatchObject({ "--accent": "#ffd43b" });
  });
});

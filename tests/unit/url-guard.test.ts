import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/platform/errors";
import { checkEndpointUrl, isAllowedAddress } from "@/lib/endpoints/url-guard";

const strict = { allowPrivate: false, allowedCidrs: [] };

describe("isAllowedAddress", () => {
  it.each([
    "127.0.0.1",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fd00::1",
    "fe80::1",
    "::ffff:a9fe:a9fe",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
  ])("refuses %s", (address) => {
    expect(isAllowedAddress(address, strict)).toBe(false);
  });

  it.each(["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])("allows public %s", (address) => {
    expect(isAllowedAddress(address, strict)).toBe(true);
  });

  it("opens exceptions for ALLOWED_PRIVATE_CIDRS only", () => {
    const policy = { allowPrivate: false, allowedCidrs: ["10.1.0.0/16"] };
    expect(isAllowedAddress("10.1.2.3", policy)).toBe(true);
    expect(isAllowedAddress("10.2.0.1", policy)).toBe(false);
  });

  it("allows everything with ALLOW_PRIVATE_ENDPOINTS", () => {
    expect(isAllowedAddress("127.0.0.1", { allowPrivate: true, allowedCidrs: [] })).toBe(true);
  });
});

describe("checkEndpointUrl", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[::ffff:7f00:1]/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://[::1]/",
    "http://10.0.0.1/",
    "http://[fd00::1]/",
    "http://100.64.0.1/",
    "http://localhost:3000/",
    "http://localhost./",
    "http://LOCALHOST.:6379/",
    "http://foo.localhost./",
    "http://localhost../",
    "http://localhost%2e/",
    "http://loc%61lhost/",
    "http://ｌｏｃａｌｈｏｓｔ/",
    "http://localhost。/",
    "http://localhost.localdomain/",
    "http://ip6-localhost/",
    "http://127.0.0.1./",
  ])("refuses %s", (url) => {
    expect(() => checkEndpointUrl(url, strict)).toThrow(ValidationError);
  });

  it.each(["ftp://example.com/", "not a url", "http://user:pass@example.com/"])("refuses %s", (url) => {
    expect(() => checkEndpointUrl(url, strict)).toThrow(ValidationError);
  });

  it("accepts names that only contain localhost", () => {
    for (const url of ["https://localhost.example.com/", "https://notlocalhost/", "https://example.com./"]) {
      expect(checkEndpointUrl(url, strict).hostname).toBe(new URL(url).hostname);
    }
  });

  it("accepts public http(s) URLs", () => {
    expect(checkEndpointUrl("https://hooks.example.com/in?x=1", strict).toString()).toBe(
      "https://hooks.example.com/in?x=1",
    );
  });
});

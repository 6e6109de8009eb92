"use client";
// Copies an id, a URL, a payload or a header to the clipboard: the things
// someone debugging an endpoint pastes into a terminal or a ticket.
import { useState } from "react";

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      // The browser refused (no permission, or not a secure context): say so rather than pretend.
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2_000);
  }
  return (
    <button type="button" className="copy" aria-label={`Copy ${label}`} onClick={() => void copy()}>
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
    </button>
  );
}

"use client";
// A table's box: on a screen narrower than the table it scrolls sideways
// inside the box, not the page, and says so, since a phone shows no
// scrollbar until one starts scrolling. Focusable, so that the keyboard
// can scroll it too.
import { useEffect, useRef, useState, type ReactNode } from "react";

export function TableScroller({ label, busy, children }: { label: string; busy?: boolean; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setOverflows(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <>
      {overflows && (
        <p className="scroll-hint muted small" aria-hidden="true">
          Scroll sideways for more columns →
        </p>
      )}
      <div
        ref={box}
        className="table-wrap"
        role="region"
        aria-label={label}
        aria-busy={busy}
        tabIndex={overflows ? 0 : undefined}
      >
        {children}
      </div>
    </>
  );
}

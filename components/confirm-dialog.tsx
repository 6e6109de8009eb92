"use client";
// A question before a change: the browser's own modal <dialog>, which keeps
// focus inside it, closes on Escape and gives focus back to what opened it.
// Cancel comes first, so it is where focus lands when the dialog opens.
import { useEffect, useId, useRef, type ReactNode } from "react";

export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  /** The confirming button's text; without it the dialog only informs and offers Cancel. */
  confirmLabel?: string;
  onConfirm: () => void;
  /** Called however the dialog closes: Cancel, Escape or a confirmation. */
  onClose: () => void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <div className="actions dialog-actions">
        <button type="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        {confirmLabel && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        )}
      </div>
    </dialog>
  );
}

"use client";
// Buttons that change an endpoint: each calls a server action, which checks
// the caller again; a refusal is shown with its status.
import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  revealSecretAction,
  rotateSecretAction,
  sendTestEventAction,
  setEndpointEnabledAction,
} from "@/app/apps/actions";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { ConfirmDialog } from "./confirm-dialog";
import { TimeAgo } from "./time-ago";

function failure(result: ActionResult<unknown>): string | undefined {
  return result.ok ? undefined : `${result.status}: ${result.message}`;
}

interface Expiry {
  expiresAt: string;
}

function Until({ expiry }: { expiry: Expiry }) {
  return (
    <>
      <strong>
        <time dateTime={expiry.expiresAt} title={new Date(expiry.expiresAt).toUTCString()}>
          {new Date(expiry.expiresAt).toUTCString()}
        </time>
      </strong>{" "}
      (<TimeAgo iso={expiry.expiresAt} />)
    </>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

export function EndpointActions({
  appId,
  endpointId,
  disabled,
  allowed,
  previousSecrets,
  maxPreviousSecrets,
  testEventTypes,
}: {
  appId: string;
  endpointId: string;
  disabled: boolean;
  allowed: boolean;
  /** Rotated-out secrets still signing, newest first. */
  previousSecrets: Expiry[];
  maxPreviousSecrets: number;
  /** The app's catalogue: a test event can send one of these with its example payload. */
  testEventTypes: string[];
}) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [rotated, setRotated] = useState<{ key: string; previousSecretExpiresAt: string; droppedSecrets: Expiry[] }>();
  // The oldest still signing, which the next rotation would stop at once.
  const dropsNext = previousSecrets.length >= maxPreviousSecrets ? previousSecrets.at(-1) : undefined;
  const [revealed, setRevealed] = useState<string>();
  const [confirmingRotation, setConfirmingRotation] = useState(false);
  const ref = { appId, endpointId };
  // Empty: the generic hookpost.test event.
  const [testType, setTestType] = useState("");

  async function run<T>(name: string, call: () => Promise<ActionResult<T>>, onOk: (data: T) => void) {
    setBusy(name);
    setError(undefined);
    const result = await call();
    setBusy(undefined);
    if (result.ok) onOk(result.data);
    else setError(failure(result));
  }

  return (
    <div className="panel">
      <h2 className="panel-title">Actions</h2>
      <div className="actions">
        {testEventTypes.length > 0 && (
          <select
            aria-label="Test event type"
            value={testType}
            disabled={!allowed || busy !== undefined}
            onChange={(event) => setTestType(event.target.value)}
            style={{ width: "auto", maxWidth: "100%" }}
          >
            <option value="">hookpost.test (generic)</option>
            {testEventTypes.map((name) => (
              <option key={name} value={name}>
                {name} (its example)
              </option>
            ))}
          </select>
        )}
        <button
          type="button"
          disabled={!allowed || busy !== undefined}
          onClick={() =>
            void run(
              "test",
              () => sendTestEventAction({ ...ref, ...(testType ? { eventType: testType } : {}) }),
              (sent) => router.push(`/apps/${appId}/deliveries/${sent.deliveryId}`),
            )
          }
        >
          Send test event
        </button>
        <button
          type="button"
          disabled={!allowed || busy !== undefined}
          aria-haspopup="dialog"
          onClick={() => setConfirmingRotation(true)}
        >
          Rotate secret
        </button>
        <button
          type="button"
          disabled={!allowed || busy !== undefined}
          onClick={() =>
            void run(
              "reveal",
              () => revealSecretAction(ref),
              (data) => setRevealed(data.key),
            )
          }
        >
          Reveal secret
        </button>
        {allowed ? (
          <a className="button" href={`/apps/${appId}/endpoints/${endpointId}/edit`}>
            Edit
          </a>
        ) : (
          <button type="button" disabled>
            Edit
          </button>
        )}
        <button
          type="button"
          className={disabled ? undefined : "danger"}
          disabled={!allowed || busy !== undefined}
          onClick={() =>
            void run(
              "toggle",
              () => setEndpointEnabledAction({ ...ref, enabled: disabled }),
              () => router.refresh(),
            )
          }
        >
          {disabled ? "Enable" : "Disable"}
        </button>
      </div>
      {previousSecrets.length > 0 && (
        <div className="small" data-testid="previous-secrets">
          <p style={{ marginBottom: 4 }}>Rotated-out secrets still signing, each until its overlap ends:</p>
          <ul style={{ marginTop: 0 }}>
            {previousSecrets.map((expiry, index) => (
              <li key={`${expiry.expiresAt}-${index}`}>
                until <Until expiry={expiry} />
              </li>
            ))}
          </ul>
          {dropsNext && (
            <p className="notice" role="status">
              At most {maxPreviousSecrets} rotated-out secrets sign alongside the current one: rotating now stops the
              oldest, which would sign until <Until expiry={dropsNext} />, at once.
            </p>
          )}
        </div>
      )}
      <ConfirmDialog
        open={confirmingRotation}
        title="Rotate the signing secret?"
        confirmLabel="Rotate"
        onClose={() => setConfirmingRotation(false)}
        onConfirm={() =>
          void run(
            "rotate",
            () => rotateSecretAction(ref),
            (data) => {
              setRevealed(undefined);
              setRotated(data);
              router.refresh();
            },
          )
        }
      >
        <p>
          A new secret signs every delivery from now on. The current one keeps signing alongside it for a while, so the
          receiver can switch over without rejecting a delivery. The new secret is shown once.
        </p>
        {dropsNext && (
          <p className="notice">
            The oldest rotated-out secret, which would sign until <Until expiry={dropsNext} />, stops signing at once.
          </p>
        )}
      </ConfirmDialog>
      {!allowed && <p className="muted small">Your role can look but not change anything.</p>}
      {busy && (
        <p className="muted small" role="status">
          Working…
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {rotated && (
        <div className="success" style={{ marginTop: 12 }} data-testid="new-secret">
          <p style={{ marginTop: 0 }}>New signing secret. It is shown only now: copy it to your receiver.</p>
          <div className="actions">
            <span className="secret" data-testid="secret-value">
              {rotated.key}
            </span>
            <CopyButton text={rotated.key} />
          </div>
          <p className="small" style={{ marginBottom: 0 }}>
            The previous secret keeps signing too until{" "}
            <Until expiry={{ expiresAt: rotated.previousSecretExpiresAt }} />.
          </p>
          {rotated.droppedSecrets.map((expiry, index) => (
            <p className="small" style={{ marginBottom: 0 }} key={`${expiry.expiresAt}-${index}`}>
              The oldest rotated-out secret, which would have signed until <Until expiry={expiry} />, stopped signing
              now: at most {maxPreviousSecrets} sign alongside the current one.
            </p>
          ))}
        </div>
      )}
      {revealed && (
        <div style={{ marginTop: 12 }}>
          <div className="actions">
            <span className="secret" data-testid="secret-value">
              {revealed}
            </span>
            <CopyButton text={revealed} />
            <button type="button" onClick={() => setRevealed(undefined)}>
              Hide
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

// "Open on another screen": the session's link, a Copy button and a QR code of the link, so a
// phone or a projector joins this session. The QR encoder (uqr) loads only when Settings opens.
import { useEffect, useState } from "preact/hooks";
import { shareLink } from "../api";
import { Icon } from "../icons";

type CopyState = "idle" | "copied" | "manual";

export function ShareSession({ sessionId, open }: { sessionId: string | null; open: boolean }) {
  const link = sessionId ? shareLink(window.location.origin, sessionId) : null;
  const [svg, setSvg] = useState<string | null>(null);
  const [qrFailed, setQrFailed] = useState(false);
  const [copy, setCopy] = useState<CopyState>("idle");

  useEffect(() => {
    setCopy("idle");
    if (!open || link === null) return;
    let live = true;
    setQrFailed(false);
    import("../qr").then(
      // Dark on white whatever the theme: phones' cameras read that best.
      ({ renderSVG }) => live && setSvg(renderSVG(link, { ecc: "M", border: 2, pixelSize: 4 })),
      () => live && setQrFailed(true),
    );
    return () => {
      live = false;
    };
  }, [open, link]);

  const copyLink = async (input: HTMLInputElement | null) => {
    if (link === null) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopy("copied");
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for Ctrl+C.
      input?.focus();
      input?.select();
      setCopy("manual");
    }
  };

  return (
    <section aria-labelledby="share-title" class="share">
      <h3 id="share-title">Open on another screen</h3>
      {link === null ? (
        <p class="muted">Connecting…</p>
      ) : (
        <div class="share-body">
          <div class="share-text">
            <p class="muted small">Open this link on a phone, a tablet or a projector: every screen shows the same conversation and dashboard.</p>
            <label class="field">
              <span>Session link</span>
              <span class="share-row">
                <input
                  id="session-link"
                  type="text"
                  readOnly
                  value={link}
                  data-testid="session-link"
                  onFocus={(e) => (e.target as HTMLInputElement).select()}
                />
                <button
                  type="button"
                  class="btn"
                  data-testid="copy-link"
                  onClick={(e) => void copyLink((e.currentTarget as HTMLElement).parentElement?.querySelector("input") ?? null)}
                >
                  <Icon name={copy === "copied" ? "check" : "copy"} size={16} />
                  <span>{copy === "copied" ? "Copied" : "Copy"}</span>
                </button>
              </span>
            </label>
            <p class="muted small" role="status" data-testid="copy-status">
              {copy === "copied" ? "The link is on the clipboard." : copy === "manual" ? "Press Ctrl+C (⌘C) to copy the selected link." : ""}
            </p>
          </div>
          {qrFailed ? (
            <p class="muted small">The QR code could not be drawn; use the link.</p>
          ) : (
            <div
              class="qr"
              role="img"
              aria-label={`QR code of the session link ${link}`}
              data-testid="session-qr"
              data-link={link}
              aria-busy={svg === null}
              // The SVG is uqr's rendering of a link made of our origin and a validated id.
              dangerouslySetInnerHTML={svg === null ? undefined : { __html: svg }}
            />
          )}
        </div>
      )}
    </section>
  );
}

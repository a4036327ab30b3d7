/**
 * How a flow talks to the person in front of the key. The CLI answers on the terminal; the app
 * answers through IPC prompts. Every call may be abandoned through the flow's AbortSignal.
 * A PIN is returned as a string (JS strings cannot be wiped); flows turn it into bytes at once
 * and zero those after use (DESIGN.md "The rules that keep it simple").
 * @module
 */

export interface PinRequest {
  /** `current`: unlock with the existing PIN; `new`: choose a PIN (set or change). */
  purpose: 'current' | 'new';
  /** Retries left before the key locks, when known. */
  retries: number | null;
  /** Minimum length in Unicode code points (max(4, key's minPINLength)). */
  minLength: number;
  /** Maximum length in UTF-8 bytes (63 per spec, less on some keys). */
  maxBytes: number;
  /** Why we ask again, in plain words ("That PIN was wrong. 5 tries left."). */
  retryReason?: string;
  /**
   * Who refused the previous answer: `host` (a policy check here; nothing was sent, no try spent)
   * or `key` (the key said the PIN was wrong; `retries` went down). Set whenever retryReason is.
   */
  retryCause?: 'host' | 'key';
}

export type TouchReason = 'reset' | 'select' | 'enroll' | 'make-credential' | 'get-assertion' | 'generic';

export interface TouchRequest {
  reason: TouchReason;
  /** Plain, vendor-aware instruction ("Touch the metal contact when the LED flashes"). */
  instruction: string;
  /** Clock time (ms) after which the key stops waiting, when known (reset window, touch timeout). */
  deadline?: number;
}

export interface ReinsertRequest {
  phase: 'remove' | 'insert';
  /** Plain instruction for this phase ("Remove your YubiKey", "Tap your key on the reader again"). */
  instruction: string;
}

export interface ConfirmRequest {
  /** Short title of the action ("Reset this security key"). */
  action: string;
  /** Everything that will be lost, in plain words; the user must see these before agreeing. */
  consequences: string[];
}

/** Live progress of a multi-step flow (enrollment samples, enumeration counts). */
export interface ProgressEvent {
  message: string;
  current?: number;
  total?: number;
}

export interface UserPrompts {
  pin(request: PinRequest, signal?: AbortSignal): Promise<string>;
  confirm(request: ConfirmRequest, signal?: AbortSignal): Promise<boolean>;
  /** The key is waiting for a touch now; call the returned function when it no longer is. */
  touch(request: TouchRequest): () => void;
  /** Ask the person to remove / reinsert the key; the flow itself watches discovery for it. */
  reinsert(request: ReinsertRequest): () => void;
  progress(event: ProgressEvent): void;
}

/**
 * The report-level seam under CTAPHID (libfido2's io functions): 64-byte reports in and out.
 * node-hid.ts implements it for real devices; virtual/hid-device.ts for the virtual key.
 * @module
 */

/** CTAPHID report size for full-speed USB FIDO devices (CTAP 2.1 §11.2.4). */
export const HID_REPORT_SIZE = 64;

export interface HidConnection {
  /** Write one output report of HID_REPORT_SIZE bytes (no report-ID prefix; the adapter adds it). */
  write(report: Uint8Array): Promise<void>;
  /**
   * Read one input report. Resolves null when nothing arrived within `timeoutMs`.
   * Rejects with TransportError('disconnected') when the device is gone.
   */
  read(timeoutMs: number): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

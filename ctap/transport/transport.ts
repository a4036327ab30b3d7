/**
 * The one narrow seam between CTAP and the bytes (python-fido2's CtapDevice.call): a command byte
 * and a payload in, the response payload out. USB (CTAPHID) and NFC (ISO 7816) both implement it,
 * so nothing above this file can tell them apart.
 * @module
 */

/** Command bytes, named as CTAPHID names them (CTAP 2.1 §11.2.9); NFC maps CBOR/MSG onto APDUs. */
export const TransportCommand = {
  PING: 0x01,
  MSG: 0x03,
  LOCK: 0x04,
  INIT: 0x06,
  WINK: 0x08,
  CBOR: 0x10,
  CANCEL: 0x11,
  KEEPALIVE: 0x3b,
  ERROR: 0x3f,
} as const;

/** What a waiting key says it is doing (CTAPHID_KEEPALIVE status, NFC 0x9100 status byte). */
export type KeepaliveStatus = 'processing' | 'user-presence-needed';

export interface TransactOptions {
  /** Aborting sends CTAPHID_CANCEL (USB) or NFCCTAP_GETRESPONSE with P1=0x11 (NFC). */
  signal?: AbortSignal;
  /** Called once per change of keepalive status, not for every keepalive frame. */
  onKeepalive?: (status: KeepaliveStatus) => void;
  /**
   * How long to wait for the first response byte while the key sends nothing at all. Keepalives
   * restart it: a key waiting for a touch may legitimately take 30 s or more.
   */
  timeoutMs?: number;
}

export type TransportKind = 'hid' | 'nfc';

export interface TransportCapabilities {
  /** Speaks CTAP2 (CTAPHID CAPABILITY_CBOR / NFC applet answers FIDO_2_0). */
  readonly cbor: boolean;
  /** Speaks CTAP1/U2F (absence = CTAPHID CAPABILITY_NMSG). */
  readonly msg: boolean;
  /** Can blink/wink to show which key it is. */
  readonly wink: boolean;
}

export interface CtapTransport {
  readonly kind: TransportKind;
  readonly capabilities: TransportCapabilities;
  /** Send one command and return its full response payload (for CBOR: status byte + CBOR). */
  transact(command: number, data: Uint8Array, options?: TransactOptions): Promise<Uint8Array>;
  /** CTAPHID_WINK; throws UnsupportedError where the transport/key cannot. */
  wink(options?: TransactOptions): Promise<void>;
  /**
   * Switch the key off and on without a person — a new power-up, as a replug or a new tap, so
   * the reset window (§6.6) starts again. Present only where the transport can (a PC/SC reader
   * that can unpower its card); absent, the person lifts and taps, or unplugs and replugs.
   */
  powerCycle?(options?: { signal?: AbortSignal }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Virtual key configuration: what the key *is* (capabilities, identity, firmware quirks).
 * Fixed for the life of a key; what it *holds* lives in state.ts (Chromium's
 * VirtualFidoDevice Config/State split).
 * @module
 */

export type PresetName = 'ctap21' | 'ctap21-pre' | 'ctap20';

export interface VirtualKeyConfig {
  preset: string;
  /** Shown in lists; the app always labels a virtual key "Simulated key" as well. */
  productName: string;
  manufacturer: string;
  vid: number;
  pid: number;
  serial: string;
  aaguid: Uint8Array;
  versions: string[];
  extensions: string[];
  /**
   * Static getInfo options. Dynamic ones (clientPin set?, alwaysUv, bioEnroll enrolled?, ep) are
   * filled from state at getInfo time; list here only whether the capability exists.
   */
  options: Record<string, boolean>;
  pinUvAuthProtocols: number[];
  maxMsgSize: number;
  maxCredentialCountInList: number;
  maxCredentialIdLength: number;
  transports: string[];
  firmwareVersion: number;
  /** Discoverable credential slots (25 on a YubiKey 5, 100 on newer keys). */
  credentialSlots: number;
  maxRPIDsForSetMinPINLength: number;
  /** Capabilities the key has at all. */
  supports: {
    clientPin: boolean;
    /** getPinUvAuthTokenUsingPinWithPermissions & friends (CTAP 2.1); false → legacy getPinToken only. */
    permissionTokens: boolean;
    credMgmt: 'full' | 'preview' | 'none';
    bio: 'full' | 'preview' | 'none';
    config: boolean;
    enterpriseAttestation: boolean;
    /** Answers CTAPHID_MSG (U2F). */
    u2f: boolean;
    /** Answers CTAP2 at all (false = U2F-only key). */
    ctap2: boolean;
    selection: boolean;
    wink: boolean;
  };
  bio: {
    maxTemplates: number;
    samplesRequired: number;
    maxTemplateFriendlyName: number;
  };
  reset: {
    /** Reset allowed only this long after power-up (5 s on old YubiKeys, 10 s per spec). */
    windowMs: number;
    longTouchForReset: boolean;
    /** null = reset over every transport. */
    transportsForReset: string[] | null;
    /** OpenSK-style: any command other than getInfo/selection revokes the reset permission. */
    dropsPermissionAfterOtherCommands: boolean;
    /** OpenSK-style: traffic on another CTAPHID channel revokes the reset permission. */
    dropsPermissionOnOtherChannel: boolean;
  };
  /** How long the key waits for a touch before giving up. */
  touchTimeoutMs: number;
  /** Status sent when no touch came: 0x2F per spec, 0x3A on YubiKeys. */
  touchTimeoutStatus: number;
  /** Simulated USB latency per 64-byte report (0 = none); benchmarks use 1 ms. */
  reportLatencyMs: number;
}

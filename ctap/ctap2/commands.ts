/**
 * CTAP2 command bytes — CTAP 2.1 §6 "Authenticator API" (and the 2.1-PRE preview commands).
 * @module
 */
import { hex } from '../bytes.js';

export const Ctap2Command = {
  MAKE_CREDENTIAL: 0x01,
  GET_ASSERTION: 0x02,
  GET_INFO: 0x04,
  CLIENT_PIN: 0x06,
  RESET: 0x07,
  GET_NEXT_ASSERTION: 0x08,
  BIO_ENROLLMENT: 0x09,
  CREDENTIAL_MANAGEMENT: 0x0a,
  SELECTION: 0x0b,
  LARGE_BLOBS: 0x0c,
  CONFIG: 0x0d,
  /** FIDO_2_1_PRE prototype commands (YubiKey 5.2–5.6 and others). */
  BIO_ENROLLMENT_PREVIEW: 0x40,
  CREDENTIAL_MANAGEMENT_PREVIEW: 0x41,
} as const;

export type Ctap2CommandCode = (typeof Ctap2Command)[keyof typeof Ctap2Command];

const commandNames = new Map<number, string>(Object.entries(Ctap2Command).map(([name, code]) => [code, name]));

export function commandName(code: number): string {
  return commandNames.get(code) ?? hex(code);
}

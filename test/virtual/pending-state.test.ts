/**
 * A started enumeration lives only until the platform sends another command (§6.8; real keys
 * such as FIDO2Applet drop it, FIDO2Applet#54). Driven through the production HID transport.
 */
import { describe, expect, it } from 'vitest';
import type { CborValue } from '../../ctap/cbor.js';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { openVirtualKey, storedCredential } from '../flows/manage-helpers.js';

const PIN = '135790';

async function beginRpEnumeration() {
  const harness = await openVirtualKey({ pin: PIN });
  for (const rpId of ['a.example', 'b.example', 'c.example']) harness.key.state.credentials.push(storedCredential({ rpId, user: rpId }));
  const token = await new ClientPin(harness.session).getToken(PIN, { permissions: Permission.cm });
  // enumerateRPsBegin (0x02): pinUvAuthParam over the subcommand byte alone (§6.8.3).
  const first = await harness.session.send(Ctap2Command.CREDENTIAL_MANAGEMENT, new Map<number, CborValue>([
    [0x01, 0x02],
    [0x03, token.protocol.version],
    [0x04, token.protocol.authenticate(token.token, Uint8Array.of(0x02))],
  ]));
  expect(first?.get(0x05)).toBe(3);
  const next = () => harness.session.send(Ctap2Command.CREDENTIAL_MANAGEMENT, new Map([[0x01, 0x03]]));
  return { harness, next };
}

describe('pending enumeration state', () => {
  it('continues while only GetNext requests follow', async () => {
    const { harness, next } = await beginRpEnumeration();
    expect((await next())?.get(0x03)).toBeInstanceOf(Map);
    expect((await next())?.get(0x03)).toBeInstanceOf(Map);
    await harness.close();
  });

  it('is dropped by any other command in between', async () => {
    const { harness, next } = await beginRpEnumeration();
    await harness.session.getInfo({ refresh: true });
    const error = await next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtapError);
    expect((error as CtapError).status).toBe(CtapStatus.NOT_ALLOWED);
    await harness.close();
  });
});

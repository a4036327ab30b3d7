/**
 * The virtual key's bioEnrollment handler (CTAP 2.1 §6.7) on its edges: enrollment lifetime,
 * unknown templates, name limits, permissions. Requests go through the production HID transport.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CborMap } from '../../ctap/cbor.js';
import { BioEnrollment, BioResult } from '../../ctap/ctap2/bio-enrollment.js';
import { ClientPin, Permission, type PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { openVirtualKey, type VirtualHarness } from '../flows/manage-helpers.js';

const PIN = '97531';
const harnesses: VirtualHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function setup(permissions: number = Permission.be): Promise<{ h: VirtualHarness; token: PinUvAuthToken; bio: BioEnrollment }> {
  const h = await openVirtualKey({ preset: 'bio', pin: PIN });
  harnesses.push(h);
  const token = await new ClientPin(h.session).getPinUvAuthTokenUsingPin(PIN, { permissions });
  return { h, token, bio: new BioEnrollment(h.session, token) };
}

async function status(run: Promise<unknown>): Promise<number> {
  const result = await run.catch((e: unknown) => e);
  if (!(result instanceof CtapError)) throw new Error(`expected a CtapError, got ${String(result)}`);
  return result.status;
}

describe('virtual bioEnrollment handler', () => {
  it('answers getModality with fingerprint', async () => {
    const { bio } = await setup();
    expect(await bio.getModality()).toBe(1);
  });

  it('refuses a capture with no enrollment in progress, or for another template', async () => {
    const { h, bio } = await setup();
    expect(await status(bio.enrollCaptureNextSample(new Uint8Array([0, 1])))).toBe(CtapStatus.NOT_ALLOWED);
    const begun = await bio.enrollBegin();
    expect(begun).toEqual({ templateId: new Uint8Array([0, 1]), status: 0, remainingSamples: 3 });
    expect(await status(bio.enrollCaptureNextSample(new Uint8Array([0, 2])))).toBe(CtapStatus.INVALID_PARAMETER);
    expect(h.key.state.templates).toEqual([]);
  });

  it('drops a half-made template on cancel (no token needed) and on any other sub-command', async () => {
    const { h, bio } = await setup();
    const first = await bio.enrollBegin();
    await new BioEnrollment(h.session).cancelCurrentEnrollment();
    expect(await status(bio.enrollCaptureNextSample(first.templateId))).toBe(CtapStatus.NOT_ALLOWED);
    const second = await bio.enrollBegin();
    await bio.getFingerprintSensorInfo();
    expect(await status(bio.enrollCaptureNextSample(second.templateId))).toBe(CtapStatus.NOT_ALLOWED);
    expect(h.key.state.templates).toEqual([]);
  });

  it('answers INVALID_OPTION for unknown templates and INVALID_PARAMETER for a name over the limit', async () => {
    const { h, bio } = await setup();
    h.key.state.templates.push({ id: new Uint8Array([0, 3]), friendlyName: null });
    expect(await status(bio.setFriendlyName(new Uint8Array([0, 9]), 'Thumb'))).toBe(CtapStatus.INVALID_OPTION);
    expect(await status(bio.removeEnrollment(new Uint8Array([0, 9])))).toBe(CtapStatus.INVALID_OPTION);
    expect(await status(bio.setFriendlyName(new Uint8Array([0, 3]), 'sixteen bytes!!!'))).toBe(CtapStatus.INVALID_PARAMETER);
    expect(h.key.state.templates).toEqual([{ id: new Uint8Array([0, 3]), friendlyName: null }]);
  });

  it('sends templateFriendlyName "" for an unnamed template, as certified firmware does', async () => {
    const { h, bio } = await setup();
    h.key.state.templates.push({ id: new Uint8Array([0, 3]), friendlyName: null }, { id: new Uint8Array([0, 4]), friendlyName: 'Thumb' });
    // Keep the decoded answer as the key sent it, before the client interprets it.
    const answers: (CborMap | undefined)[] = [];
    const send = h.session.send.bind(h.session);
    h.session.send = async (...args: Parameters<typeof send>) => {
      const answer = await send(...args);
      answers.push(answer);
      return answer;
    };
    // The client reads "" as "no name".
    expect((await bio.enumerateEnrollments()).map((t) => t.friendlyName)).toEqual([null, 'Thumb']);
    expect(answers.at(-1)?.get(BioResult.templateInfos)).toEqual([
      new Map<number, unknown>([[1, new Uint8Array([0, 3])], [2, '']]),
      new Map<number, unknown>([[1, new Uint8Array([0, 4])], [2, 'Thumb']]),
    ]);
  });

  it('needs the be permission', async () => {
    const { h, bio } = await setup(Permission.cm);
    expect(await status(bio.enumerateEnrollments())).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(await status(bio.enrollBegin())).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(h.key.state.templates).toEqual([]);
  });

  it('rejects other modalities and unknown sub-commands', async () => {
    const { h } = await setup();
    expect(await status(h.session.send(Ctap2Command.BIO_ENROLLMENT, new Map([[1, 2], [2, 7]])))).toBe(CtapStatus.INVALID_PARAMETER);
    expect(await status(h.session.send(Ctap2Command.BIO_ENROLLMENT, new Map([[1, 1], [2, 0x20]])))).toBe(CtapStatus.INVALID_SUBCOMMAND);
  });
});

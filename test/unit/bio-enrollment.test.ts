/**
 * bioEnrollment client (CTAP 2.1 §6.7) against a scripted transport: exact request bytes, the
 * MAC over modality ‖ subCommand ‖ subCommandParams, preview command selection, the enrollment
 * context and the plain-language sample guidance.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { CborMap, CborValue } from '../../ctap/cbor.js';
import { BioEnrollment, BioResult, EnrollFeedback, sampleFeedback } from '../../ctap/ctap2/bio-enrollment.js';
import { Permission } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { parseInfo } from '../../ctap/ctap2/info.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapError, UnsupportedError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { ScriptedTransport, concatBytes, ctap21Info, fixedToken, infoMap, type RecordedRequest, type Reply } from '../flows/manage-helpers.js';

const token = fixedToken({ version: 2, permissions: Permission.be });
const mac = (message: Uint8Array): Uint8Array => hmac(sha256, token.token, message);
const bioInfo = ctap21Info({ bioEnroll: false, uv: false });
const bioPreInfo = infoMap({ versions: ['FIDO_2_0', 'FIDO_2_1_PRE'], options: { clientPin: true, userVerificationMgmtPreview: true } });

function setup(info: CborMap, respond: (request: RecordedRequest) => Reply) {
  const transport = new ScriptedTransport(info, respond);
  return { transport, bio: new BioEnrollment(new Ctap2Session(transport), token) };
}

describe('BioEnrollment', () => {
  it('reports support from bioEnroll (present, even false) or userVerificationMgmtPreview on 2.1-PRE', () => {
    expect(BioEnrollment.isSupported(parseInfo(bioInfo))).toBe(true);
    expect(BioEnrollment.isSupported(parseInfo(bioPreInfo))).toBe(true);
    expect(BioEnrollment.isSupported(parseInfo(ctap21Info()))).toBe(false);
  });

  it('getFingerprintSensorInfo sends {1: 1, 2: 7} without a MAC and parses the answer', async () => {
    const { transport, bio } = setup(bioInfo, () => ({
      body: new Map([[BioResult.fingerprintKind, 1], [BioResult.maxCaptureSamplesRequiredForEnroll, 4], [BioResult.maxTemplateFriendlyName, 32]]),
    }));
    expect(await bio.getFingerprintSensorInfo()).toEqual({ fingerprintKind: 1, maxCaptureSamplesRequiredForEnroll: 4, maxTemplateFriendlyName: 32 });
    expect(transport.requests[0]!.command).toBe(Ctap2Command.BIO_ENROLLMENT);
    expect(bytesToHex(transport.requests[0]!.body)).toBe('a201010207');
  });

  it('getModality sends only {6: true}', async () => {
    const { transport, bio } = setup(bioInfo, () => ({ body: new Map([[BioResult.modality, 1]]) }));
    expect(await bio.getModality()).toBe(1);
    expect(bytesToHex(transport.requests[0]!.body)).toBe('a106f5');
  });

  it('enrollBegin with a timeout: exact bytes, MAC over 0x01 0x01 ‖ {3: timeout}', async () => {
    const { transport, bio } = setup(bioInfo, () => ({
      body: new Map<number, CborValue>([[BioResult.templateId, new Uint8Array([0, 1])], [BioResult.lastEnrollSampleStatus, 0], [BioResult.remainingSamples, 3]]),
    }));
    const result = await bio.enrollBegin({ sampleTimeoutMs: 10000 });
    expect(result).toEqual({ templateId: new Uint8Array([0, 1]), status: 0, remainingSamples: 3 });
    const params = 'a103192710';
    const expectedMac = mac(concatBytes(new Uint8Array([0x01, 0x01]), hexToBytes(params)));
    expect(bytesToHex(transport.requests[0]!.body)).toBe(`a50101020103${params}0402055820${bytesToHex(expectedMac)}`);
  });

  it('enrollBegin without a timeout sends no subCommandParams and MACs only modality ‖ subCommand', async () => {
    const { transport, bio } = setup(bioInfo, () => ({
      body: new Map<number, CborValue>([[BioResult.templateId, new Uint8Array([7])], [BioResult.lastEnrollSampleStatus, 0], [BioResult.remainingSamples, 1]]),
    }));
    await bio.enrollBegin();
    expect(bytesToHex(transport.requests[0]!.body)).toBe(`a4010102010402055820${bytesToHex(mac(new Uint8Array([1, 1])))}`);
  });

  it('runs an enrollment context to completion; poor samples keep the count', async () => {
    const script = [
      { status: EnrollFeedback.FP_GOOD, remaining: 2 },
      { status: EnrollFeedback.FP_POOR_QUALITY, remaining: 2 },
      { status: EnrollFeedback.FP_GOOD, remaining: 1 },
      { status: EnrollFeedback.FP_GOOD, remaining: 0 },
    ];
    let i = 0;
    const { transport, bio } = setup(bioInfo, () => {
      const step = script[i++]!;
      const body = new Map<number, CborValue>([[BioResult.lastEnrollSampleStatus, step.status], [BioResult.remainingSamples, step.remaining]]);
      if (i === 1) body.set(BioResult.templateId, new Uint8Array([0, 9]));
      return { body };
    });
    const enrollment = bio.enroll();
    const statuses: number[] = [];
    while (!enrollment.done) statuses.push((await enrollment.capture()).status);
    expect(statuses).toEqual([0, 7, 0, 0]);
    expect(enrollment.templateId).toEqual(new Uint8Array([0, 9]));
    const subs = transport.requests.map((r) => r.params!.get(2));
    expect(subs).toEqual([1, 2, 2, 2]);
    // Every enrollCaptureNextSample names the template and carries its own MAC.
    const next = transport.requests[1]!;
    const params = 'a101420009';
    expect(bytesToHex(next.body)).toBe(`a50101020203${params}0402055820${bytesToHex(mac(concatBytes(new Uint8Array([1, 2]), hexToBytes(params))))}`);
    await expect(enrollment.capture()).rejects.toThrow(TypeError);
  });

  it('cancel sends {1: 1, 2: 3} without a MAC', async () => {
    const { transport, bio } = setup(bioInfo, () => ({}));
    await bio.cancelCurrentEnrollment();
    expect(bytesToHex(transport.requests[0]!.body)).toBe('a201010203');
  });

  it('enumerateEnrollments parses templateInfos; INVALID_OPTION means none', async () => {
    const some = setup(bioInfo, () => ({
      body: new Map<number, CborValue>([
        [
          BioResult.templateInfos,
          [
            new Map<number, CborValue>([[1, new Uint8Array([1])], [2, 'Thumb']]),
            new Map<number, CborValue>([[1, new Uint8Array([2])]]),
            // Certified firmware names an unnamed template "".
            new Map<number, CborValue>([[1, new Uint8Array([3])], [2, '']]),
          ],
        ],
      ]),
    }));
    expect(await some.bio.enumerateEnrollments()).toEqual([
      { templateId: new Uint8Array([1]), friendlyName: 'Thumb' },
      { templateId: new Uint8Array([2]), friendlyName: null },
      { templateId: new Uint8Array([3]), friendlyName: null },
    ]);
    expect(bytesToHex(some.transport.requests[0]!.body)).toBe(`a4010102040402055820${bytesToHex(mac(new Uint8Array([1, 4])))}`);
    const none = setup(bioInfo, () => ({ status: CtapStatus.INVALID_OPTION }));
    expect(await none.bio.enumerateEnrollments()).toEqual([]);
    const denied = setup(bioInfo, () => ({ status: CtapStatus.PIN_AUTH_INVALID }));
    await expect(denied.bio.enumerateEnrollments()).rejects.toBeInstanceOf(CtapError);
  });

  it('setFriendlyName and removeEnrollment MAC their params', async () => {
    const { transport, bio } = setup(bioInfo, () => ({}));
    await bio.setFriendlyName(new Uint8Array([1]), 'Left');
    await bio.removeEnrollment(new Uint8Array([1]));
    const rename = 'a201410102644c656674';
    expect(bytesToHex(transport.requests[0]!.body)).toBe(`a50101020503${rename}0402055820${bytesToHex(mac(concatBytes(new Uint8Array([1, 5]), hexToBytes(rename))))}`);
    const remove = 'a1014101';
    expect(bytesToHex(transport.requests[1]!.body)).toBe(`a50101020603${remove}0402055820${bytesToHex(mac(concatBytes(new Uint8Array([1, 6]), hexToBytes(remove))))}`);
  });

  it('uses the preview command 0x40 on a 2.1-PRE key, and refuses keys without bio', async () => {
    const pre = setup(bioPreInfo, () => ({}));
    await pre.bio.cancelCurrentEnrollment();
    expect(pre.transport.requests[0]!.command).toBe(Ctap2Command.BIO_ENROLLMENT_PREVIEW);
    const none = setup(ctap21Info(), () => ({}));
    await expect(none.bio.cancelCurrentEnrollment()).rejects.toBeInstanceOf(UnsupportedError);
    expect(none.transport.requests).toHaveLength(0);
  });

  it('needs a token for authenticated sub-commands and says so before sending', async () => {
    const transport = new ScriptedTransport(bioInfo, () => ({}));
    const bio = new BioEnrollment(new Ctap2Session(transport));
    await expect(bio.enumerateEnrollments()).rejects.toThrow(/be permission/);
    expect(transport.requests).toHaveLength(0);
  });

  it('has a feedback code for every lastEnrollSampleStatus', () => {
    expect(sampleFeedback(EnrollFeedback.FP_TOO_HIGH)).toBe('too-high');
    expect(sampleFeedback(EnrollFeedback.FP_TOO_LOW)).toBe('too-low');
    expect(sampleFeedback(EnrollFeedback.FP_EXISTS)).toBe('exists');
    const codes = Object.values(EnrollFeedback).map(sampleFeedback);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).not.toContain('unknown');
    // A vendor-specific status (§6.7.4 leaves 0x0c… unassigned) still gets guidance: "unknown".
    expect(sampleFeedback(0x0c)).toBe('unknown');
  });

  it('refuses a timeout that is not a positive integer', async () => {
    const { transport, bio } = setup(bioInfo, () => ({}));
    await expect(bio.enrollBegin({ sampleTimeoutMs: -1 })).rejects.toThrow(TypeError);
    expect(transport.requests).toHaveLength(0);
  });
});

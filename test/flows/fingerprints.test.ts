/**
 * Fingerprint flows (ctap/flows/manage-fingerprints.ts) against the simulated bio keys through the
 * production CTAPHID transport: the guidance the person sees per sample, and the templates the key
 * holds afterwards. bio = CTAP 2.1 (0x09), bio-pre = FIDO_2_1_PRE (0x40, legacy token).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EnrollFeedback } from '../../ctap/ctap2/bio-enrollment.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { enrollFingerprint, fingerprintSensorInfo, listFingerprints, removeFingerprint, renameFingerprint } from '../../ctap/flows/manage-fingerprints.js';
import type { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import type { VirtualKeyConfig } from '../../ctap/virtual/config.js';
import { presetConfig } from '../../ctap/virtual/config.js';
import { openVirtualKey, scriptedPrompts, type VirtualHarness } from './manage-helpers.js';

const PIN = '8675309';
const harnesses: VirtualHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function bioKey(preset: 'bio' | 'bio-pre', bio: Partial<VirtualKeyConfig['bio']> = {}, extra: Partial<VirtualKeyConfig> = {}): Promise<VirtualHarness> {
  const h = await openVirtualKey({ preset, pin: PIN, config: { bio: { ...presetConfig(preset).bio, ...bio }, ...extra } });
  harnesses.push(h);
  return h;
}


describe.each([
  { preset: 'bio' as const, command: Ctap2Command.BIO_ENROLLMENT, other: Ctap2Command.BIO_ENROLLMENT_PREVIEW },
  { preset: 'bio-pre' as const, command: Ctap2Command.BIO_ENROLLMENT_PREVIEW, other: Ctap2Command.BIO_ENROLLMENT },
])('enrollFingerprint on $preset', ({ preset, command, other }) => {
  it('finishes despite poor samples, showing the right guidance for each one', async () => {
    const script = [EnrollFeedback.FP_GOOD, EnrollFeedback.FP_POOR_QUALITY, EnrollFeedback.FP_TOO_HIGH, EnrollFeedback.FP_GOOD, EnrollFeedback.NO_USER_ACTIVITY];
    const h = await bioKey(preset, { sampleScript: script });
    const prompts = scriptedPrompts({ pins: [PIN] });
    const result = await enrollFingerprint({ session: h.session, prompts, name: 'Right thumb' });
    expect(result).toEqual({ outcome: 'enrolled', templateId: new Uint8Array([0, 1]), name: 'Right thumb' });

    // 4 good samples needed: good, poor, too high, good, nothing, then good ×2 (script ran out).
    const instructions = prompts.log.touches.map((t) => t.instruction);
    expect(instructions).toEqual(['enroll-first-touch', ...Array<string>(6).fill('enroll-next-touch')]);
    expect(prompts.log.touches.every((t) => t.reason === 'enroll')).toBe(true);
    const samples = prompts.log.progress.filter((p) => p.step === 'fingerprint-sample');
    expect(samples.map((p) => p.feedback)).toEqual(['good', 'poor-quality', 'too-high', 'good', 'no-user-activity', 'good', 'good']);
    expect(samples.map((p) => p.remaining)).toEqual([3, 3, 3, 2, 2, 1, 0]);
    expect(samples.map((p) => p.done)).toEqual([false, false, false, false, false, false, true]);
    expect(samples.every((p) => p.total === 4)).toBe(true);

    expect(h.key.state.templates).toEqual([{ id: new Uint8Array([0, 1]), friendlyName: 'Right thumb' }]);
    expect(h.sent).toContain(command);
    expect(h.sent).not.toContain(other);
    expect(h.key.authenticator.powerUpState.pending).toBeNull();
  });
});

describe('fingerprint flows', () => {
  it('reads the sensor without a PIN', async () => {
    const h = await bioKey('bio');
    await expect(fingerprintSensorInfo({ session: h.session })).resolves.toEqual({
      outcome: 'ok',
      sensor: { fingerprintKind: 1, maxCaptureSamplesRequiredForEnroll: 4, maxTemplateFriendlyName: 15 },
    });
  });

  it('enrolls the first fingerprint on an alwaysUv key with the PIN (the key demands a token)', async () => {
    const h = await bioKey('bio');
    h.key.state.alwaysUv = true;
    const raw = await h.session.send(Ctap2Command.BIO_ENROLLMENT, new Map([[1, 1], [2, 1]])).catch((e: unknown) => e);
    expect((raw as CtapError).status).toBe(CtapStatus.PUAT_REQUIRED);
    const prompts = scriptedPrompts({ pins: [PIN] });
    const result = await enrollFingerprint({ session: h.session, prompts });
    expect(result).toMatchObject({ outcome: 'enrolled', name: null });
    expect(prompts.log.pins).toHaveLength(1);
    expect(h.key.state.templates).toHaveLength(1);
    const info = await h.session.getInfo({ refresh: true });
    expect(info.options.bioEnroll).toBe(true);
    expect(info.options.alwaysUv).toBe(true);
  });

  it('lists, renames (name limit checked first) and removes a fingerprint', async () => {
    const h = await bioKey('bio');
    await enrollFingerprint({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    const listed = await listFingerprints({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    expect(listed.fingerprints).toEqual([{ templateId: new Uint8Array([0, 1]), friendlyName: null }]);
    const templateId = listed.fingerprints[0]!.templateId;

    h.sent.length = 0;
    const longName = await renameFingerprint({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }), templateId, name: 'My left index finger' });
    expect(longName).toEqual({ outcome: 'name-too-long', maxBytes: 15 });
    expect(h.key.state.templates[0]!.friendlyName).toBeNull();
    expect(h.sent.filter((c) => c === Ctap2Command.CLIENT_PIN)).toHaveLength(0);

    await expect(renameFingerprint({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }), templateId, name: 'Thumb' })).resolves.toEqual({ outcome: 'renamed' });
    expect(h.key.state.templates[0]!.friendlyName).toBe('Thumb');

    const prompts = scriptedPrompts({ pins: [PIN], confirm: true });
    const removed = await removeFingerprint({ session: h.session, prompts, fingerprint: { templateId, friendlyName: 'Thumb' } });
    expect(removed).toEqual({ outcome: 'removed' });
    expect(prompts.log.confirms[0]).toMatchObject({ action: 'remove-fingerprint', subject: { name: 'Thumb' } });
    expect(h.key.state.templates).toEqual([]);
    // An empty key answers INVALID_OPTION (§6.7.6); the flow shows an empty list.
    await expect(listFingerprints({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) })).resolves.toEqual({ outcome: 'listed', fingerprints: [] });
  });

  it('keeps the fingerprint when removal is declined', async () => {
    const h = await bioKey('bio');
    h.key.state.templates.push({ id: new Uint8Array([0, 7]), friendlyName: 'Index' });
    const prompts = scriptedPrompts({ pins: [PIN], confirm: false });
    await expect(removeFingerprint({ session: h.session, prompts, fingerprint: { templateId: new Uint8Array([0, 7]), friendlyName: 'Index' } })).resolves.toEqual({ outcome: 'declined' });
    expect(prompts.log.pins).toHaveLength(0);
    expect(h.key.state.templates).toHaveLength(1);
  });

  it('reports a full fingerprint store in words', async () => {
    const h = await bioKey('bio');
    for (let n = 1; n <= 5; n++) h.key.state.templates.push({ id: new Uint8Array([0, n]), friendlyName: null });
    const result = await enrollFingerprint({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    expect(result).toMatchObject({ outcome: 'full' });
    expect(h.key.state.templates).toHaveLength(5);
  });

  it('cancels the enrollment on the key when aborted mid-way, leaving no template', async () => {
    const h = await bioKey('bio');
    const controller = new AbortController();
    let touches = 0;
    const prompts = scriptedPrompts({
      pins: [PIN],
      onTouch: () => {
        touches += 1;
        if (touches === 2) {
          // The person walks away on the second sample; the app then cancels.
          h.key.presence.script = 'never';
          setTimeout(() => controller.abort(), 20);
        }
      },
    });
    const result = await enrollFingerprint({ session: h.session, prompts, signal: controller.signal });
    expect(result).toEqual({ outcome: 'cancelled' });
    expect(h.key.state.templates).toEqual([]);
    expect(h.key.authenticator.powerUpState.pending).toBeNull();
  });

  it('says no finger was detected when the sensor times out, and cancels', async () => {
    const h = await bioKey('bio', {}, { touchTimeoutMs: 50 });
    h.key.presence.script = 'never';
    const result = await enrollFingerprint({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    expect(result).toMatchObject({ outcome: 'no-finger' });
    expect(h.key.state.templates).toEqual([]);
  });

  it('a key without a sensor says so', async () => {
    const h = await openVirtualKey({ preset: 'ctap21', pin: PIN });
    harnesses.push(h);
    await expect(listFingerprints({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) })).resolves.toEqual({
      outcome: 'unsupported',
      feature: 'bio-enrollment',
    });
  });
});

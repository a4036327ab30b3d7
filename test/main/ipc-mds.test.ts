// The app's FIDO Metadata Service BLOB over the IPC contract (router + MdsSetting): a BLOB signed
// through the given root is used (info carries the model's facts, Prepare keys with attestation
// required then runs and judges keys by it); one signed through another root, or not a BLOB, is
// refused in words and leaves things as they were; a BLOB past its nextUpdate loads but says so;
// Forget drops it and attestation required is refused again.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Events, EventName, MdsStatus, OperationOutputs, ProvisionRunSummary, Result } from '../../main/ipc/contract.js';
import { IpcRouter } from '../../main/ipc/router.js';
import type { KeyService } from '../../main/service/key-service.js';
import { tempDir } from '../cli/helpers.js';
import { testMaker, type Maker } from '../provisioning/attestation-fixture.js';
import { Fleet } from '../provisioning/fleet.js';
import { testMds, type TestMds } from '../provisioning/mds-fixture.js';

const GENUINE = '5ca1ab1e-0000-4000-8000-00000000a77e';
const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';
const REQUIRED = '{ "accept": { "attestation": "required" }, "reset": "never", "pin": { "mode": "random", "length": 8 } }';

let maker: Maker;
let mds: TestMds;
let other: TestMds;
let blob: string;
let dir: Awaited<ReturnType<typeof tempDir>>;
let service: KeyService | undefined;
let router: IpcRouter | undefined;

beforeAll(async () => {
  [maker, mds, other] = await Promise.all([testMaker(GENUINE), testMds(), testMds()]);
  blob = await mds.blob([
    { aaguid: GENUINE, description: 'Genuine test key', statuses: ['FIDO_CERTIFIED_L1'], roots: [maker.rootBase64] },
    { aaguid: SIMULATED, description: 'Simulated key for practice', statuses: ['NOT_FIDO_CERTIFIED'] },
  ]);
});
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  router?.close();
  await service?.close();
  router = undefined;
  service = undefined;
  await dir.cleanup();
});

async function open(): Promise<Fleet> {
  const fleet = new Fleet();
  fleet.add({ serial: 'G1', aaguid: GENUINE, config: { attestation: await maker.attestation() } });
  fleet.add({ serial: 'S2' });
  service = fleet.service();
  router = new IpcRouter({ service, emit: <E extends EventName>(_event: E, _payload: Events[E]) => undefined, virtualKeyDir: dir.dir });
  return fleet;
}

async function info(deviceId: string): Promise<OperationOutputs['info']> {
  const result = (await router!.handle('runOperation', { operation: 'info', runId: `info-${deviceId}`, deviceId, input: {} })) as Result<OperationOutputs['info']>;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const start = (runId: string): Promise<Result<ProvisionRunSummary>> =>
  router!.handle('startProvisioning', { runId, profile: REQUIRED, reportPath: dir.file(`${runId}.csv`), count: 2 }) as Promise<Result<ProvisionRunSummary>>;

describe('the FIDO Metadata Service BLOB in the app', () => {
  it('without one, attestation required is refused in words; a good BLOB is used until forgotten', async () => {
    const fleet = await open();
    fleet.plug('G1');
    expect(await router!.handle('mdsStatus', {})).toEqual({ ok: true, value: null });
    expect(await start('before')).toMatchObject({ ok: false, error: { code: 'USAGE', facts: { reason: 'attestation-needs-mds' } } });
    expect((await info('usb:G1')).mds).toBeUndefined();

    const loaded = (await router!.handle('loadMds', { blob, root: mds.rootPem })) as Result<MdsStatus>;
    expect(loaded).toEqual({ ok: true, value: { number: 42, nextUpdate: '2045-01-01', entries: 2, stale: false } });
    expect(await router!.handle('mdsStatus', {})).toEqual(loaded);
    expect((await info('usb:G1')).mds).toMatchObject({ listed: true, description: 'Genuine test key', certification: 'FIDO_CERTIFIED_L1', blobNumber: 42 });

    // The genuine key chains to the maker's root the BLOB lists; the simulated one only attests itself.
    fleet.plug('S2');
    const run = await start('with-blob');
    expect(run).toMatchObject({ ok: true, value: { outcomes: { done: 1, rejected: 1, failed: 0 } } });
    expect(fleet.key('G1').state.pinHash).not.toBeNull();
    expect(fleet.key('S2').state.pinHash).toBeNull();

    expect(await router!.handle('forgetMds', {})).toEqual({ ok: true, value: { forgotten: true } });
    expect(await router!.handle('forgetMds', {})).toEqual({ ok: true, value: { forgotten: false } });
    expect(await router!.handle('mdsStatus', {})).toEqual({ ok: true, value: null });
    expect((await info('usb:G1')).mds).toBeUndefined();
    expect(await start('after')).toMatchObject({ ok: false, error: { facts: { reason: 'attestation-needs-mds' } } });
  });

  it('a BLOB signed through another root, or not a BLOB, is refused and the one in use stays', async () => {
    const fleet = await open();
    fleet.plug('G1');
    expect(await router!.handle('loadMds', { blob, root: other.rootPem })).toMatchObject({ ok: false, error: { code: 'FILE_ACCESS', facts: { reason: 'mds-untrusted' } } });
    expect(await router!.handle('mdsStatus', {})).toEqual({ ok: true, value: null });

    expect(await router!.handle('loadMds', { blob, root: mds.rootPem })).toMatchObject({ ok: true });
    const foreign = await other.blob([{ aaguid: GENUINE, description: 'Somebody else says so', statuses: ['REVOKED'] }]);
    expect(await router!.handle('loadMds', { blob: foreign, root: mds.rootPem })).toMatchObject({ ok: false, error: { facts: { reason: 'mds-untrusted' } } });
    expect(await router!.handle('loadMds', { blob: 'not a BLOB', root: mds.rootPem })).toMatchObject({ ok: false, error: { facts: { reason: 'mds-invalid' } } });
    expect((await info('usb:G1')).mds).toMatchObject({ description: 'Genuine test key', unfit: null });
  });

  it('a BLOB past its nextUpdate is used but said to be stale; input beyond the limits is a bad request', async () => {
    await open();
    const old = await mds.sign({ no: 7, nextUpdate: '2024-01-01', entries: [] });
    expect(await router!.handle('loadMds', { blob: old, root: mds.rootPem })).toEqual({ ok: true, value: { number: 7, nextUpdate: '2024-01-01', entries: 0, stale: true } });
    expect(await router!.handle('loadMds', { blob: '', root: mds.rootPem })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await router!.handle('loadMds', { blob, root: 'x'.repeat(256 * 1024 + 1) })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // Without the shell there are no Open dialogs: the renderer falls back to its own file fields.
    expect(await router!.handle('openMdsFiles', {})).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });
});

/**
 * Touch-to-select and wink for the app and the CLI — CTAP 2.1 §6.9 authenticatorSelection (with
 * the CTAP 2.0 makeCredential fallback) and CTAPHID_WINK (§11.2.9.2.1), through
 * ctap/flows/select-device.ts. Every key taking part is held for the whole selection, so no
 * other operation can interleave commands with it.
 * @module
 */
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import { UnsupportedError } from '../../../ctap/errors.js';
import type { UserPrompts } from '../../../ctap/flows/prompts.js';
import { selectDevice, winkDevice } from '../../../ctap/flows/select-device.js';
import type { DeviceDescriptor, DeviceTransportName } from '../../../ctap/transport/discovery.js';
import type { DeviceManager } from '../device-manager.js';
import { AppError } from '../errors.js';

export interface ChosenKey {
  id: string;
  name: string;
  transport: DeviceTransportName;
  /** Whether the person had to touch it (false when it was the only key). */
  touched: boolean;
}

/** Every ready key blinks; the first one touched is chosen (the only key is chosen at once). */
export async function selectKey(options: { manager: DeviceManager; prompts: UserPrompts; signal?: AbortSignal }): Promise<ChosenKey> {
  const { manager, prompts, signal } = options;
  const devices = (await manager.list({ signal })).filter((d) => d.status === 'ready');
  const result = await holdAll(manager, devices, signal, () =>
    selectDevice({ devices, openSession: (device, o) => manager.openSession(device, o), prompts, signal }),
  );
  switch (result.outcome) {
    case 'selected':
      await result.session.transport.close();
      return { id: result.device.id, name: result.device.name, transport: result.device.transport, touched: devices.length > 1 };
    case 'no-devices':
      throw new AppError('NO_DEVICE');
    case 'none-touched':
      throw new AppError('TOUCH_TIMEOUT', { reason: 'none-touched' });
    case 'cancelled':
      throw new AppError('CANCELLED');
    default: {
      const unreachable: never = result;
      throw new AppError('INTERNAL', { details: `unknown selection outcome ${JSON.stringify(unreachable)}` });
    }
  }
}

/**
 * Blink the key so the person can see which one it is. CTAPHID_WINK is a transport command, so
 * U2F-only keys can blink too: nothing CTAP2 is sent.
 */
export async function winkKey(options: { session: Ctap2Session; signal?: AbortSignal }): Promise<{ winked: true }> {
  try {
    await winkDevice(options);
  } catch (error) {
    if (!(error instanceof UnsupportedError)) throw error;
    throw new AppError('UNSUPPORTED', { reason: 'cannot-wink', feature: error.feature, details: `unsupported: ${error.feature}: ${error.message}`, cause: error });
  }
  return { winked: true };
}

/** Run `work` while holding every key in `devices` (one operation per key). */
async function holdAll<T>(manager: DeviceManager, devices: readonly DeviceDescriptor[], signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  const [first, ...rest] = devices;
  if (!first) return work();
  return manager.withDevice(first, () => holdAll(manager, rest, signal, work), { signal });
}

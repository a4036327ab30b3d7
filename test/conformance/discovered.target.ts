/**
 * A conformance target reached only the way the app reaches a key: through a Discovery and a
 * person. Each open() brings the key to factory state with the production reset ceremony
 * (CTAP 2.1 §6.6: replug, then authenticatorReset as the first command), and powerCycle() asks
 * for a replug and waits for discovery to see it. The person is a UserPrompts implementation:
 * a terminal for a real key, a script that replugs a virtual key in CI.
 * @module
 */
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { UserPrompts } from '../../ctap/flows/prompts.js';
import { resetDevice } from '../../ctap/flows/reset-device.js';
import type { DeviceDescriptor, Discovery } from '../../ctap/transport/discovery.js';
import type { CtapTransport } from '../../ctap/transport/transport.js';
import type { AuthenticatorUnderTest, OpenTarget } from './target.js';

export interface DiscoveredTargetOptions {
  name: string;
  /** Discovery with the one key under test attached; a simulated key is built as `preset`. */
  discovery(options: { preset: string }): Promise<Discovery>;
  /** The person: confirms the reset, touches, removes and reinserts the key. */
  prompts: UserPrompts;
  /** How long a person may take to replug or touch. */
  humanTimeoutMs: number;
  /** Per-test timeout for the suite (each test begins with a reset ceremony). */
  timeoutMs?: number;
}

/** The next `type` event from discovery, or an Error after `timeoutMs`. Subscribe before acting. */
function nextEvent(discovery: Discovery, type: 'added' | 'removed', timeoutMs: number): { event: Promise<DeviceDescriptor>; cancel(): void } {
  let stop = (): void => undefined;
  let timer: NodeJS.Timeout | undefined;
  const event = new Promise<DeviceDescriptor>((resolve, reject) => {
    timer = setTimeout(() => {
      stop();
      reject(new Error(`No key was ${type} within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    stop = discovery.watch((e) => {
      if (e.type !== type) return;
      clearTimeout(timer);
      stop();
      resolve(e.device);
    });
  });
  return {
    event,
    cancel() {
      clearTimeout(timer);
      stop();
    },
  };
}

async function onlyKey(discovery: Discovery): Promise<DeviceDescriptor> {
  const devices = (await discovery.list()).filter((d) => d.status === 'ready');
  if (devices.length !== 1) throw new Error(`The conformance suite needs exactly one key attached; found ${devices.length}.`);
  return devices[0]!;
}

export function discoveredTarget(options: DiscoveredTargetOptions): AuthenticatorUnderTest {
  const { prompts, humanTimeoutMs } = options;
  return {
    name: options.name,
    timeoutMs: options.timeoutMs,
    async open({ preset }): Promise<OpenTarget> {
      const discovery = await options.discovery({ preset });
      const outcome = await resetDevice({
        discovery,
        device: await onlyKey(discovery),
        openSession: async (device) => new Ctap2Session(await device.open()),
        prompts,
        removalTimeoutMs: humanTimeoutMs,
        reinsertTimeoutMs: humanTimeoutMs,
      });
      if (outcome.outcome !== 'reset') throw new Error(`Could not bring the key to factory state: ${JSON.stringify(outcome)}`);
      let transport: CtapTransport = await outcome.device.open();
      let session = new Ctap2Session(transport);
      return {
        get session() {
          return session;
        },
        state: null,
        async powerCycle() {
          await transport.close();
          const removed = nextEvent(discovery, 'removed', humanTimeoutMs);
          const dismissRemove = prompts.reinsert({ phase: 'remove', instruction: 'usb-remove', noun: 'security-key' });
          await removed.event.finally(dismissRemove);
          const added = nextEvent(discovery, 'added', humanTimeoutMs);
          const dismissInsert = prompts.reinsert({ phase: 'insert', instruction: 'usb-insert', noun: 'security-key' });
          const device = await added.event.finally(dismissInsert);
          transport = await device.open();
          session = new Ctap2Session(transport);
        },
        async close() {
          await transport.close();
          await discovery.close();
        },
      };
    },
  };
}

/**
 * The hardware discovery sources: USB HID (ctap/transport/hid/node-hid.ts) and PC/SC readers
 * (ctap/transport/nfc/pcsc.ts). Neither native module loads before a source is first listed, so
 * commands that use no hardware (`--virtual`, `virtual-key presets`, `--help`) never load one, and
 * a missing OS service (no libudev, no pcscd) only means "no keys there". node-hid.ts imports its
 * addon at the top, so it is imported here only when listed; pcsc.ts requires nfc-pcsc itself on
 * first start, so it is imported with this module and adds no chunk of its own to a key command.
 * @module
 */
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import type { DiscoverySource } from './device-manager.js';

/** How long USB enumeration may take before it counts as "no USB keys". */
const USB_TIMEOUT_MS = 3_000;
/** pcscd answers in milliseconds when it runs; when it does not, give up quickly. */
const NFC_TIMEOUT_MS = 1_500;

export function hardwareSources(): DiscoverySource[] {
  return [
    {
      transport: 'usb',
      timeoutMs: USB_TIMEOUT_MS,
      load: async () => {
        const { NodeHidDiscovery } = await import('../../ctap/transport/hid/node-hid.js');
        return new NodeHidDiscovery();
      },
    },
    {
      transport: 'nfc',
      timeoutMs: NFC_TIMEOUT_MS,
      load: async () => {
        return new PcscDiscovery();
      },
    },
  ];
}

/**
 * The hardware discovery sources: USB HID (ctap/transport/hid/node-hid.ts) and PC/SC readers
 * (ctap/transport/nfc/pcsc.ts). Both are imported only when first listed, so commands that use
 * no hardware (`--virtual`, `virtual-key presets`, `--help`) never load a native module, and a
 * missing OS service (no libudev, no pcscd) only means "no keys there".
 * @module
 */
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
        const { PcscDiscovery } = await import('../../ctap/transport/nfc/pcsc.js');
        return new PcscDiscovery();
      },
    },
  ];
}

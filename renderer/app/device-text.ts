/**
 * How a key is named in lists and headers: model (from the AAGUID), vendor, connection.
 * @module
 */
import type { DeviceSummary } from '../../main/ipc/contract.js';
import { t } from './words.js';

export function deviceTitle(device: Pick<DeviceSummary, 'model' | 'name'>): string {
  return device.model ?? device.name;
}

export function transportText(transport: DeviceSummary['transport']): string {
  return t(`transports.${transport}`);
}

export function deviceSubtitle(device: DeviceSummary): string {
  return t('device.summary', { vendor: device.vendor ?? t('device.unknownVendor'), transport: transportText(device.transport) });
}

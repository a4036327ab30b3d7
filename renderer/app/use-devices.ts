/**
 * The live list of keys and readers: listed once, then again whenever main says a key or reader
 * came or went (`devicesChanged` carries no model, so the list is read again for it). Lists never
 * overlap: an event during a listing asks for one more listing after it.
 * @module
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeviceSummary, ServiceError } from '../../main/ipc/contract.js';
import { skm } from './skm.js';

export interface DeviceList {
  /** null until the first listing answered. */
  devices: DeviceSummary[] | null;
  error: ServiceError | null;
  refresh(): void;
}

/** A key listed while busy has no model; keep the one a previous listing found. */
function keepKnownModels(previous: DeviceSummary[] | null, next: DeviceSummary[]): DeviceSummary[] {
  if (!previous) return next;
  return next.map((device) => {
    if (device.model !== null) return device;
    const known = previous.find((p) => p.id === device.id && p.model !== null);
    return known ? { ...device, model: known.model, vendor: known.vendor, aaguid: known.aaguid } : device;
  });
}

export function useDevices(): DeviceList {
  const [devices, setDevices] = useState<DeviceSummary[] | null>(null);
  const [error, setError] = useState<ServiceError | null>(null);
  const listing = useRef(false);
  const again = useRef(false);

  const refresh = useCallback((): void => {
    if (listing.current) {
      again.current = true;
      return;
    }
    listing.current = true;
    void skm()
      .listDevices({})
      .then((result) => {
        if (result.ok) {
          setDevices((previous) => keepKnownModels(previous, result.value));
          setError(null);
        } else {
          setError(result.error);
          setDevices((previous) => previous ?? []);
        }
      })
      .finally(() => {
        listing.current = false;
        if (again.current) {
          again.current = false;
          refresh();
        }
      });
  }, []);

  useEffect(() => {
    const stop = skm().on('devicesChanged', () => refresh());
    refresh();
    return stop;
  }, [refresh]);

  return { devices, error, refresh };
}

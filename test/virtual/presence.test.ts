// Simulated user presence scripts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError } from '../../ctap/errors.js';
import { Presence } from '../../ctap/virtual/presence.js';

afterEach(() => {
  vi.useRealTimers();
});

const never = new AbortController().signal;

describe('Presence', () => {
  it('approve and deny answer at once', async () => {
    await expect(new Presence('approve').wait({ signal: never, timeoutMs: 1000 })).resolves.toBe('touched');
    await expect(new Presence('deny').wait({ signal: never, timeoutMs: 1000 })).resolves.toBe('denied');
  });

  it('never times out; afterMs touches only if that comes before the timeout', async () => {
    vi.useFakeTimers();
    const results: string[] = [];
    void new Presence('never').wait({ signal: never, timeoutMs: 1000 }).then((r) => results.push(`never:${r}`));
    void new Presence({ afterMs: 500 }).wait({ signal: never, timeoutMs: 1000 }).then((r) => results.push(`early:${r}`));
    void new Presence({ afterMs: 2000 }).wait({ signal: never, timeoutMs: 1000 }).then((r) => results.push(`late:${r}`));
    await vi.advanceTimersByTimeAsync(499);
    expect(results).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(results).toEqual(['early:touched']);
    await vi.advanceTimersByTimeAsync(500);
    expect(results.sort()).toEqual(['early:touched', 'late:timeout', 'never:timeout']);
  });

  it('manual waits for touch(); a touch with nobody waiting does nothing', async () => {
    const presence = new Presence('manual');
    expect(presence.touch()).toBe(false);
    const waiting = presence.wait({ signal: never, timeoutMs: 10_000 });
    expect(presence.waiting).toBe(true);
    expect(presence.touch()).toBe(true);
    await expect(waiting).resolves.toBe('touched');
    expect(presence.waiting).toBe(false);
  });

  it('an abort rejects with CancelledError and stops waiting', async () => {
    const presence = new Presence('manual');
    const controller = new AbortController();
    const waiting = presence.wait({ signal: controller.signal, timeoutMs: 10_000 });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    expect(presence.waiting).toBe(false);
    await expect(presence.wait({ signal: controller.signal, timeoutMs: 1 })).rejects.toBeInstanceOf(CancelledError);
  });

  it('rejects a negative delay', () => {
    expect(() => new Presence({ afterMs: -1 })).toThrow(RangeError);
    const presence = new Presence();
    expect(() => {
      presence.script = { afterMs: Number.NaN };
    }).toThrow(RangeError);
  });
});

/**
 * The IPC contract served over a KeyService, without Electron: main/electron/ipc.ts binds it to
 * ipcMain (after checking the sender), and the renderer tests bind it to Chromium directly. Every
 * request is parsed with the contract's schema first — malformed input is BAD_REQUEST and does
 * nothing — and every answer is a Result.
 *
 * Prompts: each operation run gets a PromptHandler that sends its events to the renderer as
 * `prompt` events and waits for `answerPrompt` / `cancelPrompt`. Cancelling a prompt or the run
 * aborts the flow (the key gets CTAPHID_CANCEL / the NFC cancel). A PIN answer is handed to the
 * waiting flow and not kept here.
 * @module
 */
import { join } from 'node:path';
import { CancelledError } from '../../ctap/errors.js';
import { runDoctor, type DoctorReport } from '../service/doctor.js';
import { systemProbes } from '../service/doctor-probes.js';
import type { ServiceError } from '../service/errors.js';
import type { KeyService, Result } from '../service/key-service.js';
import type { ConfirmPrompt, NoticePrompt, PinPrompt, PromptHandler } from '../service/prompt-events.js';
import { channels, type ChannelName, type ChannelInput, type Events, type EventName, type PromptAnswer, type RunRequest } from './contract.js';
import { MdsSetting } from './mds-setting.js';
import { ProvisioningRuns, type FileDialogs } from './provisioning.js';

export interface IpcRouterOptions {
  service: KeyService;
  /** Send an event to the renderer. */
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /** Where simulated keys added from the app keep their state (the renderer never names a path). */
  virtualKeyDir: string;
  /** What the operating system around the keys offers (the Electron shell's; default: doctor only). */
  system?: Partial<SystemActions>;
  /** The shell's Open / Save dialogs (Prepare keys); without them the renderer uses its own fields. */
  dialogs?: FileDialogs;
}

/** The OS actions behind `runDoctor`, `restartElevated` and `openWindowsSettings`. */
export interface SystemActions {
  runDoctor(): Promise<DoctorReport>;
  restartElevated(): Promise<Result<{ restarting: boolean }>>;
  openWindowsSettings(): Promise<Result<{ opened: boolean }>>;
}

/** Outside the Windows desktop app there is nothing to restart or open. */
const unavailable = async (): Promise<Result<never>> => ({ ok: false, error: { code: 'UNSUPPORTED', facts: { reason: 'os-action-unavailable' } } });
const defaultSystemActions: SystemActions = {
  runDoctor: () => runDoctor(systemProbes()),
  restartElevated: unavailable,
  openWindowsSettings: unavailable,
};

interface Waiting {
  kind: 'pin' | 'confirm';
  resolve(answer: string | boolean): void;
  reject(error: Error): void;
}

interface Running {
  controller: AbortController;
  prompts: Map<string, Waiting>;
}

function badRequest(details: string): Result<never> {
  const error: ServiceError = { code: 'BAD_REQUEST', facts: {}, details };
  return { ok: false, error };
}

export class IpcRouter {
  private readonly runs = new Map<string, Running>();
  private readonly stopWatching: () => void;
  private virtualKeys = 0;
  private readonly system: SystemActions;
  private readonly provisioning: ProvisioningRuns;
  private readonly mds: MdsSetting;

  constructor(private readonly options: IpcRouterOptions) {
    this.system = { ...defaultSystemActions, ...options.system };
    this.mds = new MdsSetting(options.service, options.dialogs);
    this.provisioning = new ProvisioningRuns(options.service, (payload) => options.emit('provision', payload), options.dialogs, () => this.mds.current());
    this.stopWatching = options.service.watchDevices((event) => options.emit('devicesChanged', event));
  }

  /** Serve one request. Never throws: unknown channels and malformed input are BAD_REQUEST. */
  async handle(channel: string, raw: unknown): Promise<Result<unknown>> {
    if (!Object.hasOwn(channels, channel)) return badRequest(`unknown channel ${JSON.stringify(channel.slice(0, 64))}`);
    const name = channel as ChannelName;
    const parsed = channels[name].input.safeParse(raw);
    if (!parsed.success) return badRequest(`${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'} ${i.message}`).join('; ').slice(0, 500)}`);
    const input: unknown = parsed.data;
    switch (name) {
      case 'listDevices':
        return this.options.service.listDevices();
      case 'runOperation':
        return this.run(input as RunRequest);
      case 'cancelOperation':
        return { ok: true, value: { cancelled: this.cancelRun((input as { runId: string }).runId) } };
      case 'answerPrompt':
        return this.answer(input as PromptAnswer);
      case 'cancelPrompt':
        return { ok: true, value: { cancelled: this.cancelPrompt((input as { id: string }).id) } };
      case 'addVirtualKey': {
        this.virtualKeys += 1;
        const { preset } = input as { preset?: string };
        const file = join(this.options.virtualKeyDir, `simulated-key-${this.virtualKeys}.json`);
        const added = await this.options.service.addVirtualKey({ file, ...(preset !== undefined ? { preset } : {}) });
        // Discovery watchers started before this key's source existed do not report it.
        if (added.ok) {
          const { id, transport, name, status, reader } = added.value;
          this.options.emit('devicesChanged', { type: 'added', device: { id, transport, name, status, reader } });
        }
        return added;
      }
      case 'runDoctor':
        return { ok: true, value: await this.system.runDoctor() };
      case 'restartElevated':
        return this.system.restartElevated();
      case 'openWindowsSettings':
        return this.system.openWindowsSettings();
      case 'validateProfile':
        return this.provisioning.validate((input as ChannelInput<'validateProfile'>).text);
      case 'startProvisioning': {
        const request = input as ChannelInput<'startProvisioning'>;
        // Tracked like an operation run: its shared-PIN prompt is answered with answerPrompt.
        return this.track(request.runId, (prompts, signal) => this.provisioning.start(request, prompts, signal));
      }
      case 'stopProvisioning':
        return { ok: true, value: { stopped: this.cancelRun((input as ChannelInput<'stopProvisioning'>).runId) } };
      case 'exportProvisionReport': {
        const { path, format } = input as ChannelInput<'exportProvisionReport'>;
        return this.provisioning.exportReport(path, format);
      }
      case 'exportEntraPolicy':
        return this.provisioning.exportPolicy((input as ChannelInput<'exportEntraPolicy'>).path);
      case 'openProfileFile':
        return this.provisioning.openProfile();
      case 'chooseSavePath': {
        const { purpose, suggestedName } = input as ChannelInput<'chooseSavePath'>;
        return this.provisioning.choosePath(purpose, suggestedName);
      }
      case 'lockKey': {
        const { deviceId } = input as { deviceId?: string };
        this.options.service.lock(deviceId);
        return { ok: true, value: { locked: true } };
      }
      case 'mdsStatus':
        return this.mds.status();
      case 'openMdsFiles':
        return this.mds.open();
      case 'loadMds': {
        const { blob, root } = input as ChannelInput<'loadMds'>;
        return this.mds.load(blob, root);
      }
      case 'forgetMds':
        return this.mds.forget();
    }
  }

  /** Cancel every run (the window is closing), drop any unlocked key's token, stop device events. */
  close(): void {
    for (const runId of [...this.runs.keys()]) this.cancelRun(runId);
    this.options.service.lock();
    this.stopWatching();
  }

  private run(request: RunRequest): Promise<Result<unknown>> {
    return this.track(request.runId, (prompts, signal) =>
      this.options.service.run(request.operation, request.input as never, {
        prompts,
        signal,
        ...(request.deviceId !== undefined ? { deviceId: request.deviceId } : {}),
      }),
    );
  }

  /** A run under the renderer's run id: cancellable, with prompts answered through answerPrompt. */
  private async track(runId: string, work: (prompts: PromptHandler, signal: AbortSignal) => Promise<Result<unknown>>): Promise<Result<unknown>> {
    if (this.runs.has(runId)) return badRequest(`run ${runId} is already running`);
    const running: Running = { controller: new AbortController(), prompts: new Map() };
    this.runs.set(runId, running);
    try {
      return await work(this.promptsFor(runId, running), running.controller.signal);
    } finally {
      for (const waiting of running.prompts.values()) waiting.reject(new CancelledError());
      this.runs.delete(runId);
    }
  }

  private promptsFor(runId: string, running: Running): PromptHandler {
    const ask = (prompt: PinPrompt | ConfirmPrompt, signal: AbortSignal): Promise<string | boolean> =>
      new Promise((resolve, reject) => {
        if (signal.aborted) return reject(new CancelledError());
        const onAbort = (): void => settle(() => reject(new CancelledError()));
        const settle = (done: () => void): void => {
          running.prompts.delete(prompt.id);
          signal.removeEventListener('abort', onAbort);
          done();
        };
        running.prompts.set(prompt.id, {
          kind: prompt.kind,
          resolve: (answer) => settle(() => resolve(answer)),
          reject: (error) => settle(() => reject(error)),
        });
        signal.addEventListener('abort', onAbort, { once: true });
        this.options.emit('prompt', { runId, event: prompt });
      });
    return {
      pin: async (prompt, signal) => (await ask(prompt, signal)) as string,
      confirm: async (prompt, signal) => (await ask(prompt, signal)) as boolean,
      notify: (prompt: NoticePrompt) => this.options.emit('prompt', { runId, event: prompt }),
    };
  }

  private answer(answer: PromptAnswer): Result<{ answered: boolean }> {
    for (const running of this.runs.values()) {
      const waiting = running.prompts.get(answer.id);
      if (!waiting) continue;
      if (waiting.kind !== answer.kind) return badRequest(`prompt ${answer.id} asks for a ${waiting.kind}, not a ${answer.kind}`);
      waiting.resolve(answer.kind === 'pin' ? answer.pin : answer.yes);
      return { ok: true, value: { answered: true } };
    }
    // Late (the run ended or was cancelled meanwhile): nothing waits for it any more.
    return { ok: true, value: { answered: false } };
  }

  /** Cancelling a question cancels its run: the flow cannot go on without the answer. */
  private cancelPrompt(id: string): boolean {
    for (const [runId, running] of this.runs) if (running.prompts.has(id)) return this.cancelRun(runId);
    return false;
  }

  private cancelRun(runId: string): boolean {
    const running = this.runs.get(runId);
    if (!running) return false;
    running.controller.abort();
    return true;
  }
}

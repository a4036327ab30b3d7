/**
 * The names on the wire of the IPC contract (contract.ts), apart from its zod schemas so the
 * sandboxed preload can bundle them without zod. contract.ts checks at compile time that its
 * channels and events are exactly these; nothing else declares a channel.
 * @module
 */

/** Every channel's name on the wire is this prefix + the channel key. */
export const CHANNEL_PREFIX = 'skm:';
/** Every event's name on the wire is this prefix + the event key (apart from channels). */
export const EVENT_PREFIX = 'skm:event:';

export const CHANNEL_NAMES = [
  'listDevices',
  'runOperation',
  'cancelOperation',
  'answerPrompt',
  'cancelPrompt',
  'addVirtualKey',
  'runDoctor',
  'restartElevated',
  'openWindowsSettings',
  'validateProfile',
  'startProvisioning',
  'stopProvisioning',
  'exportProvisionReport',
  'exportEntraPolicy',
  'openProfileFile',
  'chooseSavePath',
  'lockKey',
  'mdsStatus',
  'openMdsFiles',
  'loadMds',
  'forgetMds',
] as const;

export const EVENT_NAMES = ['devicesChanged', 'prompt', 'provision'] as const;

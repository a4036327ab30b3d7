/**
 * The shape of the `cli` part of a catalogue: what only the `skm` command line says (its result
 * lines, table headings, labels, the argument parser's messages and the help's own words). Kept
 * apart from catalogue.ts so the command line's words can grow without crowding the shared ones.
 * `{{skm}}` in a hint is the command line to repeat (`skm --virtual key.json`), filled by the CLI.
 * @module
 */
import type { Plural } from './catalogue.js';

export interface CliWords {
  output: { error: string; details: string; note: string; declined: string };
  /** The argument parser's errors, reworded; never repeating an option's value (it may be a PIN). */
  parser: {
    unknownCommand: string;
    unknownOption: string;
    suggestion: string;
    missingArgument: string;
    missingOptionValue: string;
    excessArguments: string;
    invalidArgument: string;
    conflictingOption: string;
    other: string;
    emptyDeviceId: string;
    emptyRpId: string;
    onOff: string;
    length: string;
    hostPort: string;
    touch: string;
    samples: string;
    shell: string;
    csvAndJson: string;
    csvNotHere: string;
  };
  help: {
    usage: string;
    commands: string;
    options: string;
    arguments: string;
    globalOptions: string;
    examples: string;
    exitCodes: { title: string; list: string };
    helpOption: string;
    helpCommand: string;
    version: string;
  };
  list: { none: string; noCard: string; headers: [string, string, string, string, string] };
  info: {
    labels: Record<
      | 'key' | 'model' | 'vendor' | 'aaguid' | 'versions' | 'firmware' | 'pin' | 'minPinLength' | 'forcePinChange' | 'pinProtocols' | 'slotsLeft'
      | 'extensions' | 'transports' | 'algorithms' | 'resetOver' | 'longTouch' | 'uvRetries' | 'kind' | 'largeBlobStorage',
      string
    >;
    storageUsed: string;
    storageCorrupt: string;
    storageUnreadable: string;
    u2fOnly: string;
    simulated: string;
    firmwareVersion: string;
    firmwareNumber: string;
    notReported: string;
    unknown: string;
    everyConnection: string;
    characters: Plural;
    pinNotSupported: string;
    pinSet: string;
    pinNotSet: string;
    options: string;
    limits: string;
    limitLabels: Record<'maxMsgSize' | 'maxCredentialCountInList' | 'maxCredentialIdLength' | 'maxSerializedLargeBlobArray' | 'maxCredBlobLength' | 'maxRpIdsForSetMinPinLength' | 'maxPinLength', string>;
    otherFields: string;
    /** Label of the attestation verdict (`skm info --attest`). */
    attestation: string;
    tryNext: string;
    /** What each getInfo option means (CTAP 2.1 §6.4 options), set and not set. */
    optionMeanings: Record<string, { yes: string; no: string }>;
  };
  pin: {
    labels: Record<'pin' | 'triesLeft' | 'minLength' | 'mustChange', string>;
    set: string;
    notSet: string;
    unknown: string;
    powerCycle: string;
    mustChange: string;
    isSet: string;
    isChanged: string;
    verified: string;
    verifiedTries: string;
    mismatchRetry: string;
  };
  creds: {
    summary: string;
    none: string;
    noneForRp: string;
    noAccount: string;
    credentialId: string;
    protection: string;
    largeBlobKey: string;
    protectionLevels: { 1: string; 2: string; 3: string; unknown: string; other: string };
    deleted: string;
    updated: string;
  };
  bio: {
    sensor: string;
    touches: string;
    longestName: string;
    swipe: string;
    touch: string;
    unknownKind: string;
    bytes: Plural;
    none: string;
    noName: string;
    headers: [string, string];
    added: string;
    addedNamed: string;
    renamed: string;
    removed: string;
  };
  config: {
    alwaysUvNow: string;
    alwaysUvAlready: string;
    on: string;
    off: string;
    minPinLength: string;
    rpIds: string;
    forceChange: string;
    eaOn: string;
    eaAlready: string;
  };
  reset: { done: string; next: string };
  select: { touched: string; only: string };
  wink: { blinking: string; several: string; cannot: string; pickOne: string };
  test: { works: string; stored: string; notStored: string; credentialId: string; signature: string; signatureValid: string; verification: string; checked: string; notUsed: string };
  virtualKey: {
    attaching: string;
    detached: string;
    headers: [string, string];
    vpcd: Record<'connecting' | 'connected' | 'powerOn' | 'powerOff' | 'disconnected' | 'stopped', string>;
  };
  /** Counts for a live progress line ("2/5"). */
  progress: { step: string };
  /**
   * --help words of every command, by its path below skm (`skm` for the program itself): what
   * it does, its options by long name, its arguments by name.
   */
  /** `skm blobs` and the blob line of `skm creds delete`. */
  blobs: {
    deleted: Plural;
    emptied: Plural;
    nothingToPrune: string;
    pruned: Plural;
    storage: string;
    noneCanHold: string;
    noAccount: string;
    credentialId: string;
    stored: string;
    text: string;
    hex: string;
    withoutKey: Plural;
    orphans: Plural;
    writtenTo: string;
    what: { none: string; damaged: string; text: Plural; binary: Plural };
    afterDelete: { deleted: Plural; deletedDamaged: string; kept: string; changed: string; storageUnreadable: string };
  };
  describe: Record<string, { description: string; options?: Record<string, string>; arguments?: Record<string, string> }>;
}

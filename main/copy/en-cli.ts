/**
 * English words of the `skm` command line (see cli-catalogue.ts). Hints name commands as
 * `{{skm}} …` so that what a person copies runs against the same key (`--virtual`, `--device`).
 * @module
 */
import type { CliWords } from './cli-catalogue.js';

export const enCli: CliWords = {
  output: { error: 'Error: {{message}}', details: 'Details: {{details}}', note: 'Note: {{message}}', declined: '{{message}}' },
  parser: {
    unknownCommand: 'There is no command "{{word}}".',
    unknownOption: 'There is no option {{option}}.',
    suggestion: 'Did you mean {{suggestion}}?',
    missingArgument: 'Missing {{argument}}.',
    missingOptionValue: 'The option {{option}} needs a value.',
    excessArguments: 'Too many arguments (expected {{expected}}).',
    invalidArgument: '{{reason}}',
    conflictingOption: 'The options {{option}} and {{other}} cannot be used together.',
    other: 'The command line could not be read.',
    emptyDeviceId: 'The key id is empty; use an id from `skm list`.',
    emptyRpId: 'A website id (such as example.com) cannot be empty.',
    onOff: '{{argument}} must be "on" or "off".',
    length: '{{argument}} must be a whole number from 4 to {{max}}.',
    hostPort: '{{argument}} must be HOST:PORT, for example 127.0.0.1:35963.',
    touch: '{{argument}} must be approve, deny, never, or a delay in milliseconds.',
    samples: '{{argument}} must be sample names separated by commas: {{names}}.',
    shell: '{{argument}} must be bash, zsh, fish or powershell.',
    csvAndJson: '--csv and --json cannot be used together; choose one.',
    csvNotHere: '--csv works with the commands that print lists: list, creds list and bio list.',
  },
  help: {
    usage: 'Usage:',
    commands: 'Commands:',
    options: 'Options:',
    arguments: 'Arguments:',
    globalOptions: 'Options for every command:',
    examples: 'Examples:',
    exitCodes: {
      title: 'Exit codes:',
      list: [
        '0    done',
        '1    the operation failed (the message says why and what to do next)',
        '2    the command was not used correctly',
        '3    which key? none found, several found, or --device matches none',
        '4    you answered "no" to a confirmation; nothing was changed',
        '130  cancelled (Ctrl-C, Ctrl-D at a prompt)',
      ].join('\n'),
    },
    helpOption: 'Show help for this command',
    helpCommand: 'Show help for a command',
    version: 'Show the version',
  },
  list: {
    none: 'No security key found.',
    noCard: '{{name}} (no key on the reader: tap your key)',
    headers: ['ID', 'CONNECTION', 'NAME', 'MODEL', 'USB ID / READER'],
  },
  info: {
    labels: {
      key: 'Key',
      kind: 'Kind',
      model: 'Model',
      vendor: 'Vendor',
      aaguid: 'AAGUID',
      versions: 'Versions',
      firmware: 'Firmware',
      pin: 'PIN',
      minPinLength: 'Minimum PIN length',
      forcePinChange: 'PIN change required',
      pinProtocols: 'PIN protocols',
      slotsLeft: 'Passkey slots left',
      extensions: 'Extensions',
      transports: 'Transports',
      algorithms: 'Algorithms',
      resetOver: 'Reset allowed over',
      longTouch: 'Reset needs a long touch',
      uvRetries: 'Fingerprint tries left',
    },
    u2fOnly: 'FIDO U2F only (an older standard): no passkeys, PIN or settings to manage',
    simulated: 'simulated key',
    firmwareVersion: '{{version}} ({{hex}})',
    firmwareNumber: '{{number}} ({{hex}})',
    notReported: 'not reported',
    unknown: 'unknown',
    everyConnection: 'every connection',
    characters: { one: '{{count}} character', other: '{{count}} characters' },
    pinNotSupported: 'not supported',
    pinSet: 'set',
    pinNotSet: 'not set',
    options: 'Options:',
    limits: 'Limits:',
    limitLabels: {
      maxMsgSize: 'Largest message (bytes)',
      maxCredentialCountInList: 'Credentials per request',
      maxCredentialIdLength: 'Credential id length',
      maxSerializedLargeBlobArray: 'Large-blob storage (bytes)',
      maxCredBlobLength: 'credBlob length',
      maxRpIdsForSetMinPinLength: 'Sites for minimum PIN length',
      maxPinLength: 'Maximum PIN length (bytes)',
    },
    otherFields: 'Other fields (see --json): {{fields}}',
    tryNext:
      'This is a simulated key: practise on it. Set a PIN with `{{skm}} pin set`, create a passkey with `{{skm}} test --resident`, list it with `{{skm}} creds list`, then erase it all with `{{skm}} reset`. See every command with `skm --help`.',
    optionMeanings: {
      plat: { yes: 'Built into this device (platform authenticator)', no: 'A removable key (roaming authenticator)' },
      rk: { yes: 'Can store passkeys on the key', no: 'Cannot store passkeys on the key' },
      clientPin: { yes: 'A PIN is set', no: 'Supports a PIN, none set yet' },
      up: { yes: 'Asks for a touch to confirm', no: 'Does not check for a touch' },
      uv: { yes: 'Built-in verification (such as a fingerprint) is set up', no: 'Has built-in verification, not set up yet' },
      pinUvAuthToken: { yes: 'Supports PIN tokens with permissions (CTAP 2.1)', no: 'Only older PIN tokens' },
      noMcGaPermissionsWithClientPin: { yes: 'The PIN cannot be used to sign in through this app', no: 'The PIN can be used to sign in' },
      largeBlobs: { yes: 'Can store extra data with passkeys (large blobs)', no: 'No large-blob storage' },
      ep: { yes: 'Enterprise attestation is on', no: 'Enterprise attestation is supported, off' },
      bioEnroll: { yes: 'Fingerprints are enrolled', no: 'Has a fingerprint sensor, no fingerprints yet' },
      userVerificationMgmtPreview: { yes: 'Fingerprints are enrolled (preview commands)', no: 'Has a fingerprint sensor (preview commands), no fingerprints yet' },
      uvBioEnroll: { yes: 'Fingerprints can be managed after a fingerprint check', no: 'Fingerprint management needs the PIN' },
      authnrCfg: { yes: 'Settings can be changed', no: 'Settings cannot be changed' },
      uvAcfg: { yes: 'Settings can be changed after a fingerprint check', no: 'Settings changes need the PIN' },
      credMgmt: { yes: 'Passkeys can be listed and deleted', no: 'Passkeys cannot be managed' },
      credentialMgmtPreview: { yes: 'Passkeys can be listed and deleted (preview commands)', no: 'Passkeys cannot be managed' },
      perCredMgmtRO: { yes: 'Passkeys can be listed with a read-only token', no: 'Listing passkeys needs full access' },
      setMinPINLength: { yes: 'The minimum PIN length can be raised', no: 'The minimum PIN length is fixed' },
      makeCredUvNotRqd: { yes: 'Sign-ins that do not store a passkey need no PIN', no: 'Every registration needs the PIN' },
      alwaysUv: { yes: 'Always asks for the PIN or fingerprint', no: 'Always-verify is supported, off' },
    },
  },
  pin: {
    labels: { pin: 'PIN', triesLeft: 'Tries left', minLength: 'Minimum length', mustChange: 'Must be changed' },
    set: 'set',
    notSet: 'not set',
    unknown: 'unknown',
    powerCycle: '{{tries}} (remove and reinsert the key before the next try)',
    mustChange: 'yes — run `{{skm}} pin change`',
    isSet: 'The PIN is set.',
    isChanged: 'The PIN is changed.',
    verified: 'The PIN is correct. Nothing was changed.',
    verifiedTries: 'The PIN is correct ({{triesText}}). Nothing was changed.',
    mismatchRetry: 'The two PINs were different. Choose the new PIN again.',
  },
  creds: {
    summary: 'Passkeys stored: {{stored}}. Room for {{remaining}} more.',
    none: 'There are no passkeys on this key.',
    noneForRp: 'There are no passkeys for {{rpId}} on this key.',
    noAccount: '(no account name)',
    credentialId: 'Credential ID',
    protection: 'Protection',
    largeBlobKey: 'Large blob key',
    protectionLevels: {
      1: 'level 1 (usable without the PIN)',
      2: 'level 2 (PIN needed unless the website names this passkey)',
      3: 'level 3 (PIN always needed)',
      unknown: 'not reported',
      other: 'level {{level}}',
    },
    deleted: 'Deleted the passkey for {{rpId}} ({{account}}).',
    updated: 'Updated the passkey for {{rpId}}: {{account}}.',
  },
  bio: {
    sensor: 'Sensor',
    touches: 'Touches per fingerprint',
    longestName: 'Longest name',
    swipe: 'swipe your finger over it',
    touch: 'touch it with your finger',
    unknownKind: 'unknown kind',
    bytes: { one: '{{count}} byte', other: '{{count}} bytes' },
    none: 'No fingerprints are enrolled on this key.',
    noName: '(no name)',
    headers: ['ID', 'NAME'],
    added: 'Fingerprint added (id {{id}}).',
    addedNamed: 'Fingerprint added as "{{name}}" (id {{id}}).',
    renamed: 'Fingerprint {{id}} is now called "{{name}}".',
    removed: 'Removed the fingerprint {{name}}.',
  },
  config: {
    alwaysUvNow: 'Always require the PIN or a fingerprint: now {{state}}.',
    alwaysUvAlready: 'Always require the PIN or a fingerprint is already {{state}}; nothing was changed.',
    on: 'on',
    off: 'off',
    minPinLength: 'Minimum PIN length: {{count}} characters.',
    rpIds: 'Websites that may read it: {{list}}.',
    forceChange: 'The PIN must be changed before the key can be used again (`{{skm}} pin change`).',
    eaOn: 'Enterprise attestation is on. A reset turns it off again.',
    eaAlready: 'Enterprise attestation is already on; nothing was changed.',
  },
  reset: {
    done: '{{name}} is reset: it has no passkeys, fingerprints or PIN now.',
    next: 'Set a new PIN with `{{skm}} pin set` before you use it again.',
  },
  select: { touched: 'You touched {{name}}.', only: 'The only key connected is {{name}}.' },
  wink: {
    blinking: '{{name}} is blinking.',
    several: '{{name}} ({{id}}) is blinking.',
    cannot: '{{name}} ({{id}}) cannot blink: {{reason}}',
    pickOne: 'To choose one of them by touch, run `{{skm}} select`.',
  },
  test: {
    works: 'The key works.',
    stored: 'A test passkey for {{userName}} on {{rpId}} is stored on the key.',
    notStored: 'The test credential for {{rpId}} was not stored on the key.',
    credentialId: 'Credential ID',
    signature: 'Signature',
    signatureValid: 'valid (signature counter {{count}})',
    verification: 'PIN or fingerprint',
    checked: 'checked',
    notUsed: 'not used',
  },
  virtualKey: {
    attaching: 'Attaching a simulated key to vpcd at {{host}}:{{port}}. Press Ctrl-C to stop.',
    detached: 'Simulated key detached.',
    headers: ['PRESET', 'DESCRIPTION'],
    vpcd: {
      connecting: 'vpcd: connecting (attempt {{attempt}})',
      connected: 'vpcd: connected — the card is on the reader',
      powerOn: 'vpcd: card power on',
      powerOff: 'vpcd: card power off',
      disconnected: 'vpcd: disconnected ({{reason}}); retrying in {{ms}} ms',
      stopped: 'vpcd: stopped',
    },
  },
  progress: { step: '{{text}} ({{current}}/{{total}})' },
  describe: {
    skm: {
      description: 'Manage FIDO2 security keys: PIN, passkeys, fingerprints, settings and reset.',
      options: {
        '--device': 'Act on this key (an id from `skm list`, or a unique start of one)',
        '--json': 'Print machine-readable JSON on stdout',
        '--csv': 'Print lists (list, creds list, bio list) as CSV on stdout',
        '--virtual': 'Use a simulated key kept in this file (created if missing; repeatable); no hardware is used',
        '--virtual-preset': 'Preset for a new simulated key file (see `skm virtual-key presets`; default ctap21)',
        '--virtual-touch': 'Practice: how the simulated key answers touch requests: approve, deny, never, or a delay in ms',
        '--virtual-samples': 'Practice: fingerprint samples the simulated sensor reads, in order (good, poor-quality, too-high, …; comma-separated)',
        '--verbose': 'Show technical details with errors',
        '--trace': 'Print the CTAP commands and answers to stderr (secrets redacted)',
        '--yes': 'Answer "yes" to confirmations (for scripts)',
      },
    },
    'list': {
      description: 'List the connected security keys',
    },
    'info': {
      description: 'Show everything the key says about itself (model, versions, PIN, options)',
    },
    'pin': {
      description: 'See, set, change or check the PIN of the key',
    },
    'pin status': {
      description: 'Whether a PIN is set, tries left, minimum length',
    },
    'pin set': {
      description: 'Set a PIN on a key that has none (read from the terminal or stdin)',
    },
    'pin change': {
      description: 'Change the PIN (current PIN, then the new one, from the terminal or stdin)',
    },
    'pin verify': {
      description: 'Check the PIN without changing anything (a wrong PIN costs a try, as anywhere)',
    },
    'creds': {
      description: 'List, delete or rename the passkeys stored on the key',
    },
    'creds list': {
      description: 'List the passkeys on the key, grouped by website (needs the PIN)',
      options: {
        '--rp': 'Only the passkeys of this website (relying party id, such as example.com)',
      },
    },
    'creds delete': {
      description: 'Delete one passkey (asks for confirmation, naming the website and account)',
      arguments: {
        'credential-id': 'The credential id as `skm creds list` shows it (base64url), or a unique start of it',
      },
    },
    'creds update-user': {
      description: 'Change the account name and display name stored with a passkey (CTAP 2.1 keys)',
      options: {
        '--name': 'New account name (such as an email address)',
        '--display-name': 'New display name (such as the person\'s full name)',
      },
      arguments: {
        'credential-id': 'The credential id as `skm creds list` shows it (base64url), or a unique start of it',
      },
    },
    'bio': {
      description: 'Add, list, rename or remove the fingerprints on the key',
    },
    'bio info': {
      description: 'What the fingerprint sensor is like (no PIN needed)',
    },
    'bio list': {
      description: 'List the enrolled fingerprints (needs the PIN)',
    },
    'bio enroll': {
      description: 'Add a fingerprint: touch the sensor as often as asked (needs the PIN)',
      options: {
        '--name': 'A name for the fingerprint, such as "Right index"',
      },
    },
    'bio rename': {
      description: 'Rename a fingerprint (needs the PIN)',
      arguments: {
        'template-id': 'The fingerprint id as `skm bio list` shows it (hex)',
        'name': 'The new name',
      },
    },
    'bio delete': {
      description: 'Remove a fingerprint (asks for confirmation, naming it; needs the PIN)',
      arguments: {
        'template-id': 'The fingerprint id as `skm bio list` shows it (hex)',
      },
    },
    'config': {
      description: 'Change the settings of the key: always-verify, minimum PIN length, enterprise attestation',
    },
    'config always-uv': {
      description: 'Always require the PIN or a fingerprint, even when a website asks only for a touch',
      arguments: {
        'on|off': 'on: always require the PIN or a fingerprint; off: let each website decide',
      },
    },
    'config min-pin-length': {
      description: 'Raise the minimum PIN length (it can only go up until the key is reset)',
      options: {
        '--rp': 'A website that may read the minimum PIN length (repeatable)',
        '--force-change': 'Require the PIN to be changed before the key is used again',
      },
      arguments: {
        'length': 'The new minimum, in characters (4 to {{maxMinPinLength}})',
      },
    },
    'config enterprise-attestation': {
      description: 'Enterprise attestation: let websites your organisation set up identify this exact key',
    },
    'config enterprise-attestation enable': {
      description: 'Turn enterprise attestation on (only a reset turns it off)',
    },
    'reset': {
      description: 'Erase the key: every passkey, fingerprint and the PIN (asks for confirmation; needs a replug and a touch)',
      options: {
        '--no-power-cycle': 'Key on an NFC or smart-card reader: lift it and tap it again when asked, instead of letting the reader switch it off and on',
        '--count': 'Count the passkeys that will be lost first (needs the PIN); without it the confirmation says "every passkey"',
      },
    },
    'select': {
      description: 'Touch the key you want among all connected keys; prints its id (for --device)',
    },
    'wink': {
      description: 'Make the key blink so you can see which one it is (several keys: each in turn)',
    },
    'test': {
      description: 'Check that the key works: create a test credential, sign in with it, verify the signature',
      options: {
        '--resident': 'Store the test passkey on the key (it shows in `skm creds list`)',
        '--rp': 'Website (relying party id) for the test credential (default skm.test)',
        '--user': 'Account name for the test credential (default skm-test)',
      },
    },
    'virtual-key': {
      description: 'Simulated keys: list presets, or attach one to a vpcd reader (--vpcd)',
      options: {
        '--vpcd': 'Attach a simulated key to this vsmartcard vpcd reader (port {{vpcdPort}} is the first reader)',
        '--state': 'Keep the simulated key in this file (created if missing)',
        '--preset': 'Preset for a new simulated key (see `skm virtual-key presets`)',
        '--touch': 'How the simulated person answers touch requests: approve, deny, never, or a delay in ms',
      },
    },
    'virtual-key presets': {
      description: 'List the simulated key presets',
    },
    'completion': {
      description: 'Print the shell completion script for bash, zsh, fish or powershell',
      arguments: {
        'shell': 'bash, zsh, fish, powershell',
      },
    },
    'man': {
      description: 'Print the manual page (roff), as the packages install it',
    },

  },
};

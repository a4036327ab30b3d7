/**
 * English: the complete catalogue. Plain words a person can act on, never spec names; the raw
 * codes belong in the details a front end shows on request. Other languages fall back to this.
 * Each section lives in its own module under en/; every other language has the same files.
 * @module
 */
import type { Catalogue } from './catalogue.js';
import { enApp } from './en-app.js';
import { enCli } from './en-cli.js';
import { attestation } from './en/attestation.js';
import { errors } from './en/errors.js';
import { prompts } from './en/prompts.js';
import { provision } from './en/provision.js';
import { reasons } from './en/reasons.js';
import { system } from './en/system.js';

export const en: Catalogue = { errors, reasons, ...prompts, ...system, provision, attestation, app: enApp, cli: enCli };

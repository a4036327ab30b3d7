/**
 * Français : le catalogue complet de l'application et de son interface de bureau, section par
 * section comme en.ts (un fichier par section sous fr/). La ligne de commande (`cli`) parle encore anglais.
 * @module
 */
import type { Catalogue } from './catalogue.js';
import { enCli } from './en-cli.js';
import { app } from './fr/app.js';
import { attestation } from './fr/attestation.js';
import { errors } from './fr/errors.js';
import { prompts } from './fr/prompts.js';
import { provision } from './fr/provision.js';
import { reasons } from './fr/reasons.js';
import { system } from './fr/system.js';

export const fr: Catalogue = { errors, reasons, ...prompts, ...system, provision, attestation, app, cli: enCli };

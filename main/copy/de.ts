/**
 * Deutsch: der vollständige Katalog für die App und die Desktop-Shell, Abschnitt für Abschnitt wie
 * en.ts (eine Datei je Abschnitt unter de/). Die Befehlszeile (`cli`) spricht noch Englisch.
 * @module
 */
import type { Catalogue } from './catalogue.js';
import { enCli } from './en-cli.js';
import { app } from './de/app.js';
import { attestation } from './de/attestation.js';
import { errors } from './de/errors.js';
import { prompts } from './de/prompts.js';
import { provision } from './de/provision.js';
import { reasons } from './de/reasons.js';
import { system } from './de/system.js';

export const de: Catalogue = { errors, reasons, ...prompts, ...system, provision, attestation, app, cli: enCli };

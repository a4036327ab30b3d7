/**
 * The shell's Open and Save dialogs for Prepare keys (router.ts FileDialogs): the person picks a
 * profile to load and where the report, an export or the Entra ID policy goes; and the FIDO
 * Metadata Service BLOB with its root certificate (mds-setting.ts). Each dialog is
 * modal to our window; the router checks whatever name comes back before using it.
 * @module
 */
import { join } from 'node:path';
import type { BrowserWindow, Dialog, FileFilter } from 'electron';
import type { FileDialogs, SavePurpose } from '../ipc/provisioning.js';

export interface DialogWords {
  openProfile: string;
  save: Record<SavePurpose, string>;
  filters: { profile: string; csv: string; jsonl: string; json: string; all: string };
  mds: { blob: string; root: string; filters: { blob: string; root: string; all: string } };
}

/** The dialogs' words from the catalogue (`shell.dialogs`). */
export function dialogWords(t: (key: string) => string): DialogWords {
  const purposes: SavePurpose[] = ['report', 'export-csv', 'export-jsonl', 'policy'];
  const filters = ['profile', 'csv', 'jsonl', 'json', 'all'] as const;
  return {
    openProfile: t('shell.dialogs.openProfile'),
    save: Object.fromEntries(purposes.map((p) => [p, t(`shell.dialogs.save.${p}`)])) as Record<SavePurpose, string>,
    filters: Object.fromEntries(filters.map((f) => [f, t(`shell.dialogs.filters.${f}`)])) as DialogWords['filters'],
    mds: {
      blob: t('shell.mdsDialogs.blob'),
      root: t('shell.mdsDialogs.root'),
      filters: { blob: t('shell.mdsDialogs.filters.blob'), root: t('shell.mdsDialogs.filters.root'), all: t('shell.mdsDialogs.filters.all') },
    },
  };
}

function filtersFor(purpose: SavePurpose, words: DialogWords): FileFilter[] {
  const csv = { name: words.filters.csv, extensions: ['csv'] };
  const jsonl = { name: words.filters.jsonl, extensions: ['jsonl'] };
  switch (purpose) {
    case 'report':
      return [csv, jsonl];
    case 'export-csv':
      return [csv];
    case 'export-jsonl':
      return [jsonl];
    case 'policy':
      return [{ name: words.filters.json, extensions: ['json'] }];
  }
}

export function shellFileDialogs(input: { dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>; window: () => BrowserWindow | undefined; words: DialogWords; documents: () => string }): FileDialogs {
  const open = async (title: string, filters: FileFilter[]): Promise<string | null> => {
    const options = { title, properties: ['openFile' as const], filters };
    const window = input.window();
    const picked = window ? await input.dialog.showOpenDialog(window, options) : await input.dialog.showOpenDialog(options);
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  };
  return {
    openProfile: () =>
      open(input.words.openProfile, [
        { name: input.words.filters.profile, extensions: ['json', 'yaml', 'yml'] },
        { name: input.words.filters.all, extensions: ['*'] },
      ]),
    openMds: (which) => {
      const { mds } = input.words;
      // The FIDO Alliance serves the BLOB as blob.jwt; its root comes as .pem, .crt or .cer.
      const own = which === 'blob' ? { name: mds.filters.blob, extensions: ['jwt'] } : { name: mds.filters.root, extensions: ['pem', 'crt', 'cer'] };
      return open(mds[which], [own, { name: mds.filters.all, extensions: ['*'] }]);
    },
    async savePath(purpose, suggestedName) {
      const options = {
        title: input.words.save[purpose],
        defaultPath: join(input.documents(), suggestedName),
        filters: filtersFor(purpose, input.words),
        properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
      };
      const window = input.window();
      const picked = window ? await input.dialog.showSaveDialog(window, options) : await input.dialog.showSaveDialog(options);
      return picked.canceled || !picked.filePath ? null : picked.filePath;
    },
  };
}

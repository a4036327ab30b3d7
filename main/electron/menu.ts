/**
 * The application menu as a template (pure: a test reads it). "Add a simulated key" adds a
 * practice key through the same router channel the renderer would use; the developer tools are
 * in the menu only for an unpackaged run (and disabled entirely when packaged, window-options.ts).
 * @module
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuWords {
  keys: string;
  addSimulatedKey: string;
  quit: string;
  view: string;
}

export function appMenuTemplate(input: { words: MenuWords; isPackaged: boolean; onAddSimulatedKey: () => void }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (!input.isPackaged) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  return [
    {
      label: input.words.keys,
      submenu: [
        { id: 'add-simulated-key', label: input.words.addSimulatedKey, click: () => input.onAddSimulatedKey() },
        { type: 'separator' },
        { role: 'quit', label: input.words.quit },
      ],
    },
    { role: 'editMenu' },
    { label: input.words.view, submenu: view },
  ];
}

// This workstation's own settings, in a small JSON file in the user-data folder. They are not
// clinic data (each workstation has its own language, numbering and update channel), so they
// never replicate and work before anyone signs in.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InputOf } from '../../../shared/api/contract';
import type { Settings } from '../../../shared/api/views';
import type { ServiceTable } from '../service-table';

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  language: 'en',
  toothNotation: 'fdi',
  updateChannel: 'stable',
  scheduleColumns: 'operatory',
});

const ALLOWED: { readonly [K in keyof Settings]: readonly Settings[K][] } = {
  language: ['en', 'pt-BR'],
  toothNotation: ['fdi', 'universal'],
  updateChannel: ['stable', 'beta'],
  scheduleColumns: ['operatory', 'provider'],
};

/** Known keys with allowed values; anything else in the file (hand edits, old versions) is ignored. */
function sanitize(raw: unknown): Settings {
  const source = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(ALLOWED) as (keyof Settings)[]) {
    const value = source[key];
    if ((ALLOWED[key] as readonly unknown[]).includes(value)) settings[key] = value;
  }
  return settings as unknown as Settings;
}

export async function readSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SETTINGS;
    throw error;
  }
  try {
    return sanitize(JSON.parse(text));
  } catch {
    return DEFAULT_SETTINGS; // a damaged settings file must not stop the app from starting
  }
}

/** Writes the whole file through a temporary one, so a crash never leaves half a file. */
export async function updateSettings(
  file: string,
  changes: InputOf<'settings.update'>,
): Promise<Settings> {
  const next = sanitize({ ...(await readSettings(file)), ...changes });
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${String(process.pid)}.tmp`;
  await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
  return next;
}

export function settingsHandlers(
  settingsFile: string,
): Pick<ServiceTable, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': async () => readSettings(settingsFile),
    'settings.update': async (input) => updateSettings(settingsFile, input),
  };
}

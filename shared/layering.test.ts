// Proves the layering rules of DESIGN.md bite: each deliberately bad fixture import must be
// reported by the real eslint.config.js, and the allowed ones must stay clean.
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function boundaryMessages(relativeFile: string): Promise<string[]> {
  // ignore: false lints the fixtures, which the normal lint run skips.
  const eslint = new ESLint({ cwd: repoRoot, ignore: false });
  const [result] = await eslint.lintFiles([path.join(repoRoot, relativeFile)]);
  expect(result, `no lint result for ${relativeFile}`).toBeDefined();
  return result!.messages
    .filter((message) => message.ruleId === 'boundaries/dependencies')
    .map((message) => message.message);
}

describe('layering lint rules', () => {
  it.each([
    ['shared/__fixtures__/layering/imports-main.ts', /"shared" to elements of type "main-core"/],
    ['shared/__fixtures__/layering/imports-electron.ts', /source "electron".*"shared"/],
    [
      'renderer/__fixtures__/layering/imports-main.ts',
      /"renderer" to elements of type "main-core"/,
    ],
    ['renderer/__fixtures__/layering/imports-node-builtin.ts', /origin "core".*"renderer"/],
    ['renderer/__fixtures__/layering/imports-sqlite.ts', /source "better-sqlite3".*"renderer"/],
    ['main/core/__fixtures__/layering/imports-electron.ts', /source "electron".*"main-core"/],
    [
      'sync-server/__fixtures__/layering/imports-main.ts',
      /"sync-server" to elements of type "main-core"/,
    ],
  ])('reports the forbidden import in %s', async (file, expected) => {
    const messages = await boundaryMessages(file);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(expected);
  });

  it.each([
    'renderer/__fixtures__/layering/imports-shared.ts',
    'main/electron/__fixtures__/layering/imports-electron.ts',
  ])('allows the permitted imports in %s', async (file) => {
    expect(await boundaryMessages(file)).toEqual([]);
  });
});

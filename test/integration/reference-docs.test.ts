// The generated references in docs/reference/ match the code (regenerated in memory, as
// `npm run docs` writes them), and every relative link of the README and docs/ resolves.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateReferences, REFERENCE_CONFIG, REFERENCE_FILES } from '../../scripts/reference/generate.js';
import { testConfig } from '../helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('docs/reference', () => {
  it('is up to date with the schemas and the OpenAPI document', async () => {
    const generated = await generateReferences(testConfig(REFERENCE_CONFIG));
    expect(Object.keys(generated).sort()).toEqual([...REFERENCE_FILES].sort());
    const stale = Object.entries(generated)
      .filter(([path, text]) => !existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== text)
      .map(([path]) => path);
    expect(stale, `stale, differs from the code: ${stale.join(', ')}; run npm run docs`).toEqual([]);
  });
});

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

describe('documentation links', () => {
  it('every relative link of README.md and docs/ points at an existing file', () => {
    const broken: string[] = [];
    for (const file of [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))]) {
      // Code is not Markdown: skip fenced blocks and inline spans (snippets and patterns hold brackets and parentheses).
      const text = readFileSync(file, 'utf8')
        .replace(/```[\s\S]*?```/g, '')
        .replace(/`[^`\n]*`/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const path = decodeURIComponent(target.replace(/#.*$/, ''));
        const absolute = resolve(dirname(file), path);
        if (!existsSync(absolute)) broken.push(`${relative(root, file)} → ${target}`);
        else if (!absolute.startsWith(root + '/') && absolute !== root) broken.push(`${relative(root, file)} → ${target} (outside the repository)`);
      }
    }
    expect(broken).toEqual([]);
  });
});

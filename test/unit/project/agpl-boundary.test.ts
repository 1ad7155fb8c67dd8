import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The IAM policy simulator (@cloud-copilot/iam-simulate and its
 * @cloud-copilot/* dependencies) is AGPL-3.0: a devDependency for the tests and
 * the local stack only (scripts/local/role-policy.ts), never bundled into
 * Lambda code. So nothing reachable from src/ by import may import it,
 * directly or through a module outside src/.
 */

const ROOT = path.resolve(__dirname, '../../..');
const AGPL_PACKAGES = /^@cloud-copilot\//;
const SPECIFIERS = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const EXTENSIONS = ['', '.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(?:[cm]?ts|[cm]?js)$/.test(entry.name) ? [full] : [];
  });
}

function specifiersOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return SPECIFIERS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] ?? ''));
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return EXTENSIONS.map((extension) => base + extension).find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

/** Every `file → package` import of an AGPL package reachable from the entry files by relative imports. */
function agplImportsReachableFrom(entries: string[]): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of specifiersOf(file)) {
      if (AGPL_PACKAGES.test(specifier)) found.push(`${path.relative(ROOT, file)} → ${specifier}`);
      if (specifier.startsWith('.')) {
        const next = resolveRelative(file, specifier);
        if (next) queue.push(next);
      }
    }
  }
  return found;
}

describe('the AGPL boundary', () => {
  it('keeps the IAM policy simulator out of everything src/ imports', () => {
    // Act
    const found = agplImportsReachableFrom(sourceFiles(path.join(ROOT, 'src')));

    // Assess
    expect(found).toEqual([]);
  });

  it('finds the simulator where the local stack uses it', () => {
    // Act
    const found = agplImportsReachableFrom([path.join(ROOT, 'scripts/local/role-policy.ts')]);

    // Assess
    expect(found).toEqual(['scripts/local/role-policy.ts → @cloud-copilot/iam-simulate']);
  });

  it('finds the simulator behind a src/ module that imports a module that imports it', () => {
    // Prepare
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'agpl-boundary-'));
    try {
      fs.mkdirSync(path.join(directory, 'src/lib'), { recursive: true });
      fs.mkdirSync(path.join(directory, 'scripts'));
      fs.writeFileSync(
        path.join(directory, 'src/lib/handler.ts'),
        "import { policy } from '../../scripts/policy';\nexport const x = policy;\n",
      );
      fs.writeFileSync(
        path.join(directory, 'scripts/policy.ts'),
        "export const policy = 1;\nexport const load = () =>\n  import('@cloud-copilot/iam-simulate');\n",
      );

      // Act
      const found = agplImportsReachableFrom(sourceFiles(path.join(directory, 'src')));

      // Assess
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/scripts\/policy\.ts → @cloud-copilot\/iam-simulate$/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

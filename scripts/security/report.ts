/**
 * Rewrites the figures of SECURITY.md (between its `security:figures` markers)
 * from the reports the adversarial suites wrote to `.local/reports/security/`
 * on their last run (`npm run test:security`, `npm run load`). Run by
 * `npm run security:report`, which runs them first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readSuiteReports, type SuiteReport } from '../../test/security/support/report';

const FILE = path.resolve(import.meta.dirname, '../../SECURITY.md');
const BEGIN = '<!-- security:figures:begin -->';
const END = '<!-- security:figures:end -->';

const row = (r: SuiteReport) =>
  `| ${r.title} | ${r.cases} | ${r.refused} | ${r.accepted} | ${r.serverErrors} | ${r.leaks} | ${r.seed ?? '—'} | ${r.at.slice(0, 16).replace('T', ' ')} |`;

const breakdown = (r: SuiteReport) =>
  r.breakdown && Object.keys(r.breakdown).length > 0
    ? [
        `**${r.title}** (\`${r.suite}\`):`,
        '',
        ...Object.entries(r.breakdown)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, n]) => `- ${name}: ${n}`),
        '',
      ]
    : [];

export const figures = (reports: SuiteReport[]): string => {
  const total = (pick: (r: SuiteReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
  return [
    BEGIN,
    '',
    `${reports.length} suites, ${total((r) => r.cases)} cases: ${total((r) => r.accepted)} accepted forgeries or foreign accesses, ` +
      `${total((r) => r.leaks)} leaks or lost events, ${total((r) => r.serverErrors)} 5xx.`,
    '',
    '| suite | cases | refused | accepted (must be 0) | 5xx (must be 0) | leaks, half writes, lost events (must be 0) | seed | run (UTC) |',
    '|---|---|---|---|---|---|---|---|',
    ...reports.map(row),
    '',
    ...reports.flatMap(breakdown),
    END,
  ].join('\n');
};

const main = () => {
  const reports = readSuiteReports();
  if (reports.length === 0)
    throw new Error('No suite reports in .local/reports/security/: run `npm run test:security` and `npm run load` first.');
  const doc = fs.readFileSync(FILE, 'utf8');
  const start = doc.indexOf(BEGIN);
  const stop = doc.indexOf(END);
  if (start < 0 || stop < start) throw new Error(`SECURITY.md lacks the ${BEGIN} … ${END} markers`);
  fs.writeFileSync(FILE, `${doc.slice(0, start)}${figures(reports)}${doc.slice(stop + END.length)}`);
  console.log(`SECURITY.md: figures of ${reports.length} suites (${reports.map((r) => r.suite).join(', ')})`);
};

main();

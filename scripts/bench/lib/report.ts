import fs from 'node:fs';
import os from 'node:os';

/** The parts of `npm run bench`, in the order BENCHMARKS.md shows them. */
export const PARTS = ['auth', 'cold', 'dynamodb', 'storm', 'csv', 'e2e'] as const;
export type PartName = (typeof PARTS)[number];

/** `load` is the 1-minute load average when the part started: this machine is shared, and a high one means noisy figures. */
export type RunMeta = { date: string; node: string; cores: number; cpu: string; load: number };

/** One line of the summary table: a figure, its target and whether this run met it (null: informational). */
export type SummaryRow = { figure: string; measured: string; target: string; met: boolean | null };

export type PartResult = {
  part: PartName;
  title: string;
  meta: RunMeta;
  command: string;
  summary: SummaryRow[];
  /** The section's body, below its heading. */
  markdown: string;
  /** Changes this part's figures argue for, with their measured effect; listed together under the summary. */
  recommendations?: string[];
};

export const runMeta = (): RunMeta => ({
  date: new Date().toISOString(),
  node: process.version,
  cores: os.availableParallelism(),
  cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
  load: Number((os.loadavg()[0] ?? 0).toFixed(2)),
});

export const commandOf = (part: PartName): string => `npm run bench -- ${part}`;

const begin = (part: PartName) => `<!-- bench:${part}:begin -->`;
const end = (part: PartName) => `<!-- bench:${part}:end -->`;
const dataLine = (result: PartResult) =>
  `<!-- bench:${result.part}:data ${Buffer.from(JSON.stringify({ ...result, markdown: '' })).toString('base64url')} -->`;

const renderSection = (r: PartResult): string =>
  [
    begin(r.part),
    dataLine(r),
    `## ${r.title}`,
    '',
    `Command: \`${r.command}\` · ${r.meta.date.slice(0, 16).replace('T', ' ')} UTC · Node ${r.meta.node} · ${r.meta.cores} cores (${r.meta.cpu}) · load average ${r.meta.load} at start`,
    '',
    r.markdown.trim(),
    end(r.part),
  ].join('\n');

/** The sections (and their data) already in BENCHMARKS.md, so one part can be re-run alone. */
const readSections = (text: string): Map<PartName, { section: string; result: PartResult | undefined }> => {
  const found = new Map<PartName, { section: string; result: PartResult | undefined }>();
  for (const part of PARTS) {
    const from = text.indexOf(begin(part));
    const to = text.indexOf(end(part));
    if (from < 0 || to < from) continue;
    const section = text.slice(from, to + end(part).length);
    const data = new RegExp(`<!-- bench:${part}:data ([A-Za-z0-9_-]+) -->`).exec(section)?.[1];
    let result: PartResult | undefined;
    try {
      result = data ? (JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as PartResult) : undefined;
    } catch {
      result = undefined;
    }
    found.set(part, { section, result });
  }
  return found;
};

const verdict = (met: boolean | null) => (met === null ? 'info' : met ? '**met**' : '**not met**');

const HEADER = `# Benchmarks

\`npm run bench\` measures the per-request path, cold starts, DynamoDB round
trips, CSV ingest and the local stack end to end, models one tenant's login
storm against DynamoDB's partition limits, and rewrites this file;
\`npm run bench -- <part>\` (\`auth\`, \`cold\`, \`dynamodb\`, \`storm\`, \`csv\`,
\`e2e\`) re-runs one part and keeps the others. Every measured figure is a
ratio of two measurements taken in the same run on the same machine; absolute
times are shown for context only. The storm is a model (DynamoDB Local does
not throttle), from what the real code reads and writes. The code is in
\`scripts/bench/\`; it is not part of \`npm test\`. A full run takes about
three minutes; the parts that need the local stack start their own on free
ports and stop it at the end.

This machine (2 cores) is shared with other work: each section gives the load
average when it started, and the parts interleave what they compare so that a
busy moment hits both sides of a ratio. Node here is 20; Lambda runs
nodejs22.x, whose V8 is newer, so absolute times there will differ.
`;

/** Rewrites BENCHMARKS.md: the summary of every part, then one section per part, new results replacing old ones. */
export const writeReport = (file: string, results: PartResult[]): void => {
  const existing = fs.existsSync(file) ? readSections(fs.readFileSync(file, 'utf8')) : new Map();
  const sections: string[] = [];
  const rows: string[] = [];
  for (const part of PARTS) {
    const fresh = results.find((r) => r.part === part);
    const old = existing.get(part);
    const section = fresh ? renderSection(fresh) : old?.section;
    const result = fresh ?? old?.result;
    if (!section) continue;
    sections.push(section);
    for (const row of result?.summary ?? []) {
      rows.push(`| ${result?.title} | ${row.figure} | ${row.measured} | ${row.target} | ${verdict(row.met)} | \`${result?.command}\` |`);
    }
  }
  const summary = ['## Summary', '', '| part | figure | measured | target | | command |', '|---|---|---|---|---|---|', ...rows].join('\n');
  const recommendations: string[] = [];
  for (const part of PARTS) {
    const result = results.find((r) => r.part === part) ?? existing.get(part)?.result;
    for (const line of result?.recommendations ?? []) recommendations.push(`- **${result?.title}.** ${line}`);
  }
  const recommended = recommendations.length
    ? `\n\n## Recommended changes\n\nEach measured in the run of its part (see the part's section).\n\n${recommendations.join('\n')}`
    : '';
  fs.writeFileSync(file, `${HEADER}\n${summary}${recommended}\n\n${sections.join('\n\n')}\n`);
};

/** Markdown table from a header and rows. */
export const table = (header: string[], body: (string | number)[][]): string =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export const fmtRatio = (x: number): string => `${x.toFixed(2)}×`;
export const fmtMicros = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
export const fmtKiB = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? Number.NaN) + (s[mid] ?? Number.NaN)) / 2;
};

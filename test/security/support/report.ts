import fs from 'node:fs';
import path from 'node:path';

/**
 * What one adversarial suite tried and what came of it, written after the
 * suite runs to `.local/reports/security/<suite>.json`, from which
 * `npm run security:report` regenerates SECURITY.md's figures.
 */
export type SuiteReport = {
  /** File-name-safe id, e.g. `token-attacks`. */
  suite: string;
  /** One line, for SECURITY.md's table. */
  title: string;
  /** Cases tried (requests or property runs that each check the invariant). */
  cases: number;
  /** Cases the API refused as it should (4xx). */
  refused: number;
  /** Forged or foreign input the API accepted: must be 0. */
  accepted: number;
  /** 5xx answers seen: must be 0. */
  serverErrors: number;
  /** Responses that carried another tenant's data, or writes that landed elsewhere: must be 0. */
  leaks: number;
  /** fast-check's seed, for the suites that draw their cases. */
  seed?: number;
  /** Further counts worth reporting, by name (e.g. cases per attack family or per route). */
  breakdown?: Record<string, number>;
  /** ISO time the suite finished. */
  at: string;
};

export const REPORT_DIR = path.resolve(import.meta.dirname, '../../../.local/reports/security');

export const writeSuiteReport = (report: Omit<SuiteReport, 'at'>): void => {
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  const full: SuiteReport = { ...report, at: new Date().toISOString() };
  fs.writeFileSync(path.join(REPORT_DIR, `${report.suite}.json`), `${JSON.stringify(full, null, 2)}\n`);
};

export const readSuiteReports = (): SuiteReport[] =>
  fs.existsSync(REPORT_DIR)
    ? fs
        .readdirSync(REPORT_DIR)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(fs.readFileSync(path.join(REPORT_DIR, f), 'utf8')) as SuiteReport)
    : [];

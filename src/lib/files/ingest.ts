import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';

/**
 * The streaming core of the CSV ingest: reads a stream once, with memory
 * bounded by one record (never the file), and says whether the file is
 * `ready` (its header and data-row count) or `rejected` (why). No S3, no
 * DynamoDB: a test feeds it any Readable.
 *
 * The rules:
 * - UTF-8 text only (a UTF-8 BOM is allowed): an invalid byte sequence or a
 *   control character other than tab, CR and LF rejects the file as not text.
 * - RFC 4180 CSV with a comma delimiter. A quote inside an unquoted field is
 *   taken literally (`5" screen`); an unclosed quoted field rejects the file.
 * - The first non-blank line is the header; a file without one (empty, or
 *   blank lines only) is rejected. A header whose fields are all empty is none.
 * - Width: every data row has exactly as many fields as the header. Blank
 *   lines are skipped and not counted; any other row of another width
 *   rejects the file, naming its line.
 * - The byte count must equal the declared size.
 * - `rowCount` is the number of data rows (the header excluded); a
 *   header-only file is ready with `rowCount: 0`.
 */

export const INGEST_LIMITS = {
  /** A longer line is surely not a data set row; the cap bounds memory for a file with no line breaks. */
  maxRecordChars: 1024 * 1024,
  maxColumns: 1000,
  /** The header is stored in the file's DynamoDB item (400 KB at most). */
  maxHeaderChars: 64 * 1024,
} as const;

export type IngestResult = { status: 'ready'; columns: string[]; rowCount: number; bytes: number } | { status: 'rejected'; reason: string };

export const REASONS = {
  notText: 'The file is not UTF-8 text: it holds binary data or uses another encoding.',
  noHeader: 'The file has no header row: it is empty or holds only blank lines.',
  emptyHeader: 'The header row has no column names.',
  tooManyColumns: `The header has more than ${INGEST_LIMITS.maxColumns} columns.`,
  headerTooLarge: `The header is longer than ${INGEST_LIMITS.maxHeaderChars} characters.`,
  lineTooLong: (line: number) => `Line ${line} is longer than ${INGEST_LIMITS.maxRecordChars} characters.`,
  rowWidth: (line: number, fields: number, columns: number) =>
    `Line ${line} has ${fields} field${fields === 1 ? '' : 's'}; the header has ${columns}. Every row must have as many fields as the header.`,
  malformed: (line: number, what: string) => `The file is not valid CSV: ${what} (line ${line}).`,
  sizeMismatch: (actual: number, declared: number) => `The file is ${actual} bytes; ${declared} were declared.`,
  largerThanDeclared: (declared: number) => `The file is larger than the ${declared} bytes declared.`,
} as const;

class Rejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mark binary content
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Counts the bytes and refuses anything but UTF-8 text, passing the bytes on
 * unchanged (the decoder keeps a character split across chunks for the next one).
 */
const utf8TextGuard = (declaredSize: number, counter: { bytes: number }) => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const check = (decode: () => string) => {
    let text: string;
    try {
      text = decode();
    } catch {
      throw new Rejection(REASONS.notText);
    }
    if (CONTROL_CHARACTER.test(text)) throw new Rejection(REASONS.notText);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      counter.bytes += chunk.length;
      try {
        if (counter.bytes > declaredSize) throw new Rejection(REASONS.largerThanDeclared(declaredSize));
        check(() => decoder.decode(chunk, { stream: true }));
      } catch (err) {
        return callback(err as Error);
      }
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      try {
        check(() => decoder.decode());
      } catch (err) {
        return callback(err as Error);
      }
      callback();
    },
  });
};

const checkHeader = (header: string[]): void => {
  if (header.every((name) => name.trim() === '')) throw new Rejection(REASONS.emptyHeader);
  if (header.length > INGEST_LIMITS.maxColumns) throw new Rejection(REASONS.tooManyColumns);
  if (header.reduce((sum, name) => sum + name.length, 0) > INGEST_LIMITS.maxHeaderChars) throw new Rejection(REASONS.headerTooLarge);
};

const CSV_PROBLEMS: Partial<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by other characters',
};

/** A parser error is the file's fault: it becomes the rejection's reason. Anything else is a fault of ours. */
const asRejection = (err: unknown, header: string[] | undefined): Rejection | undefined => {
  if (err instanceof Rejection) return err;
  if (!(err instanceof CsvError)) return undefined;
  const line = Number(err.lines ?? 0);
  if (err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    const fields = Array.isArray(err.record) ? err.record.length : 0;
    return new Rejection(REASONS.rowWidth(line, fields, header?.length ?? 0));
  }
  if (err.code === 'CSV_MAX_RECORD_SIZE') return new Rejection(REASONS.lineTooLong(line));
  return new Rejection(REASONS.malformed(line, CSV_PROBLEMS[err.code] ?? 'it cannot be parsed'));
};

export const ingestCsv = async (source: Readable, declared: { size: number }): Promise<IngestResult> => {
  const counter = { bytes: 0 };
  let header: string[] | undefined;
  let rowCount = 0;
  const parser = parse({
    bom: true,
    delimiter: ',',
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: INGEST_LIMITS.maxRecordChars,
    // Counted as parsed and dropped: no record outlives its line.
    on_record: (record: string[]) => {
      if (header) {
        rowCount++;
      } else {
        checkHeader(record);
        header = record;
      }
      return null;
    },
  });
  try {
    await pipeline(source, utf8TextGuard(declared.size, counter), parser, async (nothing: AsyncIterable<unknown>) => {
      for await (const _ of nothing);
    });
  } catch (err) {
    const rejection = asRejection(err, header);
    if (!rejection) throw err;
    return { status: 'rejected', reason: rejection.reason };
  }
  if (counter.bytes !== declared.size) return { status: 'rejected', reason: REASONS.sizeMismatch(counter.bytes, declared.size) };
  if (!header) return { status: 'rejected', reason: REASONS.noHeader };
  return { status: 'ready', columns: header, rowCount, bytes: counter.bytes };
};

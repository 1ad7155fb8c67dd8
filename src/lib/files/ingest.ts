import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { FieldCounter, type FieldOverflow } from './ingest-fields';

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
 *   blank lines only) is rejected, and so is a header whose names are all
 *   empty, or one over INGEST_LIMITS (columns, length).
 * - Width: every data row has exactly as many fields as the header. Blank
 *   lines are skipped and not counted; any other row of another width
 *   rejects the file, naming its line. So does a row over 1 MiB, and a row
 *   of more than INGEST_LIMITS.maxColumns fields (counted in the bytes before
 *   parsing: see ingest-fields.ts).
 * - The byte count must equal the declared size.
 * - `rowCount` is the number of data rows (the header excluded); a
 *   header-only file is ready with `rowCount: 0`.
 */

export const INGEST_LIMITS = {
  /** A longer row is surely not a data set's; the cap bounds memory for a file with no line breaks. */
  maxRecordBytes: 1024 * 1024,
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
  lineTooLong: (line: number) => `Line ${line} is longer than the ${INGEST_LIMITS.maxRecordBytes / 1024 / 1024} MiB a row may take.`,
  tooManyFields: (line: number) => `Line ${line} has more than ${INGEST_LIMITS.maxColumns} fields, the most a row may have.`,
  rowWidth: (line: number, fields: number, columns: number) =>
    `Line ${line} has ${fields} field${fields === 1 ? '' : 's'}; ${Number.isInteger(columns) ? `the header has ${columns}` : 'the header has another number'}. Every row must have as many fields as the header.`,
  malformed: (what: string, line?: number) => `The file is not valid CSV: ${what}${line ? ` (line ${line})` : ''}.`,
  sizeMismatch: (actual: number, declared: number) => `The file is ${actual} bytes; ${declared} were declared.`,
  largerThanDeclared: (declared: number) => `The file is larger than the ${declared} bytes declared.`,
  /** Every attempt failed (src/lib/files/ingest-attempts.ts): the file or the service may be at fault, so it blames neither. */
  notProcessed: 'The file could not be processed. Please try uploading it again.',
} as const;

class Rejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mark binary content
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The header keeps its own reason: the row of column names is what is too wide. */
const fieldsRejection = (overflow: FieldOverflow): Rejection =>
  new Rejection(overflow.header ? REASONS.tooManyColumns : REASONS.tooManyFields(overflow.line));

/**
 * Counts the bytes, refuses anything but UTF-8 text and any record of more
 * fields than allowed, and passes the bytes on without a leading BOM
 * (csv-parse's own `bom` option costs a third of its speed). The decoder
 * keeps a character split across chunks for the next one.
 */
const utf8TextGuard = (declaredSize: number, counter: { bytes: number }) => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Fields are counted in what csv-parse will read: after the BOM, which would hide a leading quote.
  const fields = new FieldCounter(INGEST_LIMITS.maxColumns);
  const refuseOverflow = (overflow: FieldOverflow | undefined) => {
    if (overflow) throw fieldsRejection(overflow);
  };
  let head: Buffer | undefined = Buffer.alloc(0);
  const check = (decode: () => string) => {
    let text: string;
    try {
      text = decode();
    } catch {
      throw new Rejection(REASONS.notText);
    }
    if (CONTROL_CHARACTER.test(text)) throw new Rejection(REASONS.notText);
  };
  /** Holds the first bytes back until it can tell whether they start with a BOM. */
  const withoutBom = (chunk: Buffer): Buffer | undefined => {
    if (!head) return chunk;
    head = Buffer.concat([head, chunk]);
    if (head.length < UTF8_BOM.length) return undefined;
    const start = head.subarray(0, UTF8_BOM.length).equals(UTF8_BOM) ? head.subarray(UTF8_BOM.length) : head;
    head = undefined;
    return start;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      counter.bytes += chunk.length;
      let out: Buffer | undefined;
      try {
        if (counter.bytes > declaredSize) throw new Rejection(REASONS.largerThanDeclared(declaredSize));
        check(() => decoder.decode(chunk, { stream: true }));
        out = withoutBom(chunk);
        if (out) refuseOverflow(fields.scan(out));
      } catch (err) {
        return callback(err as Error);
      }
      callback(null, out);
    },
    flush(callback: TransformCallback) {
      const rest = head?.length ? head : undefined;
      try {
        check(() => decoder.decode());
        if (rest) refuseOverflow(fields.scan(rest));
        refuseOverflow(fields.finish());
      } catch (err) {
        return callback(err as Error);
      }
      callback(null, rest);
    },
  });
};

const checkHeader = (header: string[]): void => {
  if (header.every((name) => name.trim() === '')) throw new Rejection(REASONS.emptyHeader);
  if (header.length > INGEST_LIMITS.maxColumns) throw new Rejection(REASONS.tooManyColumns);
  if (header.reduce((sum, name) => sum + name.length, 0) > INGEST_LIMITS.maxHeaderChars) throw new Rejection(REASONS.headerTooLarge);
};

/** A parser error is the file's fault: it becomes the rejection's reason. Anything else is a fault of ours. */
const asRejection = (err: unknown, header: string[] | undefined): Rejection | undefined => {
  if (err instanceof Rejection) return err;
  if (!(err instanceof CsvError)) return undefined;
  const line = Number(err.lines ?? 0);
  if (err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    const fields = Array.isArray(err.record) ? err.record.length : 0;
    // The header may still be queued for the consumer when the parser fails; its message names the width.
    const columns = header?.length ?? Number(/expect (\d+)/.exec(err.message)?.[1]);
    return new Rejection(REASONS.rowWidth(line, fields, columns));
  }
  if (err.code === 'CSV_MAX_RECORD_SIZE') return new Rejection(REASONS.lineTooLong(line));
  // Found only at the end of the file, where the parser's line number no longer points at the quote.
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return new Rejection(REASONS.malformed('a quoted field is never closed'));
  return new Rejection(REASONS.malformed('it cannot be parsed', line));
};

export const ingestCsv = async (source: Readable, declared: { size: number }): Promise<IngestResult> => {
  const counter = { bytes: 0 };
  let header: string[] | undefined;
  let rowCount = 0;
  // Plain options only: `on_record`, `info` and `bom` each halve csv-parse's throughput.
  const parser = parse({ delimiter: ',', relax_quotes: true, skip_empty_lines: true, max_record_size: INGEST_LIMITS.maxRecordBytes });
  try {
    await pipeline(source, utf8TextGuard(declared.size, counter), parser, async (records: AsyncIterable<string[]>) => {
      // Counted and dropped as they come: no record outlives its turn.
      for await (const record of records) {
        if (header) {
          rowCount++;
        } else {
          checkHeader(record);
          header = record;
        }
      }
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

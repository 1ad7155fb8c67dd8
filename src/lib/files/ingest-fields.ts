/**
 * Counts the fields of every CSV record in the raw bytes, before csv-parse
 * sees them. csv-parse builds each record as an array of strings and bounds
 * only their bytes (`max_record_size`), so a row of nothing but commas costs
 * one array slot and one empty string per comma: 20 MB of commas grew the
 * process by about 1 GB. This counter holds no record, only a few numbers,
 * so memory stays flat whatever the input.
 *
 * It reads the bytes as csv-parse does with the ingest's options (comma
 * delimiter, `"` quotes doubled to escape, `relax_quotes`, blank lines
 * skipped, the record delimiter found at the first CR or LF outside quotes:
 * CRLF, LF or CR), because a miscount either lets a bomb through (a record
 * split where csv-parse does not split it) or rejects a valid file.
 *
 * Speed: the ingest is as fast as csv-parse allows, and this must not slow it
 * down. It jumps from one quote or line break to the next with Buffer#indexOf
 * (memchr), and does not count the commas of a record that ends in sight and
 * is shorter than the limit (it cannot hold more commas than bytes); such a
 * row's quotes are followed in one pass of byte compares.
 */

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

type RecordDelimiter = 'lf' | 'crlf' | 'cr';

/** The record over the limit: where it starts (1-based physical line) and whether it is the header. */
export type FieldOverflow = { line: number; header: boolean };

/** Whether [from, to), read from outside quotes, ends inside a quoted field; `to` is in `buf`, so a quote's next byte always is. */
const endsInsideQuotes = (buf: Buffer, from: number, to: number, fieldStart: boolean): boolean => {
  let quoting = false;
  let atFieldStart = fieldStart;
  for (let i = from; i < to; i++) {
    const byte = buf[i];
    if (quoting) {
      if (byte !== QUOTE) continue;
      if (buf[i + 1] === QUOTE) i++;
      else quoting = false;
    } else if (byte === COMMA) {
      atFieldStart = true;
    } else {
      quoting = byte === QUOTE && atFieldStart;
      atFieldStart = false;
    }
  }
  return quoting;
};

export class FieldCounter {
  /** Unknown until the first CR or LF outside quotes, as in csv-parse. */
  private delimiter: RecordDelimiter | undefined;
  private quoting = false;
  /** Nothing of the current field is read yet: a quote here opens a quoted field, anywhere else it is a literal. */
  private fieldStart = true;
  /** Nothing of the current record is read yet: it ends as a blank line, which csv-parse skips. */
  private recordEmpty = true;
  /** Delimiters counted in the current record; exact whenever a record may still reach the limit. */
  private commas = 0;
  private line = 1;
  private recordLine = 1;
  private records = 0;
  /** A last byte whose meaning depends on the next one (a quote inside quotes, a CR that may start CRLF). */
  private carry: Buffer | undefined;

  // Positions of the next quote, record-delimiter byte and comma in `buf`, found once each (-1: not looked for yet).
  private buf: Buffer = Buffer.alloc(0);
  private nextQuoteAt = -1;
  private nextBreakAt = -1;
  private nextCommaAt = -1;

  constructor(private readonly maxFields: number) {}

  /** Reads the next bytes; says which record went over the limit, if one did. */
  scan(chunk: Buffer): FieldOverflow | undefined {
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    return this.walk(bytes, false);
  }

  /** The end of the input: settles a byte held back for the next chunk. */
  finish(): FieldOverflow | undefined {
    const held = this.carry;
    this.carry = undefined;
    return held ? this.walk(held, true) : undefined;
  }

  private walk(buf: Buffer, end: boolean): FieldOverflow | undefined {
    this.buf = buf;
    this.nextQuoteAt = this.nextBreakAt = this.nextCommaAt = -1;
    const len = buf.length;
    let pos = 0;
    while (pos < len) {
      if (this.quoting) {
        const q = this.nextQuote(pos);
        this.countLines(pos, q);
        if (q === len) return undefined;
        if (q + 1 === len && !end) {
          this.carry = buf.subarray(q);
          return undefined;
        }
        // A doubled quote is a literal one; any other quote closes the field.
        if (buf[q + 1] === QUOTE) {
          pos = q + 2;
          continue;
        }
        this.quoting = false;
        this.fieldStart = false;
        pos = q + 1;
        continue;
      }
      const q = this.nextQuote(pos);
      const b = this.nextBreak(pos);
      if (q < b && !this.shortQuotedRecordEndsAt(pos, q, b)) {
        if (!this.countCommas(pos, q)) return this.overflow();
        this.quoting = q === pos ? this.fieldStart : buf[q - 1] === COMMA;
        this.fieldStart = false;
        this.recordEmpty = false;
        pos = q + 1;
        continue;
      }
      if (b === len) {
        // The record goes on past these bytes: count them now, they are gone by the next chunk.
        const stop = !end && this.delimiter === 'crlf' && buf[len - 1] === CR ? len - 1 : len;
        if (!this.countCommas(pos, stop)) return this.overflow();
        if (stop > pos) this.markRead(stop);
        if (stop < len) this.carry = buf.subarray(stop);
        return undefined;
      }
      const ending = this.recordEndAt(b, pos, end);
      if (ending === 'wait') {
        if (!this.countCommas(pos, b)) return this.overflow();
        if (b > pos) this.markRead(b);
        this.carry = buf.subarray(b);
        return undefined;
      }
      if (ending === undefined) {
        // A lone LF in a CRLF file: part of the field, as in csv-parse.
        if (!this.countCommas(pos, b)) return this.overflow();
        this.line++;
        this.markRead(b + 1);
        pos = b + 1;
        continue;
      }
      const [contentEnd, next] = ending;
      if (!(this.recordEmpty && contentEnd === pos)) {
        // Fewer bytes left than commas needed: the record is within the limit without counting them.
        if (this.commas + (contentEnd - pos) >= this.maxFields && !this.countCommas(pos, contentEnd)) return this.overflow();
        this.records++;
      }
      this.commas = 0;
      this.recordEmpty = true;
      this.fieldStart = true;
      this.line++;
      this.recordLine = this.line;
      pos = next;
    }
    return undefined;
  }

  /**
   * Whether the record read from `pos` (its first quote at `q`) surely ends
   * at the delimiter byte `b`, every quote closed before it, and is too short
   * to hold too many fields: then neither its commas nor its quotes need to be
   * found one by one. A pass of plain byte compares from the first quote to
   * the end of a short row costs less than an indexOf per quote.
   */
  private shortQuotedRecordEndsAt(pos: number, q: number, b: number): boolean {
    const buf = this.buf;
    if (b === buf.length || this.commas + (b - pos) >= this.maxFields) return false;
    if (this.delimiter === undefined || (this.delimiter === 'crlf' && buf[b - 1] !== CR)) return false;
    return !endsInsideQuotes(buf, q, b, q === pos ? this.fieldStart : buf[q - 1] === COMMA);
  }

  /**
   * The record delimiter at `b` (a CR or LF outside quotes): where the record's
   * content ends and the next record starts; undefined when the byte is
   * content; 'wait' for a CR at the end of a chunk while CRLF is still possible.
   */
  private recordEndAt(b: number, pos: number, end: boolean): [number, number] | undefined | 'wait' {
    const buf = this.buf;
    switch (this.delimiter) {
      case 'lf':
      case 'cr':
        return [b, b + 1];
      case 'crlf':
        return b > pos && buf[b - 1] === CR ? [b - 1, b + 1] : undefined;
      case undefined:
        if (buf[b] === LF) return this.discovered('lf', [b, b + 1]);
        if (b + 1 === buf.length) return end ? this.discovered('cr', [b, b + 1]) : 'wait';
        return buf[b + 1] === LF ? this.discovered('crlf', [b, b + 2]) : this.discovered('cr', [b, b + 1]);
    }
  }

  private discovered(delimiter: RecordDelimiter, ending: [number, number]): [number, number] {
    this.delimiter = delimiter;
    this.nextBreakAt = -1;
    return ending;
  }

  /** Bytes up to `stop` were read outside quotes: the record has content, and a comma last means a new field starts. */
  private markRead(stop: number): void {
    this.recordEmpty = false;
    this.fieldStart = this.buf[stop - 1] === COMMA;
  }

  /** Adds the commas in [from, to); false once the record has more fields than allowed. */
  private countCommas(from: number, to: number): boolean {
    if (from >= to) return true;
    for (let c = this.nextComma(from); c < to; c = this.nextComma(c + 1)) {
      if (++this.commas >= this.maxFields) return false;
    }
    return true;
  }

  /** Line breaks inside a quoted field still count as lines, as in csv-parse's line numbers. */
  private countLines(from: number, to: number): void {
    for (let b = this.nextBreak(from); b < to; b = this.nextBreak(b + 1)) {
      if (this.delimiter !== undefined || this.buf[b] === LF) this.line++;
    }
  }

  private overflow(): FieldOverflow {
    return { line: this.recordLine, header: this.records === 0 };
  }

  private nextQuote(from: number): number {
    if (this.nextQuoteAt < from) this.nextQuoteAt = this.find(QUOTE, from);
    return this.nextQuoteAt;
  }

  private nextComma(from: number): number {
    if (this.nextCommaAt < from) this.nextCommaAt = this.find(COMMA, from);
    return this.nextCommaAt;
  }

  /** The next byte that may end a record: LF (LF and CRLF files), CR (CR files), either while unknown. */
  private nextBreak(from: number): number {
    if (this.nextBreakAt < from) {
      this.nextBreakAt =
        this.delimiter === undefined
          ? Math.min(this.find(LF, from), this.find(CR, from))
          : this.find(this.delimiter === 'cr' ? CR : LF, from);
    }
    return this.nextBreakAt;
  }

  /** Where `byte` next occurs from `from` on; the buffer's length when it does not. */
  private find(byte: number, from: number): number {
    const at = this.buf.indexOf(byte, from);
    return at === -1 ? this.buf.length : at;
  }
}

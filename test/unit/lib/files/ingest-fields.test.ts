import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FieldCounter, type FieldOverflow } from '../../../../src/lib/files/ingest-fields';

/** Feeds `text` in chunks of the given sizes (cycled), then ends it. */
const countIn = (text: string, maxFields: number, chunkSizes: number[] = [text.length || 1]): FieldOverflow | undefined => {
  const bytes = Buffer.from(text);
  const counter = new FieldCounter(maxFields);
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = chunkSizes[i % chunkSizes.length] ?? 1;
    const overflow = counter.scan(bytes.subarray(at, at + size));
    if (overflow) return overflow;
    at += size;
  }
  return counter.finish();
};

/** A small deterministic generator, so a failure can be replayed. */
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

describe('FieldCounter', () => {
  it('finds the same first record over the limit as csv-parse, however the bytes are split', () => {
    // Prepare: short inputs of the bytes that matter, in every combination chance gives
    const next = random(42);
    const alphabet = [',', ',', '"', '"', '\n', '\r', '\r\n', 'a', ' '];
    let compared = 0;

    for (let run = 0; run < 3000; run++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 24) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const maxFields = 1 + Math.floor(next() * 12);
      const chunkSizes = [1 + Math.floor(next() * 4), 1 + Math.floor(next() * 4)];
      let records: string[][];
      try {
        records = parse(text, { delimiter: ',', relax_quotes: true, skip_empty_lines: true, relax_column_count: true });
      } catch {
        continue; // an unclosed quote: the file is rejected whatever the count
      }
      compared++;

      // Act
      const overflow = countIn(text, maxFields, chunkSizes);

      // Assess
      const first = records.findIndex((record) => record.length > maxFields);
      expect({ text, maxFields, chunkSizes, overflow: overflow && { header: overflow.header } }).toEqual({
        text,
        maxFields,
        chunkSizes,
        overflow: first === -1 ? undefined : { header: first === 0 },
      });
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('names the physical line a record starts on, counting blank lines and line breaks inside quotes', () => {
    expect(countIn('a,b\n\n"x\ny",1\n,,,\n', 3)).toEqual({ line: 5, header: false });
    expect(countIn('a,b\r\n\r\n"x\r\ny",1\r\n,,,\r\n', 3, [1])).toEqual({ line: 5, header: false });
  });

  it('waits for the next chunk when a CR or a quote at the end of one could mean two things', () => {
    // CR, then LF in the next chunk: one CRLF, not a CR file with a blank line
    expect(countIn('a,b\r\n,,\r\n', 2, [4, 1])).toEqual({ line: 2, header: false });
    // A quote, then a quote in the next chunk: a doubled quote inside the field, whose commas do not count
    expect(countIn('a,b\n"x"",,,"\n', 2, [6, 1])).toBeUndefined();
  });

  it('settles a CR at the very end as the record delimiter of a CR file', () => {
    expect(countIn('a\r', 1, [1])).toBeUndefined();
    expect(countIn(',\r', 1, [1])).toEqual({ line: 1, header: true });
  });
});

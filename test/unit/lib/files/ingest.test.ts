import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { INGEST_LIMITS, ingestCsv, REASONS } from '../../../../src/lib/files/ingest';

/** The bytes as a stream of `chunkSize`-byte chunks, as S3 would hand them over in pieces. */
const streamOf = (content: string | Buffer, chunkSize = 64 * 1024) => {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return { stream: Readable.from(chunks), size: bytes.length };
};

const ingest = (content: string | Buffer, chunkSize?: number) => {
  const { stream, size } = streamOf(content, chunkSize);
  return ingestCsv(stream, { size });
};

describe('ingestCsv', () => {
  describe('ready files', () => {
    it('records the header and counts the data rows, not the header', async () => {
      const result = await ingest('id,name,score\n1,Ann,3\n2,Bob,4\n');

      expect(result).toEqual({ status: 'ready', columns: ['id', 'name', 'score'], rowCount: 2, bytes: 30 });
    });

    it('accepts a header-only file with no rows', async () => {
      expect(await ingest('id,name\n')).toMatchObject({ status: 'ready', columns: ['id', 'name'], rowCount: 0 });
    });

    it('accepts a last line without a line break, and CRLF line breaks', async () => {
      expect(await ingest('a,b\r\n1,2\r\n3,4')).toMatchObject({ status: 'ready', rowCount: 2 });
    });

    it('reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes', async () => {
      const result = await ingest('a,b\n"x, y","say ""hi"""\n"multi\nline",2\n');

      expect(result).toMatchObject({ status: 'ready', rowCount: 2 });
    });

    it('takes a quote inside an unquoted field literally', async () => {
      expect(await ingest('item,size\ntv,55" screen\n')).toMatchObject({ status: 'ready', rowCount: 1 });
    });

    it('skips blank lines without counting them', async () => {
      expect(await ingest('a,b\n1,2\n\n\n3,4\n\n')).toMatchObject({ status: 'ready', rowCount: 2 });
    });

    it('drops a UTF-8 BOM from the first column name, even split across chunks', async () => {
      expect(await ingest('\uFEFFid,name\n1,x\n', 1)).toMatchObject({ status: 'ready', columns: ['id', 'name'], rowCount: 1 });
    });

    it('keeps a multi-byte character split across chunks', async () => {
      expect(await ingest('név,ár\nÁrvíztűrő,3\n', 1)).toMatchObject({ status: 'ready', columns: ['név', 'ár'], rowCount: 1 });
    });
  });

  describe('rejected files', () => {
    it('rejects binary garbage as not text', async () => {
      expect(await ingest(randomBytes(64 * 1024))).toEqual({ status: 'rejected', reason: REASONS.notText });
    });

    it('rejects a NUL byte in otherwise valid text as binary', async () => {
      expect(await ingest('a,b\n1,\u00002\n')).toEqual({ status: 'rejected', reason: REASONS.notText });
    });

    it('rejects text in another encoding', async () => {
      expect(await ingest(Buffer.from('name\ncafé\n', 'latin1'))).toEqual({ status: 'rejected', reason: REASONS.notText });
      expect(await ingest(Buffer.from('\uFEFFname\n1\n', 'utf16le'))).toEqual({ status: 'rejected', reason: REASONS.notText });
    });

    it('rejects a file that ends inside a multi-byte character', async () => {
      expect(await ingest(Buffer.from([0x61, 0x0a, 0xc3]))).toEqual({ status: 'rejected', reason: REASONS.notText });
    });

    it('rejects an empty file, and one of blank lines only, for having no header', async () => {
      expect(await ingest('')).toEqual({ status: 'rejected', reason: REASONS.noHeader });
      expect(await ingest('\n\n\n')).toEqual({ status: 'rejected', reason: REASONS.noHeader });
      expect(await ingest('\r\n\r\n')).toEqual({ status: 'rejected', reason: REASONS.noHeader });
    });

    it('rejects a header without any column name', async () => {
      expect(await ingest(',,\n1,2,3\n')).toEqual({ status: 'rejected', reason: REASONS.emptyHeader });
    });

    it('rejects a row narrower than the header, naming its line', async () => {
      expect(await ingest('a,b,c\n1,2,3\n\n4,5\n')).toEqual({ status: 'rejected', reason: REASONS.rowWidth(4, 2, 3) });
    });

    it('rejects a row wider than the header, far into the file', async () => {
      const result = await ingest(`a,b\n${'1,2\n'.repeat(50_000)}1,2,3\n`, 4096);

      expect(result).toEqual({ status: 'rejected', reason: REASONS.rowWidth(50_002, 3, 2) });
    });

    it('rejects an unclosed quoted field', async () => {
      expect(await ingest('a,b\n"open,2\n3,4\n')).toEqual({
        status: 'rejected',
        reason: REASONS.malformed('a quoted field is never closed'),
      });
    });

    it('rejects a row longer than the limit without holding it', async () => {
      const result = await ingest(`a\n${'x'.repeat(2 * INGEST_LIMITS.maxRecordBytes)}\n`);

      expect(result).toEqual({ status: 'rejected', reason: REASONS.lineTooLong(2) });
    });

    it('rejects a header wider than the limit', async () => {
      const header = Array.from({ length: INGEST_LIMITS.maxColumns + 1 }, (_, i) => `c${i}`).join(',');

      expect(await ingest(`${header}\n`)).toEqual({ status: 'rejected', reason: REASONS.tooManyColumns });
    });

    describe('a row of more fields than a header may have, refused before it is parsed', () => {
      const MiB = 1024 * 1024;
      const tooWide = ','.repeat(INGEST_LIMITS.maxColumns);

      it('rejects a 20 MB row of nothing but commas, naming its line, without reading it to the end', async () => {
        // Prepare: the row is served lazily, 64 KiB at a time, so the test can tell how much was read
        const header = 'a,b\n1,2\n';
        const rowBytes = 20 * MiB;
        const chunk = Buffer.alloc(64 * 1024, ',');
        let served = 0;
        const bomb = Readable.from(
          (function* () {
            yield Buffer.from(header);
            for (; served < rowBytes; served += chunk.length) yield chunk;
            yield Buffer.from('\n');
          })(),
        );

        // Act
        const result = await ingestCsv(bomb, { size: header.length + rowBytes + 1 });

        // Assess
        expect(result).toEqual({ status: 'rejected', reason: REASONS.tooManyFields(3) });
        expect(served).toBeLessThan(1 * MiB);
      });

      it('rejects a data row of one field more than the limit, counting blank lines in its line number', async () => {
        expect(await ingest(`a,b\n1,2\n\n${tooWide}\n`)).toEqual({ status: 'rejected', reason: REASONS.tooManyFields(4) });
      });

      it('accepts rows of exactly the limit', async () => {
        const row = ','.repeat(INGEST_LIMITS.maxColumns - 1);

        expect(await ingest(`${'c,'.repeat(INGEST_LIMITS.maxColumns - 1)}c\n${row}\n${row}\n`, 7)).toMatchObject({
          status: 'ready',
          rowCount: 2,
        });
      });

      it('does not count commas inside quoted fields, across line breaks, doubled quotes and chunks', async () => {
        const quoted = `"${',\n""'.repeat(5 * INGEST_LIMITS.maxColumns)}"`;

        expect(await ingest(`a,b\n${quoted},2\n3,${quoted}\n`, 3)).toMatchObject({ status: 'ready', rowCount: 2 });
      });

      it('counts the commas after a quote that does not open a field', async () => {
        expect(await ingest(`a,b\n1,2\n5" screen${tooWide}"\n`)).toEqual({ status: 'rejected', reason: REASONS.tooManyFields(3) });
      });

      it('ends rows at a bare CR in a file whose line breaks are CRs, as the parser does', async () => {
        expect(await ingest(`a,b\r${'1,2\r'.repeat(INGEST_LIMITS.maxColumns)}`, 5)).toMatchObject({
          status: 'ready',
          rowCount: INGEST_LIMITS.maxColumns,
        });
      });

      it('takes a lone LF in a CRLF file as part of the row, as the parser does', async () => {
        expect(await ingest(`a,b\r\n1,2\r\n${',\n'.repeat(INGEST_LIMITS.maxColumns)}\r\n`, 2)).toEqual({
          status: 'rejected',
          reason: REASONS.tooManyFields(3),
        });
      });

      it('keeps the header reason for a header over the limit after a BOM and blank lines', async () => {
        expect(await ingest(`\uFEFF\r\n\r\n${tooWide}\r\n1\r\n`, 1)).toEqual({ status: 'rejected', reason: REASONS.tooManyColumns });
      });
    });

    it('rejects a file shorter than declared', async () => {
      const { stream } = streamOf('a\n1\n');

      expect(await ingestCsv(stream, { size: 10 })).toEqual({ status: 'rejected', reason: REASONS.sizeMismatch(4, 10) });
    });

    it('stops reading a file as soon as it is longer than declared', async () => {
      // Prepare: a stream that would go on and on
      let served = 0;
      const endless = new Readable({
        read() {
          served++;
          this.push(Buffer.from('a,b\n1,2\n'.repeat(1024)));
        },
      });

      // Act
      const result = await ingestCsv(endless, { size: 100_000 });

      // Assess
      expect(result).toEqual({ status: 'rejected', reason: REASONS.largerThanDeclared(100_000) });
      expect(served).toBeLessThan(30);
      expect(endless.destroyed).toBe(true);
    });
  });

  it('passes a read failure on as a fault, not a rejection', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });

    await expect(ingestCsv(failing, { size: 10 })).rejects.toThrow('connection reset');
  });
});

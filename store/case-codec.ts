/**
 * How a case's files are kept in Redis: one gzipped blob per case holding a JSON header
 * (names, forced formats, sizes) and the raw bytes one after the other. Raw bytes avoid
 * base64's growth; gzip makes text dumps 5 to 20 times smaller in Redis memory.
 *
 *     [u32 big-endian header length][header JSON][file 1 bytes][file 2 bytes]…
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { z } from 'zod';
import { FORMATS, type Format } from '../parsers/model.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** One uploaded file as stored; structurally an analysis `CaseFile`. */
export interface StoredFile {
  name: string;
  bytes: Uint8Array;
  format?: Format | undefined;
}

const HeaderSchema = z.object({
  v: z.literal(1),
  files: z.array(z.object({ name: z.string(), format: z.enum(FORMATS).nullable(), size: z.number().int().nonnegative() })),
});

/** Packs and gzips the files of one case (zlib runs off the event loop). */
export async function encodeCase(files: readonly StoredFile[]): Promise<Buffer> {
  const header = Buffer.from(
    JSON.stringify({ v: 1, files: files.map((f) => ({ name: f.name, format: f.format ?? null, size: f.bytes.byteLength })) }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.byteLength);
  return gzipAsync(Buffer.concat([length, header, ...files.map((f) => f.bytes)]));
}

/** Unpacks a blob made by encodeCase; `maxBytes` caps the inflated size as a guard against a corrupt or foreign key. */
export async function decodeCase(blob: Buffer, maxBytes: number): Promise<StoredFile[]> {
  const raw = await gunzipAsync(blob, { maxOutputLength: maxBytes });
  if (raw.byteLength < 4) throw new Error('stored case is truncated');
  const headerLength = raw.readUInt32BE(0);
  const header = HeaderSchema.parse(JSON.parse(raw.subarray(4, 4 + headerLength).toString('utf8')));
  let offset = 4 + headerLength;
  const files: StoredFile[] = [];
  for (const f of header.files) {
    if (offset + f.size > raw.byteLength) throw new Error('stored case is truncated');
    files.push({ name: f.name, bytes: raw.subarray(offset, offset + f.size), format: f.format ?? undefined });
    offset += f.size;
  }
  return files;
}

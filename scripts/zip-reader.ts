/**
 * Zip entries for the secret scan: Playwright's HTML report embeds its data as a base64 zip, and blob
 * reports are zips. Reading is fflate's; this only adapts it to the scan's `{name, data}` entries.
 */
import { unzipSync } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** A zip starts with a local file header. */
export function isZip(buffer: Buffer): boolean {
  return buffer.length >= 22 && buffer.readUInt32LE(0) === 0x04034b50;
}

/** Every file entry (folders left out), in archive order. Throws on a damaged archive. */
export function readZip(buffer: Buffer): ZipEntry[] {
  return Object.entries(unzipSync(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)))
    .filter(([name]) => !name.endsWith('/'))
    .map(([name, data]) => ({ name, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) }));
}

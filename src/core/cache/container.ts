/**
 * The cache file's container: a fixed prelude (magic, format version, header length), a JSON
 * header (what the file was made from, and where each section lies with its checksum), the
 * header's own checksum, then the sections, each starting at a multiple of 8 bytes so that typed
 * arrays can be read in place. Nothing in a file is used before every checksum has been checked.
 */
import { CacheFormatError } from './codec';

const MAGIC = 'LITNOTE\n';
const PRELUDE_BYTES = 16;
const ALIGN = 8;
/** A header larger than this is not ours (ours is a few kilobytes). */
const MAX_HEADER_BYTES = 1 << 24;
/** The header's checksum follows it, as 32 hex digits. */
const CHECKSUM_BYTES = 32;

export interface SectionEntry {
  name: string;
  offset: number;
  length: number;
  checksum: string;
}

interface Header {
  /** Typed arrays are written in the writer's byte order: a file from a machine of the other order is foreign. */
  littleEndian: boolean;
  meta: unknown;
  sections: SectionEntry[];
}

export interface Container {
  meta: unknown;
  /** Each section's bytes, a view into the file (copy what must outlive it). */
  sections: Map<string, Uint8Array>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A checksum of `bytes`: four lanes of multiply-xor over 32-bit words, written as 32 hex digits.
 * Each step is a bijection of the lane's state, so a change of one word always changes the result;
 * unlike a cryptographic hash it runs at memory speed in plain JavaScript.
 */
export function checksum(bytes: Uint8Array): string {
  // Read as 32-bit words in place, which needs an aligned start: the same bytes, the same checksum.
  if (bytes.byteOffset % 4 !== 0) bytes = new Uint8Array(bytes);
  const lanes = [0x811c9dc5, 0x01000193, 0x9e3779b1, 0x85ebca77];
  const whole = Math.floor(bytes.length / 16) * 4;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, whole);
  let [a, b, c, d] = lanes;
  for (let k = 0; k < whole; k += 4) {
    a = Math.imul(a ^ words[k], 0x01000193);
    b = Math.imul(b ^ words[k + 1], 0x85ebca6b);
    c = Math.imul(c ^ words[k + 2], 0xc2b2ae35);
    d = Math.imul(d ^ words[k + 3], 0x27d4eb2f);
  }
  for (let k = whole * 4; k < bytes.length; k++) a = Math.imul(a ^ bytes[k] ^ ((k & 0xffff) << 8), 0x01000193);
  // The length, so that trailing zero bytes count.
  b = Math.imul(b ^ bytes.length, 0x85ebca6b);
  const mix = (x: number) => {
    x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
    x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
    return ((x ^ (x >>> 16)) >>> 0).toString(16).padStart(8, '0');
  };
  return mix(a) + mix(b ^ a) + mix(c ^ b) + mix(d ^ c);
}

const padding = (length: number) => (ALIGN - (length % ALIGN)) % ALIGN;

/** The file's bytes, as parts to write one after another (the sections themselves are not copied). */
export function writeContainer(formatVersion: number, meta: unknown, sections: readonly { name: string; bytes: Uint8Array }[]): Uint8Array[] {
  const entries: SectionEntry[] = [];
  let offset = 0;
  for (const { name, bytes } of sections) {
    entries.push({ name, offset, length: bytes.length, checksum: checksum(bytes) });
    offset += bytes.length + padding(bytes.length);
  }
  const header = new TextEncoder().encode(JSON.stringify({ littleEndian: LITTLE_ENDIAN, meta, sections: entries } satisfies Header));
  const prelude = new Uint8Array(PRELUDE_BYTES + header.length + CHECKSUM_BYTES);
  prelude.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(prelude.buffer);
  view.setUint32(8, formatVersion, true);
  view.setUint32(12, header.length, true);
  prelude.set(header, PRELUDE_BYTES);
  prelude.set(new TextEncoder().encode(checksum(prelude.subarray(0, PRELUDE_BYTES + header.length))), PRELUDE_BYTES + header.length);
  const parts: Uint8Array[] = [prelude, new Uint8Array(padding(prelude.length))];
  for (const { bytes } of sections) parts.push(bytes, new Uint8Array(padding(bytes.length)));
  return parts.filter((part) => part.length > 0);
}

/** Where the sections lie, from the file's head (`readLayout`); absolute offsets in the file. */
export interface ContainerLayout {
  meta: unknown;
  sections: SectionEntry[];
  /** Where the first section starts (after the header, its checksum and padding). */
  start: number;
  /** The file's length: the last section's end with its padding. */
  end: number;
}

/**
 * How many bytes of the file's head `readLayout` needs, from at least its first 16 (the prelude);
 * throws `CacheFormatError` when they are not a cache's of this format.
 */
export function headLength(prelude: Uint8Array, formatVersion: number): number {
  if (prelude.length < PRELUDE_BYTES) throw new CacheFormatError(`the file is truncated (${prelude.length} bytes)`);
  if (new TextDecoder().decode(prelude.subarray(0, 8)) !== MAGIC) throw new CacheFormatError('the file is not a Lit Notes cache');
  const view = new DataView(prelude.buffer, prelude.byteOffset, prelude.length);
  const version = view.getUint32(8, true);
  if (version !== formatVersion) throw new CacheFormatError(`the file has format ${version}, not ${formatVersion}`);
  const headerLength = view.getUint32(12, true);
  if (headerLength > MAX_HEADER_BYTES) throw new CacheFormatError('the file is truncated in its header');
  const headerEnd = PRELUDE_BYTES + headerLength + CHECKSUM_BYTES;
  return headerEnd + padding(headerEnd);
}

/**
 * The layout from the file's head (at least `headLength` bytes; more are ignored), checked: the
 * header's checksum, its padding, and sections that follow one another without a gap, so that
 * every byte of a file of `end` bytes belongs to the head, a section or a section's padding.
 */
export function readLayout(head: Uint8Array, formatVersion: number): ContainerLayout {
  const start = headLength(head, formatVersion);
  if (head.length < start) throw new CacheFormatError('the file is truncated in its header');
  const headerEnd = PRELUDE_BYTES + new DataView(head.buffer, head.byteOffset, head.length).getUint32(12, true);
  if (new TextDecoder().decode(head.subarray(headerEnd, headerEnd + CHECKSUM_BYTES)) !== checksum(head.subarray(0, headerEnd))) throw new CacheFormatError('the header is corrupt');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(head.subarray(PRELUDE_BYTES, headerEnd))) as Header;
  } catch {
    throw new CacheFormatError('the header is not JSON');
  }
  if (header.littleEndian !== LITTLE_ENDIAN) throw new CacheFormatError('the file was written on a machine of another byte order');
  if (!Array.isArray(header.sections)) throw new CacheFormatError('the header lists no sections');
  // Padding is covered by no checksum: it must be zeros, so that no byte of the file goes unchecked.
  zeros(head, headerEnd + CHECKSUM_BYTES, start, 'after its header');
  let offset = 0;
  for (const entry of header.sections) {
    const { name, length } = entry;
    if (typeof name !== 'string' || entry.offset !== offset || !Number.isSafeInteger(length) || length < 0 || typeof entry.checksum !== 'string') {
      throw new CacheFormatError('the header lists a malformed section');
    }
    offset += length + padding(length);
  }
  return { meta: header.meta, sections: header.sections, start, end: start + offset };
}

function zeros(bytes: Uint8Array, from: number, to: number, where: string): void {
  for (let k = from; k < to; k++) if (bytes[k] !== 0) throw new CacheFormatError(`the file is corrupt ${where}`);
}

/** The part of the file that holds these sections (with their padding), as absolute offsets; all of them when `names` is undefined. */
export function sectionsRange(layout: ContainerLayout, names?: readonly string[]): { from: number; to: number } {
  const chosen = layout.sections.filter((entry) => !names || names.includes(entry.name));
  if (chosen.length === 0) return { from: layout.start, to: layout.start };
  const last = chosen[chosen.length - 1];
  return { from: layout.start + chosen[0].offset, to: layout.start + last.offset + last.length + padding(last.length) };
}

/**
 * The sections that lie wholly in `bytes`, the file's bytes from offset `from`, each checked
 * against its checksum (and its padding for zeros); throws `CacheFormatError` when one is corrupt
 * or `bytes` ends inside one.
 */
export function readSections(layout: ContainerLayout, from: number, bytes: Uint8Array): Map<string, Uint8Array> {
  // Typed arrays need aligned offsets: a small file may sit anywhere in a shared buffer.
  const aligned = bytes.byteOffset % ALIGN === 0 ? bytes : new Uint8Array(bytes);
  const sections = new Map<string, Uint8Array>();
  const to = from + aligned.length;
  for (const entry of layout.sections) {
    const at = layout.start + entry.offset;
    const end = at + entry.length + padding(entry.length);
    if (at < from || end > to) {
      if (at < to && end > from) throw new CacheFormatError(`the file is truncated in section ${entry.name}`);
      continue;
    }
    const section = aligned.subarray(at - from, at - from + entry.length);
    if (checksum(section) !== entry.checksum) throw new CacheFormatError(`section ${entry.name} is corrupt`);
    zeros(aligned, at - from + entry.length, end - from, `after section ${entry.name}`);
    sections.set(entry.name, section);
  }
  return sections;
}

/** Throws `CacheFormatError` unless the file is as long as its layout says. */
export function checkLength(layout: ContainerLayout, length: number): void {
  if (length < layout.end) throw new CacheFormatError('the file is truncated in its sections');
  if (length > layout.end) throw new CacheFormatError(`the file holds ${length - layout.end} bytes more than its sections`);
}

/** Reads and checks a whole file; throws `CacheFormatError` saying what is wrong with it. */
export function readContainer(file: Uint8Array, formatVersion: number): Container {
  const layout = readLayout(file, formatVersion);
  checkLength(layout, file.length);
  return { meta: layout.meta, sections: readSections(layout, 0, file) };
}

/**
 * A compact binary form of plain data (objects, arrays, strings, numbers, booleans, null,
 * undefined), made for the library cache: decoding a large library must be many times faster than
 * JSON.parse of it. Three things make it so. Every distinct string is stored once, in chunks of
 * text that are decoded whole and then cut up: each string is a slice, and no character is scanned
 * one by one as JSON.parse must. Each object's keys are stored once per shape (key list), not per
 * object. And an object met twice (a record shared by two papers) is stored once and comes back
 * shared, so the decoded data takes no more memory than the data that was encoded.
 *
 * The encoder pauses between slices of work (`encodeInSlices`), so that a large library is written
 * without stalling the editor. The decoder trusts nothing: every index and length is checked and a
 * bad one throws `CacheFormatError`; the container's checksums (container.ts) catch the rest.
 */

export class CacheFormatError extends Error {
  override readonly name = 'CacheFormatError';
}

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  /** A whole number from 0 to MAX_PAYLOAD, in the word itself. */
  Small = 4,
  /** Any other number, in the numbers column. */
  Number = 5,
  String = 6,
  Array = 7,
  Object = 8,
  /** An object or array met before, by its number in order of first appearance. */
  Ref = 9,
  /** A string with a lone surrogate, which UTF-8 cannot hold: stored as its JSON text. */
  Escaped = 10,
}
/** A word holds a tag in its low 4 bits and a payload above them. */
const TAG_BITS = 4;
const TAG_MASK = (1 << TAG_BITS) - 1;
const MAX_PAYLOAD = 2 ** (31 - TAG_BITS) - 1;
/** Text per chunk, whose strings are slices of it and keep it alive while any of them lives. */
const CHUNK_CHARS = 1 << 18;
/**
 * V8 stores a string at one byte a character when all its characters fit, at two otherwise, and so
 * a chunk and its slices; decoded from UTF-8, only pure ASCII is sure to fit. Other strings get
 * chunks of their own, so that one "–" in an abstract does not double the memory of its neighbours.
 */
const BEYOND_ASCII = /[\u0080-\uffff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The encoded value, as four columns (see `encodedBytes` for their layout in a file). */
export interface EncodedValue {
  tape: Int32Array;
  numbers: Float64Array;
  /** Per shape, its key count and then the string numbers of its keys. */
  shapes: Int32Array;
  /** Per string, its length in UTF-16 units. */
  stringLengths: Int32Array;
  /** The string numbers in the order their strings follow one another in the chunks. */
  stringOrder: Int32Array;
  /** Per chunk, how many strings it holds. */
  chunkCounts: Int32Array;
  chunks: string[];
}

class Words {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }
  push(word: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = word;
  }
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

const word = (tag: Tag, payload: number) => payload * (1 << TAG_BITS) + tag;

interface Frame {
  values: readonly unknown[];
  next: number;
}

/**
 * Encodes `value`, yielding after about every `sliceValues` values so that the caller can let the
 * event loop run. Throws on what plain data cannot hold (functions, symbols, bigints, class
 * instances such as Map or Date), naming where it was found.
 */
export function* encodeInSlices(value: unknown, sliceValues = 50_000): Generator<void, EncodedValue, void> {
  const tape = new Words(1 << 16);
  const numbers: number[] = [];
  const shapes = new Words(256);
  const shapeIds = new Map<string, number>();
  const stringIds = new Map<string, number>();
  const stringLengths = new Words(1 << 14);
  const stringOrder = new Words(1 << 14);
  const chunks: string[] = [];
  const chunkCounts: number[] = [];
  /** The chunk being filled, of ASCII strings [0] and of the others [1]. */
  const open = [0, 1].map(() => ({ texts: [] as string[], ids: [] as number[], chars: 0 }));
  const seen = new Map<object, number>();

  const closeChunk = (chunk: (typeof open)[number]) => {
    chunks.push(chunk.texts.join(''));
    chunkCounts.push(chunk.texts.length);
    for (const id of chunk.ids) stringOrder.push(id);
    chunk.texts = [];
    chunk.ids = [];
    chunk.chars = 0;
  };
  const stringId = (text: string): number => {
    let id = stringIds.get(text);
    if (id === undefined) {
      id = stringIds.size;
      if (id > MAX_PAYLOAD) throw new CacheFormatError('too many distinct strings to cache');
      stringIds.set(text, id);
      const chunk = open[BEYOND_ASCII.test(text) ? 1 : 0];
      if (chunk.chars > 0 && chunk.chars + text.length > CHUNK_CHARS) closeChunk(chunk);
      chunk.texts.push(text);
      chunk.ids.push(id);
      chunk.chars += text.length;
      stringLengths.push(text.length);
    }
    return id;
  };
  const shapeId = (keys: string[]): number => {
    // Each key with its length before it: no two key lists make the same name.
    const name = keys.map((key) => `${key.length}:${key}`).join('');
    let id = shapeIds.get(name);
    if (id === undefined) {
      id = shapeIds.size;
      if (id > MAX_PAYLOAD) throw new CacheFormatError('too many object shapes to cache');
      shapeIds.set(name, id);
      shapes.push(keys.length);
      for (const key of keys) shapes.push(stringId(key));
    }
    return id;
  };
  const stack: Frame[] = [{ values: [value], next: 0 }];
  let budget = sliceValues;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next === frame.values.length) {
      stack.pop();
      continue;
    }
    const item = frame.values[frame.next++];
    if (--budget <= 0) {
      budget = sliceValues;
      yield;
    }
    switch (typeof item) {
      case 'undefined':
        tape.push(Tag.Undefined);
        continue;
      case 'boolean':
        tape.push(item ? Tag.True : Tag.False);
        continue;
      case 'number':
        if (Number.isInteger(item) && item >= 0 && item <= MAX_PAYLOAD && !Object.is(item, -0)) tape.push(word(Tag.Small, item));
        else {
          tape.push(word(Tag.Number, numbers.length));
          numbers.push(item);
        }
        continue;
      case 'string':
        if (!LONE_SURROGATE.test(item)) tape.push(word(Tag.String, stringId(item)));
        else tape.push(word(Tag.Escaped, stringId(JSON.stringify(item))));
        continue;
      case 'object': {
        if (item === null) {
          tape.push(Tag.Null);
          continue;
        }
        const known = seen.get(item);
        if (known !== undefined) {
          tape.push(word(Tag.Ref, known));
          continue;
        }
        seen.set(item, seen.size);
        if (Array.isArray(item)) {
          if (item.length > MAX_PAYLOAD) throw new CacheFormatError('an array too long to cache');
          tape.push(word(Tag.Array, item.length));
          // Holes come back as undefined.
          stack.push({ values: Array.from(item), next: 0 });
          continue;
        }
        const prototype: unknown = Object.getPrototypeOf(item);
        if (prototype !== Object.prototype && prototype !== null) throw new CacheFormatError(`cannot cache a ${constructorName(item)}`);
        const keys = Object.keys(item);
        const id = shapeId(keys);
        tape.push(word(Tag.Object, id));
        const record = item as Record<string, unknown>;
        stack.push({ values: keys.map((key) => record[key]), next: 0 });
        continue;
      }
      default:
        throw new CacheFormatError(`cannot cache a ${typeof item}`);
    }
  }
  for (const chunk of open) if (chunk.texts.length > 0) closeChunk(chunk);
  return {
    tape: tape.done(),
    numbers: Float64Array.from(numbers),
    shapes: shapes.done(),
    stringLengths: stringLengths.done(),
    stringOrder: stringOrder.done(),
    chunkCounts: Int32Array.from(chunkCounts),
    chunks,
  };
}

function constructorName(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name ? name : 'non-plain object';
}

/** Encodes `value` at once (tests, small values). */
export function encodeValue(value: unknown): EncodedValue {
  const steps = encodeInSlices(value, Number.POSITIVE_INFINITY);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Decodes what `encodeValue` made; throws `CacheFormatError` on anything inconsistent. */
export function decodeValue(encoded: EncodedValue): unknown {
  const strings = decodeStrings(encoded);
  const shapes = decodeShapes(encoded.shapes, strings);
  const { tape, numbers } = encoded;
  const objects: object[] = [];
  let at = 0;
  const fail = (what: string): never => {
    throw new CacheFormatError(`${what} at word ${at}`);
  };
  const read = (): unknown => {
    if (at >= tape.length) fail('the data ends early');
    const current = tape[at++];
    const payload = current >>> TAG_BITS;
    switch ((current & TAG_MASK) as Tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Small:
        return payload;
      case Tag.Number:
        return payload < numbers.length ? numbers[payload] : fail('a number out of range');
      case Tag.String:
        return payload < strings.length ? strings[payload] : fail('a string out of range');
      case Tag.Escaped:
        return payload < strings.length ? escaped(strings[payload]) : fail('a string out of range');
      case Tag.Ref:
        return payload < objects.length ? objects[payload] : fail('a reference out of range');
      case Tag.Array: {
        if (payload > tape.length - at) fail('an array longer than the data');
        const array = new Array<unknown>(payload);
        objects.push(array);
        for (let k = 0; k < payload; k++) array[k] = read();
        return array;
      }
      case Tag.Object: {
        const keys = payload < shapes.length ? shapes[payload] : fail('a shape out of range');
        const object: Record<string, unknown> = {};
        objects.push(object);
        for (const key of keys) {
          const value = read();
          // Assigning "__proto__" would set the prototype; JSON.parse makes it an own property, and so does this.
          if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
          else object[key] = value;
        }
        return object;
      }
      default:
        return fail('an unknown tag');
    }
  };
  const value = read();
  if (at !== tape.length) fail('data after the value');
  return value;
}

function escaped(json: string): string {
  try {
    const text: unknown = JSON.parse(json);
    if (typeof text === 'string') return text;
  } catch {
    // Reported below.
  }
  throw new CacheFormatError('an escaped string that is not one');
}

function decodeStrings({ stringLengths, stringOrder, chunkCounts, chunks }: EncodedValue): string[] {
  if (chunkCounts.length !== chunks.length) throw new CacheFormatError('the string chunks do not match their counts');
  if (stringOrder.length !== stringLengths.length) throw new CacheFormatError('the strings do not match their order');
  const strings = new Array<string | undefined>(stringLengths.length).fill(undefined);
  let n = 0;
  for (const [c, text] of chunks.entries()) {
    const count = chunkCounts[c];
    if (count < 0 || count > stringOrder.length - n) throw new CacheFormatError('more strings than their lengths');
    let start = 0;
    for (let k = 0; k < count; k++, n++) {
      const id = stringOrder[n];
      if (id < 0 || id >= strings.length || strings[id] !== undefined) throw new CacheFormatError(`string ${id} out of range or twice`);
      const length = stringLengths[id];
      if (length < 0 || start + length > text.length) throw new CacheFormatError(`string ${id} runs past its chunk`);
      strings[id] = text.slice(start, (start += length));
    }
    if (start !== text.length) throw new CacheFormatError(`chunk ${c} holds more text than its strings`);
  }
  if (n !== stringLengths.length) throw new CacheFormatError('fewer strings than their lengths');
  return strings as string[];
}

function decodeShapes(words: Int32Array, strings: readonly string[]): string[][] {
  const shapes: string[][] = [];
  for (let at = 0; at < words.length; ) {
    const count = words[at++];
    if (count < 0 || count > words.length - at) throw new CacheFormatError('a shape longer than the shapes');
    const keys = new Array<string>(count);
    for (let k = 0; k < count; k++) {
      const id = words[at++];
      if (id < 0 || id >= strings.length) throw new CacheFormatError('a key out of range');
      keys[k] = strings[id];
    }
    shapes.push(keys);
  }
  return shapes;
}

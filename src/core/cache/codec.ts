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
  /**
   * In the value after a list's items: an object of an item, by the item's number (the payload)
   * and, in the word after it, its number within the item in order of first appearance.
   */
  ItemRef = 11,
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
 * A list encoded item by item, and a value after it (`encodeListInSlices`): item `k`'s words are
 * `tape[starts[k]]` to `tape[starts[k + 1]]`, the value's all after the last item's.
 */
export interface EncodedList extends EncodedValue {
  starts: Int32Array;
}
/** An item's objects are numbered below this, its number times this above. */
const ITEM_OBJECTS = 2 ** 24;

interface OpenChunk {
  texts: string[];
  ids: number[];
  chars: number;
}

/** The encoding's state: values are added one after another to one tape, sharing strings and shapes. */
class Encoder {
  readonly tape = new Words(1 << 16);
  private readonly numbers: number[] = [];
  private readonly shapes = new Words(256);
  private readonly shapeIds = new Map<string, number>();
  private readonly stringIds = new Map<string, number>();
  private readonly stringLengths = new Words(1 << 14);
  private readonly stringOrder = new Words(1 << 14);
  private readonly chunks: string[] = [];
  private readonly chunkCounts: number[] = [];
  /** The chunk being filled, of ASCII strings [0] and of the others [1]. */
  private readonly open: OpenChunk[] = [0, 1].map(() => ({ texts: [], ids: [], chars: 0 }));
  /** Objects met so far, by their number in order of first appearance; cleared where an item must be decodable alone. */
  readonly seen = new Map<object, number>();
  /** The objects of a list's items (item × ITEM_OBJECTS + number in the item), for the value after them. */
  itemObjects?: Map<object, number>;
  private budget: number;

  constructor(private readonly sliceValues: number) {
    this.budget = sliceValues;
  }

  private closeChunk(chunk: OpenChunk): void {
    this.chunks.push(chunk.texts.join(''));
    this.chunkCounts.push(chunk.texts.length);
    for (const id of chunk.ids) this.stringOrder.push(id);
    chunk.texts = [];
    chunk.ids = [];
    chunk.chars = 0;
  }

  private stringId(text: string): number {
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.stringIds.size;
      if (id > MAX_PAYLOAD) throw new CacheFormatError('too many distinct strings to cache');
      this.stringIds.set(text, id);
      const chunk = this.open[BEYOND_ASCII.test(text) ? 1 : 0];
      if (chunk.chars > 0 && chunk.chars + text.length > CHUNK_CHARS) this.closeChunk(chunk);
      chunk.texts.push(text);
      chunk.ids.push(id);
      chunk.chars += text.length;
      this.stringLengths.push(text.length);
    }
    return id;
  }

  private shapeId(keys: string[]): number {
    // Each key with its length before it: no two key lists make the same name.
    const name = keys.map((key) => `${key.length}:${key}`).join('');
    let id = this.shapeIds.get(name);
    if (id === undefined) {
      id = this.shapeIds.size;
      if (id > MAX_PAYLOAD) throw new CacheFormatError('too many object shapes to cache');
      this.shapeIds.set(name, id);
      this.shapes.push(keys.length);
      for (const key of keys) this.shapes.push(this.stringId(key));
    }
    return id;
  }

  /** Adds `value`'s words to the tape, yielding after about every `sliceValues` values. */
  *add(value: unknown): Generator<void, void, void> {
    const { tape, numbers, seen } = this;
    const stack: Frame[] = [{ values: [value], next: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next === frame.values.length) {
        stack.pop();
        continue;
      }
      const item = frame.values[frame.next++];
      if (--this.budget <= 0) {
        this.budget = this.sliceValues;
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
          if (!LONE_SURROGATE.test(item)) tape.push(word(Tag.String, this.stringId(item)));
          else tape.push(word(Tag.Escaped, this.stringId(JSON.stringify(item))));
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
          const ofItem = this.itemObjects?.get(item);
          if (ofItem !== undefined) {
            tape.push(word(Tag.ItemRef, Math.floor(ofItem / ITEM_OBJECTS)));
            tape.push(word(Tag.Small, ofItem % ITEM_OBJECTS));
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
          tape.push(word(Tag.Object, this.shapeId(keys)));
          const record = item as Record<string, unknown>;
          stack.push({ values: keys.map((key) => record[key]), next: 0 });
          continue;
        }
        default:
          throw new CacheFormatError(`cannot cache a ${typeof item}`);
      }
    }
  }

  finish(): EncodedValue {
    for (const chunk of this.open) if (chunk.texts.length > 0) this.closeChunk(chunk);
    return {
      tape: this.tape.done(),
      numbers: Float64Array.from(this.numbers),
      shapes: this.shapes.done(),
      stringLengths: this.stringLengths.done(),
      stringOrder: this.stringOrder.done(),
      chunkCounts: Int32Array.from(this.chunkCounts),
      chunks: this.chunks,
    };
  }
}

/**
 * Encodes `value`, yielding after about every `sliceValues` values so that the caller can let the
 * event loop run. Throws on what plain data cannot hold (functions, symbols, bigints, class
 * instances such as Map or Date), naming where it was found.
 */
export function* encodeInSlices(value: unknown, sliceValues = 50_000): Generator<void, EncodedValue, void> {
  const encoder = new Encoder(sliceValues);
  yield* encoder.add(value);
  return encoder.finish();
}

/**
 * Encodes `items` so that each can be decoded alone (`LazyList`), and `value` after them, whose
 * objects met in an item are stored as references to it (they come back shared with the item). An
 * object shared by two items is stored with each; the strings and shapes are shared by all.
 */
export function* encodeListInSlices(items: readonly unknown[], value: unknown, sliceValues = 50_000): Generator<void, EncodedList, void> {
  const encoder = new Encoder(sliceValues);
  const starts = new Int32Array(items.length + 1);
  const itemObjects = new Map<object, number>();
  for (const [k, item] of items.entries()) {
    if (k >= MAX_PAYLOAD) throw new CacheFormatError('a list too long to cache');
    encoder.seen.clear();
    starts[k] = encoder.tape.length;
    yield* encoder.add(item);
    if (encoder.seen.size >= ITEM_OBJECTS) throw new CacheFormatError('an item with too many objects to cache');
    for (const [object, n] of encoder.seen) if (!itemObjects.has(object)) itemObjects.set(object, k * ITEM_OBJECTS + n);
  }
  starts[items.length] = encoder.tape.length;
  encoder.seen.clear();
  encoder.itemObjects = itemObjects;
  yield* encoder.add(value);
  return { ...encoder.finish(), starts };
}

function constructorName(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name ? name : 'non-plain object';
}

/** Encodes `value` at once (tests, small values). */
export function encodeValue(value: unknown): EncodedValue {
  return finishedSteps(encodeInSlices(value, Number.POSITIVE_INFINITY));
}

/**
 * Reads values off a tape. Strings are cut out of their chunks when first met (and then shared),
 * so that decoding part of the data costs only that part; every index and length is checked first.
 */
class Decoder {
  private readonly strings: (string | undefined)[];
  /** Per string, its chunk and where in the chunk it starts. */
  private readonly stringChunk: Int32Array;
  private readonly stringStart: Int32Array;
  private readonly shapes: string[][];

  constructor(private readonly encoded: EncodedValue) {
    const { stringLengths, stringOrder, chunkCounts, chunks } = encoded;
    if (chunkCounts.length !== chunks.length) throw new CacheFormatError('the string chunks do not match their counts');
    if (stringOrder.length !== stringLengths.length) throw new CacheFormatError('the strings do not match their order');
    this.strings = new Array<string | undefined>(stringLengths.length);
    this.stringChunk = new Int32Array(stringLengths.length).fill(-1);
    this.stringStart = new Int32Array(stringLengths.length);
    let n = 0;
    for (const [c, text] of chunks.entries()) {
      const count = chunkCounts[c];
      if (count < 0 || count > stringOrder.length - n) throw new CacheFormatError('more strings than their lengths');
      let start = 0;
      for (let k = 0; k < count; k++, n++) {
        const id = stringOrder[n];
        if (id < 0 || id >= stringLengths.length || this.stringChunk[id] !== -1) throw new CacheFormatError(`string ${id} out of range or twice`);
        const length = stringLengths[id];
        if (length < 0 || start + length > text.length) throw new CacheFormatError(`string ${id} runs past its chunk`);
        this.stringChunk[id] = c;
        this.stringStart[id] = start;
        start += length;
      }
      if (start !== text.length) throw new CacheFormatError(`chunk ${c} holds more text than its strings`);
    }
    if (n !== stringLengths.length) throw new CacheFormatError('fewer strings than their lengths');
    this.shapes = this.decodeShapes();
  }

  private string(id: number): string {
    let text = this.strings[id];
    if (text === undefined) {
      const start = this.stringStart[id];
      text = this.strings[id] = this.encoded.chunks[this.stringChunk[id]].slice(start, start + this.encoded.stringLengths[id]);
    }
    return text;
  }

  private decodeShapes(): string[][] {
    const words = this.encoded.shapes;
    const shapes: string[][] = [];
    for (let at = 0; at < words.length; ) {
      const count = words[at++];
      if (count < 0 || count > words.length - at) throw new CacheFormatError('a shape longer than the shapes');
      const keys = new Array<string>(count);
      for (let k = 0; k < count; k++) {
        const id = words[at++];
        if (id < 0 || id >= this.strings.length) throw new CacheFormatError('a key out of range');
        keys[k] = this.string(id);
      }
      shapes.push(keys);
    }
    return shapes;
  }

  /**
   * The value whose words run from `from` to `to`; its references are to objects within it, or
   * to objects of a list's items (`itemObject`).
   */
  decode(from: number, to: number, itemObject?: (item: number, n: number) => object): unknown {
    const { tape, numbers } = this.encoded;
    const stringCount = this.strings.length;
    const shapes = this.shapes;
    const objects: object[] = [];
    let at = from;
    const fail = (what: string): never => {
      throw new CacheFormatError(`${what} at word ${at}`);
    };
    const read = (): unknown => {
      if (at >= to) fail('the data ends early');
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
          return payload < stringCount ? this.string(payload) : fail('a string out of range');
        case Tag.Escaped:
          return payload < stringCount ? escaped(this.string(payload)) : fail('a string out of range');
        case Tag.Ref:
          return payload < objects.length ? objects[payload] : fail('a reference out of range');
        case Tag.ItemRef: {
          const next = at < to ? tape[at++] : fail('the data ends early');
          if ((next & TAG_MASK) !== Tag.Small || !itemObject) return fail('a reference to an item out of place');
          return itemObject(payload, next >>> TAG_BITS);
        }
        case Tag.Array: {
          if (payload > to - at) fail('an array longer than the data');
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
    if (at !== to) fail('data after the value');
    return value;
  }
}

/** Decodes what `encodeValue` made; throws `CacheFormatError` on anything inconsistent. */
export function decodeValue(encoded: EncodedValue): unknown {
  return new Decoder(encoded).decode(0, encoded.tape.length);
}

/**
 * What `encodeListInSlices` made, decoded item by item on first use (`at`), each item checked by
 * `accept`: an item that fails throws `CacheFormatError`, as does any inconsistency in its words.
 * The value after the items comes last (`value`).
 */
export class LazyList<T> {
  readonly length: number;
  private decoder?: Decoder;
  private readonly items: (T | undefined)[];
  private starts: Int32Array;
  private readonly end: number;

  constructor(
    encoded: EncodedList,
    private readonly accept: (item: unknown) => item is T,
  ) {
    const { starts, tape } = encoded;
    // At least one word for the value after the items.
    if (starts.length === 0 || starts[0] !== 0 || starts[starts.length - 1] >= tape.length) throw new CacheFormatError('the list does not cover its data');
    for (let k = 1; k < starts.length; k++) if (starts[k] <= starts[k - 1]) throw new CacheFormatError(`item ${k - 1} of the list has no data`);
    this.length = starts.length - 1;
    this.starts = starts;
    this.end = tape.length;
    this.items = new Array<T | undefined>(this.length);
    this.decoder = new Decoder(encoded);
  }

  /** Item `k` (0 ≤ k < length), decoded once. */
  at(k: number): T {
    const known = this.items[k];
    if (known !== undefined) return known;
    if (!Number.isInteger(k) || k < 0 || k >= this.length) throw new RangeError(`no item ${k} in a list of ${this.length}`);
    const item = this.decoderOrFail().decode(this.starts[k], this.starts[k + 1]);
    if (item === undefined || !this.accept(item)) throw new CacheFormatError(`item ${k} of the list has an unknown shape`);
    return (this.items[k] = item);
  }

  /** Every item, decoded `sliceItems` at a time between yields. */
  *all(sliceItems: number): Generator<void, T[], void> {
    for (let k = 0; k < this.length; k++) {
      this.at(k);
      if ((k + 1) % sliceItems === 0) yield;
    }
    return this.items as T[];
  }

  /**
   * The value after the items, its objects of items shared with them; decoded last, with every item
   * not decoded yet, after which the list lets go of its words (views into the file's bytes, which
   * are then freed).
   */
  value(): unknown {
    const items = finishedSteps(this.all(Number.POSITIVE_INFINITY));
    const value = this.decoderOrFail().decode(this.starts[this.length], this.end, (k, n) => {
      const object = k < items.length ? objectOf(items[k], n) : undefined;
      if (!object) throw new CacheFormatError(`a reference to object ${n} of item ${k}, which has none`);
      return object;
    });
    this.decoder = undefined;
    this.starts = new Int32Array(0);
    return value;
  }

  private decoderOrFail(): Decoder {
    if (!this.decoder) throw new Error('the list has given its value and let go of its data');
    return this.decoder;
  }
}

/** Object `n` of `value` in the order the encoder first met them (depth first, each once). */
function objectOf(value: unknown, n: number): object | undefined {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    if (seen.size === n) return current;
    seen.add(current);
    const children = Array.isArray(current) ? (current as unknown[]) : Object.values(current);
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
  }
  return undefined;
}

function finishedSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
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

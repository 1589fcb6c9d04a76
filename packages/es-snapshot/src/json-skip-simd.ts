// Skips a JSON object or array 16 bytes at a time with WebAssembly SIMD: the page scanner
// (raw-search-page.ts) spends most of an export's main thread walking `_source` values byte by
// byte (~1 GB/s at best in JavaScript, half that while Elasticsearch shares the CPUs); this reads
// each block of 16 bytes with a handful of vector compares, as simdjson finds structure:
// - bit masks of the block's quotes, backslashes, brackets and line feeds (`i8x16.bitmask`);
// - a backslash not itself escaped escapes the next byte (walked bit by bit, only in blocks that
//   hold a backslash; the last one's effect carries into the next block);
// - the unescaped quotes' prefix XOR marks the bytes inside strings (carried across blocks);
// - brackets outside strings change the depth: by their counts when the value cannot end in
//   this block (depth above the closes it holds), else one by one until the depth reaches zero.
// It finds the same end as the byte loop on any input, valid or not (both count every bracket
// outside strings, the way JSON nests them); `raw-search-page.property.test.ts` checks both
// against JSON.parse. Where WebAssembly or its SIMD is missing, the scanner keeps its byte loop.
import { block, br, brIf, type Code, I32, i8x16, i32, ifThen, local, loop, ret, select, V128, v128, wasmModule } from './wasm-encoding.js';

// The function's parameters and locals.
const START = 0;
const LENGTH = 1;
const POSITION = 2;
const DEPTH = 3;
/** 0xffff while the previous block ended inside a string, else 0. */
const IN_STRING = 4;
/** 1 when the previous block's last byte was an escaping backslash. */
const CARRY = 5;
const QUOTES = 6;
const BACKSLASHES = 7;
const OPENS = 8;
const CLOSES = 9;
const ESCAPED = 10;
const INSIDE = 11;
const VALID = 12;
const BITS = 13;
const BIT = 14;
const LINE_FEEDS = 15;
const LINE_BREAK = 16;
const BLOCK = 17;

const equalBytes = (byte: number): Code => i8x16.eq(local.get(BLOCK), i8x16.splat(i32.const(byte)));
const maskOf = (vector: Code): Code => i8x16.bitmask(vector);
const not = (value: Code): Code => i32.xor(value, i32.const(-1));
const bitAt = (index: Code): Code => i32.shl(i32.const(1), index);
const clearLowestBit = (index: number): Code => local.set(index, i32.and(local.get(index), i32.sub(local.get(index), i32.const(1))));
const outsideStrings = (): Code => i32.and(local.get(VALID), not(local.get(INSIDE)));
/** The result: the position after the value, doubled, plus 1 when it held a line feed outside strings. */
const found = (end: Code, lineBreak: Code): Code => ret(i32.or(i32.shl(end, i32.const(1)), lineBreak));

/** skip(start, length): the value at `start` (a `{` or `[`) in the first `length` bytes of memory; -1 if they end first. */
const skip = [
  local.set(POSITION, local.get(START)),
  block(
    loop(
      brIf(1, i32.geU(local.get(POSITION), local.get(LENGTH))),
      // The bytes of this block that are the data's (a last block reads past its end).
      local.set(
        VALID,
        select(
          i32.const(0xffff),
          i32.sub(bitAt(i32.sub(local.get(LENGTH), local.get(POSITION))), i32.const(1)),
          i32.geU(i32.sub(local.get(LENGTH), local.get(POSITION)), i32.const(16)),
        ),
      ),
      local.set(BLOCK, v128.load(local.get(POSITION))),
      local.set(QUOTES, i32.and(maskOf(equalBytes(0x22)), local.get(VALID))),
      local.set(BACKSLASHES, i32.and(maskOf(equalBytes(0x5c)), local.get(VALID))),
      local.set(ESCAPED, local.get(CARRY)),
      ifThen(local.get(BACKSLASHES), [
        local.set(BITS, local.get(BACKSLASHES)),
        loop(
          local.set(BIT, i32.ctz(local.get(BITS))),
          ifThen(i32.eqz(i32.and(local.get(ESCAPED), bitAt(local.get(BIT)))), [
            local.set(ESCAPED, i32.or(local.get(ESCAPED), i32.shl(i32.const(2), local.get(BIT)))),
          ]),
          clearLowestBit(BITS),
          brIf(0, local.get(BITS)),
        ),
      ]),
      local.set(CARRY, i32.shrU(local.get(ESCAPED), i32.const(16))),
      local.set(QUOTES, i32.and(local.get(QUOTES), not(local.get(ESCAPED)))),
      // Prefix XOR of the quotes: 1 from an opening quote up to (not including) its closing one.
      local.set(INSIDE, local.get(QUOTES)),
      local.set(INSIDE, i32.xor(local.get(INSIDE), i32.shl(local.get(INSIDE), i32.const(1)))),
      local.set(INSIDE, i32.xor(local.get(INSIDE), i32.shl(local.get(INSIDE), i32.const(2)))),
      local.set(INSIDE, i32.xor(local.get(INSIDE), i32.shl(local.get(INSIDE), i32.const(4)))),
      local.set(INSIDE, i32.xor(local.get(INSIDE), i32.shl(local.get(INSIDE), i32.const(8)))),
      local.set(INSIDE, i32.and(i32.xor(local.get(INSIDE), local.get(IN_STRING)), i32.const(0xffff))),
      local.set(IN_STRING, i32.and(i32.sub(i32.const(0), i32.shrU(local.get(INSIDE), i32.const(15))), i32.const(0xffff))),
      local.set(OPENS, i32.and(maskOf(v128.or(equalBytes(0x7b), equalBytes(0x5b))), outsideStrings())),
      local.set(CLOSES, i32.and(maskOf(v128.or(equalBytes(0x7d), equalBytes(0x5d))), outsideStrings())),
      local.set(LINE_FEEDS, i32.and(maskOf(equalBytes(0x0a)), outsideStrings())),
      ifThen(
        i32.gtU(local.get(DEPTH), i32.popcnt(local.get(CLOSES))),
        // The value cannot end in this block.
        [local.set(DEPTH, i32.sub(i32.add(local.get(DEPTH), i32.popcnt(local.get(OPENS))), i32.popcnt(local.get(CLOSES))))],
        [
          local.set(BITS, i32.or(local.get(OPENS), local.get(CLOSES))),
          block(
            loop(
              brIf(1, i32.eqz(local.get(BITS))),
              local.set(BIT, i32.ctz(local.get(BITS))),
              ifThen(
                i32.and(local.get(OPENS), bitAt(local.get(BIT))),
                [local.set(DEPTH, i32.add(local.get(DEPTH), i32.const(1)))],
                [
                  local.set(DEPTH, i32.sub(local.get(DEPTH), i32.const(1))),
                  ifThen(i32.eqz(local.get(DEPTH)), [
                    // Line feeds up to the closing bracket only: the bytes after it are not the value's.
                    found(
                      i32.add(i32.add(local.get(POSITION), local.get(BIT)), i32.const(1)),
                      i32.or(
                        local.get(LINE_BREAK),
                        i32.ne(i32.and(local.get(LINE_FEEDS), i32.sub(i32.shl(i32.const(2), local.get(BIT)), i32.const(1))), i32.const(0)),
                      ),
                    ),
                  ]),
                ],
              ),
              clearLowestBit(BITS),
              br(0),
            ),
          ),
        ],
      ),
      local.set(LINE_BREAK, i32.or(local.get(LINE_BREAK), i32.ne(local.get(LINE_FEEDS), i32.const(0)))),
      local.set(POSITION, i32.add(local.get(POSITION), i32.const(16))),
      br(0),
    ),
  ),
  i32.const(-1),
];

const MODULE = (): Uint8Array =>
  wasmModule(
    [
      {
        exportName: 'skip',
        params: [I32, I32],
        results: [I32],
        locals: [
          [LINE_BREAK - POSITION + 1, I32],
          [1, V128],
        ],
        body: skip,
      },
    ],
    1,
  );

// The WebAssembly JavaScript API, as much of it as used here (the project's TypeScript libraries
// leave its declarations out; Node has it unless started with --jitless).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const webAssembly = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface SkipExports {
  memory: WasmMemory;
  skip(start: number, length: number): number;
}

/** The bytes of one answer in the module's memory, and the skips over them. */
export class SimdJsonSkipper {
  private length = 0;

  constructor(private readonly exports: SkipExports) {}

  /** Copies `bytes` into the module's memory: the skips that follow read this copy. */
  load(bytes: Uint8Array): void {
    const memory = this.exports.memory;
    // 16 bytes of room after the data: a block read at its last byte stays inside the memory.
    const needed = bytes.length + 16;
    if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / WASM_PAGE));
    new Uint8Array(memory.buffer, 0, bytes.length).set(bytes);
    this.length = bytes.length;
  }

  /** Whether the value the last skip passed over held a line feed outside its strings. */
  lineBreak = false;

  /** Skips the object or array whose opening bracket is at `start`: the position after it, or -1 if the bytes end first. */
  skip(start: number): number {
    const result = this.exports.skip(start, this.length);
    if (result < 0) return -1;
    this.lineBreak = (result & 1) === 1;
    return result >>> 1;
  }
}

const WASM_PAGE = 65_536;
/** Answers up to this size share one module instance (its memory never shrinks); larger ones get their own. */
const SHARED_BYTES = 16 * 1024 * 1024;
/** Above this the byte loop reads the answer: results carry the end doubled in a signed 32-bit number. */
const MAX_BYTES = 512 * 1024 * 1024;

let compiled: object | null | undefined;
let shared: SimdJsonSkipper | undefined;

function compiledModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = MODULE();
      // No WebAssembly (node --jitless) or no SIMD: the scanner's byte loop does the work.
      compiled = webAssembly?.validate(bytes) ? new webAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const instantiate = (module: object) => new SimdJsonSkipper(new webAssembly!.Instance(module).exports as SkipExports);

/**
 * A skipper holding `bytes` (copied into its memory), or undefined where WebAssembly SIMD is not
 * available, the answer is too large for it, or its memory cannot be had: the scanner's byte
 * loop then reads the answer.
 */
export function simdJsonSkipperFor(bytes: Uint8Array): SimdJsonSkipper | undefined {
  const module = compiledModule();
  if (!module || bytes.length > MAX_BYTES) return undefined;
  try {
    // A large answer gets an instance of its own, freed with it.
    const skipper = bytes.length > SHARED_BYTES ? instantiate(module) : (shared ??= instantiate(module));
    skipper.load(bytes);
    return skipper;
  } catch {
    // Address space for WebAssembly memories runs out (each reserves gigabytes of it): read as before.
    return undefined;
  }
}

// Just enough of the WebAssembly binary format to write a small module by hand: LEB128 numbers,
// sections, and instructions in WAT's folded form (operands first, then the operator), so that
// code written with these helpers reads like the text format it stands for. No toolchain, no
// generated file: the module is assembled from this source when it is first needed.
// Reference: https://webassembly.github.io/spec/core/binary/ (and the SIMD proposal's opcodes).

export type Code = number[];

/** Unsigned LEB128. */
function unsigned(value: number): Code {
  const bytes: Code = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128 of a 32-bit integer. */
function signed(value: number): Code {
  const bytes: Code = [];
  value |= 0;
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

const name = (text: string): Code => [...unsigned(text.length), ...Buffer.from(text, 'utf8')];
const vector = (items: Code[]): Code => [...unsigned(items.length), ...items.flat()];
const section = (id: number, content: Code): Code => [id, ...unsigned(content.length), ...content];

export const I32 = 0x7f;
export const V128 = 0x7b;
const VOID_BLOCK = 0x40;

// Instructions, folded: each takes its operands' code and appends its own opcode.
const op =
  (...opcode: Code) =>
  (...operands: Code[]): Code => [...operands.flat(), ...opcode];
const simd = (opcode: number) => op(0xfd, ...unsigned(opcode));

export const i32 = {
  const: (value: number): Code => [0x41, ...signed(value)],
  eqz: op(0x45),
  ne: op(0x47),
  gtU: op(0x4b),
  geU: op(0x4f),
  ctz: op(0x68),
  popcnt: op(0x69),
  add: op(0x6a),
  sub: op(0x6b),
  and: op(0x71),
  or: op(0x72),
  xor: op(0x73),
  shl: op(0x74),
  shrU: op(0x76),
};

export const v128 = {
  /** An unaligned 16-byte load at the address the operand gives. */
  load: (address: Code): Code => [...address, 0xfd, ...unsigned(0x00), 0 /* align 2^0 */, 0 /* offset */],
  or: simd(0x50),
};

export const i8x16 = {
  splat: simd(0x0f),
  eq: simd(0x23),
  bitmask: simd(0x64),
};

export const local = {
  get: (index: number): Code => [0x20, ...unsigned(index)],
  set: (index: number, value: Code): Code => [...value, 0x21, ...unsigned(index)],
};

/** `select`: `whenTrue` if `condition` is not zero, else `whenFalse`. */
export const select = (whenTrue: Code, whenFalse: Code, condition: Code): Code => [...whenTrue, ...whenFalse, ...condition, 0x1b];

// Control: a branch names its target by depth (0: the innermost enclosing block, loop or if).
export const block = (...body: Code[]): Code => [0x02, VOID_BLOCK, ...body.flat(), 0x0b];
export const loop = (...body: Code[]): Code => [0x03, VOID_BLOCK, ...body.flat(), 0x0b];
export const ifThen = (condition: Code, then: Code[], otherwise?: Code[]): Code => [
  ...condition,
  0x04,
  VOID_BLOCK,
  ...then.flat(),
  ...(otherwise ? [0x05, ...otherwise.flat()] : []),
  0x0b,
];
export const br = (depth: number): Code => [0x0c, ...unsigned(depth)];
export const brIf = (depth: number, condition: Code): Code => [...condition, 0x0d, ...unsigned(depth)];
export const ret = (value: Code): Code => [...value, 0x0f];

export interface WasmFunction {
  exportName: string;
  params: number[];
  results: number[];
  /** Locals after the parameters, as [count, type] runs. */
  locals: [number, number][];
  body: Code[];
}

/** A module of functions and one memory of `memoryPages` pages at start, exported as "memory". */
export function wasmModule(functions: WasmFunction[], memoryPages: number): Uint8Array {
  const types = functions.map((fn) => [0x60, ...vector(fn.params.map((type) => [type])), ...vector(fn.results.map((type) => [type]))]);
  const exports = [[...name('memory'), 0x02, 0], ...functions.map((fn, index) => [...name(fn.exportName), 0x00, ...unsigned(index)])];
  const bodies = functions.map((fn) => {
    const content = [...vector(fn.locals.map(([count, type]) => [...unsigned(count), type])), ...fn.body.flat(), 0x0b];
    return [...unsigned(content.length), ...content];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, index) => unsigned(index)))),
    ...section(5, vector([[0x00, ...unsigned(memoryPages)]])),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}

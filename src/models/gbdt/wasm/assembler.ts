/**
 * A small WebAssembly assembler: the opcodes and encodings Loom's hand-written kernels use (histograms, tree walks).
 * Kernels are assembled from these at run time, so there is no toolchain and no binary file in the repository.
 */

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const OP = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, i32Load8U: 0x2d, i32Load16U: 0x2f, i32Store: 0x36, i32Const: 0x41,
  i32GeS: 0x4e, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Xor: 0x73, i32Shl: 0x74, i32Eqz: 0x45,
  if: 0x04, else: 0x05, f64Store: 0x39, f64ConvertI32S: 0xb7,
  simd: 0xfd, v128Load: 0x00, v128Store: 0x0b, v128Const: 0x0c, f64x2Add: 0xf0,
  i32LtS: 0x48, i32Eq: 0x46, f64Const: 0x44, i32ShrU: 0x76, i32RemU: 0x70, f64Load: 0x2b, f64Le: 0x65, f64Gt: 0x64, f64Ge: 0x66, f64Add: 0xa0,
  select: 0x1b, misc: 0xfc, i32TruncSatF64S: 0x02,
} as const;
export const VOID_BLOCK = 0x40;

export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const vec = (items: readonly number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const name = (text: string): number[] => [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
export const section = (id: number, body: readonly number[]): number[] => [id, ...uleb(body.length), ...body];
export const get = (local: number): number[] => [OP.localGet, local];
export const set = (local: number): number[] => [OP.localSet, local];
export const tee = (local: number): number[] => [OP.localTee, local];
export const i32 = (value: number): number[] => [OP.i32Const, ...sleb(value)];
/** memarg: log2 alignment, then the constant offset. */
export const mem = (align: number, offset: number): number[] => [align, ...uleb(offset)];

/** A shared WebAssembly memory (the project's TypeScript libs do not declare WebAssembly; these are the members used). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** The members of the WebAssembly API the workspace uses. */
export interface WasmApi {
  readonly Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

/** The runtime's WebAssembly API, or null where there is none. */
export function webAssemblyApi(): WasmApi | null {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly ?? null;
}

/** `while (counter < end) { body; counter += step }` over i32 locals `counter` and `end` (signed compare). */
export function countedLoop(counter: number, end: number, step: number, body: readonly number[]): number[] {
  return [
    OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK,
    ...get(counter), ...get(end), OP.i32GeS, OP.brIf, 1,
    ...body,
    ...get(counter), ...i32(step), OP.i32Add, ...set(counter), OP.br, 0,
    OP.end, OP.end,
  ];
}

/** A function's entry in the code section: its locals (`[count, type]` runs) and its code, sized. */
export function functionCode(locals: readonly (readonly [number, number])[], code: readonly number[]): number[] {
  const body = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code];
  return [...uleb(body.length), ...body];
}

/** One exported function of a kernel module: its name, parameter and result types, and its code entry (functionCode). */
export interface ModuleFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  /** Its code entry (functionCode); a Uint8Array for generated code of hundreds of kilobytes. */
  readonly code: readonly number[] | Uint8Array;
}

/** Limits of the imported `env.memory`: shared, of `min` to `sharedMax` pages; or, without `sharedMax`, not shared. */
export function memoryLimits(min: number, sharedMax?: number): number[] {
  return sharedMax === undefined ? [0x00, ...uleb(min)] : [0x03, ...uleb(min), ...uleb(sharedMax)];
}

/**
 * A kernel module's bytes: it imports `env.memory` with `limits` (memoryLimits) and exports `functions`, in order,
 * under their names. Functions with the same signature share one type.
 */
export function kernelModule(limits: readonly number[], functions: readonly ModuleFunction[]): Uint8Array {
  const signatures: string[] = [];
  const types: number[][] = [];
  const typeOf = functions.map((f) => {
    const key = `${f.params.join(',')}:${f.results.join(',')}`;
    if (!signatures.includes(key)) {
      signatures.push(key);
      types.push([0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
    }
    return uleb(signatures.indexOf(key));
  });
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const exports = vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const head = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)), ...section(2, imports), ...section(3, vec(typeOf)), ...section(7, exports),
  ];
  // The code section, copied in as typed arrays: spreading a generated function's bytes would be slow.
  const codeCount = uleb(functions.length);
  const codeSize = codeCount.length + functions.reduce((sum, f) => sum + f.code.length, 0);
  const codeHead = [10, ...uleb(codeSize), ...codeCount];
  const bytes = new Uint8Array(head.length + codeHead.length + codeSize - codeCount.length);
  bytes.set(head, 0);
  bytes.set(codeHead, head.length);
  let at = head.length + codeHead.length;
  for (const f of functions) {
    bytes.set(f.code, at);
    at += f.code.length;
  }
  return bytes;
}

/**
 * Program-defined uniforms from one list. The webgpu backend takes a program's extra uniform fields as
 * a WGSL string and their values as an array matched by position; declaring both from the same list
 * keeps the two from drifting apart, and the typed names make a missing or misspelt value a compile
 * error instead of a silently shifted buffer.
 */

/** WGSL scalar types the backend can pack (its 'int32' / 'uint32' / 'float32'). */
type UniformType = 'i32' | 'u32' | 'f32';

const BACKEND_TYPE: Record<UniformType, string> = {i32: 'int32', u32: 'uint32', f32: 'float32'};

/** What `WebGPUBackend.runWebGPUProgram` takes as program-defined uniform data. */
export type ProgramUniformData = Array<{type: string; data: number[]}>;

export interface UniformLayout<Name extends string> {
  /** The WGSL struct fields, for `WebGPUProgram.uniforms`; read in WGSL as `uniforms.<name>`. */
  readonly wgsl: string;
  /** The values in declaration order, for `runWebGPUProgram`'s `customUniformData`. */
  data(values: Readonly<Record<Name, number>>): ProgramUniformData;
}

/**
 * Declares scalar uniform fields. Only scalars: the backend lays fields out with WGSL's alignment rules
 * itself, and scalars never need padding between them.
 */
export function uniformLayout<Name extends string>(
  fields: ReadonlyArray<readonly [Name, UniformType]>,
): UniformLayout<Name> {
  return {
    wgsl: fields.map(([name, type]) => `${name} : ${type}, `).join(''),
    data: (values) => fields.map(([name, type]) => ({type: BACKEND_TYPE[type], data: [values[name]]})),
  };
}

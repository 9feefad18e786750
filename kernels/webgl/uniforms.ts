/**
 * Program-defined uniforms from one list. The webgl backend declares a program's `customUniforms` in
 * the shader and sets them from an array of values matched by position; deriving both from the same
 * typed list keeps them from drifting apart, and a missing or misspelt value is a compile error.
 */
import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';

/** The scalar GLSL types used here. */
type GlslScalar = 'int' | 'float';

type CustomUniforms = NonNullable<GPGPUProgram['customUniforms']>;

export interface UniformList<Name extends string> {
  /** For `GPGPUProgram.customUniforms`; read in GLSL by name. */
  readonly declarations: CustomUniforms;
  /** The values in declaration order, for `runWebGLProgram`'s `customUniformValues`. */
  values(values: Readonly<Record<Name, number>>): number[][];
}

export function uniformList<Name extends string>(
  fields: ReadonlyArray<readonly [Name, GlslScalar]>,
): UniformList<Name> {
  return {
    declarations: fields.map(([name, type]) => ({name, type})),
    values: (values) => fields.map(([name]) => [values[name]]),
  };
}

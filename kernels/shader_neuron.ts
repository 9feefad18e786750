/**
 * What the GLSL (webgl/glsl/neuron.ts) and WGSL (webgpu/wgsl/neuron.ts) neurons share, so the two
 * languages compute one formula per neuron and one erf approximation: the helpers each neuron calls,
 * each neuron's body and erf, written once and spelled in each language's dialect.
 */
import type {NeuronType} from '../src/contracts/descriptor.js';

/** How a shading language spells the declarations the shared snippets use. */
export interface ShaderDialect {
  /** The keyword of an immutable local float: `float` in GLSL, `let` in WGSL. */
  local: string;
  /** The header of a function from one float to a float. */
  floatFunction: (name: string, argument: string) => string;
  /** Whether a float is NaN, by a test no compiler folds away. */
  isNaN: (value: string) => string;
  /** `ifTrue` where `condition` holds, else `ifFalse`, as one expression. */
  select: (ifFalse: string, ifTrue: string, condition: string) => string;
  /** A uniform read by its field name. */
  uniform: (name: string) => string;
}

/** A neuron's body, and its value for x = NaN where that is not x. */
interface NeuronBody {
  body: string;
  ofNaN?: string;
}

/** The helpers (sgTanh, sgLog1p, ...) each neuron calls; both languages define each under one name. */
export type NeuronHelper = 'tanh' | 'log1p' | 'expm1' | 'pow' | 'log' | 'erf';

const HELPERS_USED: Partial<Record<NeuronType, readonly NeuronHelper[]>> = {
  tanh: ['tanh'],
  softplus: ['log1p'],
  elu: ['expm1'],
  power: ['pow'],
  exponential: ['pow'],
  logarithm: ['log'],
  gelu: ['erf'],
};

/**
 * Body of `sgNeuron(x)` per type (a, b, c as `na`, `nb`, `nc`) in the dialect's spelling, and its value
 * for x = NaN where that is not NaN (Math.pow(NaN, 0) = 1 in the reference).
 */
export function neuronBodies({local, isNaN, select}: ShaderDialect): Record<NeuronType, NeuronBody> {
  const leaky = select('na * x', 'x', 'x >= 0.0');
  return {
    none: {body: 'return x;'},
    relu: {body: `return ${leaky};`},
    linear: {body: 'return na * x + nb;'},
    sigmoid: {body: 'return 1.0 / (1.0 + exp(-x));'},
    // clamp and min would turn a NaN (0 * Inf) into a bound.
    hardSigmoid: {
      body: `${local} y = na * x + nb; if (${isNaN('y')}) { return y; } return clamp(y, 0.0, 1.0);`,
    },
    tanh: {body: 'return na * sgTanh(nb * x);'},
    absolute: {body: 'return abs(x);'},
    softplus: {
      // log(1 + e^y) = max(y, 0) + log1p(e^-|y|): no overflow for large y.
      body: `${local} y = nb * x; if (${isNaN('y')}) { return y; } return na * (max(y, 0.0) + sgLog1p(exp(-abs(y))));`,
    },
    softsign: {body: 'return x / (1.0 + abs(x));'},
    elu: {body: `return ${select('na * sgExpm1(x)', 'x', 'x >= 0.0')};`},
    reluN: {body: `${local} y = ${leaky}; if (${isNaN('y')}) { return y; } return min(y, nb);`},
    power: {body: 'return sgPow(na * x + nb, nc);', ofNaN: select('x', '1.0', 'nc == 0.0')},
    // c = -1 selects base e; the branch is on a uniform, so every invocation takes the same side.
    exponential: {body: `${local} y = na * x + nb; if (nc == -1.0) { return exp(y); } return sgPow(nc, y);`},
    logarithm: {
      body: `${local} y = sgLog(na * x + nb); if (nc == -1.0) { return y; } return y / sgLog(nc);`,
    },
    gelu: {body: 'return 0.5 * x * (1.0 + sgErf(x * 0.70710678));'},
  };
}

/** The helpers both languages write alike (all but sgLog and sgPow), in the dialect's spelling. */
export function sharedHelpers(dialect: ShaderDialect): Record<'tanh' | 'expm1' | 'log1p' | 'erf', string> {
  const {local, floatFunction, isNaN, select} = dialect;
  return {
    // Both forms computed and one selected, without branches: a branch here is a divergent one in the
    // recurrence's step loop, on its critical path.
    tanh: `
${floatFunction('sgTanh', 'x')} {
  ${local} ax = abs(x);
  // Odd Taylor series below 1/16: 1 - e^(-2|x|) would cancel.
  ${local} x2 = x * x;
  ${local} near = x * (1.0 + x2 * (-0.33333334 + x2 * (0.13333334 + x2 * -0.053968254)));
  // e^(-2|x|) never overflows, so large |x| gives exactly +-1 rather than inf / inf.
  ${local} e = exp(-2.0 * ax);
  ${local} far = sign(x) * ((1.0 - e) / (1.0 + e));
  return ${select(select('far', 'near', 'ax < 0.0625'), 'x', isNaN('x'))};
}`,
    expm1: `
${floatFunction('sgExpm1', 'x')} {
  if (abs(x) < 0.01) {
    return x * (1.0 + x * (0.5 + x * (0.16666667 + x * 0.041666668)));
  }
  return exp(x) - 1.0;
}`,
    log1p: `
${floatFunction('sgLog1p', 'x')} {
  if (abs(x) < 0.0001) {
    return x * (1.0 - x * 0.5);
  }
  return log(1.0 + x);
}`,
    erf: erfHelper(dialect),
  };
}

/** `sgErf(z)` in the dialect's spelling. */
function erfHelper({local, floatFunction}: ShaderDialect): string {
  return `
// erf to about 1.5e-7 absolute (a few float32 ulps of values near 1): Abramowitz & Stegun 7.1.26 for
// |z| >= 0.5, and below that the odd Maclaurin series, which keeps the relative error small where
// erf itself is small.
${floatFunction('sgErf', 'z')} {
  ${local} az = abs(z);
  if (az < 0.5) {
    ${local} z2 = z * z;
    ${local} series = 1.0 + z2 * (-0.33333334 + z2 * (0.1 + z2 * (-0.023809524 + z2 * (0.0046296297
        + z2 * (-0.00075757579 + z2 * 0.00010683761)))));
    return 1.1283792 * z * series;
  }
  ${local} t = 1.0 / (1.0 + 0.3275911 * az);
  ${local} poly = t * (0.25482959 + t * (-0.28449672 + t * (1.4214138 + t * (-1.4531521 + t * 1.0614054))));
  return sign(z) * (1.0 - poly * exp(-az * az));
}`;
}

/**
 * `sgNeuron(x)` of the given type in the dialect's spelling, after the helpers it calls (taken from
 * `helpers`, the language's own). A NaN pre-activation is answered before the formula (see each
 * language's file for why).
 */
export function neuronShader(
  dialect: ShaderDialect,
  helpers: Record<NeuronHelper, string>,
  type: NeuronType,
): string {
  const {local, floatFunction, isNaN, uniform} = dialect;
  const {body, ofNaN = 'x'} = neuronBodies(dialect)[type];
  return `${(HELPERS_USED[type] ?? []).map((h) => helpers[h]).join('\n')}
${floatFunction('sgNeuron', 'x')} {
  ${local} na = ${uniform('neuronA')};
  ${local} nb = ${uniform('neuronB')};
  ${local} nc = ${uniform('neuronC')};
  if (${isNaN('x')}) {
    return ${ofNaN};
  }
  ${body}
}`;
}

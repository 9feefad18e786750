/**
 * An ONNX model of one `RNN` node (tanh, float32) from the same weights the benchmark gives our op, so
 * ONNX Runtime Web runs the same recurrence: h_t = tanh(W x_t + Wb + R h_{t-1} + Rb), our W, our U as
 * R, our bias as Wb and Rb = 0. ONNX's default layout 0 is time-major: X [time, batch, inputs],
 * Y [time, directions, batch, units]; the runner feeds X in that layout.
 *
 * The messages are declared here with the field numbers of onnx.proto (only the fields this model
 * uses) and encoded by protobufjs: no generated code and no .proto file to ship.
 */
import protobuf from 'protobufjs';

const INT64 = 'int64';
const ONNX_SCHEMA = {
  nested: {
    ModelProto: {
      fields: {
        irVersion: {type: INT64, id: 1},
        producerName: {type: 'string', id: 2},
        graph: {type: 'GraphProto', id: 7},
        opsetImport: {rule: 'repeated', type: 'OperatorSetIdProto', id: 8},
      },
    },
    OperatorSetIdProto: {fields: {domain: {type: 'string', id: 1}, version: {type: INT64, id: 2}}},
    GraphProto: {
      fields: {
        node: {rule: 'repeated', type: 'NodeProto', id: 1},
        name: {type: 'string', id: 2},
        initializer: {rule: 'repeated', type: 'TensorProto', id: 5},
        input: {rule: 'repeated', type: 'ValueInfoProto', id: 11},
        output: {rule: 'repeated', type: 'ValueInfoProto', id: 12},
      },
    },
    NodeProto: {
      fields: {
        input: {rule: 'repeated', type: 'string', id: 1},
        output: {rule: 'repeated', type: 'string', id: 2},
        name: {type: 'string', id: 3},
        opType: {type: 'string', id: 4},
        attribute: {rule: 'repeated', type: 'AttributeProto', id: 5},
      },
    },
    AttributeProto: {
      fields: {
        name: {type: 'string', id: 1},
        i: {type: INT64, id: 3},
        s: {type: 'bytes', id: 4},
        strings: {rule: 'repeated', type: 'bytes', id: 9},
        type: {type: 'int32', id: 20},
      },
    },
    TensorProto: {
      fields: {
        dims: {rule: 'repeated', type: INT64, id: 1},
        dataType: {type: 'int32', id: 2},
        name: {type: 'string', id: 8},
        rawData: {type: 'bytes', id: 9},
      },
    },
    ValueInfoProto: {fields: {name: {type: 'string', id: 1}, type: {type: 'TypeProto', id: 2}}},
    TypeProto: {fields: {tensorType: {type: 'TensorTypeProto', id: 1}}},
    TensorTypeProto: {fields: {elemType: {type: 'int32', id: 1}, shape: {type: 'TensorShapeProto', id: 2}}},
    TensorShapeProto: {fields: {dim: {rule: 'repeated', type: 'Dimension', id: 1}}},
    Dimension: {fields: {dimValue: {type: INT64, id: 1}}},
  },
};

/** onnx.proto's enum values this file uses. */
const FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_STRING = 3;
const ATTRIBUTE_STRINGS = 8;
/** IR version 8 and opset 14: what ONNX Runtime 1.x reads, RNN's current definition. */
const IR_VERSION = 8;
const OPSET = 14;

/** One direction's weights as our op takes them: W [units, inputs], U [units, units], b [units]. */
export interface DirectionWeights {
  w: Float32Array;
  u: Float32Array;
  b: Float32Array;
}

export interface RnnModelShape {
  batch: number;
  time: number;
  inputs: number;
  units: number;
}

const encoder = new TextEncoder();

function tensor(name: string, dims: number[], data: Float32Array): Record<string, unknown> {
  return {
    name,
    dims,
    dataType: FLOAT,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function valueInfo(name: string, dims: number[]): Record<string, unknown> {
  return {name, type: {tensorType: {elemType: FLOAT, shape: {dim: dims.map((dimValue) => ({dimValue}))}}}};
}

/** Concatenates each direction's arrays (ONNX stacks directions on a leading axis). */
function stacked(parts: Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/**
 * The serialized model: input 'X' [time, batch, inputs], outputs 'Y' [time, directions, batch, units]
 * and 'Y_h' [directions, batch, units]. One entry of `directions`: forward; two: bidirectional
 * (forward first, as ONNX orders them).
 */
export function onnxRnnModel(shape: RnnModelShape, directions: DirectionWeights[]): Uint8Array {
  const {batch, time, inputs, units} = shape;
  const count = directions.length;
  const bias = directions.map((d) => stacked([d.b, new Float32Array(units)]));
  const activations = directions.map(() => encoder.encode('Tanh'));
  const root = protobuf.Root.fromJSON(ONNX_SCHEMA);
  const Model = root.lookupType('ModelProto');
  const model = {
    irVersion: IR_VERSION,
    producerName: 'tfjs-single-gate-rnn bench',
    opsetImport: [{domain: '', version: OPSET}],
    graph: {
      name: 'rnn',
      node: [
        {
          opType: 'RNN',
          name: 'rnn',
          input: ['X', 'W', 'R', 'B'],
          output: ['Y', 'Y_h'],
          attribute: [
            {name: 'hidden_size', type: ATTRIBUTE_INT, i: units},
            {name: 'activations', type: ATTRIBUTE_STRINGS, strings: activations},
            {
              name: 'direction',
              type: ATTRIBUTE_STRING,
              s: encoder.encode(count === 2 ? 'bidirectional' : 'forward'),
            },
          ],
        },
      ],
      initializer: [
        tensor('W', [count, units, inputs], stacked(directions.map((d) => d.w))),
        tensor('R', [count, units, units], stacked(directions.map((d) => d.u))),
        tensor('B', [count, 2 * units], stacked(bias)),
      ],
      input: [valueInfo('X', [time, batch, inputs])],
      output: [valueInfo('Y', [time, count, batch, units]), valueInfo('Y_h', [count, batch, units])],
    },
  };
  const problem = Model.verify(model);
  if (problem != null) throw new Error(`ONNX model does not match its schema: ${problem}`);
  return Model.encode(Model.fromObject(model)).finish();
}

/** [batch, time, inputs] to [time, batch, inputs]. */
export function timeMajor(x: Float32Array, batch: number, time: number, inputs: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let n = 0; n < batch; n++) {
    for (let t = 0; t < time; t++)
      out.set(x.subarray((n * time + t) * inputs, (n * time + t + 1) * inputs), (t * batch + n) * inputs);
  }
  return out;
}

/** ORT's Y [time, directions, batch, units] as our outputs: [batch, time, units] per direction. */
export function batchMajor(
  y: Float32Array,
  direction: number,
  directions: number,
  batch: number,
  time: number,
  units: number,
): Float32Array {
  const out = new Float32Array(batch * time * units);
  for (let t = 0; t < time; t++) {
    for (let n = 0; n < batch; n++) {
      const from = ((t * directions + direction) * batch + n) * units;
      out.set(y.subarray(from, from + units), (n * time + t) * units);
    }
  }
  return out;
}

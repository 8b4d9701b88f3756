// The few ONNX protobuf messages a feed-forward float graph needs (onnx.proto3 field numbers),
// written by hand: a model built from weights already on disk needs no protobuf library.

/** Protobuf wire format: a growable byte list with varint, length-delimited and fixed32 fields. */
class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    this.push(Uint8Array.from(this.scratch));
    this.scratch = [];
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
  }

  private varint(value: number | bigint): void {
    // Negative int64 values are ten-byte two's complement varints.
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      this.scratch.push(v > 0n ? byte | 0x80 : byte);
    } while (v > 0n);
  }

  private key(field: number, wireType: 0 | 2 | 5): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.scratch.push(...bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    this.flushScratch();
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

export type Attribute = { name: string } & ({ int: number } | { ints: number[] } | { float: number } | { string: string });

export interface OnnxNode {
  op: string;
  inputs: string[];
  output: string;
  attributes?: Attribute[];
}

export interface FloatTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  initializers: FloatTensor[];
  input: { name: string; dims: Array<number | string> };
  output: { name: string; dims: Array<number | string> };
}

const FLOAT = 1;
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, ints: 7 } as const;

function writeAttribute(w: ProtoWriter, a: Attribute): void {
  w.string(1, a.name);
  if ('float' in a) w.float(2, a.float).int(20, ATTRIBUTE_TYPE.float);
  else if ('int' in a) w.int(3, a.int).int(20, ATTRIBUTE_TYPE.int);
  else if ('string' in a) w.string(4, a.string).int(20, ATTRIBUTE_TYPE.string);
  else {
    for (const i of a.ints) w.int(8, i);
    w.int(20, ATTRIBUTE_TYPE.ints);
  }
}

function writeValueInfo(w: ProtoWriter, { name, dims }: OnnxGraph['input']): void {
  w.string(1, name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, FLOAT);
      tensor.message(2, (shape) => {
        for (const d of dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

/** A serialized ModelProto (IR version 8, default-domain opset 13). */
export function encodeModel(graph: OnnxGraph): Uint8Array {
  const model = new ProtoWriter();
  model.int(1, 8);
  model.string(2, 'doppel');
  model.message(7, (g) => {
    graph.nodes.forEach((node, i) =>
      g.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        n.string(2, node.output);
        n.string(3, `${node.op}_${i}`);
        n.string(4, node.op);
        for (const a of node.attributes ?? []) n.message(5, (w) => writeAttribute(w, a));
      }),
    );
    g.string(2, 'graph');
    for (const t of graph.initializers) {
      g.message(5, (w) => {
        for (const d of t.dims) w.int(1, d);
        w.int(2, FLOAT);
        w.string(8, t.name);
        w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      });
    }
    g.message(11, (w) => writeValueInfo(w, graph.input));
    g.message(12, (w) => writeValueInfo(w, graph.output));
  });
  model.message(8, (opset) => opset.string(1, '').int(2, 13));
  return model.finish();
}

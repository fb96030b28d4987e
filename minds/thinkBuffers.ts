import { POLICY_INPUTS } from './policyModel.ts';

/**
 * The buffers of one think batch, reused from tick to tick so that a tick allocates only its replies: feature
 * rows, the request index of each row, and the model's answer. That answer is either the model's own softmax
 * rows (`probs`, the model's output array), or, from the logits and teacher paths, each row's action (an index
 * into ACTION_LABELS) and confidence.
 */
export class ThinkBuffers {
  readonly capacity: number;
  readonly x: Float32Array;
  readonly at: Int32Array;
  probs: Float32Array | undefined;
  readonly action: Uint8Array;
  readonly confidence: Float64Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.x = new Float32Array(capacity * POLICY_INPUTS);
    this.at = new Int32Array(capacity);
    this.probs = undefined;
    this.action = new Uint8Array(capacity);
    this.confidence = new Float64Array(capacity);
  }
}

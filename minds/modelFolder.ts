import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModel } from './nn/onnxGraph.ts';
import type { DecodedModel, Shape, ValueSpec } from './nn/onnxGraph.ts';

/** A model folder is unusable: a file is missing or unreadable, or a tensor has the wrong shape. */
export class ModelFolderError extends Error {
  /** The file at fault. */
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'ModelFolderError';
    this.file = file;
  }
}

/** What a model folder must contain: files, and graph inputs/outputs (fixed sizes must match; strings are free dims). */
export interface FolderSpec {
  readonly files: readonly string[];
  readonly inputs: readonly { name: string; shape: Shape }[];
  readonly outputs: readonly { name: string; shape: Shape }[];
}

/** A checked model folder. */
export interface InspectedFolder {
  readonly dir: string;
  readonly modelPath: string;
  readonly bytes: Uint8Array;
  readonly decoded: DecodedModel;
  readonly config: Record<string, unknown>;
}

const fmt = (s: Shape): string => `[${s.join(', ')}]`;

function requireFile(dir: string, file: string): string {
  const path = join(dir, file);
  if (!existsSync(path)) throw new ModelFolderError(path, `missing (a model folder needs ${file})`);
  return path;
}

/** Read and parse `config.json` of a folder. */
export function readConfig(dir: string): Record<string, unknown> {
  const path = requireFile(dir, 'config.json');
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new ModelFolderError(path, `cannot be read as JSON: ${(err as Error).message}`, { cause: err });
  }
}

function checkShape(file: string, kind: 'input' | 'output', want: { name: string; shape: Shape }, have: readonly ValueSpec[]): void {
  const got = have.find((v) => v.name === want.name);
  if (!got) throw new ModelFolderError(file, `has no ${kind} '${want.name}' ${fmt(want.shape)} (${kind}s: ${have.map((v) => `${v.name} ${fmt(v.shape)}`).join(', ') || 'none'})`);
  const bad = got.shape.length !== want.shape.length || want.shape.some((d, i) => typeof d === 'number' && got.shape[i] !== d);
  if (bad) throw new ModelFolderError(file, `${kind} '${want.name}' has shape ${fmt(got.shape)}, expected ${fmt(want.shape)}`);
}

/**
 * Check a Hugging Face–layout model folder against `spec` (files present, `config.json` readable, the ONNX
 * graph's inputs and outputs of the expected shapes). Throws {@link ModelFolderError} naming the file and shape.
 */
export function inspectFolder(dir: string, spec: FolderSpec): InspectedFolder {
  if (!existsSync(dir)) throw new ModelFolderError(dir, 'model folder not found');
  for (const f of spec.files) requireFile(dir, f);
  const config = readConfig(dir);
  const modelPath = requireFile(dir, join('onnx', 'model.onnx'));
  const bytes = new Uint8Array(readFileSync(modelPath));
  let decoded: DecodedModel;
  try {
    decoded = decodeModel(bytes);
  } catch (err) {
    throw new ModelFolderError(modelPath, `is not a readable ONNX model: ${(err as Error).message}`, { cause: err });
  }
  for (const i of spec.inputs) checkShape(modelPath, 'input', i, decoded.inputs);
  for (const o of spec.outputs) checkShape(modelPath, 'output', o, decoded.outputs);
  return { dir, modelPath, bytes, decoded, config };
}

/** Check a text-generation folder (config.json, tokenizer.json, an .onnx file under onnx/). */
export function inspectGenerationFolder(dir: string): void {
  if (!existsSync(dir)) throw new ModelFolderError(dir, 'model folder not found');
  readConfig(dir);
  requireFile(dir, 'tokenizer.json');
  const onnxDir = requireFile(dir, 'onnx');
  if (!readdirSync(onnxDir).some((f) => f.endsWith('.onnx'))) throw new ModelFolderError(onnxDir, 'holds no .onnx file');
}

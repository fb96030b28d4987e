// `npm run models:build [-- outDir]`: trains the built-in models and writes them (default: models/).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModels } from './buildModels.ts';
import { formatConfusion } from './evaluate.ts';

const out = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models'));
const r = buildModels(out);
console.table({
  'intent train lines': r.intentTrainLines,
  'intent held-out lines': r.intentHeldOutLines,
  'intent vocabulary': r.intentVocab,
  'intent train accuracy': Number(r.intentTrainAccuracy.toFixed(4)),
  'intent held-out accuracy': Number(r.intentHeldOutAccuracy.toFixed(4)),
  'intent dev accuracy': Number(r.intentDev.accuracy.toFixed(4)),
  'intent model.onnx bytes': r.intentModelBytes,
  'policy/teacher agreement': Number(r.policyTeacherAgreement.toFixed(4)),
  'reply vocabulary': r.replyVocab,
  'reply parameters': r.replyParameters,
  'reply lines recited': Number(r.replyRecited.toFixed(4)),
  'build seconds': Number((r.ms / 1000).toFixed(2)),
});
console.log(`intent dev lines (minds/build/intent-dev.tsv), rows true, columns predicted:\n${formatConfusion(r.intentDev)}`);
for (const e of r.intentDev.errors) console.log(`  ${e.intent} -> ${e.predicted}: ${e.text}`);
console.log(`models written to ${r.dir}`);

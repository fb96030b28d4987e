// Lint rules that keep the architecture honest: the import arrows of ARCHITECTURE.md, no deep imports
// across folders, and no wall-clock time or unseeded randomness inside the simulation.
import tseslint from 'typescript-eslint';

const FOLDERS = ['shared', 'procgen', 'actors', 'minds', 'llm', 'rooms', 'server', 'client', 'tools', 'scenarios', 'test', 'bench'];

/** Which folders each source folder may import from (besides itself). */
const ALLOWED = {
  shared: [],
  procgen: ['shared'],
  actors: ['shared', 'procgen'],
  minds: ['shared', 'actors', 'llm'],
  llm: ['shared'],
  rooms: ['shared', 'procgen', 'actors'],
  server: FOLDERS,
  client: ['shared', 'procgen'],
  tools: FOLDERS,
};

const FRAMEWORK = ['colyseus', '@colyseus/*', 'uWebSockets.js', 'onnxruntime-node', 'onnxruntime-*', '@huggingface/*',
  '@xenova/*', 'openai', '@anthropic-ai/*', '@google/*', 'ioredis', 'pino', 'express', 'ws', '@opentelemetry/*'];
const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'net', 'http', 'https', 'child_process', 'worker_threads', 'os', 'path'];

const TOP = FOLDERS.join('|');

function importRules(folder) {
  const allowed = new Set([folder, ...ALLOWED[folder]]);
  const forbidden = FOLDERS.filter((f) => !allowed.has(f));
  const typeOnly = folder === 'minds' ? ['actors'] : [];
  const patterns = [
    {
      // Deep imports: `../shared/rng.ts` instead of `../shared/index.ts`, at any depth.
      regex: `^(\\.\\./)+(${TOP})/(?!index\\.ts$).+`,
      message: 'Import another folder through its index.ts, not its internals.',
    },
  ];
  const hard = forbidden.filter((f) => !typeOnly.includes(f));
  if (hard.length) {
    patterns.push({
      regex: `^(\\.\\./)+(${hard.join('|')})(/|$)`,
      message: `${folder}/ may import only from: ${[...allowed, ...typeOnly].join(', ')} (see ARCHITECTURE.md).`,
    });
  }
  for (const f of typeOnly) {
    patterns.push({ regex: `^(\\.\\./)+${f}(/|$)`, allowTypeImports: true, message: `${folder}/ may import only types from ${f}/.` });
  }
  if (folder === 'shared' || folder === 'procgen' || folder === 'actors') {
    patterns.push({
      group: [...FRAMEWORK, ...NODE_BUILTINS],
      message: `${folder}/ is pure simulation code: no network, file system, framework, model, LLM or tracing packages.`,
    });
  }
  if (folder === 'llm') {
    patterns.push({ group: ['colyseus', '@colyseus/*'], message: 'llm/ knows nothing of the game or its framework.' });
  }
  if (folder === 'client') {
    patterns.push({ group: NODE_BUILTINS, message: 'client/ runs in the browser.' });
  }
  return {
    files: [`${folder}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

const PURE_TIME = [
  { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Use the injected seeded Rng, not Math.random.' },
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Use the injected clock, not Date.now.' },
  { selector: "NewExpression[callee.name='Date']", message: 'Use the injected clock, not new Date().' },
  { selector: "MemberExpression[object.name='performance'][property.name='now']", message: 'Use the injected clock, not performance.now.' },
  { selector: "CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]", message: 'Use simulation timers (a timer effect), not wall-clock timers.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'client/dist/**', 'coverage/**', 'models/**', 'bench/results/**', '.scratch/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-debugger': 'error',
    },
  },
  ...Object.keys(ALLOWED).map(importRules),
  {
    files: ['shared/**/*.ts', 'procgen/**/*.ts', 'actors/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...PURE_TIME] },
  },
);

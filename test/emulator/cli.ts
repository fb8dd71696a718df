/**
 * Command line entry: `npx tsx test/emulator/cli.ts --port 4010 --token demo-token --seed 1
 * [--speed 5] [--big-log 100000] [--runs 300] [--org org_demo --org org_other] [--fault '<json>']
 * [--strict | --strict=ignore-q]`.
 */
import type { FaultSpec } from './faults';
import { startEmulator, type EmulatorOptions } from './index';
import { STRICT_MODES, type StrictMode } from './strict';

const USAGE = `Usage: tsx test/emulator/cli.ts [options]

  --port N        port to listen on (default 4010; 0 = any free port)
  --host H        interface to bind (default 127.0.0.1)
  --token T       accepted bearer token, may repeat (default demo-token); all see every org
  --org ID        organisation, may repeat; the first is the default (default org_demo, org_other)
  --seed N        seed of the generated data (default 1)
  --runs N        number of seeded runs (default 300)
  --speed X       simulation speed multiplier for created runs (default 1)
  --big-log N     add a run with N log lines (default 0 = none)
  --fault JSON    inject a fault (a FaultSpec as JSON), may repeat
  --strict        serve only what the API reference promises; q is refused with 400
  --strict=MODE   strict mode: refuse-q (same as --strict) or ignore-q (q is silently ignored)
  --help          show this help`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { options: EmulatorOptions; faults: FaultSpec[] } {
  const tokens: string[] = [];
  const orgs: string[] = [];
  const faults: FaultSpec[] = [];
  const options: EmulatorOptions = { port: 4010 };
  const number = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isFinite(n)) fail(`${flag} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      case '--port':
        options.port = number(flag, value());
        break;
      case '--host':
        options.host = value() ?? fail('--host needs a value');
        break;
      case '--token':
        tokens.push(value() ?? fail('--token needs a value'));
        break;
      case '--org':
        orgs.push(value() ?? fail('--org needs a value'));
        break;
      case '--seed':
        options.seed = number(flag, value());
        break;
      case '--runs':
        options.runCount = number(flag, value());
        break;
      case '--speed':
        options.speed = number(flag, value());
        break;
      case '--big-log':
        options.bigLogLines = number(flag, value());
        break;
      case '--strict': {
        const mode = inline ?? 'refuse-q';
        if (!(STRICT_MODES as readonly string[]).includes(mode)) fail(`--strict takes no value, or one of: ${STRICT_MODES.join(', ')}`);
        options.strict = mode as StrictMode;
        break;
      }
      case '--fault': {
        const text = value() ?? fail('--fault needs a JSON FaultSpec');
        try {
          const parsed = JSON.parse(text) as FaultSpec | FaultSpec[];
          faults.push(...(Array.isArray(parsed) ? parsed : [parsed]));
        } catch {
          fail(`--fault is not valid JSON: ${text}`);
        }
        break;
      }
      default:
        fail(`Unknown option ${arg}`);
    }
  }
  if (tokens.length > 0) options.tokens = Object.fromEntries(tokens.map((t) => [t, '*' as const]));
  if (orgs.length > 0) options.organizations = orgs;
  return { options, faults };
}

async function main(): Promise<void> {
  const { options, faults } = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator(options);
  for (const f of faults) emulator.addFault(f);
  const token = Object.keys(options.tokens ?? { 'demo-token': '*' })[0];
  const mode = emulator.strict
    ? `strict (${emulator.strict}): only what the API reference promises; q is ${emulator.strict === 'refuse-q' ? 'refused with 400' : 'ignored'}`
    : 'default';
  // Strict mode knows no q, so its example lists the newest runs by sort_by alone.
  const listExample = emulator.strict ? 'limit=5&sort_by=created_at:desc' : 'limit=5&q=status_code%3D%22failed%22';
  const lines = [
    `Runflow emulator listening on ${emulator.url}`,
    `  mode:    ${mode}`,
    `  token:   ${token}`,
    `  orgs:    ${(options.organizations ?? ['org_demo', 'org_other']).join(', ')} (first is the default)`,
    `  models:  ${emulator.modelSlugs().join(', ')}`,
  ];
  if (emulator.bigLogRunId) lines.push(`  big log: ${emulator.bigLogRunId}`);
  if (faults.length > 0) lines.push(`  faults:  ${faults.length} armed`);
  lines.push(
    '',
    'Try:',
    `  curl -s -H 'Authorization: Bearer ${token}' '${emulator.url}/v1/runs?${listExample}'`,
    `  curl -s -X POST -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' \\`,
    `       -d '{"input":{"prompt":"a red fox"}}' '${emulator.url}/v1/models/runflow/sdxl-turbo/runs'`,
    `  curl -s '${emulator.url}/__emulator/health'`,
    '',
    'Ctrl+C to stop.',
  );
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping emulator`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});

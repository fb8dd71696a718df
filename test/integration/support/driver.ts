/**
 * The tests' side of the browser driver (test/host/driver.ts). Under the headless launcher it reaches
 * the real browser that shows the workbench; under the desktop launcher there is none, and
 * `hasBrowser()` says so, so browser checks can skip themselves instead of pretending.
 */
const DRIVER = process.env.RUNFLOW_TEST_DRIVER;

export type FrameTarget = 'workbench' | { selector: string };

export function hasBrowser(): boolean {
  return !!DRIVER;
}

async function call<T>(route: string, body: unknown): Promise<T> {
  if (!DRIVER) throw new Error('no browser driver under this launcher');
  const res = await fetch(`${DRIVER}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`driver ${route}: ${json.error ?? res.status}`);
  return json;
}

/** Saves test-results/screenshots/<name>.png of the whole workbench; returns its path, or undefined without a browser. */
export async function saveScreenshot(name: string): Promise<string | undefined> {
  if (!DRIVER) return undefined;
  const { path } = await call<{ path: string }>('/screenshot', { name });
  return path;
}

/** Evaluates a JavaScript expression in the workbench or in the frame holding `selector` and returns its JSON value. */
export async function evaluate<T>(frame: FrameTarget, expression: string, timeoutMs = 10_000): Promise<T> {
  const { value } = await call<{ value: T }>('/evaluate', { frame, expression, timeoutMs });
  return value;
}

export async function click(frame: FrameTarget, selector: string, timeoutMs = 10_000): Promise<void> {
  await call('/click', { frame, selector, timeoutMs });
}

export async function press(key: string): Promise<void> {
  await call('/press', { key });
}

/** One axe-core violation: the rule, its impact, and the elements it found. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** Runs axe-core (injected by the launcher's driver, never part of the extension) on the frame holding `selector`. */
export async function axeViolations(frame: FrameTarget, timeoutMs = 10_000): Promise<AxeViolation[]> {
  const { violations } = await call<{ violations: AxeViolation[] }>('/axe', { frame, timeoutMs });
  return violations;
}

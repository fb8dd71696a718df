/**
 * A small HTTP endpoint on 127.0.0.1 through which tests running inside the extension host reach the
 * browser that shows the workbench: screenshots, and evaluating or clicking in the workbench or in a
 * webview's frame. It is what lets the suite check what the user really sees, not only the extension side.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';

export interface Driver {
  url: string;
  close(): Promise<void>;
}

/** Which frame a request means: the workbench itself, or the (webview) frame holding `selector`. */
type FrameTarget = 'workbench' | { selector: string };

interface DriverRequest {
  name?: string;
  frame?: FrameTarget;
  expression?: string;
  selector?: string;
  key?: string;
  timeoutMs?: number;
}

/**
 * The frame holding the selector, once exactly one does: when a panel closes and another opens, the
 * closing one's frame may still match for a moment, and acting on it would act on a page going away.
 */
async function findFrame(page: Page, target: FrameTarget, timeoutMs: number): Promise<Frame> {
  if (target === 'workbench') return page.mainFrame();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const holding: Frame[] = [];
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      // Passed as text: the tests are type-checked without the DOM library.
      const found = await frame.evaluate<boolean>(`!!document.querySelector(${JSON.stringify(target.selector)})`).catch(() => false);
      if (found) holding.push(frame);
    }
    if (holding.length === 1) return holding[0];
    if (Date.now() > deadline) throw new Error(holding.length ? `${holding.length} frames hold ${target.selector}` : `no frame holds ${target.selector}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** axe-core's source, read once from the development dependency: injected by the harness, never shipped. */
let axeSource: string | undefined;
function readAxe(): string {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** One axe-core violation as the tests report it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core on the frame's document. Evaluated through the debugging protocol, so the page's
 * content security policy, which rightly refuses any script without the panel's nonce, does not apply.
 */
async function runAxe(frame: Frame): Promise<AxeViolation[]> {
  const present = await frame.evaluate<boolean>('typeof window.axe === "object"');
  if (!present) await frame.evaluate(`${readAxe()}\n;true`);
  return frame.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary ?? '').slice(0, 400) })),
  })))`);
}

export async function startDriver(opts: {
  getPage: () => Page | undefined;
  resultsDir: string;
  log: (s: string) => void;
}): Promise<Driver> {
  const shotsDir = path.join(opts.resultsDir, 'screenshots');

  async function handle(route: string, body: DriverRequest): Promise<unknown> {
    const page = opts.getPage();
    if (!page) throw new Error('the workbench page is not open yet');
    const timeoutMs = body.timeoutMs ?? 10_000;
    switch (route) {
      case '/screenshot': {
        const name = (body.name ?? 'screenshot').replace(/[^\w.-]+/g, '-');
        fs.mkdirSync(shotsDir, { recursive: true });
        const file = path.join(shotsDir, `${name}.png`);
        await page.screenshot({ path: file });
        return { path: file };
      }
      case '/evaluate': {
        const frame = await findFrame(page, body.frame ?? 'workbench', timeoutMs);
        return { value: await frame.evaluate(body.expression ?? 'undefined') };
      }
      case '/click': {
        const frame = await findFrame(page, body.frame ?? 'workbench', timeoutMs);
        await frame.click(body.selector ?? 'body', { timeout: timeoutMs });
        return {};
      }
      case '/hover': {
        const frame = await findFrame(page, body.frame ?? 'workbench', timeoutMs);
        await frame.hover(body.selector ?? 'body', { timeout: timeoutMs });
        return {};
      }
      case '/axe': {
        const frame = await findFrame(page, body.frame ?? 'workbench', timeoutMs);
        return { violations: await runAxe(frame) };
      }
      case '/press': {
        await page.keyboard.press(body.key ?? 'Escape');
        return {};
      }
      default:
        throw new Error(`unknown driver route ${route}`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: DriverRequest = {};
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as DriverRequest) : {};
      } catch {
        /* empty body */
      }
      handle(req.url ?? '/', body).then(
        (result) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(result ?? {}));
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

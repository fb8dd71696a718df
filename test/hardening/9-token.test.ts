/**
 * The sentinel token of this run of the suite, looked for everywhere it must not be once everything else
 * has run in this window: the output channel, VS Code's logs, settings and storage on disk, the browser's
 * storage (secret storage aside), every webview's DOM, the workbench (notifications included), copied curl
 * commands. A server that echoes the token back is part of the attack; media in a run's output pointing
 * at other servers must be fetched without it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { evaluate, saveScreenshot } from '../integration/support/driver';
import { waitFor } from '../integration/support/wait';
import {
  allNotifications,
  extensionLog,
  listFiles,
  openPanel,
  panelBanner,
  panelFrame,
  SENTINEL,
  serverDataDir,
  tokenOutsideAuthorization,
  viewText,
  waitForLog,
  withHarness,
} from './support/harness';
import { record } from './support/ledger';
import { describeRejections, rejectionMark, unhandledSince } from './support/rejections';

interface MediaServer {
  url: string;
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function serveMedia(png: Buffer, tls?: { key: Buffer; cert: Buffer }): Promise<MediaServer> {
  const requests: MediaServer['requests'] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push({ path: req.url ?? '', headers: { ...req.headers } });
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length), 'access-control-allow-origin': '*' });
    res.end(png);
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A self-signed certificate for 127.0.0.1, made with openssl; undefined where there is no openssl. */
function makeCertificate(): { key: Buffer; cert: Buffer } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every frame's document in the workbench page (webviews are nested frames of the same origin here). */
const ALL_FRAMES_HTML = `(() => {
  const out = [];
  const walk = (w, where) => {
    try { out.push({ where, html: w.document.documentElement.outerHTML, text: w.document.body ? w.document.body.innerText : '' }); } catch (e) { out.push({ where, html: '', text: '', error: String(e) }); }
    for (let i = 0; i < w.frames.length; i++) walk(w.frames[i], where + '/' + i);
  };
  walk(window, 'workbench');
  return out;
})()`;

/**
 * Where each needle sits in the browser's IndexedDB, localStorage and sessionStorage (keys or values):
 * `hits[i]` lists the places of `needles[i]`.
 */
function browserStorageHits(needles: string[]): string {
  return `(async () => {
    const needles = ${JSON.stringify(needles)};
    const hits = needles.map(() => []);
    const look = (where, text) => needles.forEach((n, i) => { if (text.includes(n)) hits[i].push(where); });
    const asText = (v) => {
      if (typeof v === 'string') return v;
      if (v instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(v));
      if (ArrayBuffer.isView(v)) return new TextDecoder().decode(v);
      try { return JSON.stringify(v) ?? ''; } catch { return String(v); }
    };
    const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    let stores = 0;
    for (const { name } of await indexedDB.databases()) {
      const db = await req(indexedDB.open(name));
      for (const storeName of db.objectStoreNames) {
        stores++;
        const os = db.transaction(storeName, 'readonly').objectStore(storeName);
        const [keys, values] = await Promise.all([req(os.getAllKeys()), req(os.getAll())]);
        keys.forEach((k, i) => look('indexedDB ' + name + '/' + storeName + ': ' + asText(k).slice(0, 160), asText(k) + asText(values[i])));
      }
      db.close();
    }
    for (const [label, storage] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
      for (let i = 0; i < storage.length; i++) {
        const k = storage.key(i);
        look(label + ': ' + k.slice(0, 160), k + storage.getItem(k));
      }
    }
    return JSON.stringify({ hits, stores });
  })()`;
}

describe('The token', function () {
  this.timeout(240_000);
  const harness = withHarness();

  it('is not sent to media servers: previews load without an Authorization header', async () => {
    const { emu, api } = harness();
    const png = Buffer.from(await (await fetch(`${emu.url}/files/preview.png`)).arrayBuffer());
    const cert = process.env.RUNFLOW_TEST_IGNORE_HTTPS_ERRORS ? makeCertificate() : undefined;
    const plain = await serveMedia(png);
    const secure = cert ? await serveMedia(png, cert) : undefined;
    try {
      const urls = {
        api: `${emu.url}/files/same-origin-${Date.now()}.png`,
        secure: secure ? `${secure.url}/media/secure.png` : undefined,
        plain: `${plain.url}/media/plain.png`,
      };
      const run = emu.insertRun({
        status_code: 'succeeded',
        created_at: new Date().toISOString(),
        output: { images: [urls.api, ...(urls.secure ? [urls.secure] : []), urls.plain] },
      });
      await waitFor('the run in the view', () => api.store.get(run.id!) ?? api.store.reload(run.id!), 30_000);
      emu.resetRequests();
      await openPanel(api, run.id!);
      const frame = panelFrame(run.id!);
      const state = await waitFor('the previews', () =>
        evaluate<Record<string, string> | undefined>(frame, `(() => {
          const s = document.querySelector('[data-section="previews"]');
          s?.scrollIntoView();
          const cards = [...(s?.querySelectorAll('[data-testid="preview"]') ?? [])];
          const out = {};
          for (const c of cards) {
            const img = c.querySelector('img');
            const url = c.querySelector('.preview-path')?.getAttribute('title') ?? '';
            out[img?.src ?? c.innerText.slice(0, 200)] = c.getAttribute('data-loaded') === 'true' ? (img && img.complete && img.naturalWidth > 0 ? 'loaded' : 'loading') : c.getAttribute('data-loaded');
          }
          const done = Object.values(out).every(v => v !== 'loading');
          return cards.length === ${urls.secure ? 3 : 2} && done ? out : undefined;
        })()`),
      30_000);
      await saveScreenshot('hardening-token-media-previews');
      assert.equal(state[urls.api], 'loaded', `the API origin's image is previewed: ${JSON.stringify(state)}`);
      if (urls.secure) assert.equal(state[urls.secure], 'loaded', `the https image is previewed: ${JSON.stringify(state)}`);
      const files = emu.requests({ path: '^/files/' });
      assert.ok(files.length >= 1, 'the API origin served the preview');
      assert.deepEqual(files.filter((r) => r.headers.authorization !== undefined).map((r) => r.path), [], 'no Authorization header on the API origin media request');
      if (secure) {
        assert.ok(secure.requests.length >= 1, 'the https media server was asked for the preview');
        assert.deepEqual(secure.requests.filter((r) => r.headers.authorization !== undefined || JSON.stringify(r.headers).includes(SENTINEL)), [], 'no Authorization header, no token on the https media server');
      }
      // A plain-http origin other than the API's is not previewed (only offered as a link), so it hears nothing.
      assert.deepEqual(plain.requests.filter((r) => r.headers.authorization !== undefined || JSON.stringify(r.headers).includes(SENTINEL)), [], 'no token on the plain-http server');
      assert.equal(plain.requests.length, 0, 'a plain-http origin other than the API is not loaded');
      record({
        area: 'Token',
        attack: 'Media URLs in a run output',
        tried: `a run whose output holds an image on the API origin, ${secure ? 'one on a second local https server (certificate made on the spot)' : '(no https server: openssl or the browser setting is missing)'} and one on a plain-http server; its panel opened and the previews scrolled into view`,
        observed: `API-origin preview loaded (${files.length} request, no Authorization)${secure ? `; https preview loaded (${secure.requests.length} request, no Authorization, no token in any header)` : ''}; plain-http origin not loaded (offered as a link), ${plain.requests.length} requests`,
      });
    } finally {
      await plain.close();
      await secure?.close();
    }
  });

  it('appears nowhere but in the Authorization headers the emulator received, even when a server echoes it', async () => {
    const { emu, api } = harness();
    const mark = rejectionMark();
    const echo = JSON.stringify({ detail: `token ${SENTINEL} rejected; you sent Authorization: Bearer ${SENTINEL}`, request_id: SENTINEL });

    // A server that puts the token into its answers: in the view's refresh, the panel's poll and a command's error.
    const running = api.store.all().find((r) => r.status_code === 'running') ?? api.store.all()[0];
    await openPanel(api, running.id!);
    emu.addFault({ method: 'GET', path: '^/v1/runs$', status: 503, body: echo, count: -1 });
    emu.addFault({ method: 'GET', path: `^/v1/runs/${running.id}$`, status: 500, body: echo, count: -1 });
    emu.addFault({ method: 'GET', path: '^/v1/runs/no-such-run$', status: 404, body: echo, count: -1 });
    await vscode.commands.executeCommand('runflow.refresh');
    const viewSays = await waitFor('the view to show the failure', async () => {
      const t = await viewText();
      return /The Runflow API failed/.test(t) ? t : undefined;
    }, 60_000);
    const bannerSays = await waitFor('the panel to show the failure', async () => {
      const t = await panelBanner(running.id!);
      return /500/.test(t) ? t : undefined;
    }, 60_000);
    await vscode.commands.executeCommand('runflow.openRun', 'no-such-run');
    const notifications = await waitFor('the error notification', async () => {
      const t = await allNotifications();
      return /404 not found/.test(t) ? t : undefined;
    }, 30_000);
    await vscode.commands.executeCommand('notifications.showList');
    // The frames are scanned below with the centre open: it must be drawn, with the echoed error in it.
    await waitFor('the notification centre drawn with the 404', () =>
      evaluate<boolean>('workbench', `(() => { const c = document.querySelector('.notifications-center'); return !!c && c.offsetParent !== null && /404 not found/.test(c.innerText); })()`),
    );
    await saveScreenshot('hardening-token-echo');
    emu.clearFaults();

    // A copied curl command.
    await vscode.commands.executeCommand('runflow.copyCurl', running.id);
    const curl = await vscode.env.clipboard.readText();
    assert.match(curl, /\$RUNFLOW_TOKEN/, 'the curl command names the variable');

    const places: { place: string; found: boolean; detail?: string }[] = [];
    const check = (place: string, text: string, detail?: string) => places.push({ place, found: text.includes(SENTINEL), detail });
    check('notifications shown (notification centre)', notifications);
    check('copied curl command (clipboard)', curl);
    // The view and the banner as they were while the echoing server answered, and as they are now.
    check('the Runs view while the server echoed the token', viewSays);
    check('the panel banner while the server echoed the token', bannerSays);
    check('the Runs view as shown', await viewText());
    check('the panel banner as shown', await panelBanner(running.id!));

    const frames = await evaluate<{ where: string; html: string; text: string; error?: string }[]>('workbench', ALL_FRAMES_HTML, 30_000);
    const webviews = frames.filter((f) => f.html.includes('data-runflow-view') || /id="app"/.test(f.html));
    assert.ok(webviews.length >= 1, 'the run panels were reached');
    for (const f of frames) check(`DOM of ${f.where}`, f.html + f.text, f.error);
    await vscode.commands.executeCommand('notifications.hideList');

    // The output channel reaches its file on disk some time after a line is written.
    await waitForLog(/\[redacted\]/, 0, 30_000);
    const log = extensionLog();
    assert.ok(log.length > 0, 'the extension log was found on disk');
    assert.match(log, /\[redacted\]/, 'the echoed token was scrubbed where the server text was logged');
    check('the Runflow output channel', log);

    // Everything VS Code wrote on disk: logs, settings, global and workspace storage, caches.
    const dataDir = serverDataDir();
    assert.ok(dataDir && fs.existsSync(dataDir), 'the VS Code data folder is known');
    const files = listFiles(dataDir);
    const settings = files.find((f) => f.endsWith(`${path.sep}User${path.sep}settings.json`));
    assert.ok(settings && fs.readFileSync(settings, 'utf8').includes(emu.url), 'the scan reads the settings the suite wrote');
    for (const f of files) check(`file ${path.relative(dataDir, f)}`, fs.readFileSync(f).toString('latin1'));
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const workspaceFiles = workspace ? listFiles(workspace) : [];
    for (const f of workspaceFiles) check(`workspace file ${path.relative(workspace!, f)}`, fs.readFileSync(f).toString('latin1'));

    // The control: the workbench keeps the Runflow view container in its own state, so the scan must find that.
    const control = 'workbench.view.extension.runflow';
    const storage = JSON.parse(await evaluate<string>('workbench', browserStorageHits([SENTINEL, control]), 30_000)) as { hits: string[][]; stores: number };
    assert.ok(storage.hits[1].length > 0, `the storage scan finds what the workbench stored (${control})`);
    const secretStorage = storage.hits[0].filter((hit) => /: secret:\/\//.test(hit));
    for (const hit of storage.hits[0].filter((x) => !secretStorage.includes(x))) places.push({ place: `browser ${hit}`, found: true });

    // An exported run, from a server that put the token into the run and its log (after the scans above, which
    // would rightly find it in the Runs view).
    const echoed = emu.insertRun({ status_code: 'failed', created_at: '2020-01-01T00:00:00Z', failure_message: echo, metadata: { request_id: SENTINEL } });
    emu.appendLogs(echoed.id!, [{ level_code: 'error', message: echo }]);
    const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runflow-export-'));
    await vscode.commands.executeCommand('runflow.exportRun', echoed.id, vscode.Uri.file(path.join(exportDir, 'run.runflow-run.json')));
    const exported = fs.readFileSync(path.join(exportDir, 'run.runflow-run.json'), 'utf8');
    fs.rmSync(exportDir, { recursive: true, force: true });
    assert.match(exported, /\[redacted\]/, 'the export keeps the echoed values, the token replaced');
    check('a run exported from a server that echoes the token in its fields and log', exported);

    const misplaced = tokenOutsideAuthorization(emu);
    const authorized = emu.requests({ path: '^/v1/' }).filter((r) => r.headers.authorization === `Bearer ${SENTINEL}`).length;

    const leaks = places.filter((p) => p.found);
    assert.deepEqual(leaks.map((l) => l.place), [], 'the token appears in none of these');
    assert.deepEqual(misplaced, [], 'the token reached the API only in the Authorization header');
    assert.ok(authorized > 0, 'the API requests carried the token');
    const unhandled = await unhandledSince(mark);
    assert.equal(unhandled.length, 0, describeRejections(unhandled));
    record({
      area: 'Token',
      attack: 'Sentinel token, echoed back by the server',
      tried: `the suite ran with one sentinel token; the server echoed it (raw and as "Bearer …", and as the request id) in the errors of the view's refresh (503), the panel's poll (500) and a command (404); a curl command was copied; a run whose fields and log echo it was exported; then every place was scanned`,
      observed: `absent from ${places.length} places: notifications, clipboard, the view, the panel banner, ${frames.length} frame DOMs (${webviews.length} webviews), the output channel (echo shown as [redacted]), ${files.length} files of VS Code's data folder (logs, settings, global/workspace storage) and ${workspaceFiles.length} of the workspace, ${storage.stores} IndexedDB stores + local/session storage (${storage.hits[1].length} entries of the workbench's own state found by the same scan; the token ${secretStorage.length ? `only under secret:// keys (${secretStorage.length})` : 'in none'}); ${authorized} API requests carried it, only in Authorization`,
    });
  });
});

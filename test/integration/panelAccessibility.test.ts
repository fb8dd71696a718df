/**
 * The run panel measured by axe-core in the real browser: a failed run, a succeeded run with previews and
 * a 100,000-line log, each in the four themes VS Code ships by default. The summary (violations by rule
 * and impact) is printed and written to test-results/a11y-summary.txt; any serious or critical one fails.
 *
 * Registered for the default emulator only: the panel draws the same page from either emulator, and twelve
 * audits are worth running once.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator';
import type { TestApi } from '../../src/extension';
import { axeViolations, evaluate, hasBrowser, saveScreenshot, type AxeViolation } from './support/driver';
import { emulatorStrictMode } from './support/emulatorMode';
import { showRunsView, signedIn, startFixture, stopFixture } from './support/fixture';
import { panelOf } from './support/panelLog';
import { PANEL_THEMES, restoreTheme, useTheme } from './support/themes';
import { waitFor } from './support/wait';

interface Audit {
  panel: string;
  theme: string;
  violations: AxeViolation[];
  /** How long the switch to the theme and the audit took. */
  ms: number;
}

const BLOCKING = ['serious', 'critical'];
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'];

/** Counts by impact and by rule, then each audit's own counts: what the run's summary shows. */
function auditSummary(audits: Audit[]): string {
  const byImpact = new Map<string, number>(IMPACTS.map((i) => [i, 0]));
  const byRule = new Map<string, { impact: string; audits: number; nodes: number }>();
  for (const a of audits) {
    for (const v of a.violations) {
      const impact = v.impact ?? 'unknown';
      byImpact.set(impact, (byImpact.get(impact) ?? 0) + 1);
      const rule = byRule.get(v.id) ?? { impact, audits: 0, nodes: 0 };
      rule.audits++;
      rule.nodes += v.nodes.length;
      byRule.set(v.id, rule);
    }
  }
  const lines = [
    `Panel accessibility audit (axe-core ${axeVersion()}): ${audits.length} audits (${new Set(audits.map((a) => a.panel)).size} panels × ${new Set(audits.map((a) => a.theme)).size} themes)`,
    `violations by impact (one per rule and audit): ${[...byImpact].map(([i, n]) => `${i} ${n}`).join(', ')}`,
    'violations by rule:',
    ...(byRule.size === 0 ? ['  none'] : [...byRule].sort((a, b) => IMPACTS.indexOf(a[1].impact) - IMPACTS.indexOf(b[1].impact) || a[0].localeCompare(b[0])).map(([id, r]) => `  ${id} (${r.impact}): in ${r.audits} of ${audits.length} audits, ${r.nodes} elements`)),
    'by audit:',
    ...audits.map((a) => {
      const counts = IMPACTS.map((i) => [i, a.violations.filter((v) => v.impact === i).length] as const).filter(([, n]) => n > 0);
      return `  ${a.panel} · ${a.theme}: ${counts.length ? counts.map(([i, n]) => `${i} ${n}`).join(', ') : 'no violations'}${a.violations.length ? ` (${a.violations.map((v) => v.id).join(', ')})` : ''} [${(a.ms / 1000).toFixed(1)} s]`;
    }),
  ];
  return lines.join('\n');
}

function axeVersion(): string {
  const root = process.env.RUNFLOW_TEST_ROOT;
  try {
    return (JSON.parse(fs.readFileSync(path.join(root ?? '.', 'node_modules', 'axe-core', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown version';
  }
}

if (!emulatorStrictMode()) {
  describe('Run panel accessibility audit', function () {
    this.timeout(300_000);
    let emu: Emulator;
    let api: TestApi;
    const audits: Audit[] = [];

    before(async function () {
      if (!hasBrowser()) this.skip();
      ({ emu, api } = await startFixture({ bigLogLines: 100_000 }));
      await showRunsView();
      await signedIn(api, emu);
      // The theme pictures show the panel, not notices other suites left behind.
      await vscode.commands.executeCommand('notifications.hideList');
      await vscode.commands.executeCommand('notifications.clearAll');
    });
    after(async () => {
      for (const id of api?.panels.openRunIds ?? []) api.panels.panel(id)?.dispose();
      await restoreTheme();
      await stopFixture(emu, api);
      if (audits.length === 0) return;
      const summary = auditSummary(audits);
      console.log(summary);
      const dir = process.env.RUNFLOW_TEST_RESULTS_DIR;
      if (dir) {
        fs.writeFileSync(path.join(dir, 'a11y-summary.txt'), `${summary}\n`);
        fs.writeFileSync(path.join(dir, 'a11y-audit.json'), JSON.stringify(audits, null, 2));
      }
    });

    /** Opens the panel, waits for what it must show, then audits it in each theme. */
    async function auditPanel(panel: string, runId: string, shown: string, opts: { section?: 'logs' } = {}): Promise<void> {
      for (const id of api.panels.openRunIds) api.panels.panel(id)?.dispose();
      api.panels.open(runId, opts.section);
      const frame = panelOf(runId);
      await waitFor(`the ${panel} panel to show what it is audited for`, () => evaluate<boolean>(frame, shown), 60_000);
      for (const theme of PANEL_THEMES) {
        const started = Date.now();
        await useTheme(theme, frame);
        const violations = await axeViolations(frame, 20_000);
        audits.push({ panel, theme: theme.label, violations, ms: Date.now() - started });
        await saveScreenshot(`a11y-${panel.replace(/\W+/g, '-')}-${theme.slug}`);
      }
    }

    function assertNoneBlocking(panel: string): void {
      const blocking = audits
        .filter((a) => a.panel === panel)
        .flatMap((a) => a.violations.filter((v) => BLOCKING.includes(v.impact ?? '')).map((v) => `${a.theme}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target).slice(0, 3).join(' | ')}`));
      assert.deepEqual(blocking, [], `serious or critical violations in the ${panel} panel`);
    }

    it('finds no serious or critical violation in a failed run', async () => {
      const page = await api.connection.client.searchRuns({ limit: 500, sort_by: 'created_at:desc' });
      const failed = page.items.find((r) => r.status_code === 'failed' && r.failure_message);
      assert.ok(failed?.id, 'a failed run with a message');
      await auditPanel('failed run', failed.id, `!!document.querySelector('[data-section="failure"]') && !!document.querySelector('[data-testid="log-viewport"][data-ready="true"]')`);
      assertNoneBlocking('failed run');
    });

    it('finds no serious or critical violation in a succeeded run with previews', async () => {
      const page = await api.connection.client.searchRuns({ limit: 500, sort_by: 'created_at:desc', embed: ['model'] });
      const withImage = page.items.find((r) => r.status_code === 'succeeded' && r.model?.slug?.includes('sdxl') && JSON.stringify(r.output ?? {}).includes('.png'));
      assert.ok(withImage?.id, 'a succeeded image run');
      await auditPanel(
        'succeeded run',
        withImage.id,
        `(() => { const s = document.querySelector('[data-section="previews"]'); s?.scrollIntoView(); return [...(s?.querySelectorAll('img') ?? [])].some(i => i.complete && i.naturalWidth > 0); })()`,
      );
      assertNoneBlocking('succeeded run');
    });

    it('finds no serious or critical violation in a 100,000-line log', async () => {
      const runId = emu.bigLogRunId!;
      await auditPanel(
        '100,000-line log',
        runId,
        `Number(document.querySelector('[data-testid="log-viewport"]')?.getAttribute('data-total') ?? 0) >= 100000 && document.querySelectorAll('[data-testid="log-row"]:not(.pending)').length > 0`,
        { section: 'logs' },
      );
      assertNoneBlocking('100,000-line log');
    });
  });
}

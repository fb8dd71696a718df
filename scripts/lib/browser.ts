/** The browser the scripts drive: Debian's Chromium unless RUNFLOW_CHROMIUM names another one. */
export { CHROMIUM_ARGS } from '../../test/host/headless';

export function chromiumPath(): string {
  return process.env.RUNFLOW_CHROMIUM ?? '/usr/bin/chromium';
}

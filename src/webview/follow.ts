/**
 * Follow mode of the log: while the option is on and the user is at the bottom, new lines keep the
 * newest line in view. Scrolling up pauses it (without turning the option off); scrolling back to
 * the bottom, or "Jump to latest", resumes it. Pure state, driven by the log view.
 */
export class FollowState {
  private atBottom = true;

  constructor(private enabled: boolean) {}

  get option(): boolean {
    return this.enabled;
  }

  /** New lines should pull the view to the bottom. */
  get following(): boolean {
    return this.enabled && this.atBottom;
  }

  /** The option is on but the user scrolled away from the newest line. */
  get paused(): boolean {
    return this.enabled && !this.atBottom;
  }

  get isAtBottom(): boolean {
    return this.atBottom;
  }

  /** After every scroll (the user's or ours): where the view is now decides. */
  onScroll(atBottom: boolean): void {
    this.atBottom = atBottom;
  }

  /** Turning the option on jumps to the newest line; returns whether the view should move there. */
  setOption(enabled: boolean): boolean {
    this.enabled = enabled;
    if (enabled) this.atBottom = true;
    return enabled;
  }

  /** "Jump to latest": back to the bottom, following again if the option is on. */
  jumpToLatest(): void {
    this.atBottom = true;
  }

  /** Whether to offer "Jump to latest": away from the bottom while following or while lines still arrive. */
  showJump(live: boolean, total: number): boolean {
    return total > 0 && !this.atBottom && (this.enabled || live);
  }
}

/**
 * Whether a panel's log follows new lines. The stored option is about runs that may still write lines
 * (`runLive`, undefined until the run is known); a finished log has nothing to follow unless the user
 * turns Follow on in that panel (`override`), which is never stored for the runs to come.
 */
export function followsLog(option: boolean, runLive: boolean | undefined, override: boolean | undefined): boolean {
  return override ?? (option && runLive !== false);
}

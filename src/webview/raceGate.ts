/**
 * Holds back requests for lines while the user races through the log list. A scrollbar drag passes
 * thousands of lines a frame: asking for every screen it passes filled the page's, the workbench's and
 * the extension's time with answers nobody saw, and made the frames of the drag long. Lines are asked for
 * once the list has held still for `settleMs`; `onSettled` then asks for a frame that requests them.
 */
export class RaceGate {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastPosition = 0;

  constructor(
    private readonly settleMs: number,
    private readonly onSettled: () => void,
  ) {}

  /**
   * Whether lines may be asked for in the frame that shows `position`: not when it moved more than two
   * screens (`visibleRows` each) since the last frame, and then once more after the race pauses.
   */
  open(position: number, visibleRows: number): boolean {
    const racing = Math.abs(position - this.lastPosition) > visibleRows * 2;
    this.lastPosition = position;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!racing) return true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onSettled();
    }, this.settleMs);
    return false;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

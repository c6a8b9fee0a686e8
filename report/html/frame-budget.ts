/**
 * A cap on stack frames written into one page. A report may hold 20 000 threads of up to
 * 512 frames; written out in full that is hundreds of megabytes of HTML. Groups spend the
 * budget first (they are what people read), then threads in report order; a stack past the
 * cap is replaced by a pointer to its group and to the JSON report, which has everything.
 */
export const MAX_FRAMES_PER_PAGE = 60_000;

export class FrameBudget {
  #left: number;

  constructor(limit: number = MAX_FRAMES_PER_PAGE) {
    this.#left = limit;
  }

  /** Spends `frames` when they fit and says whether they did. */
  take(frames: number): boolean {
    if (frames > this.#left) return false;
    this.#left -= frames;
    return true;
  }
}

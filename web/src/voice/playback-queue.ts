// The playback worklet's queue of assistant audio: chunks tagged with the model's item id, played
// in order, with the samples actually played counted per item. The counts are what the server
// truncates the model's memory to on a barge-in, so they come from what went to the speakers, not
// from what arrived.

/** Played reports how many samples of an item reached the output, when it finished or was cut. */
export interface Played {
  itemId: string;
  samples: number;
}

interface Chunk {
  itemId: string;
  data: Float32Array;
  offset: number;
}

export class PlaybackQueue {
  private chunks: Chunk[] = [];
  private readonly counts = new Map<string, number>();
  /** ended holds the items whose audio_done came. */
  private readonly ended = new Set<string>();
  /** closed holds the items already reported (finished or cut): their late audio is dropped. */
  private readonly closed = new Set<string>();
  /** current is the item last played from and not reported yet. */
  private current: string | null = null;
  private latest: string | null = null;

  /** lastItem is the item the latest output sample came from (null after a flush). */
  get lastItem(): string | null {
    return this.latest;
  }

  /** playing is true while there is audio to output. */
  get playing(): boolean {
    return this.chunks.length > 0;
  }

  /** played is how many samples of itemId reached the output so far. */
  played(itemId: string): number {
    return this.counts.get(itemId) ?? 0;
  }

  push(itemId: string, data: Float32Array): void {
    if (this.closed.has(itemId) || data.length === 0) return;
    this.chunks.push({ itemId, data, offset: 0 });
  }

  /** end marks an item's audio complete; it returns the item's report if it has played out already. */
  end(itemId: string): Played[] {
    this.ended.add(itemId);
    return this.finished(itemId);
  }

  /** render fills out with the next samples (silence past the queue) and returns the items that finished. */
  render(out: Float32Array): Played[] {
    let k = 0;
    const reports: Played[] = [];
    while (k < out.length && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const n = Math.min(out.length - k, c.data.length - c.offset);
      out.set(c.data.subarray(c.offset, c.offset + n), k);
      k += n;
      c.offset += n;
      this.current = c.itemId;
      this.latest = c.itemId;
      this.counts.set(c.itemId, this.played(c.itemId) + n);
      if (c.offset === c.data.length) {
        this.chunks.shift();
        reports.push(...this.finished(c.itemId));
      }
    }
    out.fill(0, k);
    return reports;
  }

  /**
   * flush drops everything queued (the user talked over it) and returns the report of the item
   * that was cut, or null when nothing was playing.
   */
  flush(): Played | null {
    const cut = this.chunks[0]?.itemId ?? this.current;
    for (const c of this.chunks) this.closed.add(c.itemId);
    this.chunks = [];
    this.current = null;
    this.latest = null;
    if (cut === null) return null;
    this.closed.add(cut);
    return { itemId: cut, samples: this.played(cut) };
  }

  private finished(itemId: string): Played[] {
    if (!this.ended.has(itemId) || this.closed.has(itemId) || this.chunks.some((c) => c.itemId === itemId)) return [];
    if (!this.counts.has(itemId)) return []; // no audio of it ever played: nothing to report
    this.closed.add(itemId);
    if (this.current === itemId) this.current = null;
    return [{ itemId, samples: this.played(itemId) }];
  }
}

/**
 * The items ticked in a multi-select quick pick, kept here because VS Code's own selection does
 * not survive a new list. Each list we send (with the ticked items selected) is reported back once
 * the window has shown it: an empty selection as the list is replaced, then the selection we sent.
 * On a busy machine those reports arrive late, after a tick the user made meanwhile; they are
 * recognised and ignored, so that only the user's own changes count.
 */
export class TickedItems<T> {
  private readonly ticked = new Map<string, T>();
  /** The selections sent with lists that have not been reported back yet, oldest first. */
  private readonly unreported: Set<string>[] = [];

  constructor(private readonly keyOf: (item: T) => string) {}

  /** In the order they were ticked, which is also the order they are shown in. */
  get items(): T[] {
    return [...this.ticked.values()];
  }

  has(key: string): boolean {
    return this.ticked.has(key);
  }

  /** The selection to send with a new list: every ticked item. */
  send(): T[] {
    const items = this.items;
    if (items.length > 0) this.unreported.push(new Set(this.ticked.keys()));
    return items;
  }

  /**
   * A selection VS Code reported: the echo of one we sent, or the user's change. True when the
   * window now shows a selection older than the user's last change: the list must be sent again.
   */
  reported(selection: readonly T[]): boolean {
    const keys = new Set(selection.map(this.keyOf));
    const same = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((key) => b.has(key));
    if (keys.size === 0 && this.unreported.length > 0) return false;
    const echo = this.unreported.findIndex((sent) => same(sent, keys));
    if (echo >= 0) {
      // The window shows lists in the order sent: the older ones are behind it too.
      this.unreported.splice(0, echo + 1);
      return !same(keys, new Set(this.ticked.keys()));
    }
    for (const key of this.ticked.keys()) if (!keys.has(key)) this.ticked.delete(key);
    for (const item of selection) if (!this.ticked.has(this.keyOf(item))) this.ticked.set(this.keyOf(item), item);
    return false;
  }

  /** After the items changed underneath (a library reload): each ticked item as it is now, or dropped when gone. */
  update(current: (key: string) => T | undefined): void {
    const keys = [...this.ticked.keys()];
    this.ticked.clear();
    for (const item of keys.map(current)) if (item !== undefined) this.ticked.set(this.keyOf(item), item);
  }
}

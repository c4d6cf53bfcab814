/**
 * Messages to a webview page wait until the page says it is ready (its script has loaded and listens):
 * posted earlier, VS Code would drop them. Only the latest one is kept, since each message carries the
 * whole state to show. Shared by the graph preview and the timeline.
 */

export class PageMailbox<Message> {
  private ready = false;
  private pending: Message | undefined;

  constructor(private readonly post: (message: Message) => void) {}

  /** Post now if the page is ready; else keep it (replacing any message kept before). */
  send(message: Message): void {
    if (this.ready) {
      this.post(message);
    } else {
      this.pending = message;
    }
  }

  /** The page said `ready`: post what was kept, and from now on post at once. */
  opened(): void {
    this.ready = true;
    if (this.pending !== undefined) {
      const message = this.pending;
      this.pending = undefined;
      this.post(message);
    }
  }
}

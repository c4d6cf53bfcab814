/** PageMailbox: what reaches a webview page before and after it says it is ready. */

import * as assert from 'node:assert/strict';
import { PageMailbox } from '../../src/pageMailbox';

describe('PageMailbox', () => {
  it('keeps only the latest message until the page is ready, then posts at once', () => {
    const posted: string[] = [];
    const mailbox = new PageMailbox<string>((message) => posted.push(message));
    mailbox.send('first');
    mailbox.send('second');
    assert.deepEqual(posted, []);
    mailbox.opened();
    assert.deepEqual(posted, ['second']);
    mailbox.send('third');
    assert.deepEqual(posted, ['second', 'third']);
  });

  it('posts nothing when the page opens with nothing kept', () => {
    const posted: string[] = [];
    const mailbox = new PageMailbox<string>((message) => posted.push(message));
    mailbox.opened();
    mailbox.opened();
    assert.deepEqual(posted, []);
  });
});

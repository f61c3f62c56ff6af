import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importSource } from '../../src/core/sources';
import { answerRequest, LIBRARY_WORKER, type WorkerProtocol } from '../../src/core/workerRpc';
import { inWorkerOrHere, WorkerClient } from '../../src/services/workerClient';

const dist = path.join(__dirname, '..', '..', 'dist');

/** A library file with what a hostile or careless export holds. */
const HOSTILE_BIB = `@article{__proto__,
  author = {Bickford, Mark and Constable, Robert L.},
  title  = {[Click me](command:x) <img src=x onerror=alert(1)> *x*},
  year   = {2020}
}
@article{broken,
  title = {Never closed
`;

describe('worker messages (both ends of a protocol)', () => {
  it('answers with the id of the request, the reply and the buffers to move', () => {
    const buffer = new ArrayBuffer(8);
    const answered = answerRequest({ id: 7, request: 'ping' }, (request: string) => ({ reply: `${request}!`, transfer: [buffer] }));
    assert.deepEqual(answered, { message: { id: 7, reply: 'ping!' }, transfer: [buffer] });
  });

  it('answers an error with its text, for the same id', () => {
    const answered = answerRequest({ id: 3, request: 0 }, () => {
      throw new TypeError('no such thing');
    });
    assert.deepEqual(answered, { message: { id: 3, error: 'no such thing' }, transfer: [] });
    assert.deepEqual(answerRequest({ id: 4, request: 0 }, () => {
      throw 'a bare string';
    }).message, { id: 4, error: 'a bare string' });
  });
});

/** A folder holding one worker bundle written here, of `source`. */
function workerFolder(file: string, source: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'litnotes-worker-'));
  fs.writeFileSync(path.join(folder, file), source);
  return folder;
}

const DYING: WorkerProtocol<string, string> = { name: 'the test worker', file: 'dying.js', session: false };
const DYING_SESSION: WorkerProtocol<string, string> = { ...DYING, session: true };
/** Answers "again" with its own thread id and dies on "die". */
const DYING_SOURCE = `const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, request }) => {
  if (request === 'die') process.exit(3);
  parentPort.postMessage({ id, reply: request + ' from ' + threadId });
});
`;

describe('worker client', function () {
  const folders: string[] = [];
  after(() => folders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));
  const folder = () => {
    const made = workerFolder(DYING.file, DYING_SOURCE);
    folders.push(made);
    return made;
  };

  describe('with the library worker', function () {
    before(function () {
      // `npm test` builds first; a bare mocha run without a build has no worker to start.
      if (!fs.existsSync(path.join(dist, LIBRARY_WORKER.file))) this.skip();
    });

    it('parses what this thread would, hostile text and broken entries included', async () => {
      const client = new WorkerClient(LIBRARY_WORKER, dist);
      try {
        const parsed = await client.call({ kind: 'bibtex', text: HOSTILE_BIB });
        assert.deepEqual(parsed, importSource('bibtex', HOSTILE_BIB));
        assert.equal(parsed.papers[0].paper.title, '[Click me](command:x) <img src=x onerror=alert(1)> *x*');
        assert.ok(parsed.problems.some((problem) => problem.severity === 'error'));
      } finally {
        client.dispose();
      }
    });

    it('gives each of several calls at once its own answer', async () => {
      const client = new WorkerClient(LIBRARY_WORKER, dist);
      try {
        const texts = Array.from({ length: 5 }, (_, k) => `@misc{key${k}, title = {Paper ${k}}, year = {200${k}}}`);
        const answers = await Promise.all(texts.map((text) => client.call({ kind: 'bibtex', text })));
        assert.deepEqual(answers.map((parsed) => parsed.papers.map((entry) => entry.paper.key)), [['key0'], ['key1'], ['key2'], ['key3'], ['key4']]);
        assert.equal(client.pending, 0);
      } finally {
        client.dispose();
      }
    });
  });

  it('fails the waiting calls when the thread dies, and starts a new thread for the next call', async () => {
    const client = new WorkerClient(DYING, folder());
    try {
      const first = await client.call('hello');
      const waiting = client.call('queued behind');
      await assert.rejects(client.call('die'), /the test worker stopped \(exit code 3\)/);
      // "queued behind" was answered before the worker read "die", or failed with it.
      await waiting.then((reply) => assert.match(reply, /^queued behind from/), (error: Error) => assert.match(error.message, /exit code 3/));
      const again = await client.call('again');
      assert.notEqual(again.replace('again', ''), first.replace('hello', ''), 'a new thread answers');
    } finally {
      client.dispose();
    }
  });

  it('does not replace the thread of a session that failed: later calls fail with the same reason', async () => {
    const client = new WorkerClient(DYING_SESSION, folder());
    await assert.rejects(client.call('die'), /exit code 3/);
    await assert.rejects(client.call('again'), /exit code 3/);
  });

  it('fails when the bundle is missing, saying which worker', async () => {
    const client = new WorkerClient(DYING, path.join(folder(), 'nowhere'));
    await assert.rejects(client.call('hello'), /the test worker failed: Cannot find module/);
  });

  it('stops the thread when aborted or disposed, failing waiting and later calls', async () => {
    const controller = new AbortController();
    const aborted = new WorkerClient(DYING, folder(), controller.signal);
    const waiting = aborted.call('hello');
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    await assert.rejects(aborted.call('hello'), { name: 'AbortError' });
    const disposed = new WorkerClient(DYING, folder());
    await disposed.call('hello');
    disposed.dispose();
    await assert.rejects(disposed.call('hello'), /the test worker was stopped/);
  });
});

describe('in a worker, or here when the worker fails', () => {
  const log = () => {
    const warnings: string[] = [];
    return { warnings, warn: (message: string) => warnings.push(message) };
  };

  it('takes the worker’s answer and warns of nothing when it works', async () => {
    const logged = log();
    assert.equal(await inWorkerOrHere('count', async () => 1, () => 2, logged), 1);
    assert.deepEqual(logged.warnings, []);
  });

  it('does the work here when the worker fails, and says why in the log', async () => {
    const logged = log();
    const answer = await inWorkerOrHere('count', () => Promise.reject(new Error('the test worker stopped (exit code 3)')), () => 2, logged);
    assert.equal(answer, 2);
    assert.deepEqual(logged.warnings, ['Could not count in a worker thread, so it is done on the main thread: the test worker stopped (exit code 3)']);
  });

  it('passes an abort on, without doing the work here', async () => {
    const logged = log();
    const controller = new AbortController();
    controller.abort();
    let ranHere = false;
    const work = inWorkerOrHere('count', () => Promise.reject(controller.signal.reason), () => (ranHere = true), logged, controller.signal);
    await assert.rejects(work, { name: 'AbortError' });
    assert.equal(ranHere, false);
    assert.deepEqual(logged.warnings, []);
  });

  it('parses a library file here when the library worker is missing', async () => {
    const logged = log();
    const client = new WorkerClient(LIBRARY_WORKER, path.join(os.tmpdir(), 'no-litnotes-here'));
    const parsed = await inWorkerOrHere('read a library file', () => client.call({ kind: 'bibtex', text: HOSTILE_BIB }), () => importSource('bibtex', HOSTILE_BIB), logged);
    assert.deepEqual(parsed, importSource('bibtex', HOSTILE_BIB));
    assert.match(logged.warnings[0], /the library worker failed: Cannot find module/);
  });
});

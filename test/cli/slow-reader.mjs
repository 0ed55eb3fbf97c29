// A deliberately slow reader for the CLI drain tests: waits a second after the
// first bytes arrive (long enough for a process that exits without draining to
// be gone), then reads the rest in 4 KiB chunks, and writes everything it read
// to the file named by its argument.
import { readSync, writeFileSync } from 'node:fs';

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const buf = Buffer.alloc(4096);
const parts = [];
for (;;) {
  let n;
  try {
    n = readSync(0, buf, 0, buf.length, null);
  } catch (e) {
    if (e.code === 'EAGAIN') {
      sleep(5);
      continue;
    }
    if (e.code === 'EOF') break;
    throw e;
  }
  if (n === 0) break;
  parts.push(Buffer.from(buf.subarray(0, n)));
  sleep(parts.length === 1 ? 1000 : 2);
}
writeFileSync(process.argv[2], Buffer.concat(parts));

// One contender for a state-file lock, run as its own process by state-lock.test.ts: waits for
// the common start time, tries to take the lock, prints "won" or "busy", and holds a won lock
// until its stdin closes (the test closes it once every contender has answered).
import { StateFileLock } from '../../../main/service/state-lock.js';
import { AppError } from '../../../main/service/errors.js';

const [path, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt)) {
  // Spin until the common start so that every contender races in the same few milliseconds.
}
try {
  const lock = await StateFileLock.acquire(path!);
  process.stdout.write('won\n');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await lock.release();
} catch (error) {
  if (!(error instanceof AppError) || error.code !== 'DEVICE_BUSY') throw error;
  process.stdout.write('busy\n');
}

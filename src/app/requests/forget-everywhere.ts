/**
 * Per-process caches live once per thread: the server's HTTP threads (COUPONHUB_HTTP_THREADS)
 * each have their own. A write that drops an entry in its own thread's cache (a revoked key, an
 * edited tenant) tells the other threads of the process to drop it too, over a BroadcastChannel,
 * so "at once in the process that wrote it" holds for every thread of that process. Other
 * processes still see the change when their entry expires.
 */
import { BroadcastChannel } from 'node:worker_threads';

/** `forget` for this thread, and the same for the process's other threads (by `name`). */
export function forgetEverywhere(name: string, forget: (key: string) => void): (key: string) => void {
  const channel = new BroadcastChannel(`couponhub:forget:${name}`);
  // Listening does not keep a process (or a test) alive.
  channel.unref();
  channel.onmessage = (e) => forget(String((e as { data: unknown }).data));
  return (key) => {
    forget(key);
    channel.postMessage(key);
  };
}

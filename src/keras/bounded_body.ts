/**
 * Downloads with bounds: a response body is read chunk by chunk, its bytes counted against what the
 * caller can use (a shard group's weights, a model.json's cap) and the read stopped as soon as it
 * passes that, instead of after the whole body (a 1.6 MB gzip bomb inflated to 1.57 GB before the size
 * error; a 300 MB body for a 456-byte manifest was read whole). A request that makes no progress for
 * `timeoutMs` (no response, then no chunk) is aborted: a stalled body used to never end.
 */

/** What a download does with each chunk's size; throws to stop the download. */
export type ByteBudget = (bytes: number) => void;

/** A budget of `limit` bytes (shared by every body it is given to); `overrun` says what went wrong. */
export function byteBudget(limit: number, overrun: (used: number) => string): ByteBudget {
  let used = 0;
  return (bytes) => {
    used += bytes;
    if (used > limit) throw new Error(overrun(used));
  };
}

/** A request's abort signal that also fires after `timeoutMs` without progress. */
interface StallGuard {
  signal: AbortSignal | undefined;
  /** Data arrived: the wait starts again. */
  progress(): void;
  /** The request is over: the timer stops. */
  done(): void;
}

/**
 * `timeoutMs` (Infinity: never) joined with the caller's `signal`. The abort reason says which
 * option stopped the request.
 */
export function stallGuard(timeoutMs: number, signal: AbortSignal | null | undefined): StallGuard {
  if (timeoutMs === Infinity)
    return {signal: signal ?? undefined, progress: () => undefined, done: () => undefined};
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        controller.abort(
          new Error(`no data for ${timeoutMs} ms (options.timeoutMs), so the request was stopped`),
        ),
      timeoutMs,
    );
  };
  arm();
  return {
    signal: signal == null ? controller.signal : AbortSignal.any([signal, controller.signal]),
    progress: arm,
    done: () => clearTimeout(timer),
  };
}

/** The body of `response`, counted against `budget` chunk by chunk; the stream is cancelled on overrun. */
export async function readBoundedBody(
  response: Response,
  budget: ByteBudget,
  guard: StallGuard,
): Promise<ArrayBuffer> {
  if (response.body == null) {
    const data = await response.arrayBuffer();
    budget(data.byteLength);
    return data;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      budget(value.byteLength);
      guard.progress();
      chunks.push(value);
      total += value.byteLength;
    }
  } catch (e) {
    // Stops the download (and a decompression in progress) rather than letting it run on unread.
    reader.cancel().catch(() => undefined);
    throw e;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out.buffer;
}

/** An error's message with the message of its cause (fetch's "fetch failed" says why only there). */
export function messageWithCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && error.cause.message !== '' ? ` (${error.cause.message})` : '';
  const message = error.message === '' ? error.name : error.message;
  return `${message}${cause}`;
}

import type {Server} from 'node:http';

/** The COOP/COEP headers that make a page cross-origin isolated. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>>;

/**
 * Starts serving `folder`; resolves to the server once it listens (port 0 picks a free one). With
 * `isolated`, responses carry COOP/COEP headers, making the page cross-origin isolated.
 */
export function serve(folder: string, port?: number, options?: {isolated?: boolean}): Promise<Server>;

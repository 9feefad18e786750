import type {Server} from 'node:http';

/**
 * Starts serving `folder`; resolves to the server once it listens (port 0 picks a free one). With
 * `isolated`, responses carry COOP/COEP headers, making the page cross-origin isolated.
 */
export function serve(folder: string, port?: number, options?: {isolated?: boolean}): Promise<Server>;

import type {Server} from 'node:http';

/** Starts serving `folder`; resolves to the server once it listens (port 0 picks a free one). */
export function serve(folder: string, port?: number): Promise<Server>;

// Types for serve.js, so the TypeScript browser tests can start it in-process.
import type { Server } from 'node:http';

export interface ServeOptions {
  /** Folder to serve; defaults to the current directory. */
  root?: string;
  /** 0 (the default) takes any free port. */
  port?: number;
  host?: string;
  /** Added to every response. */
  headers?: Record<string, string>;
  /** Log each request to stdout when false. */
  quiet?: boolean;
}

export interface Serving {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export const MIME_TYPES: Record<string, string>;
export function resolveInside(root: string, urlPath: string): string | null;
export function serve(options?: ServeOptions): Promise<Serving>;
export function serveOnFreePort(options: ServeOptions, tries?: number): Promise<Serving>;

/**
 * Small answers shared by the routes: who asked (a browser or a program), and where this
 * server is reachable for the links it hands out.
 */
import type { Request } from 'express';

/** True when the client prefers an HTML page over JSON (a browser navigating or posting a form). */
export function prefersHtml(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

/** Base URL for links: PUBLIC_BASE_URL when set, else the scheme and Host of the request. */
export function baseUrl(req: Request, publicBaseUrl: string | null): string {
  return publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

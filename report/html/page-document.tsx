/** @jsxImportSource preact */
/**
 * The HTML document around every page: head, site bar and footer. Styles and the optional
 * script are files under /static/, never inline, so the page runs under
 * `default-src 'self'; style-src 'self'; script-src 'self'`.
 */
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';

export const STYLESHEET_URL = '/static/app.css';
export const REPORT_SCRIPT_URL = '/static/report.js';
export const FAVICON_URL = '/static/favicon.svg';

interface PageDocumentProps {
  title: string;
  /** Seconds after which the browser reloads the page by itself (no script needed). */
  refreshSeconds?: number;
  /** Load the progressive-enhancement script; the page works without it. */
  isEnhanced?: boolean;
  /** Extra links in the footer, e.g. the report's JSON. */
  footer?: ComponentChildren;
  children: ComponentChildren;
}

function PageDocument({ title, refreshSeconds, isEnhanced = false, footer, children }: PageDocumentProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="same-origin" />
        {refreshSeconds === undefined ? null : <meta http-equiv="refresh" content={String(refreshSeconds)} />}
        <title>{title}</title>
        <link rel="icon" href={FAVICON_URL} type="image/svg+xml" />
        <link rel="stylesheet" href={STYLESHEET_URL} />
        {isEnhanced ? <script src={REPORT_SCRIPT_URL} defer /> : null}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <nav class="site-bar" aria-label="Site">
          <a class="brand" href="/">
            <img src={FAVICON_URL} alt="" width={20} height={20} />
            stacksift
          </a>
          <a href="/">New analysis</a>
        </nav>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <p>stacksift: hang and crash triage for thread dumps. {footer}</p>
        </footer>
      </body>
    </html>
  );
}

/** A whole HTML document, doctype included, from a page title and body. */
export function renderDocument(props: PageDocumentProps): string {
  return `<!doctype html>${renderToString(<PageDocument {...props} />)}`;
}

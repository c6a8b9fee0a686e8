/** @jsxImportSource preact */
/** A page for an HTTP error (`404 Not found`) with a way back. */
import { renderDocument } from './page-document.js';

function ErrorPage({ status, title, message }: { status: number; title: string; message: string }) {
  return (
    <section class="notice notice-error">
      <p class="error-status">{status}</p>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to the upload page</a>
      </p>
    </section>
  );
}

/** An error page as a whole HTML document. */
export function renderErrorPage(status: number, title: string, message: string): string {
  return renderDocument({
    title: `${status} ${title} · stacksift`,
    children: <ErrorPage status={status} title={title} message={message} />,
  });
}

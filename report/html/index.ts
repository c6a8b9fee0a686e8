/** The web pages: views of the report model, rendered on the server to whole HTML documents. */
export { renderErrorPage } from './error-page.js';
export { renderHomePage } from './home-page.js';
export type { HomePageModel, ReportPageModel, SignatureStats } from './page-model.js';
export { renderReportPage } from './report-page.js';

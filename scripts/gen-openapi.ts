/**
 * Writes openapi.yaml at the repository root from the zod schemas the API uses
 * (api/openapi.ts). `npm run openapi` after changing a route or schema; a test fails while
 * the committed file differs from what this prints.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiYaml } from '../api/openapi.js';

const target = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
writeFileSync(target, openApiYaml());
process.stdout.write(`wrote ${target}\n`);

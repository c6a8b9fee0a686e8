/** The OpenAPI document, as JSON and as YAML. */
import { Router } from 'express';
import { buildOpenApiDocument, openApiYaml } from '../openapi.js';

/** `GET /openapi.json` and `GET /openapi.yaml`, built once on first use. */
export function docsRoutes(): Router {
  const router = Router();
  let json: ReturnType<typeof buildOpenApiDocument> | undefined;
  let yaml: string | undefined;
  router.get('/openapi.json', (_req, res) => {
    json ??= buildOpenApiDocument();
    res.json(json);
  });
  router.get('/openapi.yaml', (_req, res) => {
    yaml ??= openApiYaml();
    res.type('application/yaml').send(yaml);
  });
  return router;
}

/**
 * The service runs with NODE_ENV=production (Dockerfile, docker-compose.yml); graphql-js reads it
 * once, when it is first loaded, and otherwise runs development-only checks on every field
 * (`instanceOf`: 9-13% of the CPU of a cached catalog page in the profile). A bench that measures
 * the GraphQL path imports this module first, before anything loads graphql, so the service and its
 * in-process baseline both run as deployed. An explicit NODE_ENV is kept.
 */
process.env.NODE_ENV ??= 'production';
